"""The running bot (against the Bot API emulator) answers GET /healthz: on its webhook port in webhook
mode, and on GUICHET_HEALTH_PORT in polling mode."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import aiohttp
import pytest

from tests.telegram.bot_harness import running_bot
from tests.telegram.emulator import BotApiEmulator, free_port


async def _healthz(port: int) -> tuple[int, dict[str, str]]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as response:
        return response.status, await response.json()


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_the_running_bot_answers_healthz(
    emu: BotApiEmulator, tmp_path: Path, mode: Literal["polling", "webhook"]
) -> None:
    health_port = free_port()
    async with running_bot(emu, tmp_path, mode, health_port=health_port) as settings:
        assert await _healthz(health_port) == (200, {"status": "ok"})
        if mode == "webhook":
            assert await _healthz(settings.webhook_port) == (200, {"status": "ok"})
    with pytest.raises(aiohttp.ClientConnectionError):
        await _healthz(health_port)  # stopped with the bot
