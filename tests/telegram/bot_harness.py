"""Run the real guichet bot (python-telegram-bot Application) against the emulator, in-process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Literal

from bot.settings import Settings
from bot.telegram.app import serve
from flows.dialogue import Dialogue
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentMessage, free_port

TODAY = date(2026, 11, 23)


def bot_settings(
    emu: BotApiEmulator,
    data_dir: Path,
    mode: Literal["polling", "webhook"] = "polling",
    port: int | None = None,
) -> Settings:
    """Settings pointing the bot at the emulator, with its own data folder."""
    webhook: dict[str, object] = {}
    if mode == "webhook":
        port = port or free_port()
        webhook = {
            "webhook_url": f"http://127.0.0.1:{port}/telegram-hook",
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": "s3cret-Token_for-tests",
        }
    return Settings(
        telegram_bot_token=emu.token,
        telegram_api_base_url=emu.base_url,
        telegram_api_file_url=emu.base_file_url,
        data_dir=data_dir,
        mode=mode,
        **webhook,
    )


@contextlib.asynccontextmanager
async def running_bot(
    emu: BotApiEmulator, data_dir: Path, mode: Literal["polling", "webhook"] = "polling"
) -> AsyncIterator[Settings]:
    """The bot serving until the block ends (then stopped cleanly)."""
    settings = bot_settings(emu, data_dir, mode)
    stop = asyncio.Event()
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    task = asyncio.create_task(serve(settings, stop=stop, dialogue=Dialogue(today=TODAY), ready=on_ready))
    try:
        waiter = asyncio.ensure_future(ready.wait())
        await asyncio.wait({task, waiter}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # re-raise a start-up failure
        assert ready.is_set(), "the bot did not become ready"
        yield settings
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)


class Chat:
    """One user talking to the bot; every call waits until the bot has answered."""

    def __init__(self, emu: BotApiEmulator, user: FakeUser) -> None:
        self.emu, self.user = emu, user

    @property
    def messages(self) -> list[SentMessage]:
        """Everything the bot sent to this user so far."""
        return self.emu.sent_messages(self.user.id)

    async def _settle(self, before: int) -> list[SentMessage]:
        await self.emu.wait_until_idle(timeout=10)
        return self.messages[before:]

    async def send(self, text: str) -> list[SentMessage]:
        """Type ``text`` (a leading /command is sent as a command)."""
        before = len(self.messages)
        if text.startswith("/"):
            command, _, payload = text.partition(" ")
            self.emu.user_sends_command(self.user, command, payload or None)
        else:
            self.emu.user_sends_text(self.user, text)
        return await self._settle(before)

    async def press(self, label: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Press the button labelled ``label`` on ``message`` (default: the last message with buttons)."""
        target = message or next(m for m in reversed(self.messages) if m.buttons)
        before = len(self.messages)
        self.emu.user_presses_button(self.user, target, label)
        return await self._settle(before)

    async def press_data(self, message: SentMessage, data: str) -> list[SentMessage]:
        """Press a button with arbitrary (possibly forged) callback data."""
        before = len(self.messages)
        self.emu.user_presses(self.user, message, data)
        return await self._settle(before)

    async def sticker(self) -> list[SentMessage]:
        """Send a sticker."""
        before = len(self.messages)
        self.emu.user_sends_sticker(self.user)
        return await self._settle(before)

    def last_with_buttons(self) -> SentMessage:
        """The latest message that has inline buttons."""
        return next(m for m in reversed(self.messages) if m.buttons)
