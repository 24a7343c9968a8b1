"""The bot keeps running through cosmetic start-up failures and never loses a button press when
acknowledging it fails (emulator faults, one test per case)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import LANGS, text
from bot.telegram import app as telegram_app
from tests.telegram.bot_harness import Chat, current_state, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser

TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
LANGUAGE_CALLS = len(LANGS) + 1  # each language and the default

STARTUP_FAULTS: list[Any] = [
    pytest.param("setMyCommands", "client_error", {"status": 400}, id="setMyCommands-400"),
    pytest.param("setMyDescription", "client_error", {"status": 404}, id="setMyDescription-404"),
    pytest.param("setMyShortDescription", "client_error", {"status": 404}, id="setMyShortDescription-404"),
    pytest.param("setMyDescription", "rate_limit", {"retry_after": 1, "count": 8}, id="setMyDescription-429"),
    pytest.param("setMyCommands", "server_error", {"status": 500}, id="setMyCommands-500"),
    pytest.param("setMyShortDescription", "server_error", {"status": 502}, id="setMyShortDescription-502"),
    pytest.param("setMyDescription", "timeout", {"seconds": 0.3}, id="setMyDescription-timeout"),
]


@pytest.mark.parametrize(("method", "kind", "fault"), STARTUP_FAULTS)
async def test_start_up_call_failure_is_logged_once_retried_and_never_stops_the_bot(
    emu: BotApiEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    method: str,
    kind: str,
    fault: dict[str, Any],
) -> None:
    monkeypatch.setattr(telegram_app, "PROFILE_RETRY_S", (0.2,))
    fault = {"count": LANGUAGE_CALLS, **fault}
    emu.inject_fault(method, kind, **fault)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="bot.telegram.app"):
        async with running_bot(emu, tmp_path):
            chat = Chat(emu, FakeUser(8101, language_code="en"))
            replies = await chat.send("/start")
            assert replies and text("en", "dialogue.welcome")[:20] in replies[0].text, "the bot serves"
            await emu.wait_for(lambda: _all_set(emu), timeout=20)
    failures = [r for r in caplog.records if "start-up calls failed" in r.getMessage()]
    assert len(failures) == 1, "logged once"
    assert "still running" not in caplog.text


def _all_set(emu: BotApiEmulator) -> bool:
    return all(emu.commands(lang) for lang in LANGS) and all(
        emu.descriptions.get(lang) and emu.short_descriptions.get(lang) for lang in LANGS
    )


CALLBACK_FAULTS: list[Any] = [
    pytest.param("client_error", {"status": 400, "description": TOO_OLD}, id="query-too-old"),
    pytest.param("rate_limit", {"retry_after": 1, "count": 4}, id="429"),
    pytest.param("server_error", {"status": 500, "count": 4}, id="500"),
    pytest.param("timeout", {"seconds": 0.3}, id="timeout"),
]


@pytest.mark.parametrize(("kind", "fault"), CALLBACK_FAULTS)
async def test_a_press_is_never_lost_when_acknowledging_it_fails(
    emu: BotApiEmulator, tmp_path: Path, kind: str, fault: dict[str, Any]
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(8201, language_code="en"))
        await chat.send("/start")
        await chat.send("India")
        emu.inject_fault("answerCallbackQuery", kind, **fault)  # type: ignore[arg-type]
        replies = await chat.press(text("en", "question.current_location.option.abroad"))
        state = current_state(settings.db_path, 8201)
        assert state is not None and state.answers.get("current_location") == "abroad", "the press counted"
        assert state.current != "current_location"
        assert replies, "the next question was sent"
        assert all(text("en", "telegram.error") not in m.text for m in chat.messages)
