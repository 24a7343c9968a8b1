"""Routing: where the interview goes next, computed from the declaration in :mod:`flows.questions`,
and one shared ``transitions`` machine that admits only the declared moves.

The machine's states are the question ids plus ``prefill`` (confirm an HR invite's facts),
``summary`` and ``result``. It is built once; a move is checked by wrapping the saved state in a throw-away
:class:`Walker` (``add_model`` with ``initial=<saved state>``, trigger, ``remove_model``), so no
session lives in memory between events; each distinct move's verdict is remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from transitions import Machine, MachineError

from bot.engine import today_in_brussels
from flows.features import Situation
from flows.question_types import Group, Question
from flows.questions import FLOW, GROUPS, MEMBER_QUESTIONS, QUESTIONS
from flows.relevance import worth_asking
from flows.session import PREFILL, RESULT, SUMMARY, SessionState

QUESTION_STATES: tuple[str, ...] = tuple(QUESTIONS)
STATES: tuple[str, ...] = (PREFILL, *QUESTION_STATES, SUMMARY, RESULT)
TRIGGERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # trigger: (sources, destinations)
    "advance": ((PREFILL, *QUESTION_STATES), (*QUESTION_STATES, SUMMARY)),
    "back": ((*QUESTION_STATES, SUMMARY), (PREFILL, *QUESTION_STATES)),
    "reopen": ((RESULT,), (SUMMARY,)),
    "change": ((SUMMARY, RESULT), QUESTION_STATES),
    "finish": ((SUMMARY,), (RESULT,)),
    "restart": (STATES, (PREFILL, *QUESTION_STATES)),
}


class IllegalMove(Exception):
    """The machine does not allow this move from the current state."""


class Walker:
    """The plain model the shared machine drives for the length of one event."""

    def __init__(self) -> None:
        self.state: str = ""

    @staticmethod
    def heading_to(dest: str) -> Any:
        def check(target: str) -> bool:
            return target == dest

        return check


@cache
def machine() -> Machine:
    """The one machine for every session (built on first use)."""
    shared = Machine(model=None, states=list(STATES), initial=PREFILL, auto_transitions=False)
    for trigger, (sources, dests) in TRIGGERS.items():
        for dest in dests:
            shared.add_transition(trigger, list(sources), dest, conditions=[Walker.heading_to(dest)])
    return shared


def move(current: str, trigger: str, target: str) -> str:
    """Take ``trigger`` from ``current`` to ``target``; :class:`IllegalMove` if not declared."""
    if not is_declared_move(current, trigger, target):
        raise IllegalMove(f"{trigger}: {current} → {target}")
    return target


@cache
def is_declared_move(current: str, trigger: str, target: str) -> bool:
    """Whether the shared machine takes ``trigger`` from ``current`` to ``target``.

    The machine is fixed once built and its transitions have no side effects, so the answer for a
    given move never changes: each distinct move is run through the machine once, then remembered
    (``add_model`` visits every state, which made it most of a turn's dialogue time).
    """
    shared = machine()
    if current not in shared.states:
        return False
    walker = Walker()
    shared.add_model(walker, initial=current)
    try:
        moved = walker.trigger(trigger, target=target)  # type: ignore[attr-defined]
    except (MachineError, AttributeError):
        return False
    finally:
        shared.remove_model(walker)
    return bool(moved) and walker.state == target


# --- where next ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """A place in the interview: a question (with the member it is about) or a fixed state."""

    state: str
    member_index: int | None = None

    @property
    def ref(self) -> str:
        """The history reference: ``qid`` or ``qid@index`` for member questions."""
        return self.state if self.member_index is None else f"{self.state}@{self.member_index}"

    @classmethod
    def from_ref(cls, ref: str) -> Position:
        state, _, index = ref.partition("@")
        return cls(state, int(index) if index else None)


def current_ref(state: SessionState) -> str:
    """The reference of the question being asked (``qid@index`` for member questions)."""
    if state.current in MEMBER_QUESTIONS:
        return Position(state.current, state.member_index or 0).ref
    return state.current


def applies(question: Question, answers: dict[str, Any], member: dict[str, Any] | None = None) -> bool:
    """True when the question's condition holds on these answers (and member)."""
    return question.condition(Situation(answers, member or {}))


Asks = Callable[[Question, SessionState, "int | None"], bool]


def _next_member_question(group: Group, state: SessionState, index: int, asks: Asks) -> Question | None:
    member = state.members[index] if index < len(state.members) else {}
    for question in group.questions:
        if (
            applies(question, state.answers, member)
            and not question.answered_in(member)
            and asks(question, state, index)
        ):
            return question
    return None


def _group_position(group: Group, state: SessionState, asks: Asks) -> Position | None:
    members = state.members
    if "members" not in state.answers:
        first = _next_member_question(group, state, 0, asks)
        return Position(first.id, 0) if first else None
    for index in range(len(members)):
        pending = _next_member_question(group, state, index, asks)
        if pending is not None:
            return Position(pending.id, index)
    if state.member_index is not None and state.member_mode == "adding" and len(members) < group.max_items:
        return Position(group.more.id, len(members) - 1)
    return None


def next_position(state: SessionState, today: date | None = None) -> Position:
    """The first question whose condition holds, that is unanswered and whose answer can still
    change the result (:mod:`flows.relevance`, as of ``today``); else the summary.

    A question passed over because nothing known before it made it matter is checked once more,
    against every answer, before the summary: a later answer (a young spouse, say) may make it
    matter after all, and it is then asked.
    """
    if state.prefill_status == "pending":
        return Position(PREFILL)
    day = today or today_in_brussels()
    for everything in (False, True):
        found = _first_open(state, _asker(day, everything=everything))
        if found is not None:
            return found
    return Position(SUMMARY)


def _asker(day: date, *, everything: bool) -> Asks:
    def asks(question: Question, state: SessionState, index: int | None) -> bool:
        return worth_asking(question, state, index, day, everything=everything)

    return asks


def _first_open(state: SessionState, asks: Asks) -> Position | None:
    facts = Situation(state.answers)
    for step in FLOW:
        if isinstance(step, Group):
            if step.condition(facts):
                found = _group_position(step, state, asks)
                if found is not None:
                    return found
        elif step.condition(facts) and not step.answered_in(state.answers) and asks(step, state, None):
            return Position(step.id)
    return None


def is_live(position: Position, state: SessionState) -> bool:
    """True when the question at this position would still be asked (its condition holds)."""
    if position.state not in QUESTIONS:
        return position.state == PREFILL and state.prefill_status != "none"
    question = QUESTIONS[position.state]
    if position.state in MEMBER_QUESTIONS:
        group = GROUPS["members"]
        index = position.member_index
        if index is None or index >= len(state.members) or not group.condition(Situation(state.answers)):
            return False
        return applies(question, state.answers, state.members[index])
    return applies(question, state.answers)


# --- dropping answers that no longer apply ------------------------------------------------------

DECLARED_FIELDS: frozenset[str] = frozenset(
    name for step in FLOW if isinstance(step, Question) for name in step.fields
)


def _prune_fields(values: dict[str, Any], questions: tuple[Question, ...], live: Any) -> list[str]:
    declared = {name for question in questions for name in question.fields}
    dropped: list[str] = []
    while True:
        kept = {name for question in questions if live(question) for name in question.fields}
        stale = [name for name in values if name in declared and name not in kept]
        if not stale:
            return dropped
        for name in stale:
            del values[name]
            dropped.append(name)


def prune(state: SessionState) -> list[str]:
    """Drop every answer whose question no longer applies; the dropped field names (in place)."""
    answers = state.answers
    top = tuple(step for step in FLOW if isinstance(step, Question))
    dropped = _prune_fields(answers, top, lambda question: applies(question, answers))
    group = GROUPS["members"]
    if "members" in answers and not group.condition(Situation(answers)):
        del answers["members"]
        state.member_index = state.member_mode = None
        dropped.append("members")
    for index, member in enumerate(state.members):
        lost = _prune_fields(
            member, group.questions, lambda question, m=member: applies(question, answers, m)
        )
        dropped += [f"members[{index}].{name}" for name in lost]
    return dropped
