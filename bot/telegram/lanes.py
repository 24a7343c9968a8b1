"""Process updates of different chats at the same time, and those of one chat strictly in turn.

A turn spends part of its time waiting (the store's thread, Telegram's answer to sendMessage);
other people's turns can use that time. One person's updates must still be handled one after the
other, in the order they came, or an answer could be taken for the wrong question.

Each chat with updates waiting has one queue, filled in arrival order the moment an update is
submitted, and one task draining it; so order holds even when a second batch arrives while the
first is still being handled.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable

from telegram import Update

DEFAULT_CONCURRENCY = 8

Done = Callable[[BaseException | None], None]

log = logging.getLogger(__name__)


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
        self._queues: dict[Hashable, deque[tuple[Update, Done | None]]] = {}
        self._drains: set[asyncio.Task[None]] = set()
        self._busy = 0

    def submit(self, update: Update, done: Done | None = None) -> None:
        """Queue one update behind every earlier one of its chat; ``done`` is called with the error
        it raised (or None) once it has been handled."""
        key = lane_key(update)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
            drain = asyncio.ensure_future(self._drain(key, queue))
            self._drains.add(drain)
            drain.add_done_callback(self._drains.discard)
        queue.append((update, done))
        self._busy += 1

    async def _drain(self, key: Hashable, queue: deque[tuple[Update, Done | None]]) -> None:
        try:
            while queue:
                update, done = queue[0]
                error: Exception | None = None
                try:
                    async with self._slots:
                        await self._process(update)
                except Exception as exc:
                    error = exc
                queue.popleft()
                self._busy -= 1
                if done is not None:
                    done(error)
                elif error is not None:
                    log.error("update %s failed: %s", update.update_id, type(error).__name__)
        except BaseException as stopped:  # cancelled: this update and the ones behind it are not handled
            while queue:
                _update, done = queue.popleft()
                self._busy -= 1
                if done is not None:
                    done(stopped)
            raise
        finally:
            del self._queues[key]

    async def wait_idle(self) -> None:
        """Return once every submitted update has been handled."""
        while self._drains:
            await asyncio.wait(set(self._drains))

    @property
    def busy(self) -> int:
        """Updates submitted and not yet handled."""
        return self._busy

    async def process(self, update: Update) -> None:
        """Handle one update once every earlier update of its chat is done; raises what it raised."""
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.submit(update, lambda error: _settle(finished, error))
        await asyncio.shield(finished)  # a cancelled caller does not tear the queue


def _settle(finished: asyncio.Future[None], error: BaseException | None) -> None:
    if finished.done():
        return
    if error is None:
        finished.set_result(None)
    else:
        finished.set_exception(error)
