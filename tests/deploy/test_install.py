"""What CI can build of the image without a container engine: the wheel (as the Dockerfile builds
it), installed into a fresh venv from requirements.lock with --no-deps (as the image does), then the
entry point run as the container would run it. Bounded: a few minutes at most, most of it pip."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Literal

import aiohttp
import pytest

from bot.launch import EXIT_NO_TOKEN
from tests.deploy.conftest import ROOT
from tests.deploy.conftest import run as _run
from tests.telegram.bot_harness import Chat, process_env, stop_bot_process
from tests.telegram.emulator import BotApiEmulator, FakeUser, free_port

pytestmark = pytest.mark.slow


def container_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment like the image's: no token, the store in a data folder, no .env read."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "SYSTEMROOT", "TMPDIR")}
    return {**keep, "GUICHET_DATA_DIR": str(tmp_path / "data"), "GUICHET_REQUIRE_TOKEN": "1", **extra}


def test_the_wheel_builds_without_a_deprecation_warning(installed: tuple[Path, str]) -> None:
    _bin, output = installed
    assert "deprecated" not in output.lower(), output[-2000:]


def test_the_entry_point_and_its_data_are_installed(installed: tuple[Path, str], tmp_path: Path) -> None:
    bin_dir, _ = installed
    helped = _run([str(bin_dir / "guichet"), "--help"], cwd=tmp_path, env=container_env(tmp_path))
    assert helped.returncode == 0 and "assess" in helped.stdout and "review" in helped.stdout
    answers = {"nationalities": ["IN"], "purposes": ["employee"], "work_postcode": "1000"}
    assessed = _run(
        [str(bin_dir / "guichet"), "assess", "-", "--on", "2026-11-23", "--lang", "fr"],
        cwd=tmp_path,
        env=container_env(tmp_path),
        stdin=json.dumps(answers),
    )
    assert assessed.returncode == 0, assessed.stderr  # the rules tables and locales came with the wheel
    assert json.loads(assessed.stdout)["contract_version"] == 1
    talked = _run(
        [str(bin_dir / "guichet"), "console", "--lang", "en"],
        cwd=tmp_path,
        env=container_env(tmp_path),
        stdin="India\nquit\n",
    )
    assert talked.returncode == 0 and "nationality" in talked.stdout.lower(), talked.stderr


def test_in_a_container_without_a_token_the_bot_refuses_and_is_unhealthy(
    installed: tuple[Path, str], tmp_path: Path
) -> None:
    bin_dir, _ = installed
    env = container_env(tmp_path)
    ran = _run([str(bin_dir / "guichet"), "run"], cwd=tmp_path, env=env)
    assert ran.returncode == EXIT_NO_TOKEN
    assert "TELEGRAM_BOT_TOKEN" in ran.stderr and "cannot start" in ran.stderr
    assert "console" not in ran.stdout.lower(), "the console conversation must not start"
    health = _run([str(bin_dir / "guichet"), "health"], cwd=tmp_path, env=env)
    assert health.returncode == 1 and "TELEGRAM_BOT_TOKEN" in health.stderr


def image_env() -> dict[str, str]:
    """The variables the image's last stage sets (its ENV lines), PATH left out."""
    final = (ROOT / "Dockerfile").read_text(encoding="utf-8").split("FROM ${PYTHON_IMAGE}\n")[-1]
    pairs = dict(re.findall(r"\b([A-Z][A-Z0-9_]*)=(\S+)", final.split("\nRUN ", 1)[0]))
    pairs.pop("PATH")
    return pairs


async def _healthy(port: int, bot: subprocess.Popen[bytes]) -> dict[str, str]:
    """GET /healthz through 127.0.0.2: answered only by a server listening beyond 127.0.0.1."""
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            assert bot.poll() is None, bot.stderr.read().decode() if bot.stderr else "the bot stopped"
            try:
                async with http.get(f"http://127.0.0.2:{port}/healthz") as response:
                    if response.status == 200:
                        return dict(await response.json())
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"nothing answered on 127.0.0.2:{port}")


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_the_installed_bot_runs_with_the_images_settings(
    installed: tuple[Path, str], emu: BotApiEmulator, tmp_path: Path, mode: Literal["polling", "webhook"]
) -> None:
    bin_dir, _ = installed
    health_port = free_port()
    emulator = process_env(emu, tmp_path / "data", mode)
    env = container_env(tmp_path)
    env |= {k: v for k, v in emulator.items() if k.startswith(("TELEGRAM_", "GUICHET_"))}
    # The image's settings win (GUICHET_WEBHOOK_LISTEN=0.0.0.0, as a proxy outside the container needs).
    env |= image_env() | {"GUICHET_DATA_DIR": str(tmp_path / "data"), "GUICHET_HEALTH_PORT": str(health_port)}
    bot = subprocess.Popen(
        [str(bin_dir / "guichet"), "run"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert await _healthy(health_port, bot) == {"status": "ok"}
        if mode == "webhook":
            assert await _healthy(int(env["GUICHET_WEBHOOK_PORT"]), bot) == {"status": "ok"}
        replies = await Chat(emu, FakeUser(4242, language_code="fr")).send("/start")
        assert replies, "the installed bot answers"
    finally:
        stop_bot_process(bot)
    assert bot.stderr is not None
    logged = [json.loads(line) for line in bot.stderr.read().decode().splitlines() if line.strip()]
    assert any("starting in" in entry["message"] for entry in logged), "JSON log lines"
