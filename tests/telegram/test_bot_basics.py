"""The real bot against the emulator: start, commands, bad input, privacy, deletion, groups."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.i18n import text
from bot.privacy import Controller, privacy_notice
from bot.store import SessionStore
from bot.telegram.app import COMMANDS
from tests.telegram.bot_harness import Chat, live_question_copies, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeChat, FakeUser


async def test_start_registers_localised_commands_and_greets(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path):
        for lang in ("fr", "nl", "en"):
            commands = {c["command"]: c["description"] for c in emu.commands(lang)}
            assert set(commands) == set(COMMANDS)
            assert commands["delete"] == text(lang, "telegram.command.delete")
        chat = Chat(emu, FakeUser(1001, language_code="fr"))
        replies = await chat.send("/start")
        assert replies, "the bot answered /start"
        assert replies[-1].buttons or replies[-1].text  # a first question
        assert any(text("fr", "dialogue.welcome")[:20] in m.text for m in replies)


async def test_sticker_and_forged_button_change_nothing(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(1002, language_code="en"))
        await chat.send("/start")
        store = SessionStore(settings.db_path)
        before = store.load_state("telegram", "1002")
        store.close()
        assert before is not None
        replies = await chat.sticker()
        assert replies[0].text == text("en", "telegram.not_text")
        question = chat.last_with_buttons() if any(m.buttons for m in chat.messages) else chat.messages[-1]
        asked = text("en", "question.nationalities.text")
        for forged in ("g1|999|abcdef|yes", "garbage", "g1|0|zzzzzz|x" * 3, "r1|1|why|0000000000", "m1|on|1"):
            replies = await chat.press_data(question, forged)
            [reply] = replies
            assert reply.text.startswith(text("en", "telegram.stale_button")), "a short notice"
            assert asked in reply.text and reply.buttons, "then the current question, once"
            assert live_question_copies(chat) == [reply], "the earlier copies lost their buttons"
            question = reply
        store = SessionStore(settings.db_path)
        after = store.load_state("telegram", "1002")
        store.close()
        assert after is not None and after.state == before.state


async def test_privacy_then_delete_erases_everything(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(1003, language_code="nl"))
        await chat.send("/start")
        await chat.send("Oezbekistan")  # a distinctive answer, kept until /delete
        files = [settings.db_path, Path(f"{settings.db_path}-wal"), Path(f"{settings.db_path}-shm")]
        assert any(b"Oezbekistan" in f.read_bytes() for f in files if f.exists())
        replies = await chat.send("/privacy")
        notice = privacy_notice("nl", settings.retention_days, Controller())
        assert replies[0].text == notice and "verwerkingsverantwoordelijke" in notice
        replies = await chat.send("/delete")
        assert replies[0].text == text("nl", "telegram.confirm.delete"), "asks before erasing"
        assert any(b"Oezbekistan" in f.read_bytes() for f in files if f.exists()), "nothing erased yet"
        replies = await chat.press(text("nl", "telegram.button.confirm_delete"))
        assert replies[0].text == text("nl", "telegram.deleted")
        assert not any(char.isdigit() for char in replies[0].text), "no record count"
        store = SessionStore(settings.db_path)
        assert store.load_state("telegram", "1003") is None
        store.close()
        for f in files:
            if f.exists():
                assert b"Oezbekistan" not in f.read_bytes(), f"{f.name} still holds the erased answer"


async def test_group_chats_are_refused_politely(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path):
        group = FakeChat(-5001)
        user = FakeUser(1004, language_code="en")
        emu.user_sends_command(user, "/start", chat=group)
        await emu.wait_until_idle(timeout=10)
        sent = emu.sent_messages(group.id)
        assert [m.text for m in sent] == [text("en", "telegram.group_chat")]
        assert emu.sent_messages(user.id) == []


async def test_too_long_message_is_refused_without_losing_anything(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(1005, language_code="en"))
        await chat.send("/start")
        store = SessionStore(settings.db_path)
        before = store.load_state("telegram", "1005")
        store.close()
        replies = await chat.send("x" * 5000)
        assert replies[0].text == text("en", "telegram.too_long", limit=1000)
        store = SessionStore(settings.db_path)
        after = store.load_state("telegram", "1005")
        store.close()
        assert before is not None and after is not None and after.state == before.state


async def test_media_and_edits_get_a_clear_answer_and_change_nothing(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        user = FakeUser(1006, language_code="fr")
        chat = Chat(emu, user)
        await chat.send("/start")
        await chat.send("Inde")
        store = SessionStore(settings.db_path)
        before = store.load_state("telegram", "1006")
        store.close()
        sent_before = len(chat.messages)
        emu.user_sends_photo(user)
        emu.user_sends_voice(user)
        emu.user_sends_document(user, file_name="passport.pdf", content=b"%PDF-1.4 not really a pdf")
        await emu.wait_until_idle(timeout=10)
        replies = chat.messages[sent_before:]
        assert [m.text for m in replies] == [text("fr", "telegram.not_text")] * 3
        store = SessionStore(settings.db_path)
        after = store.load_state("telegram", "1006")
        store.close()
        assert before is not None and after is not None and after.state == before.state


async def test_an_edited_answer_is_explained_not_applied(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        user = FakeUser(1007, language_code="en")
        chat = Chat(emu, user)
        await chat.send("/start")
        original = emu.user_sends_text(user, "India")
        await emu.wait_until_idle(timeout=10)
        sent_before = len(chat.messages)
        emu.user_sends_edited_text(user, original["message"], "Morocco")
        await emu.wait_until_idle(timeout=10)
        assert [m.text for m in chat.messages[sent_before:]] == [text("en", "telegram.edited")]
        store = SessionStore(settings.db_path)
        stored = store.load_state("telegram", "1007")
        store.close()
        assert stored is not None and stored.state["answers"]["nationalities"] == ["IN"]


async def test_the_token_never_reaches_the_logs(
    emu: BotApiEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(emu, tmp_path):
        chat = Chat(emu, FakeUser(1008, language_code="en"))
        await chat.send("/start")
        await chat.send("India")
    secret = emu.token.split(":", 1)[1]
    assert caplog.records, "logging was captured"
    assert not [r for r in caplog.records if secret in r.getMessage()]
