"""Routing: one shared ``transitions`` machine built from the declaration in :mod:`flows.questions`,
whose guards are the questions' conditions, so that what the machine allows is what the interview
does (issue 20).

The states are the question ids plus ``prefill`` (confirm an HR invite's facts), ``summary`` and
``result``. ``advance`` holds, from every question state, one transition per question in flow order
(member questions through their group), guarded by "its condition holds, it is unanswered and its
answer can still change the result" (:mod:`flows.relevance`), twice (the second time checked against
every answer), then the summary: the machine takes the first whose guard passes. The other triggers
(back, change, reopen, finish, restart) are declared moves whose target the dialogue chooses.
One :class:`Router` model serves every session, under a lock, so no session lives in memory
between events.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from transitions import Machine

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
    "advance": ((PREFILL, *QUESTION_STATES), (PREFILL, *QUESTION_STATES, SUMMARY)),
    "back": ((*QUESTION_STATES, SUMMARY), (PREFILL, *QUESTION_STATES)),
    "reopen": ((RESULT,), (SUMMARY,)),
    "change": ((SUMMARY, RESULT), QUESTION_STATES),
    "finish": ((SUMMARY,), (RESULT,)),
    "restart": (STATES, (PREFILL, *QUESTION_STATES)),
}
PASSES: tuple[bool, ...] = (False, True)  # what is known before each question, then every answer


class IllegalMove(Exception):
    """The machine does not allow this move from the current state."""


class Router:
    """The model the shared machine drives for one ``advance``: the session, the day, and what the
    group's guard found (the member a member question is about)."""

    def __init__(self) -> None:
        self.state: str = PREFILL
        self.session = SessionState(lang="en", current=PREFILL)
        self.day = date.today()
        self.member_index: int | None = None
        self._group_found: dict[bool, Position | None] = {}

    def prepare(self, session: SessionState, day: date) -> None:
        self.session, self.day, self.member_index, self._group_found = session, day, None, {}

    def prefill_pending(self) -> bool:
        return self.session.prefill_status == "pending"

    def opens(self, question: Question, everything: bool) -> bool:
        """Guard of a top-level question: its condition holds, it is unanswered and worth asking."""
        answers = self.session.answers
        return (
            question.condition(Situation(answers))
            and not question.answered_in(answers)
            and worth_asking(question, self.session, None, self.day, everything=everything)
        )

    def group_opens(self, group: Group, question: Question, everything: bool) -> bool:
        """Guard of a member question: the group applies and this is the first open one."""
        if everything not in self._group_found:
            found = None
            if group.condition(Situation(self.session.answers)):
                found = _group_position(group, self.session, _asker(self.day, everything=everything))
            self._group_found[everything] = found
        found = self._group_found[everything]
        if found is None or found.state != question.id:
            return False
        self.member_index = found.member_index
        return True


Guard = Callable[..., bool]


def _question_guard(question: Question, everything: bool) -> Guard:
    def guard(router: Router) -> bool:
        return router.opens(question, everything)

    guard.__name__ = question.condition.__name__  # what the diagram shows on the edge
    return guard


def _member_guard(group: Group, question: Question, everything: bool) -> Guard:
    def guard(router: Router) -> bool:
        return router.group_opens(group, question, everything)

    guard.__name__ = question.condition.__name__
    return guard


def _prefill_guard(router: Router) -> bool:
    return router.prefill_pending()


def advance_transitions() -> list[tuple[str, Guard | None]]:
    """(destination, guard) in the order the machine tries them from any question: an invite to
    confirm, the flow (member questions through their group), the flow again checked against every
    answer, then the summary."""
    out: list[tuple[str, Guard | None]] = [(PREFILL, _prefill_guard)]
    for everything in PASSES:
        for step in FLOW:
            if isinstance(step, Group):
                out += [(q.id, _member_guard(step, q, everything)) for q in (*step.questions, step.more)]
            else:
                out.append((step.id, _question_guard(step, everything)))
    out.append((SUMMARY, None))
    return out


@cache
def machine() -> Machine:
    """The one machine for every session (built on first use)."""
    shared = Machine(model=None, states=list(STATES), initial=PREFILL, auto_transitions=False)
    sources, _ = TRIGGERS["advance"]
    for dest, guard in advance_transitions():
        shared.add_transition("advance", list(sources), dest, conditions=[guard] if guard else [])
    for trigger, (sources, dests) in TRIGGERS.items():
        if trigger != "advance":
            for dest in dests:
                shared.add_transition(trigger, list(sources), dest)
    return shared


_ROUTER = Router()
_ROUTER_LOCK = threading.Lock()


@cache
def _router_added() -> bool:
    machine().add_model(_ROUTER, initial=PREFILL)
    return True


def move(current: str, trigger: str, target: str) -> str:
    """Take ``trigger`` from ``current`` to ``target``; :class:`IllegalMove` if not declared."""
    if not is_declared_move(current, trigger, target):
        raise IllegalMove(f"{trigger}: {current} → {target}")
    return target


@cache
def is_declared_move(current: str, trigger: str, target: str) -> bool:
    """Whether the shared machine has a ``trigger`` transition from ``current`` to ``target``."""
    shared = machine()
    if current not in shared.states or target not in shared.states or trigger not in shared.events:
        return False
    return bool(shared.get_transitions(trigger, current, target))


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
    """Where ``advance`` leads: the shared machine takes its first transition whose guard holds
    (the first question whose condition holds, that is unanswered and whose answer can still change
    the result as of ``today``; else the summary).

    A question passed over because nothing known before it made it matter is checked once more,
    against every answer, before the summary: a later answer (a young spouse, say) may make it
    matter after all, and it is then asked.
    """
    day = today or today_in_brussels()
    source = state.current if state.current in TRIGGERS["advance"][0] else PREFILL
    with _ROUTER_LOCK:
        _router_added()
        _ROUTER.prepare(state, day)
        machine().set_state(source, model=_ROUTER)
        _ROUTER.advance(router=_ROUTER)  # type: ignore[attr-defined]
        return Position(_ROUTER.state, _ROUTER.member_index if _ROUTER.state in MEMBER_QUESTIONS else None)


def _asker(day: date, *, everything: bool) -> Asks:
    def asks(question: Question, state: SessionState, index: int | None) -> bool:
        return worth_asking(question, state, index, day, everything=everything)

    return asks


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
