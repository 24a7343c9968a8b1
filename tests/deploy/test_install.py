"""What CI can build of the image without a container engine: the wheel (as the Dockerfile builds
it), installed into a fresh venv from requirements.lock with --no-deps (as the image does), then the
entry point run as the container would run it. Bounded: a few minutes at most, most of it pip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.launch import EXIT_NO_TOKEN

ROOT = Path(__file__).resolve().parents[2]
STEP_TIMEOUT_S = 240

pytestmark = pytest.mark.slow


def _run(
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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(the fresh venv's bin folder, the wheel build's output)."""
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels), str(ROOT)], cwd=work
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = wheels.glob("guichet-*.whl")
    _run([sys.executable, "-m", "venv", str(work / "venv")], cwd=work).check_returncode()
    pip = [str(work / "venv" / "bin" / "python"), "-m", "pip"]
    locked = _run([*pip, "install", "--quiet", "-r", str(ROOT / "requirements.lock")], cwd=work)
    assert locked.returncode == 0, locked.stderr[-2000:]
    own = _run([*pip, "install", "--quiet", "--no-deps", "--no-index", str(wheel)], cwd=work)
    assert own.returncode == 0, own.stderr[-2000:]
    checked = _run([*pip, "check"], cwd=work)
    assert checked.returncode == 0, f"the lock does not satisfy the wheel's requirements: {checked.stdout}"
    yield work / "venv" / "bin", built.stdout + built.stderr


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
