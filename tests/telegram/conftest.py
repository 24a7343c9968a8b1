"""Fixtures for end-to-end tests against the Bot API emulator: a fresh emulator (port and token) per test."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator

import pytest

from tests.telegram.emulator import BotApiEmulator

# httpx logs request URLs, which contain the bot token, at INFO.
logging.getLogger("httpx").setLevel(logging.WARNING)


def fresh_token() -> str:
    """A bot token of Telegram's shape, different for every test."""
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(26)}"


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """A running emulator on a fresh port of 127.0.0.1, stopped after the test."""
    async with BotApiEmulator(token=fresh_token()) as emulator:
        yield emulator
