"""Whole conversations with the real bot over HTTP (emulator on 127.0.0.1), asserted on what the
emulator received: a Brussels worker with family, an EU citizen, an HR-invite hire, and a user who
switches language, goes back twice, presses a stale button and sends a sticker."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from bot.i18n import text
from bot.store import SessionStore
from flows.interpret import SKIP
from tests.result.test_result_views import codes_in
from tests.telegram.bot_harness import Chat, Script, current_state, live_question_copies, play, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentDocument, SentMessage

BRUSSELS_FAMILY: Script = {
    "nationalities": "Inde",
    "current_location": "abroad",
    "purposes": ["employee", "bring_family"],
    "dob": "01/05/1990",
    "work_postcode": "1000",
    "employer_type": "belgian_employer",
    "qualification": "higher_ed_3y_plus",
    "salary_month_base": "5 200 €",
    "contract_months": "0",
    "shortage_bxl": "no",
    "shortage_fl": "neither",
    "shortage_wal": "no",
    "job_is_highly_qualified": "yes",
    "special": ["none"],
    "start_date": "01/03/2027",
    "sponsor_type_self": "tcn_limited",
    "sponsor_right_date": "01/02/2027",
    "worker_visa_date": SKIP,
    "family_who": ["spouse", "child_minor"],
    "family_dobs": "15/06/1991, 03/04/2018",
    "family_nationality": "yes",
    "member_relation@0": "spouse",
    "member_dob@0": "15/06/1991",
    "member_nationality@0": "Inde",
    "member_relation_start_date@0": "10/10/2015",
    "member_resident_with_sponsor@0": "no",
    "member_dependent@0": "yes",
    "member_more@0": "yes",
    "member_relation@1": "child_minor",
    "member_dob@1": "03/04/2018",
    "member_nationality@1": "Inde",
    "member_resident_with_sponsor@1": "no",
    "member_dependent@1": "yes",
    "member_more@1": "no",
    "family_application_date": "01/04/2027",
    "sponsor_net_income": "3 900 €",
    "income_source": "employment",
    "family_checks": ["housing", "insurance"],
}


def result_text(chat: Chat, lang: str) -> str:
    """Everything the bot sent from the result's first message on."""
    texts = [m.text for m in chat.messages]
    title = text(lang, "result.title")  # type: ignore[arg-type]
    start = max(i for i, t in enumerate(texts) if t.startswith(title))
    return "\n".join(texts[start:])


def words(message: str) -> int:
    """Words as a reader counts them: punctuation and symbols alone (« », —, €) are not words."""
    return sum(1 for token in message.split() if any(char.isalnum() for char in token))


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_brussels_worker_with_family(
    emu: BotApiEmulator, tmp_path: Path, mode: Literal["polling", "webhook"]
) -> None:
    async with running_bot(emu, tmp_path, mode) as settings:
        chat = Chat(emu, FakeUser(2001, language_code="fr"), settings)
        await chat.send("/start")
        asked = await play(chat, settings.db_path, BRUSSELS_FAMILY)
        result = result_text(chat, "fr")
        assert text("fr", "outcome.route.BLUE_CARD") in result
        assert text("fr", "result.family.FAM_EXOFFICIO") in result
        assert words(result) <= 120, "the first message is short"
        first = chat.last_with_buttons()
        labels = [label for label, _ in first.buttons]
        for name in ("steps", "documents", "why", "pdf", "calendar"):
            assert text("fr", f"result.button.{name}") in labels
        assert all(len(label) <= 30 for label in labels)
        why = await chat.press(text("fr", "result.button.why"), first)
        assert len(why) == 1 and "pas un avis juridique" in why[0].text
        assert any(entity["type"] == "text_link" for entity in why[0].entities), "sources are links"
        [pdf] = [d for d in await _documents(chat, emu, "pdf", first)]
        assert pdf.filename.endswith(".pdf") and pdf.content.startswith(b"%PDF")
        [ics] = [d for d in await _documents(chat, emu, "calendar", first)]
        assert ics.filename.endswith(".ics") and b"BEGIN:VEVENT" in ics.content
        shown = [m.text for m in chat.messages] + [d.caption for d in emu.sent_documents(2001)]
        assert [codes_in(line) for line in shown if codes_in(line)] == [], (
            "no internal code reaches the person"
        )
        assert "salary_year" not in asked  # Brussels compares the monthly base only
        assert "family_who" in asked and "member_relation" not in asked  # the family told at once
        assert "member_more" not in asked
        store = SessionStore(settings.db_path)
        stored = store.load_state("telegram", "2001")
        assert stored is not None and stored.status in ("completed", "needs_review")
        assessment = store.latest_assessment(stored.id)
        outgoing = [line.text for line in store.get_transcript(stored.id) if line.direction == "out"]
        store.close()
        assert any(line.startswith(text("fr", "result.title")) for line in outgoing)
        assert not [line for line in outgoing if "<b>" in line or "&amp;" in line or "&lt;" in line]
        assert assessment is not None and assessment.route_code == "BLUE_CARD"
        assert assessment.family.outcome == "FAM_EXOFFICIO"


async def _documents(chat: Chat, emu: BotApiEmulator, view: str, first: SentMessage) -> list[SentDocument]:
    """Press a result button that sends a file; the files it sent."""
    before = len(emu.sent_documents(chat.user.id))
    await chat.press(text("fr", f"result.button.{view}"), first)
    return emu.sent_documents(chat.user.id)[before:]


async def test_eu_citizen_is_never_asked_for_a_salary(emu: BotApiEmulator, tmp_path: Path) -> None:
    script: Script = {
        **BRUSSELS_FAMILY,
        "nationalities": "Frankrijk",
        "purposes": ["employee"],
        "work_postcode": "9000",
    }
    async with running_bot(emu, tmp_path) as settings:
        chat = Chat(emu, FakeUser(2002, language_code="nl"))
        await chat.send("/start")
        asked = await play(chat, settings.db_path, script)
        assert not {"salary_month_base", "salary_year", "qualification", "employer_type"} & set(asked)
        result = result_text(chat, "nl")
        assert text("nl", "outcome.route.EU_REG") in result
        why = await chat.press(text("nl", "result.button.why"), chat.last_with_buttons())
        assert "geen juridisch advies" in why[0].text


async def test_hr_invite_prefills_the_employer_facts(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        store = SessionStore(settings.db_path)
        token = store.create_invite(
            "Acme Brussels",
            {"work_postcode": "1000", "salary_month_base": 5200.0, "employer_type": "belgian_employer"},
        )
        store.close()
        chat = Chat(emu, FakeUser(2003, language_code="en"))
        first = await chat.send(f"/start {token}")
        assert any("Acme Brussels" in m.text for m in first)
        script: Script = {**BRUSSELS_FAMILY, "nationalities": "Brazil", "purposes": ["employee"]}
        asked = await play(chat, settings.db_path, script)
        assert not {"work_postcode", "salary_month_base", "employer_type"} & set(asked)
        assert text("en", "outcome.route.BLUE_CARD") in result_text(chat, "en")
        store = SessionStore(settings.db_path)
        stored = store.load_state("telegram", "2003")
        store.close()
        assert stored is not None and stored.invite_token == token


async def test_language_switch_back_twice_stale_button_and_sticker(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        db = settings.db_path
        chat = Chat(emu, FakeUser(2004, language_code="en"))
        await chat.send("/start")
        await chat.send("India")
        location_question = chat.last_with_buttons()
        abroad = location_question.callback_data_for(text("en", "question.current_location.option.abroad"))
        await chat.press(text("en", "question.current_location.option.abroad"))
        assert location_question.history, "the answered question's keyboard was removed"
        await chat.press(text("en", "question.purposes.option.employee"))
        await chat.press(text("en", "dialogue.option.done"))
        state = current_state(db, 2004)
        assert state is not None and state.current == "dob"

        await chat.send("/back")
        await chat.send("/back")
        state = current_state(db, 2004)
        assert state is not None and state.current == "current_location"
        assert state.answers["nationalities"] == ["IN"]  # going back loses nothing

        version = state.version
        # A tap replayed from the earlier message (double tap, slow client) is stale: it changes nothing.
        [reply] = await chat.press_data(location_question, abroad)
        assert reply.text.startswith(text("en", "telegram.stale_button"))
        assert text("en", "question.current_location.text") in reply.text, "and the current question"
        assert live_question_copies(chat) == [reply], "only one copy of the question answers"
        replies = await chat.sticker()
        assert replies[0].text == text("en", "telegram.not_text")
        state = current_state(db, 2004)
        assert state is not None and state.current == "current_location" and state.version == version

        await chat.send("/language")
        replies = await chat.press(text("en", "dialogue.language.nl"))
        state = current_state(db, 2004)
        assert state is not None and state.lang == "nl" and state.answers["nationalities"] == ["IN"]
        assert any(text("nl", "question.current_location.text") in m.text for m in replies)

        script: Script = {**BRUSSELS_FAMILY, "purposes": ["employee"], "salary_month_base": "4 000"}
        await play(chat, db, script)
        result = result_text(chat, "nl")
        assert text("nl", "outcome.route.HQ") in result
        assert words(result) <= 120
