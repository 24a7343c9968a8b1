"""The interview asks what the engine needs (issue 20): the five cases of the issue, each played in
French, Dutch and English, and the invariant that no result lists as missing a field the interview
could have asked (unless the person said "I don't know")."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from typing import Any

import pytest

from bot.cli import main
from bot.engine import Assessment, assess
from bot.i18n import LANGS, Lang
from flows.dialogue import Dialogue
from flows.session import build_answers
from tests.flows.personas import (
    ENGINEER_WITH_FAMILY,
    EU_CITIZEN_WITH_SPOUSE,
    JOINING_RESEARCHER,
    LONG_TERM_RESIDENT,
    PERSONAS,
    Persona,
    unanswerable_missing,
)
from tests.flows.scripts import Conversation, Script

TODAY = date(2026, 3, 1)


def played(script: Script, lang: Lang = "en") -> tuple[Conversation, Assessment]:
    chat = Conversation(Dialogue(today=TODAY), lang).start().play(script)
    return chat, assess(build_answers(chat.state), on=TODAY)


def member_outcomes(assessment: Assessment) -> list[str]:
    return [member.outcome for member in assessment.family.members]


@pytest.mark.parametrize("lang", LANGS)
def test_a_family_following_later_gets_no_visa_from_the_embassy(lang: Lang) -> None:
    together, first = played({**ENGINEER_WITH_FAMILY, "family_timing": "together"}, lang)
    later, second = played(
        {**ENGINEER_WITH_FAMILY, "family_timing": "later", "family_application_date": "01/06/2027"}, lang
    )
    assert "family_timing" in together.asked and "family_application_date" not in together.asked
    assert set(member_outcomes(first)) == {"FAM_EXOFFICIO"}
    assert "family_application_date" in later.asked  # a date, since it matters
    assert set(member_outcomes(second)) == {"FAM_OE"}  # through the Immigration Office


@pytest.mark.parametrize("lang", LANGS)
def test_a_person_joining_a_relative_is_asked_every_fact_about_the_relative(lang: Lang) -> None:
    chat, assessment = played(JOINING_RESEARCHER, lang)
    assert {"sponsor_dob", "sponsor_right_date", "member_relation_start_date@0"} <= set(chat.asked)
    assert assessment.missing == []
    assert assessment.family.outcome != "FAM_REVIEW"
    asking = (
        Conversation(Dialogue(today=TODAY), lang).start().play(JOINING_RESEARCHER, until="sponsor_right_date")
    )
    assert asking.turn is not None
    keys = {message.key for message in asking.turn.replies[-1].messages}
    assert "question.sponsor_right_date.text_joining" in keys  # "your relative", not "you"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("dependent", "outcome"), [("yes", "FAM_REVIEW"), ("no", "FAM_NOT_ELIGIBLE")])
def test_the_dependency_of_a_disabled_adult_child_of_an_eu_citizen_is_asked(
    lang: Lang, dependent: str, outcome: str
) -> None:
    script = {
        **EU_CITIZEN_WITH_SPOUSE,
        "family_who": ["child_adult_disabled"],
        "family_dobs": "12/12/2000",
        "member_dependent": dependent,
    }
    chat, assessment = played(script, lang)
    assert "member_dependent@0" in chat.asked
    assert member_outcomes(assessment) == [outcome]


def _cli_assessment(answers: dict[str, Any]) -> dict[str, Any]:
    out = io.StringIO()
    old = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(json.dumps(answers)), out
    try:
        assert main(["assess", "-", "--on", TODAY.isoformat()]) == 0
    finally:
        sys.stdin, sys.stdout = old
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.parametrize("lang", LANGS)
def test_guichet_assess_and_the_chat_agree_on_the_same_facts(lang: Lang) -> None:
    chat, assessment = played(ENGINEER_WITH_FAMILY, lang)
    facts = build_answers(chat.state).model_dump(mode="json", exclude_none=True)
    assert "income_source" not in facts  # not asked, not written by the chat either
    cli = _cli_assessment(facts)
    assert "income_source" not in cli["missing"]
    assert cli["missing"] == assessment.missing
    assert cli["family"]["outcome"] == assessment.family.outcome
    assert cli["route_code"] == assessment.route_code


@pytest.mark.parametrize("lang", LANGS)
def test_a_person_asking_for_a_long_term_stay_gets_it_as_the_verdict(lang: Lang) -> None:
    _, assessment = played(LONG_TERM_RESIDENT, lang)
    statuses = {route.code: route.status for route in assessment.routes}
    assert statuses["UNLIMITED"] == statuses["LTR"] == "eligible"
    assert assessment.route_code == "LTR"


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_no_persona_ends_missing_a_fact_the_interview_could_ask(persona: Persona) -> None:
    chat, assessment = played(persona.script)
    assert unanswerable_missing(chat.state.answers, assessment.missing) == []
