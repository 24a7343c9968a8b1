"""Every path of the interview, enumerated from the flow's own declaration (smart-answers style).

For each question the walker takes every option (choice kinds) or each declared sample value
(typed kinds), then follows the dialogue's own next-question logic, up to the result. The
family-member loop is bounded to two members. Typed answers are fed as already-parsed values, so
the walk tests routing, not parsing; and it walks the declared routing with the "can this answer
still change the result?" check of flows.relevance switched off (every question whose condition
holds is asked): that check depends on the engine, not on the declaration, and is tested by
test_personas.py and test_relevance.py.

Paths share suffixes: two conversations at the same question whose answers agree on every feature
that the conditions of the remaining questions read (found from the declaration's source) are
asked exactly the same questions from there on. The walker therefore walks each such situation
once and counts the paths through it (a path count over the flow's DAG), so it checks every path
while executing a few thousand of them.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import Counter
from datetime import date
from functools import cache
from typing import Any

import pytest

import flows.conditions as declaration
import flows.dispatch as dispatch_module
import flows.machine as machine_module
from bot.engine import Assessment
from flows.dialogue import ChoiceInput, Dialogue, TextInput, Turn
from flows.features import FEATURES, Situation
from flows.interpret import Reading
from flows.machine import applies
from flows.question_types import Group, Question
from flows.questions import FLOW, GROUPS, MEMBER_QUESTIONS, QUESTIONS
from flows.session import RESULT, SUMMARY, SessionState, build_answers
from tests.flows.test_personas import persona_counts

TODAY = date(2026, 3, 1)
MAX_MEMBERS = 2


def _reads(function: Any, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """Features a condition may read: ``f.<feature>`` in its source and in the helpers it calls."""
    source = inspect.getsource(function)
    found = {name for name in re.findall(r"\.(\w+)", source) if name in FEATURES}
    for name in set(re.findall(r"\b(\w+)\(", source)) - seen:
        helper = getattr(declaration, name, None)
        if (
            inspect.isfunction(helper)
            and helper.__module__ == declaration.__name__
            and helper is not function
        ):
            found |= _reads(helper, seen | {name})
    return frozenset(found)


ORDER: list[Question] = [
    q for step in FLOW for q in ((*step.questions, step.more) if isinstance(step, Group) else (step,))
]


@cache
def relevant(question_id: str) -> tuple[str, ...]:
    """Features read by the conditions of this question and of every question after it."""
    start = next(i for i, q in enumerate(ORDER) if q.id == question_id)
    if question_id in MEMBER_QUESTIONS:
        start = next(i for i, q in enumerate(ORDER) if q.id in MEMBER_QUESTIONS)
    names: set[str] = set()
    for question in ORDER[start:]:
        names |= _reads(question.condition)
    names |= _reads(GROUPS["members"].condition)
    return tuple(sorted(names))


class Walk:
    """Depth-first walk over the dialogue, recording paths and what each path asked."""

    def __init__(self) -> None:
        self.dialogue = Dialogue(today=TODAY)
        self.counted: dict[tuple[Any, ...], int] = {}
        self.paths = 0
        self.walked = 0
        self.outcomes: Counter[str] = Counter()
        self.asked: Counter[str] = Counter()
        self.options_taken: set[tuple[str, str]] = set()

    def run(self) -> None:
        turn = self.dialogue.start("en")
        self.paths = self._step(turn, [])

    def _answer(self, state: SessionState, question: Question, value: Any) -> Turn:
        if question.kind in ("choice", "yes_no", "yes_no_unsure") and value is not None:
            option = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            return self.dialogue.handle(state, ChoiceInput(_ref(state), str(option), state.version))
        return self.dialogue.handle(state, TextInput(json.dumps(value)))

    def _values(self, question: Question, state: SessionState) -> list[Any]:
        if question is GROUPS["members"].more:
            return [True, False] if len(state.members) < MAX_MEMBERS else [False]
        return list(question.sample_values())

    def _step(self, turn: Turn, refs: list[str]) -> int:
        """Check the question put by ``turn`` and walk on; the number of paths from here."""
        state = turn.state
        if state.current == SUMMARY:
            self._finish(turn, refs)
            return 1
        question = QUESTIONS[state.current]
        ref = _ref(state)
        assert ref not in refs, f"asked twice: {ref} in {refs}"
        member = state.member if question.id in MEMBER_QUESTIONS else {}
        assert applies(question, state.answers, member), f"irrelevant question {ref} after {refs}"
        assert turn.replies[-1].kind == "question"
        self.asked[question.id] += 1
        facts = Situation(state.answers, member)
        later = {name for q in ORDER[ORDER.index(question) :] for name in q.fields}
        key = (
            ref,
            len(state.members),
            frozenset(member),
            frozenset(later & set(state.answers)),
            tuple((name, getattr(facts, name)) for name in relevant(question.id)),
        )
        if key in self.counted:
            return self.counted[key]
        total = 0
        for value in self._values(question, state):
            self.options_taken.add((question.id, json.dumps(value)))
            total += self._step(self._answer(state, question, value), [*refs, ref])
        self.counted[key] = total
        return total

    def _finish(self, turn: Turn, refs: list[str]) -> None:
        summary = turn.replies[-1]
        assert summary.kind == "summary"
        confirm = summary.options[0]
        result = self.dialogue.handle(
            turn.state, ChoiceInput(confirm.question_id, confirm.value, confirm.state_version)
        )
        assert result.state.current == RESULT
        reply = result.replies[-1]
        assert reply.kind == "result"
        assert isinstance(reply.assessment, Assessment)
        build_answers(result.state)  # the answers the engine saw are valid Answers
        self.walked += 1
        self.outcomes[reply.assessment.route_code] += 1


def _ref(state: SessionState) -> str:
    if state.current in MEMBER_QUESTIONS:
        return f"{state.current}@{state.member_index}"
    return state.current


@pytest.fixture(scope="module")
def walked() -> Walk:
    patch = pytest.MonkeyPatch()
    patch.setattr(
        dispatch_module, "read_text", lambda question, words, *context: Reading(value=json.loads(words))
    )
    patch.setattr(machine_module, "worth_asking", lambda *args, **kwargs: True)
    try:
        walk = Walk()
        walk.run()
    finally:
        patch.undo()
    print("questions asked of the scripted personas (before issue 12 → now):")
    for line in persona_counts():
        print(f"  {line}")
    print(
        f"paths walked: {walk.paths} ({len(walk.counted)} distinct situations executed, "
        f"{walk.walked} runs to a result; the other paths share an already-checked suffix)"
    )
    return walk


def test_every_path_ends_in_an_assessment(walked: Walk) -> None:
    assert len(walked.counted) >= 1_000
    assert walked.walked >= 100
    assert walked.paths >= 1_000_000


def test_every_question_is_reachable(walked: Walk) -> None:
    never = [question.id for question in QUESTIONS.values() if walked.asked[question.id] == 0]
    assert never == []


@pytest.mark.parametrize("question", [q for q in QUESTIONS.values() if q.options], ids=lambda q: q.id)
def test_every_option_is_taken_somewhere(walked: Walk, question: Question) -> None:
    taken = {value for qid, value in walked.options_taken if qid == question.id}
    expected = {json.dumps(value) for value in question.sample_values()}
    if question is GROUPS["members"].more:
        expected = {"true", "false"}
    assert expected <= taken


def test_flow_declaration_is_well_formed() -> None:
    ids = [question.id for question in QUESTIONS.values()]
    assert len(ids) == len(set(ids))
    for step in FLOW:
        questions = step.questions if isinstance(step, Group) else (step,)
        for question in questions:
            if question.kind in ("choice", "multi_choice", "yes_no", "yes_no_unsure"):
                assert question.options, question.id
            else:
                assert question.samples, f"{question.id} needs representative values"
