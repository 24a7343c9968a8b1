"""Telegram delivers at least once: a redelivered update is never processed twice, and one whose
replies were committed but never sent (the bot stopped in between) gets the current question again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.i18n import text
from tests.telegram.bot_harness import Chat, current_state, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser


async def test_redelivered_updates_are_handled_once(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        user = FakeUser(4001, language_code="en")
        chat = Chat(emu, user)
        await chat.send("/start")
        update = emu.user_sends_text(user, "India")
        await emu.wait_until_idle(timeout=10)
        state = current_state(settings.db_path, user.id)
        assert state is not None and state.current == "current_location"
        sent = len(chat.messages)

        # Delivered already: a duplicate changes nothing and sends nothing.
        emu.redeliver(update["update_id"])
        await emu.wait_until_idle(timeout=10)
        assert len(chat.messages) == sent
        again = current_state(settings.db_path, user.id)
        assert again is not None and again.version == state.version

        # Committed but never sent (crash between commit and send): the question is sent again, once.
        with sqlite3.connect(settings.db_path) as db:
            db.execute(
                "UPDATE processed_updates SET delivered_at = NULL WHERE update_id = ?", [update["update_id"]]
            )
        emu.redeliver(update["update_id"])
        await emu.wait_until_idle(timeout=10)
        resent = chat.messages[sent:]
        assert len(resent) == 1
        assert text("en", "question.current_location.text") in resent[0].text
        assert resent[0].buttons
        emu.redeliver(update["update_id"])
        await emu.wait_until_idle(timeout=10)
        assert len(chat.messages) == sent + 1
