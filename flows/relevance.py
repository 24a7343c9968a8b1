"""Ask only what can still change the result (issue 12).

A question declared ``only_if_it_matters`` is put only when some answer to it would change the
result. The engine is run once for each option (for a typed answer: its declared samples and the
extremes it may take), and once without the answer, on what was known *before* the question: the
answers to the questions that come earlier in the flow, with the usual answer assumed for the
questions still to come that declare one (``assumed``) and a typical spouse for a family not yet
described. So the verdict does not move as later questions are answered, and it is the same on
back, change, restart and resume. If every run gives the same result, the question is passed over
and its answer stays unknown; :func:`flows.machine.next_position` checks it once more against every
answer before the summary.

"The result" is what the person acts on: the route and its status, the family outcome of each
member, the next steps (with their dates) and the cases sent for review. Explanations are left out.
Verdicts are cached (the runs are pure functions of the answers and the day).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from bot.engine import Assessment, assess
from bot.i18n import Lang
from flows.conditions import family
from flows.features import Situation
from flows.question_types import ASSUME_TODAY, Group, Question
from flows.questions import FLOW, GROUPS, MEMBER_QUESTIONS, QUESTIONS, iter_questions
from flows.session import SessionState, build_answers

PROBED_KINDS = (
    "choice",
    "yes_no",
    "yes_no_unsure",
    "multi_choice",
    "date",
    "number",
    "integer",
    "money",
    "country",
)
UNKNOWN = object()  # the run without an answer

Fingerprint = tuple[Any, ...]


def _questions_before() -> dict[str, tuple[Question, ...]]:
    """For each question: the top-level questions that come before it in the flow."""
    before: dict[str, tuple[Question, ...]] = {}
    seen: list[Question] = []
    for step in FLOW:
        questions = (*step.questions, step.more) if isinstance(step, Group) else (step,)
        for question in questions:
            before[question.id] = tuple(seen)
        if isinstance(step, Question):
            seen.append(step)
    return before


def _questions_after() -> dict[str, tuple[Question, ...]]:
    """For each question: the top-level questions that come after it in the flow."""
    top = [step for step in FLOW if isinstance(step, Question)]
    after: dict[str, tuple[Question, ...]] = {}
    for qid, before in QUESTIONS_BEFORE.items():
        after[qid] = tuple(q for q in top[len(before) :] if q.id != qid)
    return after


def _after_the_group() -> frozenset[str]:
    group_at = FLOW.index(GROUPS["members"])
    return frozenset(step.id for step in FLOW[group_at + 1 :] if isinstance(step, Question))


QUESTIONS_BEFORE = _questions_before()
QUESTIONS_AFTER = _questions_after()
AFTER_THE_GROUP = _after_the_group()
DECLARED = frozenset(
    name for question in iter_questions() for name in (*question.fields, *question.answered_by)
) | {"members"}
MEMBER_ORDER = tuple(question.id for question in GROUPS["members"].questions)


def fingerprint(assessment: Assessment) -> Fingerprint:
    """What the person acts on: route and status, each member's outcome, steps and dates, reviews."""
    chosen = next((route.status for route in assessment.routes if route.code == assessment.route_code), None)
    return (
        assessment.route_code,
        chosen,
        assessment.family.outcome,
        tuple((m.relation, m.outcome, m.eligible_from) for m in assessment.family.members),
        tuple((step.code, step.due) for step in assessment.next_steps),
        tuple(sorted(review.code for review in assessment.review)),
    )


def known_before(
    question: Question, state: SessionState, member_index: int | None, today: date
) -> dict[str, Any]:
    """The answers given to the questions that come before ``question`` and apply (members before
    this one, and this member's answers to the earlier member questions), with the usual answer
    assumed for the questions still to come that declare one."""
    answers = state.answers
    situation = Situation(answers)
    known = {name: value for name, value in answers.items() if name not in DECLARED}  # invite facts
    for earlier in QUESTIONS_BEFORE[question.id]:
        if earlier.condition(situation):
            names = (*earlier.fields, *earlier.answered_by)
            known.update({name: answers[name] for name in names if name in answers})
    for later in QUESTIONS_AFTER[question.id]:
        if later.assumed is not None and later.condition(situation) and not later.answered_in(known):
            known.update(later.writes(today.isoformat() if later.assumed == ASSUME_TODAY else later.assumed))
    if question.id in MEMBER_QUESTIONS and member_index is not None:
        position = MEMBER_ORDER.index(question.id) if question.id in MEMBER_ORDER else len(MEMBER_ORDER)
        fields = {name for q in GROUPS["members"].questions[:position] for name in q.fields}
        members = [dict(member) for member in state.members[:member_index]]
        current = state.members[member_index] if member_index < len(state.members) else {}
        this_member = {k: v for k, v in current.items() if k in fields}
        for later in GROUPS["members"].questions[position + 1 :]:
            if later.assumed is not None and later.condition(Situation(answers, this_member)):
                this_member.update(later.writes(later.assumed))
        known["members"] = [*members, this_member]
    elif (question.id in AFTER_THE_GROUP or question.members_update) and "members" in answers:
        known["members"] = answers["members"]
    elif family(Situation(known)):
        known["members"] = [typical_spouse(known, today)]
    if QUESTIONS["family_application_date"].condition(Situation(known)):
        known.setdefault("family_application_date", today.isoformat())
    return known


def typical_spouse(known: dict[str, Any], today: date) -> dict[str, Any]:
    """A family not described yet stands for a spouse of thirty with the person's nationality, so
    that what a question changes for a family shows before the family is described."""
    nationalities = known.get("nationalities") or []
    spouse: dict[str, Any] = {"relation": "spouse", "dob": today.replace(year=today.year - 30).isoformat()}
    if nationalities:
        spouse["nationality"] = nationalities[0]
    return spouse


def known_now(question: Question, state: SessionState, member_index: int | None) -> dict[str, Any]:
    """Every answer given so far (for the last check before the summary)."""
    known = _copy(state.answers)
    if question.id in MEMBER_QUESTIONS and member_index is not None:
        members = known.setdefault("members", [])
        while len(members) <= member_index:
            members.append({})
    return known


def _probe_values(question: Question, today: date) -> list[Any]:
    """Answers that stand for every answer: each option, or for a typed answer its declared samples
    and the extremes its validation allows (thresholds are compared with ≥ / <, so the extremes and
    the samples on each side of them show whether the value can matter)."""
    if question.kind == "multi_choice":
        return [[value] for value in question.option_values()]
    values = list(question.sample_values())
    rule = question.validation
    if question.kind == "date":
        for days in (rule.earliest_days, rule.latest_days):
            if days is not None:
                values.append((today + timedelta(days=days)).isoformat())
    elif question.kind in ("number", "integer", "money"):
        convert = int if question.kind == "integer" else float
        values += [convert(bound) for bound in (rule.minimum, rule.maximum) if bound is not None]
    return values


def _copy(values: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(values))
    return copied


def _with(known: dict[str, Any], question: Question, value: Any, member_index: int | None) -> dict[str, Any]:
    answers = _copy(known)
    if value is UNKNOWN:
        return answers
    if question.id in MEMBER_QUESTIONS and member_index is not None:
        answers["members"][member_index].update(question.writes(value))
    else:
        answers.update(question.writes(value))
        if question.members_update is not None:
            answers["members"] = question.members_update(value, answers.get("members") or [], answers)
    return answers


def _result(answers: dict[str, Any], lang: Lang, today: date) -> Fingerprint | None:
    state = SessionState(lang=lang, current="summary", answers=answers)
    try:
        return fingerprint(assess(build_answers(state), on=today))
    except (ValidationError, ValueError):
        return None


@lru_cache(maxsize=4096)
def _matters(qid: str, known_json: str, member_index: int | None, today: date) -> bool:
    question = QUESTIONS[qid]
    known = json.loads(known_json)
    results = {
        _result(_with(known, question, value, member_index), "en", today)
        for value in [UNKNOWN, *_probe_values(question, today)]
    }
    return len(results) > 1 or None in results


def worth_asking(
    question: Question,
    state: SessionState,
    member_index: int | None,
    today: date,
    *,
    everything: bool = False,
) -> bool:
    """True unless the question is declared ``only_if_it_matters`` and no answer to it would change
    the result, given what is known before it (with ``everything``: given every answer so far)."""
    if not question.only_if_it_matters or question.kind not in PROBED_KINDS:
        return True
    if everything:
        known = known_now(question, state, member_index)
    else:
        known = known_before(question, state, member_index, today)
    return _matters(question.id, json.dumps(known, sort_keys=True), member_index, today)
