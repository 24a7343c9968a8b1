"""Fixtures of the deploy tests: guichet installed as the image installs it (once per test run), and a
Bot API emulator."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.telegram.conftest import fresh_token
from tests.telegram.emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[2]
STEP_TIMEOUT_S = 240


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """A running emulator on a fresh port of 127.0.0.1, stopped after the test."""
    async with BotApiEmulator(token=fresh_token()) as emulator:
        yield emulator


def run(
    argv: list[str], *, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(the fresh venv's bin folder, the wheel build's output)."""
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels), str(ROOT)], cwd=work
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = wheels.glob("guichet-*.whl")
    run([sys.executable, "-m", "venv", str(work / "venv")], cwd=work).check_returncode()
    pip = [str(work / "venv" / "bin" / "python"), "-m", "pip"]
    locked = run([*pip, "install", "--quiet", "-r", str(ROOT / "requirements.lock")], cwd=work)
    assert locked.returncode == 0, locked.stderr[-2000:]
    own = run([*pip, "install", "--quiet", "--no-deps", "--no-index", str(wheel)], cwd=work)
    assert own.returncode == 0, own.stderr[-2000:]
    checked = run([*pip, "check"], cwd=work)
    assert checked.returncode == 0, f"the lock does not satisfy the wheel's requirements: {checked.stdout}"
    yield work / "venv" / "bin", built.stdout + built.stderr
