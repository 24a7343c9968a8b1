"""The real bot and the Bot API emulator on an event loop of their own thread.

Hypothesis drives synchronous test bodies and builds many examples per test; running the bot on a
background loop lets one bot (one emulator, one store) serve every example of a module, while each
example submits its coroutine with :meth:`BotThread.run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Literal, TypeVar

from bot.settings import Settings
from tests.telegram.bot_harness import running_bot
from tests.telegram.emulator import BotApiEmulator

T = TypeVar("T")
WATCHED_LOGGERS = ("bot", "telegram", "flows")


def fresh_token() -> str:
    """A bot token of Telegram's shape, different on every call."""
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(26)}"


class ErrorRecords(logging.Handler):
    """Keeps every record at ERROR or above from the bot's and PTB's loggers."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[str]:
        """The messages recorded since the last call (then forgotten)."""
        taken, self.records = self.records, []
        return [f"{r.name}: {r.getMessage()}" for r in taken]


class BotThread:
    """An emulator and the real bot serving on a private event loop (start / run / stop)."""

    def __init__(self, data_dir: Path, mode: Literal["polling", "webhook"] = "polling") -> None:
        self.data_dir, self.mode = data_dir, mode
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="bot-under-test", daemon=True)
        self.errors = ErrorRecords()
        self._stack = contextlib.AsyncExitStack()
        self.emu: BotApiEmulator
        self.settings: Settings

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
        """Run ``coro`` on the bot's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _start(self) -> None:
        self.emu = await self._stack.enter_async_context(BotApiEmulator(token=fresh_token()))
        self.settings = await self._stack.enter_async_context(running_bot(self.emu, self.data_dir, self.mode))

    def start(self) -> BotThread:
        """Start the thread, the emulator and the bot (ready to receive updates)."""
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).addHandler(self.errors)
        logging.getLogger("httpx").setLevel(logging.WARNING)
        self.thread.start()
        self.run(self._start(), timeout=30)
        return self

    def stop(self) -> None:
        """Stop the bot and the emulator, then the loop and its thread."""
        try:
            self.run(self._stack.aclose(), timeout=30)
        finally:
            for name in WATCHED_LOGGERS:
                logging.getLogger(name).removeHandler(self.errors)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()
