"""Block F asks less (issue 12): housing, insurance and refusals in one multiple choice, and what the
person already said stands for a salaried sponsor's income source and for the dates of a family that
applies together with a person coming from abroad."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import with_derived_fields
from flows.dialogue import DONE, Dialogue
from flows.interpret import read_text
from flows.parsing import parse_dates
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
    assert build_answers(chat.state).income_source is None  # the engine derives it, for every channel
    assert with_derived_fields(build_answers(chat.state)).income_source == "employment"


def test_a_family_applying_with_a_worker_from_abroad_is_not_asked_the_worker_dates() -> None:
    chat = conversation(ENGINEER_WITH_FAMILY)
    asked = set(chat.asked)
    assert not {"sponsor_right_date", "worker_visa_date", "family_application_date"} & asked
    answers = with_derived_fields(build_answers(chat.state))
    assert answers.family_application_date == answers.start_date == date(2026, 9, 1)
    assert answers.sponsor_right_date is None and answers.worker_visa_date is None


def test_a_worker_already_in_belgium_is_asked_when_the_family_applies() -> None:
    chat = conversation({**SINGLE_PERMIT_PARTNER, "family_checks": ["housing", "insurance"]})
    assert "family_application_date" in chat.asked


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("15/06/1991, 03/04/2018 et 09/09/2021", ["1991-06-15", "2018-04-03", "2021-09-09"]),
        ("15/06/1991 03/04/2018", ["1991-06-15", "2018-04-03"]),
        ("15 juin 1991 en 3 april 2018", ["1991-06-15", "2018-04-03"]),
        ("June 15, 1991; 3 April 2018", ["1991-06-15", "2018-04-03"]),
    ],
)
def test_several_dates_at_once(typed: str, days: list[str]) -> None:
    parsed = parse_dates(typed, "en", earliest=date(1900, 1, 1), latest=TODAY, today=TODAY)
    assert [day.isoformat() for day in parsed.value or []] == days


def test_one_date_not_understood_refuses_them_all() -> None:
    parsed = parse_dates("15/06/1991, 31/02/2018", "fr", earliest=date(1900, 1, 1), latest=TODAY)
    assert parsed.value is None and parsed.error is not None


def test_the_children_are_as_many_as_the_dates_left() -> None:
    chat = Conversation(Dialogue(today=TODAY), "fr").start().play(ENGINEER_WITH_FAMILY, until="family_dobs")
    turn = chat.say("15/06/1991")  # the spouse's only: no child
    assert turn.replies[0].messages[0].key == "dialogue.error.dates_at_least"
    assert turn.replies[0].messages[0].params["count"] == 2 and chat.state.current == "family_dobs"
    chat.say("15/06/1991, 03/04/2018, 09/09/2021 et 01/01/2024")
    members = chat.state.answers["members"]
    assert [(m["relation"], m["dob"]) for m in members] == [
        ("spouse", "1991-06-15"),
        ("child_minor", "2018-04-03"),
        ("child_minor", "2021-09-09"),
        ("child_minor", "2024-01-01"),
    ]
    chat.play(ENGINEER_WITH_FAMILY)
    assert {m["nationality"] for m in chat.state.members} == {"IN"}  # "the same as you"
    assert len(build_answers(chat.state).members or []) == 4


def test_without_children_one_date_per_person() -> None:
    chat = conversation({**ENGINEER_WITH_FAMILY, "family_who": ["spouse"], "family_dobs": "15/06/1991"})
    assert [m["relation"] for m in chat.state.members] == ["spouse"]
    again = Conversation(Dialogue(today=TODAY), "en").start()
    again.play({**ENGINEER_WITH_FAMILY, "family_who": ["spouse", "parent"]}, until="family_dobs")
    turn = again.say("15/06/1991")
    assert turn.replies[0].messages[0].key == "dialogue.error.dates_exactly"


def test_who_comes_in_the_persons_own_words() -> None:
    chat = Conversation(Dialogue(today=TODAY), "fr").start().play(ENGINEER_WITH_FAMILY, until="family_who")
    chat.say("ma femme")
    assert chat.state.current == "family_dobs"
    assert [m["relation"] for m in chat.state.members] == ["spouse"]


def test_changing_who_comes_keeps_what_was_said_of_the_others() -> None:
    chat = conversation(ENGINEER_WITH_FAMILY)
    spouse = dict(chat.state.members[0])
    state = chat.state.model_copy(deep=True)
    updated = QUESTIONS["family_who"].members_update
    assert updated is not None
    members = updated(["spouse", "parent"], state.members, state.answers)
    assert members == [spouse, {"relation": "parent"}]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.dates(min_value=date(1930, 1, 1), max_value=TODAY), min_size=1, max_size=6),
    st.sampled_from([", ", " ; ", " et ", " and ", " en ", " ", "\n"]),
)
def test_dates_typed_in_a_row_come_back_in_order(days: list[date], between: str) -> None:
    typed = between.join(day.strftime("%d/%m/%Y") for day in days)
    parsed = parse_dates(typed, "fr", earliest=date(1900, 1, 1), latest=TODAY, today=TODAY)
    assert parsed.value == days


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_anything_typed_as_dates_gives_dates_or_an_error(typed: str) -> None:
    parsed = parse_dates(typed, "en", earliest=date(1900, 1, 1), latest=TODAY, today=TODAY)
    assert (parsed.value is None) != (parsed.error is None)


@pytest.mark.parametrize(
    ("lang", "qid", "typed", "value"),
    [
        ("fr", "family_checks", "je sais pas", ["unsure"]),
        ("nl", "family_checks", "weet ik niet", ["unsure"]),
        ("en", "family_checks", "1, 2", ["housing", "insurance"]),
        ("en", "family_checks", "5", ["none"]),
        ("fr", "family_who", "ma femme", ["spouse"]),
        ("nl", "family_who", "mijn vrouw, mijn vader", ["spouse", "parent"]),
        ("en", "family_who", "my husband and my mother", ["spouse", "parent"]),
        ("nl", "family_dobs", "15 juni 1991 en 3 april 2018", ["1991-06-15", "2018-04-03"]),
    ],
)
def test_the_family_questions_read_what_people_type(lang: str, qid: str, typed: str, value: Any) -> None:
    reading = read_text(QUESTIONS[qid], typed, lang, TODAY)  # type: ignore[arg-type]
    assert reading.value == value
