"""Polling through the durable inbox: nobody waits for another person's slow turn, and updates
confirmed to Telegram but not yet handled when the bot stopped are handled at the next start."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import text
from bot.settings import DB_FILE_NAME
from bot.store import SessionStore
from bot.store.records import InboxBatch
from tests.telegram.bot_harness import current_state, inbox_is_empty, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser

WELCOME = text("en", "dialogue.welcome")


async def test_one_slow_reply_does_not_hold_other_peoples_updates(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        slow, quick = FakeUser(5101, language_code="en"), FakeUser(5102, language_code="en")
        held = emu.inject_fault("sendMessage", "delay", seconds=3.0)  # Telegram slow for one reply
        emu.user_sends_command(slow, "/start")
        await emu.wait_for(lambda: held.applied == 1, 5, "the slow reply under way")
        started = time.monotonic()
        emu.user_sends_command(quick, "/start")
        await emu.wait_for_messages(quick.id, 1, timeout=2.5)
        assert time.monotonic() - started < 2.0, "the second person waited for the first one's reply"
        assert emu.sent_messages(slow.id) == []  # still held
        await emu.wait_for_messages(slow.id, 1, timeout=5)
        await emu.wait_until_idle(timeout=10)
        for user in (slow, quick):
            state = current_state(settings.db_path, user.id)
            assert state is not None and state.current == "nationalities"


async def test_updates_confirmed_but_not_handled_are_handled_at_the_next_start(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    user = FakeUser(5201, language_code="en", first_name="Ana")
    update_id = 987_654
    update = {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": "Ana"},
            "from": {"id": user.id, "is_bot": False, "first_name": "Ana", "language_code": "en"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    # The bot stopped after storing and confirming this batch, before handling it; Telegram
    # will never send it again.
    store = SessionStore(tmp_path / DB_FILE_NAME)
    try:
        store.add_to_inbox(InboxBatch(update_id, update_id, json.dumps([update])))
    finally:
        store.close()
    emu.add_chat(user)
    async with running_bot(emu, tmp_path) as settings:
        (reply,) = await emu.wait_for_messages(user.id, 1, timeout=10)
        assert WELCOME[:40] in reply.text
        await emu.wait_until_idle(timeout=10)
        assert inbox_is_empty(settings.db_path)
        check = SessionStore(settings.db_path)
        try:
            assert check.is_processed(update_id)
        finally:
            check.close()


async def test_a_batch_the_store_cannot_take_is_not_confirmed_and_is_handled_once(
    emu: BotApiEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SessionStore.save_turns
    refused: list[int] = []

    def inbox_fails_once(self: SessionStore, turns: Any, **kwargs: Any) -> list[int | Exception]:
        if kwargs.get("inbox") and not refused:
            refused.append(kwargs["inbox"][0].first_update_id)
            raise sqlite3.OperationalError("database is locked")
        return original(self, turns, **kwargs)

    monkeypatch.setattr(SessionStore, "save_turns", inbox_fails_once)
    async with running_bot(emu, tmp_path) as settings:
        user = FakeUser(5301, language_code="en")
        update = emu.user_sends_command(user, "/start")
        await emu.wait_until_idle(timeout=15)
        assert refused == [update["update_id"]]  # the first write failed, a later one went through
        assert len(emu.sent_messages(user.id)) == 1  # handled once, answered once
        state = current_state(settings.db_path, user.id)
        assert state is not None and state.current == "nationalities"
        assert inbox_is_empty(settings.db_path)
