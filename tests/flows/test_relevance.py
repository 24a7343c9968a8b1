"""flows.relevance: a question declared ``only_if_it_matters`` is asked only when one of its answers
changes the result; back, change and resume keep working around the questions passed over."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

import flows.machine as machine
from flows.dialogue import Command, Dialogue
from flows.machine import next_position
from flows.questions import QUESTIONS
from flows.relevance import known_before, worth_asking
from flows.session import SUMMARY, SessionState
from tests.flows.personas import BRUSSELS_ENGINEER, ENGINEER_WITH_FAMILY
from tests.flows.scripts import Conversation, Script

TODAY = date(2026, 3, 1)


def conversation(script: Script, until: str | None = None) -> Conversation:
    return Conversation(Dialogue(today=TODAY), "en").start().play(script, until=until)


def test_the_shortage_list_is_not_asked_once_the_blue_card_is_met() -> None:
    met = conversation(BRUSSELS_ENGINEER)
    assert "shortage_bxl" not in met.asked and "special" not in met.asked
    below = conversation({**BRUSSELS_ENGINEER, "salary_month_base": "2600"})
    assert "shortage_bxl" in below.asked and "special" in below.asked


def test_a_salaried_sponsor_is_not_asked_where_the_income_comes_from_nor_their_status() -> None:
    family = conversation(ENGINEER_WITH_FAMILY)
    assert "income_source" not in family.asked and "sponsor_type_self" not in family.asked
    assert family.state.answers.get("purposes") == ["employee", "bring_family"]


def test_the_verdict_reads_only_what_came_before_the_question() -> None:
    state = conversation(BRUSSELS_ENGINEER).state
    question = QUESTIONS["shortage_bxl"]
    before = known_before(question, state, None, TODAY)
    later = SessionState.model_validate({**state.to_dict(), "answers": {**state.answers, "red_flags": True}})
    assert known_before(question, later, None, TODAY) == before
    assert "start_date" in before and "on_list.ACTIRIS" not in before
    assert worth_asking(question, state, None, TODAY) is False


def test_change_from_the_summary_asks_what_now_matters() -> None:
    chat = conversation(BRUSSELS_ENGINEER)
    assert chat.state.current == SUMMARY
    chat.press("section:B")
    chat.press("change:salary_month_base")
    chat.say("2600")
    assert chat.state.current == "shortage_bxl"
    chat.play({**BRUSSELS_ENGINEER, "salary_month_base": "2600"})
    assert chat.state.current == SUMMARY
    assert chat.state.answers["on_list.ACTIRIS"] == "no"


def test_back_steps_over_the_questions_passed_over() -> None:
    chat = conversation(BRUSSELS_ENGINEER)
    turn = chat.dialogue.handle(chat.state, Command("back"))
    assert turn.state.current == "start_date"  # not the special categories, never asked
    resumed = Dialogue(today=TODAY).resume(
        SessionState.from_dict(json.loads(json.dumps(turn.state.to_dict())))
    )
    assert resumed.state.current == "start_date"


def test_a_question_passed_over_is_asked_before_the_summary_if_a_later_answer_makes_it_matter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def only_at_the_end(
        question: Any, state: Any, index: Any, today: Any, *, everything: bool = False
    ) -> bool:
        return everything or question.id != "start_date"

    monkeypatch.setattr(machine, "worth_asking", only_at_the_end)
    chat = conversation(BRUSSELS_ENGINEER)
    assert chat.asked[-1] == "start_date"
    assert chat.asked.index("start_date") > chat.asked.index("contract_months")
    assert next_position(chat.state, TODAY).state == SUMMARY
