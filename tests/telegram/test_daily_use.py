"""A result and a chat that hold up in daily use (issue 23), against the real Application and the
emulator, in French, Dutch and English: every step reachable in pages, the files with their chat
action, /help that keeps the result and the lists alone, the choice shown under its question, a
dead invite that starts the interview, and no code, version or count anywhere a person looks."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from bot.i18n import LANGS, Lang, text
from bot.result import build_view, eur
from bot.store import SessionStore
from tests.result.test_result_views import codes_in
from tests.telegram.bot_harness import (
    TODAY,
    Chat,
    Script,
    current_state,
    live_question_copies,
    play,
    running_bot,
)
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentMessage
from tests.telegram.test_bot_conversations import BRUSSELS_FAMILY

VERSION = re.compile(r"\b\d{4}\.\d{2}-v\d+\b|\bv\d+\.\d+")
COUNT = re.compile(r"\(\d+ (?:records|éléments|elementen)\)")


def person_sees(chat: Chat, emu: BotApiEmulator) -> list[str]:
    """Every text the person was shown: messages (as they stand now and as first sent), button
    labels, file captions, and the files' own text (the PDF's, the calendar's)."""
    shown: list[str] = []
    for message in chat.messages:
        shown += [
            message.text,
            *(label for label, _ in message.buttons),
            *(old for old, _ in message.history),
        ]
    for document in emu.sent_documents(chat.user.id):
        shown.append(document.caption or "")
        if document.filename.endswith(".pdf"):
            shown += [page.extract_text() for page in PdfReader(io.BytesIO(document.content)).pages]
        if document.filename.endswith(".ics"):
            calendar = Calendar.from_ical(document.content)
            shown += [
                str(part.get(name, "")) for part in calendar.walk() for name in ("SUMMARY", "DESCRIPTION")
            ]
    return shown


def assert_nothing_internal(shown: list[str]) -> None:
    for line in shown:
        assert codes_in(line) == [], line
        assert not VERSION.search(line), f"a version string: {line}"
        assert not COUNT.search(line), f"a record count: {line}"


def assert_labels_fit(chat: Chat) -> None:
    """Every button the person was shown fits a phone and is never cut to a look-alike."""
    for message in chat.messages:
        for markup in [message.reply_markup, *(old for _, old in message.history)]:
            for row in (markup or {}).get("inline_keyboard", []):
                for button in row:
                    label = button["text"]
                    assert len(label) <= 30 and "…" not in label, label


def result_of(chat: Chat, lang: Lang) -> SentMessage:
    return next(m for m in reversed(chat.messages) if m.text.startswith(text(lang, "result.title")))


@pytest.mark.parametrize("lang", LANGS)
async def test_a_family_result_every_step_files_help_and_lists(
    emu: BotApiEmulator, tmp_path: Path, lang: Lang
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        user = 5100 + LANGS.index(lang)
        chat = Chat(emu, FakeUser(user, language_code=lang), settings)
        await chat.send("/start")
        await play(chat, settings.db_path, BRUSSELS_FAMILY)
        first = result_of(chat, lang)
        assert text(lang, "result.not_advice") in first.text, "a not-legal-advice line with the verdict"
        assert live_question_copies(chat) == [first], "no earlier question still answers"

        store = SessionStore(settings.db_path)
        stored = store.load_state("telegram", str(user))
        assert stored is not None
        saved = store.latest_assessment(stored.id)
        store.close()
        assert saved is not None
        view = build_view(saved, lang, today=TODAY)

        # every step, in pages, each with its detail and fee
        page = (await chat.press(text(lang, "result.button.steps"), first))[-1]
        pages = [page]
        while any(label == text(lang, "result.button.next_page") for label, _ in page.buttons):
            page = (await chat.press(text(lang, "result.button.next_page"), page))[-1]
            pages.append(page)
        assert len(pages) > 1, "the family's steps take more than one message"
        steps = "\n".join(p.text for p in pages)
        for step in view.steps:
            assert step.title in steps, step.title
            assert step.detail is None or step.detail in steps
            assert step.fee is None or step.fee in steps
        assert text(lang, "result.truncated") not in steps
        back = (await chat.press(text(lang, "result.button.previous_page"), pages[-1]))[-1]
        assert back.text == pages[-2].text

        # the PDF is announced with "sending a file…"
        before = len(emu.sent_documents(user))
        calls = len(emu.calls())
        await chat.press(text(lang, "result.button.pdf"), first)
        [pdf] = emu.sent_documents(user)[before:]
        methods = [call.method.lower() for call in emu.calls()[calls:]]
        assert "sendchataction" in methods and methods.index("sendchataction") < methods.index("senddocument")
        actions = [call.params.get("action") for call in emu.calls("sendChatAction")]
        assert "upload_document" in actions
        pdf_text = " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
        )
        assert text(lang, "result.pdf.about") in pdf_text, "whose situation it is"
        await chat.press(text(lang, "result.button.calendar"), first)
        await chat.press(text(lang, "result.button.documents"), first)
        await chat.press(text(lang, "result.button.why"), first)

        # reminders, then /help: the result is not sent again and the list keeps its buttons
        await chat.press(text(lang, "reminders.button.opt_in"), first)
        [listing] = await chat.send("/reminders")
        cancel = [label for label, data in listing.buttons if (data or "").startswith("m1|x|")]
        assert cancel, "a cancel button per reminder"
        helped = await chat.send("/help")
        assert helped and not any(m.text.startswith(text(lang, "result.title")) for m in helped)
        assert text(lang, "telegram.help_commands") in helped[-1].text
        assert listing.buttons, "/help leaves the /reminders list usable"
        assert first.buttons, "and the result's buttons"
        [after] = await chat.press(cancel[0], listing)
        assert text(lang, "reminders.cancelled") in after.text

        assert_nothing_internal(person_sees(chat, emu))
        assert_labels_fit(chat)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("how", ["revoked", "expired"])
async def test_a_dead_invite_starts_the_usual_interview(
    emu: BotApiEmulator, tmp_path: Path, lang: Lang, how: str
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        store = SessionStore(settings.db_path)
        expires = datetime.now(UTC) - timedelta(days=1) if how == "expired" else None
        token = store.create_invite("Acme", {"work_postcode": "1000"}, expires_at=expires)
        if how == "revoked":
            store.revoke_invite(token)
        store.close()
        user = 5200 + LANGS.index(lang) + (10 if how == "expired" else 0)
        chat = Chat(emu, FakeUser(user, language_code=lang), settings)
        [reply] = await chat.send(f"/start {token}")
        assert reply.text.startswith(text(lang, "telegram.invite_invalid"))
        assert text(lang, "question.nationalities.text") in reply.text, "the first question follows"
        [answered] = await chat.send("India")  # not swallowed: it answers the question
        state = current_state(settings.db_path, user)
        assert state is not None and state.answers.get("nationalities") == ["IN"]

        # a single choice leaves the choice in the chat, under its question
        label = text(lang, "question.current_location.option.abroad")
        await chat.press(label, answered)
        assert answered.buttons == [] and answered.text.endswith(f"✓ {label}")
        assert_nothing_internal(person_sees(chat, emu))
        assert_labels_fit(chat)


STUDENT_SHORT: Script = {
    "nationalities": "Cameroon",
    "current_location": "abroad",
    "purposes": ["study"],
    "dob": "01/01/2004",
    "study_admitted": "yes",
    "academic_year": "2026-2027",
    "means_type": "blocked_account",
    "means_month": "800",
}


@pytest.mark.parametrize("lang", LANGS)
async def test_a_student_short_of_the_means_is_told_the_shortfall(
    emu: BotApiEmulator, tmp_path: Path, lang: Lang
) -> None:
    """Issue 25 item 6, in the chat: the student route and the 262 € missing, not "no route yet"."""
    async with running_bot(emu, tmp_path) as settings:
        user = 5300 + LANGS.index(lang)
        chat = Chat(emu, FakeUser(user, language_code=lang), settings)
        await chat.send("/start")
        await play(chat, settings.db_path, STUDENT_SHORT)
        first = result_of(chat, lang)
        route = text(lang, "outcome.route.STUDENT")
        assert text(lang, "result.verdict.closest", route=route) in first.text
        assert text(lang, "result.verdict.no_route") not in first.text
        gap = eur(262, lang)
        means = text(lang, "result.basis.means_below", given=eur(800, lang), needed=eur(1062, lang), gap=gap)
        assert means in first.text, first.text
        [why] = await chat.press(text(lang, "result.button.why"), first)
        assert gap in why.text and text(lang, "route.reason.no_route") not in why.text
        assert_nothing_internal(person_sees(chat, emu))
        assert_labels_fit(chat)


def first_answer_button(message: SentMessage) -> str | None:
    """The callback data of an answer button the message carried when it was first sent."""
    for markup in [*(old for _, old in message.history), message.reply_markup]:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if str(button.get("callback_data", "")).startswith("g1|"):
                    return str(button["callback_data"])
    return None


@pytest.mark.parametrize("lang", LANGS)
async def test_a_stale_press_after_every_answer_gets_the_question_once(
    emu: BotApiEmulator, tmp_path: Path, lang: Lang
) -> None:
    """After each answer, the button just answered is pressed again (a double tap, a slow client):
    a short notice and the current question, never a second live copy, nothing changed."""
    from flows.interpret import choices
    from flows.questions import QUESTIONS
    from flows.session import PREFILL, RESULT, SUMMARY
    from tests.telegram.test_result_and_layout import EU_WORKER

    async with running_bot(emu, tmp_path) as settings:
        user = 5400 + LANGS.index(lang)
        chat = Chat(emu, FakeUser(user, language_code=lang), settings)
        await chat.send("/start")
        for _ in range(40):
            state = current_state(settings.db_path, user)
            assert state is not None
            if state.current == RESULT:
                break
            asked = chat.last_with_buttons()
            if state.current in (SUMMARY, PREFILL):
                label = text(
                    lang, "dialogue.summary.confirm" if state.current == SUMMARY else "dialogue.answer.yes"
                )
                await chat.press(label)
            else:
                question = QUESTIONS[state.current]
                value = EU_WORKER[state.current]
                labels = {option.value: text(lang, option.key) for option in choices(question)}
                if question.kind == "multi_choice":
                    for item in value:
                        await chat.press(labels[item])
                    await chat.press(text(lang, "dialogue.option.done"))
                elif isinstance(value, str) and value in labels:
                    await chat.press(labels[value])
                else:
                    assert isinstance(value, str)
                    await chat.send(value)
            moved = current_state(settings.db_path, user)
            assert moved is not None and moved.version != state.version
            stale_data = first_answer_button(asked)
            assert stale_data is not None, "every question came with buttons"
            replies = await chat.press_data(asked, stale_data)
            assert replies[0].text.startswith(text(lang, "telegram.stale_button")), replies[0].text
            assert len(live_question_copies(chat)) == 1, "one live copy of the question"
            after = current_state(settings.db_path, user)
            assert after is not None and after.version == moved.version, "the stale press changed nothing"
        assert current_state(settings.db_path, user).current == RESULT  # type: ignore[union-attr]
        assert_nothing_internal(person_sees(chat, emu))
        assert_labels_fit(chat)


@pytest.mark.parametrize("index", range(6))
async def test_each_persona_plays_through_with_nothing_internal_and_nothing_dangling(
    emu: BotApiEmulator, tmp_path: Path, index: int
) -> None:
    """The six personas of the interview, each in one of the three languages: every detail view,
    a forged press on the result and /help, with no code, version, count or cut label anywhere."""
    from tests.flows.personas import PERSONAS

    persona, lang = PERSONAS[index], LANGS[index % len(LANGS)]
    async with running_bot(emu, tmp_path) as settings:
        user = 5500 + index
        chat = Chat(emu, FakeUser(user, language_code=lang), settings)
        await chat.send("/start")
        await play(chat, settings.db_path, persona.script)
        first = result_of(chat, lang)
        for name in ("steps", "documents", "why"):
            label = text(lang, f"result.button.{name}")
            if any(shown == label for shown, _ in first.buttons):
                replies = await chat.press(label, first)
                assert replies and all(reply.text for reply in replies), f"{name}: an answer"
        notice, again = await chat.press_data(first, "zz|forged")
        assert notice.text == text(lang, "telegram.stale_button")
        assert again.text.startswith(text(lang, "result.title")) and first.buttons == []
        assert live_question_copies(chat) == [again]
        helped = await chat.send("/help")
        assert not any(m.text.startswith(text(lang, "result.title")) for m in helped)
        assert again.buttons, "/help leaves the result's buttons"
        assert_nothing_internal(person_sees(chat, emu))
        assert_labels_fit(chat)
