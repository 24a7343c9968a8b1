"""Fixtures for the robustness tests: a fresh Bot API emulator (port and token) per test."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from tests.robustness.bot_thread import fresh_token
from tests.telegram.emulator import BotApiEmulator

logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines contain the bot token


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """A running emulator on a fresh port of 127.0.0.1, stopped after the test."""
    async with BotApiEmulator(token=fresh_token()) as emulator:
        yield emulator
