"""The shared transitions machine admits exactly the moves declared in ``TRIGGERS``, and its
``advance`` transitions route the interview."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.machine import STATES, TRIGGERS, IllegalMove, is_declared_move, machine, move, next_position
from flows.question_types import Group
from flows.questions import FLOW, QUESTIONS
from flows.session import PREFILL, RESULT, SUMMARY, SessionState


@settings(max_examples=400, deadline=None)
@given(
    current=st.sampled_from(STATES),
    trigger=st.sampled_from(sorted(TRIGGERS)),
    target=st.sampled_from(STATES),
)
def test_a_move_is_allowed_exactly_when_declared(current: str, trigger: str, target: str) -> None:
    sources, destinations = TRIGGERS[trigger]
    declared = current in sources and target in destinations
    assert is_declared_move(current, trigger, target) is declared
    if declared:
        assert move(current, trigger, target) == target
    else:
        with pytest.raises(IllegalMove):
            move(current, trigger, target)


def test_remembered_verdicts_do_not_leak_between_moves() -> None:
    assert move(SUMMARY, "finish", RESULT) == RESULT
    with pytest.raises(IllegalMove):
        move(RESULT, "finish", RESULT)
    with pytest.raises(IllegalMove):
        move("no-such-state", "advance", SUMMARY)
    assert move(SUMMARY, "finish", RESULT) == RESULT


def test_advance_tries_the_declared_questions_in_flow_order_under_their_conditions() -> None:
    """Issue 20: the machine is built from the declaration, its guards the questions' conditions."""
    order = [
        q.id for step in FLOW for q in ((*step.questions, step.more) if isinstance(step, Group) else (step,))
    ]
    tried = machine().events["advance"].transitions["nationalities"]
    assert [t.dest for t in tried] == [PREFILL, *order, *order, SUMMARY]
    named = {t.dest: t.conditions[0].func.__name__ for t in tried[1 : len(order) + 1]}  # type: ignore[union-attr]
    assert named == {q.id: q.condition.__name__ for q in QUESTIONS.values()}


def test_the_machine_decides_where_advance_leads() -> None:
    state = SessionState(lang="en", current="nationalities", answers={"nationalities": ["FR"]})
    assert next_position(state, date(2026, 3, 1)).state == "current_location"
    state.answers.update({"current_location": "belgium", "purposes": ["employee"]})
    assert next_position(state, date(2026, 3, 1)).state == SUMMARY  # an EU citizen: nothing to add
    assert not is_declared_move("nationalities", "advance", RESULT)  # never straight to the result
