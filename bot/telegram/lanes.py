"""Process updates of different chats at the same time, and those of one chat strictly in turn.

A turn spends part of its time waiting (the store's thread, Telegram's answer to sendMessage);
other people's turns can use that time. One person's updates must still be handled one after the
other, in the order they came, or an answer could be taken for the wrong question.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence

from telegram import Update

DEFAULT_CONCURRENCY = 8


def lane_key(update: Update) -> Hashable:
    """The chat an update belongs to (else its sender; updates with neither share one lane)."""
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return ("other",)


class ChatLanes:
    """Runs ``process`` for updates, in order per chat, at most ``concurrency`` at once."""

    def __init__(
        self, process: Callable[[Update], Awaitable[None]], concurrency: int = DEFAULT_CONCURRENCY
    ) -> None:
        """``process`` handles one update (``Application.process_update``)."""
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._process = process
        self._slots = asyncio.Semaphore(concurrency)
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._waiting: dict[Hashable, int] = {}

    async def process(self, update: Update) -> None:
        """Handle one update once every earlier update of its chat given to this object is done."""
        key = lane_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await self._process(update)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def process_batch(self, updates: Sequence[Update]) -> None:
        """Handle a batch (as getUpdates returns it): chats side by side, each chat in order.

        Returns when every update is handled; if one raised, the first such error is raised then.
        """
        lanes: dict[Hashable, list[Update]] = {}
        for update in updates:
            lanes.setdefault(lane_key(update), []).append(update)

        async def run(lane: list[Update]) -> None:
            for update in lane:
                await self.process(update)

        outcomes = await asyncio.gather(*(run(lane) for lane in lanes.values()), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
