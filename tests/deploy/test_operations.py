"""Operating the bot: `guichet run` and `guichet health` without a token, the HTTP health endpoints,
the log format, and the privacy notice's controller."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import socket
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr
from telegram import Bot

from bot.cli import main
from bot.health import HEARTBEAT_MAX_AGE_S, beat, bot_check, check_health, heartbeat_path, serve_health
from bot.i18n import LANGS, text
from bot.launch import EXIT_NO_TOKEN, no_token_refusal, warn_without_controller
from bot.logs import configure_logging
from bot.operators.web import ConsoleConfig, create_app
from bot.privacy import Controller, privacy_notice
from bot.settings import Settings, get_settings
from bot.store import SessionStore
from bot.telegram.webhook import webhook_app
from tests.telegram.emulator import free_port

with warnings.catch_warnings():  # Starlette prefers httpx2; httpx (already installed) works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = SecretStr("123456:ABC")


class FakeStdin(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__("")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)  # type: ignore[call-arg]


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A process environment without a token, the store in ``tmp_path`` (get_settings re-read)."""
    for name in list(os.environ):
        if name.startswith(("GUICHET_", "TELEGRAM_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("GUICHET_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_without_a_token_run_refuses_in_a_deployment_or_without_a_terminal(tmp_path: Path) -> None:
    terminal, closed = FakeStdin(tty=True), FakeStdin(tty=False)
    assert no_token_refusal(settings(tmp_path), terminal) is None, "a developer's terminal: the console"
    assert no_token_refusal(settings(tmp_path, telegram_bot_token=TOKEN, require_token=True), closed) is None
    required = no_token_refusal(settings(tmp_path, require_token=True), terminal)
    assert required is not None and "GUICHET_REQUIRE_TOKEN" in required and "guichet console" in required
    piped = no_token_refusal(settings(tmp_path), closed)
    assert piped is not None and "not a terminal" in piped


def test_guichet_run_exits_non_zero_with_the_reason(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GUICHET_REQUIRE_TOKEN", "1")
    monkeypatch.setattr("sys.stdin", FakeStdin(tty=True))
    assert main(["run"]) == EXIT_NO_TOKEN
    captured = capsys.readouterr()
    assert "TELEGRAM_BOT_TOKEN" in captured.err and "cannot start" in captured.err
    assert captured.out == "", "no console conversation"


def test_guichet_run_on_a_terminal_without_a_token_talks(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", FakeStdin(tty=True))  # empty: end of input at once
    monkeypatch.setattr("builtins.input", lambda _prompt="": (_ for _ in ()).throw(EOFError))
    assert main(["run"]) == 0
    assert "starting the console conversation" in capsys.readouterr().err


def test_health_fails_without_a_token_and_follows_the_heartbeat(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_health() == 1
    assert "no TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN.get_secret_value())
    get_settings.cache_clear()
    assert check_health() == 1, "no heartbeat yet"
    beat(environment)
    assert check_health() == 0
    stale = time.time() - HEARTBEAT_MAX_AGE_S - 5
    os.utime(heartbeat_path(environment), (stale, stale))
    assert check_health() == 1
    assert "two minutes" in capsys.readouterr().err


def test_the_webhook_server_answers_healthz(tmp_path: Path) -> None:
    alive = settings(tmp_path, telegram_bot_token=TOKEN)

    async def handle(_update: object) -> None:
        raise AssertionError("a health probe is not an update")

    app = webhook_app("telegram", "s3cret", Bot(TOKEN.get_secret_value()), handle, bot_check(alive))
    client = TestClient(app)
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json()["status"] == "unhealthy"
    beat(tmp_path)
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.post("/telegram", content=b"{}").status_code == 403, "the webhook is still guarded"
    no_token = TestClient(webhook_app("telegram", "s", Bot("1:A"), handle, bot_check(settings(tmp_path))))
    assert "TELEGRAM_BOT_TOKEN" in no_token.get("/healthz").json()["reason"]


def test_the_review_console_answers_healthz_without_a_log_in(tmp_path: Path) -> None:
    db_path = tmp_path / "guichet.sqlite3"
    SessionStore(db_path).close()
    app = create_app(ConsoleConfig(db_path=db_path, secret_key="k"))
    with TestClient(app, base_url="http://127.0.0.1:8080") as client:  # the health check's own address
        answer = client.get("/healthz")
        assert answer.status_code == 200 and answer.json() == {"status": "ok"}
        assert answer.headers["cache-control"] == "no-store"
        assert client.get("/sessions", follow_redirects=False).status_code == 303, "pages still need a log-in"


async def test_the_polling_bot_serves_healthz_on_its_own_port(tmp_path: Path) -> None:
    port = free_port()
    alive = settings(tmp_path, telegram_bot_token=TOKEN, health_port=port)
    beat(tmp_path)
    stop = asyncio.Event()
    server = asyncio.create_task(serve_health(alive, stop))
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(200):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        assert response.status == 200 and await response.json() == {"status": "ok"}
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.02)
            else:
                raise AssertionError("the health server did not start")
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
    assert await asyncio.wait_for(serve_health(settings(tmp_path), stop), 1) is None, "off without a port"


PERSON = "Ms " + "Example"  # built, so that the source lines of the traceback do not hold it


def _failing(typed: str) -> None:
    try:
        int(typed)
    except ValueError as error:
        raise RuntimeError(f"turn failed for {typed}") from error


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_logs_carry_the_traceback_but_not_what_was_typed(log_format: str) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(log_format, "INFO", stream=stream)  # type: ignore[arg-type]
        logging.getLogger("transitions.core").info("Finished processing state nationality exit callbacks.")
        try:
            _failing(f"salary of {PERSON}")
        except RuntimeError as error:
            logging.getLogger("bot.telegram.handlers").error("update %s failed", 7, exc_info=error)
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    out = stream.getvalue()
    assert "Finished processing" not in out, "transitions' INFO line every turn is silenced"
    assert PERSON not in out
    assert "_failing" in out and "ValueError" in out and "RuntimeError" in out
    if log_format == "json":
        [line] = out.splitlines()
        entry = json.loads(line)
        assert entry["level"] == "ERROR" and entry["message"] == "update 7 failed"
        assert entry["error"] == "RuntimeError" and "test_operations.py" in entry["traceback"]
    else:
        assert out.splitlines()[0].endswith("ERROR bot.telegram.handlers: update 7 failed")


@pytest.mark.parametrize("lang", LANGS)
def test_privacy_names_the_controller_or_says_it_is_missing(lang: str) -> None:
    unset = privacy_notice(lang, 180, Controller())  # type: ignore[arg-type]
    assert text(lang, "telegram.privacy_controller_unset") in unset and "180" in unset  # type: ignore[arg-type]
    half = privacy_notice(lang, 180, Controller("ACME Mobility", None))  # type: ignore[arg-type]
    assert "ACME Mobility" not in half, "a name without a contact is not enough"
    named = privacy_notice(lang, 90, Controller("ACME Mobility SRL", "privacy@acme.example"))  # type: ignore[arg-type]
    assert "ACME Mobility SRL" in named and "privacy@acme.example" in named and "90" in named
    assert "/delete" in named


async def test_a_health_port_in_use_is_logged_and_the_bot_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = settings(tmp_path, telegram_bot_token=TOKEN, health_port=port)
        with caplog.at_level(logging.ERROR, logger="bot.health"):
            assert await asyncio.wait_for(serve_health(busy, asyncio.Event()), 10) is None
    assert f"could not listen on 127.0.0.1:{port}" in caplog.text


def test_the_bot_warns_at_start_when_the_controller_is_not_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.launch"):
        warn_without_controller(settings(tmp_path, controller_name="ACME"))
        assert "GUICHET_CONTROLLER_CONTACT" in caplog.text
        caplog.clear()
        warn_without_controller(settings(tmp_path, controller_name="ACME", controller_contact="a@b.example"))
        assert caplog.text == ""
