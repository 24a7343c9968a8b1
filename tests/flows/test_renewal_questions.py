"""The renewal questions (issue 22): asked when the engine's ``renewal_questions_matter`` holds —
a person in Belgium on a family card asking about their family residence — and only then."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

import flows.dispatch as dispatch_module
from flows.dialogue import ChoiceInput, Dialogue, TextInput, Turn
from flows.interpret import Reading
from flows.questions import MEMBER_QUESTIONS, QUESTIONS
from flows.session import RESULT, SUMMARY

RENEWING: dict[str, Any] = {
    "nationalities": ["MA"],
    "current_location": "belgium",
    "card_type": "A-family-reunification",
    "card_expiry": "2027-03-01",
    "purposes": ["join_family"],
    "sponsor_type": "tcn_limited",
    "member_relation": "spouse",
    "member_resident_with_sponsor": False,
    "member_more": False,
    "residence_granted_on": "2025-10-01",
    "residence_rule_set": "OLD",
    "family_application_date": "2027-01-05",
    "sponsor_net_income": 2700,
    "income_source": "employment",
    "family_checks": ["housing_ok", "insurance_ok"],
    "red_flags": False,
    "sponsor_right_date": "2021-03-01",
}


def walk(answers: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questions put, answering each from ``answers`` until the summary (or a gap)."""
    monkeypatch.setattr(
        dispatch_module, "read_text", lambda question, words, *context: Reading(value=json.loads(words))
    )
    dialogue = Dialogue(today=date(2026, 12, 7))
    turn: Turn = dialogue.start("en")
    asked: list[str] = []
    for _ in range(60):
        state = turn.state
        current = state.current
        if current in (SUMMARY, RESULT) or current not in answers:
            asked.append(f"<{current}>")
            break
        asked.append(current)
        value = answers[current]
        question = QUESTIONS[current]
        if question.kind in ("choice", "yes_no", "yes_no_unsure"):
            option = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            ref = f"{current}@{state.member_index}" if current in MEMBER_QUESTIONS else current
            turn = dialogue.handle(state, ChoiceInput(ref, str(option), state.version))
        else:
            turn = dialogue.handle(state, TextInput(json.dumps(value)))
    return asked


def test_a_family_card_holder_in_belgium_is_asked_the_renewal_questions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Granted in the transition period and 2 200 EUR (enough under the former rules, not the new
    ones): the date and the rules of the grant both matter."""
    asked = walk({**RENEWING, "sponsor_net_income": 2200}, monkeypatch)
    assert {"card_expiry", "residence_granted_on", "residence_rule_set", "<summary>"} <= set(asked)
    assert not {"worker_visa_date", "sponsor_category"} & set(asked)  # a renewal needs no visa


def test_a_grant_before_the_reform_needs_no_question_about_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = walk({**RENEWING, "residence_granted_on": "2024-03-01", "sponsor_net_income": 2200}, monkeypatch)
    assert "residence_granted_on" in asked and "residence_rule_set" not in asked


def test_joining_from_abroad_is_not_a_renewal(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {**RENEWING, "current_location": "abroad"}
    asked = walk(answers, monkeypatch)
    assert "purposes" in asked
    assert not {"residence_granted_on", "residence_rule_set"} & set(asked)


SECOND_PERSON = {"fr": {"vous", "votre", "vos"}, "nl": {"u", "uw"}, "en": {"you", "your"}}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_renewal_questions_speak_to_the_person(lang: str) -> None:
    from bot.i18n import text

    for qid in ("residence_granted_on", "residence_rule_set"):
        sentence = text(lang, f"question.{qid}.text")  # type: ignore[arg-type]
        words = set(sentence.lower().replace("?", " ").replace(",", " ").split())
        assert len(sentence) < 200 and words & SECOND_PERSON[lang]
