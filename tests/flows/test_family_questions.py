"""Block F asks less (issue 12): housing, insurance and refusals in one multiple choice, and what the
person already said stands for a salaried sponsor's income source and for the dates of a family that
applies together with a person coming from abroad."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from flows.dialogue import DONE, Dialogue
from flows.questions import QUESTIONS
from flows.session import SUMMARY, build_answers
from tests.flows.personas import ENGINEER_WITH_FAMILY, SINGLE_PERMIT_PARTNER
from tests.flows.scripts import Conversation, Script

TODAY = date(2026, 3, 1)
CHECKS = QUESTIONS["family_checks"]


def conversation(script: Script) -> Conversation:
    return Conversation(Dialogue(today=TODAY), "en").start().play(script)


@pytest.mark.parametrize(
    ("ticked", "written"),
    [
        (["housing", "insurance"], {"housing_ok": "yes", "insurance_ok": "yes", "red_flags": False}),
        (["housing"], {"housing_ok": "yes", "insurance_ok": "no", "red_flags": False}),
        (["insurance", "refusal"], {"housing_ok": "no", "insurance_ok": "yes", "red_flags": True}),
        (["housing", "unsure"], {"housing_ok": "yes", "insurance_ok": "unsure"}),
        (["unsure"], {"housing_ok": "unsure", "insurance_ok": "unsure"}),
        (["refusal", "unsure"], {"housing_ok": "unsure", "insurance_ok": "unsure", "red_flags": True}),
        (["none"], {"housing_ok": "no", "insurance_ok": "no", "red_flags": False}),
    ],
)
def test_one_multiple_choice_writes_the_three_family_conditions(
    ticked: list[str], written: dict[str, Any]
) -> None:
    assert CHECKS.writes(ticked) == written
    assert CHECKS.value_in(written) == ticked  # shown back (summary, back) as ticked


def test_the_checks_are_one_question_and_back_keeps_the_choices() -> None:
    chat = conversation({**ENGINEER_WITH_FAMILY, "family_checks": ["housing", "unsure"]})
    assert chat.asked.count("family_checks") == 1
    assert not {"housing_ok", "insurance_ok", "red_flags"} & set(chat.asked)
    answers = build_answers(chat.state)
    assert (answers.housing_ok, answers.insurance_ok, answers.red_flags) == ("yes", "unsure", None)
    chat.press("section:F")
    chat.press("change:family_checks")
    assert chat.state.current == "family_checks" and chat.state.selection == ["housing", "unsure"]
    chat.press("unsure")  # untick: what is not ticked is now "no"
    chat.press(DONE)
    assert chat.state.current == SUMMARY
    assert (chat.state.answers["insurance_ok"], chat.state.answers["red_flags"]) == ("no", False)


def test_a_single_permit_holder_is_paid_a_salary() -> None:
    chat = conversation(SINGLE_PERMIT_PARTNER)
    assert "income_source" not in chat.asked
    assert build_answers(chat.state).income_source == "employment"


def test_a_family_applying_with_a_worker_from_abroad_is_not_asked_the_worker_dates() -> None:
    chat = conversation(ENGINEER_WITH_FAMILY)
    asked = set(chat.asked)
    assert not {"sponsor_right_date", "worker_visa_date", "family_application_date"} & asked
    answers = build_answers(chat.state)
    assert answers.family_application_date == answers.start_date == date(2026, 9, 1)
    assert answers.sponsor_right_date is None and answers.worker_visa_date is None


def test_a_worker_already_in_belgium_is_asked_when_the_family_applies() -> None:
    chat = conversation({**SINGLE_PERMIT_PARTNER, "family_checks": ["housing", "insurance"]})
    assert "family_application_date" in chat.asked
