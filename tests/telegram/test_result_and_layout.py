"""The result's buttons and the Telegram layout: detail views from a saved result (also an old
one, or "no longer kept" after /delete), multi-selects edited in place, keyboards removed after a
typed answer, short labels, confirmations before /restart and /delete, control words and unknown
commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.i18n import LANGS, Lang, text
from tests.telegram.bot_harness import Chat, Script, current_state, live_question_copies, play, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentMessage
from tests.telegram.test_bot_conversations import BRUSSELS_FAMILY

EU_WORKER: Script = {
    **BRUSSELS_FAMILY,
    "nationalities": "Frankrijk",
    "purposes": ["employee"],
    "work_postcode": "9000",
}


def result_message(chat: Chat, lang: str) -> SentMessage:
    title = text(lang, "result.title")  # type: ignore[arg-type]
    return next(m for m in reversed(chat.messages) if m.text.startswith(title))


@pytest.mark.parametrize("lang", LANGS)
async def test_after_restart_the_old_result_no_longer_answers_and_is_erased(
    emu: BotApiEmulator, tmp_path: Path, lang: Lang
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(9001, language_code=lang))
        await chat.send("/start")
        if lang != "nl":
            await chat.send("/language")
            await chat.press(text(lang, f"dialogue.language.{lang}"))
        await play(chat, settings.db_path, EU_WORKER)
        first = result_message(chat, lang)
        assert all(len(label) <= 30 for label, _ in first.buttons)
        why_data = first.callback_data_for(text(lang, "result.button.why"))
        [why] = await chat.press(text(lang, "result.button.why"), first)
        assert text(lang, "result.not_advice") in first.text, "a not-legal-advice line with the verdict"
        assert text(lang, "result.heading.why") in why.text and text(lang, "outcome.disclaimer") in why.text

        replies = await chat.send("/restart")
        assert replies[-1].text == text(lang, "telegram.confirm.restart")
        [restarted] = await chat.press(text(lang, "telegram.button.confirm_restart"))
        assert restarted.text.startswith(text(lang, "telegram.restart_erased"))
        state = current_state(settings.db_path, 9001)
        assert state is not None and state.answers == {}, "a new interview"
        assert first.buttons == [], "the old result's buttons are gone"
        assert stored_rows(settings.db_path, "9001") == (1, 0), "exactly true: the earlier result is erased"

        [stale] = await chat.press_data(first, why_data)
        assert stale.text.startswith(text(lang, "telegram.stale_button")), "the old result no longer answers"
        assert text(lang, "result.heading.why") not in stale.text
        assert live_question_copies(chat) == [stale], "the current question, once"

        forged = why_data.rsplit("|", 1)[0] + "|0000000000"
        [forged_reply] = await chat.press_data(first, forged)
        assert forged_reply.text.startswith(text(lang, "telegram.stale_button"))
        assert live_question_copies(chat) == [forged_reply]

        await chat.send("/delete")
        await chat.press(text(lang, "telegram.button.confirm_delete"))
        replies = await chat.press_data(first, why_data)
        assert replies[0].text == text(lang, "result.gone")


def stored_rows(db_path: Path, user_key: str) -> tuple[int, int]:
    """How many sessions, and saved results, the store holds for the user."""
    connection = sqlite3.connect(db_path)
    try:
        ids = [row[0] for row in connection.execute("SELECT id FROM sessions WHERE user_key = ?", [user_key])]
        marks = ",".join("?" * len(ids)) or "NULL"
        results = connection.execute(f"SELECT count(*) FROM assessments WHERE session_id IN ({marks})", ids)
        return len(ids), int(results.fetchone()[0])
    finally:
        connection.close()


async def test_multi_select_edits_its_own_message(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(9002, language_code="en"))
        await chat.send("/start")
        await chat.send("India")
        await chat.press(text("en", "question.current_location.option.abroad"))
        question = chat.last_with_buttons()
        employee = text("en", "question.purposes.option.employee")
        replies = await chat.press(employee, question)
        assert replies == [], "no new message: the question was edited"
        assert question.history and f"✓ {employee}" in [label for label, _ in question.buttons]
        replies = await chat.press(text("en", "question.purposes.option.bring_family"), question)
        assert replies == []
        await chat.press(text("en", "dialogue.option.done"), question)
        assert question.buttons == [], "answered: its buttons are gone"
        state = current_state(settings.db_path, 9002)
        assert state is not None and state.answers["purposes"] == ["employee", "bring_family"]


async def test_a_typed_answer_removes_the_previous_keyboard(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(9003, language_code="fr"))
        await chat.send("/start")
        await chat.send("Inde")
        question = chat.last_with_buttons()
        await chat.send(text("fr", "question.current_location.option.abroad"))
        assert question.buttons == [], "the keyboard of the answered question is removed"
        state = current_state(settings.db_path, 9003)
        assert state is not None and state.answers["current_location"] == "abroad"


async def test_restart_asks_first_and_no_keeps_everything(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(9004, language_code="en"))
        await chat.send("/start")
        await chat.send("India")
        replies = await chat.send("restart")
        assert replies[-1].text == text("en", "telegram.confirm.restart")
        replies = await chat.press(text("en", "telegram.button.cancel"))
        assert replies[0].text.startswith(text("en", "telegram.confirm.kept"))
        state = current_state(settings.db_path, 9004)
        assert state is not None and state.answers["nationalities"] == ["IN"]


async def test_delete_asks_first_and_no_keeps_everything(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(9005, language_code="fr"))
        await chat.send("/start")
        await chat.send("Inde")
        await chat.send("/delete")
        await chat.press(text("fr", "telegram.button.cancel"))
        state = current_state(settings.db_path, 9005)
        assert state is not None and state.answers["nationalities"] == ["IN"]


async def test_help_words_and_unknown_commands(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(9006, language_code="fr"))
        welcome = await chat.send("/start")
        assert any(text("fr", "telegram.welcome_hint") in m.text for m in welcome)
        replies = await chat.send("aide")
        assert any(text("fr", "telegram.help_commands") in m.text for m in replies)
        assert all("« retour »" not in m.text for m in replies), "no console words on Telegram"
        state = current_state(settings.db_path, 9006)
        assert state is not None and "nationalities" not in state.answers, "'aide' is not a country"
        replies = await chat.send("/foo")
        assert replies[0].text.startswith(text("fr", "telegram.unknown_command", command="/foo"))
        assert "/back" in replies[0].text
        state = current_state(settings.db_path, 9006)
        assert state is not None and "nationalities" not in state.answers, "'/foo' is not an answer"
