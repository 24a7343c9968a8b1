"""Answers shown back to the person: "Label: value" lines for the summary and "your current answer"."""

from __future__ import annotations

from typing import Any

from bot.engine import Message, msg
from flows.machine import applies
from flows.question_types import Group, Question
from flows.questions import FLOW, GROUPS, question_for_field
from flows.session import SessionState


def answered_questions(state: SessionState) -> list[tuple[Question, dict[str, Any], str]]:
    """Every answered question that still applies, in interview order, with its scope and reference."""
    out: list[tuple[Question, dict[str, Any], str]] = []
    for step in FLOW:
        if isinstance(step, Group):
            for index, member in enumerate(state.members):
                for question in step.questions:
                    if question.answered_in(member) and applies(question, state.answers, member):
                        out.append((question, member, f"{question.id}@{index}"))
        elif step.shown and step.answered_in(state.answers) and applies(step, state.answers):
            out.append((step, state.answers, step.id))
    return out


def answer_value(question: Question, scope: dict[str, Any]) -> Any:
    """The answer as the question's own value (an encoded choice is decoded back to its option)."""
    return question.value_in(scope)


def _value_messages(question: Question, value: Any) -> tuple[str, dict[str, Any]] | list[Message]:
    if value is None:
        return ("key", {"value_key": question.skip_key})
    if question.field == "contract_months" and value == 0:  # 0 stands for open-ended: said in words
        return ("key", {"value_key": "question.contract_months.open_ended"})
    if question.kind in ("yes_no", "yes_no_unsure"):
        word = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        return ("key", {"value_key": f"dialogue.answer.{word}"})
    if question.kind == "choice":
        return ("key", {"value_key": question.option_key(value)})
    if question.kind == "multi_choice":
        return [msg("dialogue.summary.item", value_key=question.option_key(item)) for item in value]
    if question.kind == "date":
        return ("date", {"value_date": value})
    if question.kind == "dates":
        return [msg("dialogue.value.date", value_date=day) for day in value]
    if question.kind == "money":
        return ("eur", {"value_eur": float(value)})
    if question.kind == "countries":
        return ("countries", {"value_countries": ",".join(value)})
    if question.kind == "country":
        return ("countries", {"value_countries": value})
    return ("text", {"value": value})


def summary_lines(
    question: Question, scope: dict[str, Any], *, with_label: bool, member: str | None = None
) -> list[Message]:
    """The answer to ``question`` as summary lines ("Label: value"), or the bare value."""
    if question.answered_by and question.field not in scope:  # e.g. a region instead of a postcode
        given = [name for name in question.answered_by if name in scope]
        return fact_lines(given[0], scope[given[0]]) if given else []
    shown = _value_messages(question, answer_value(question, scope))
    prefix: list[Message] = []
    if member and "@" in member and question is GROUPS["members"].questions[0]:
        prefix = [msg("dialogue.member.heading", number=int(member.split("@")[1]) + 1)]
    if isinstance(shown, list):
        head = [msg("dialogue.summary.list", label_key=question.label_key)] if with_label else []
        return [*prefix, *head, *shown]
    style, params = shown
    if not with_label:
        return [msg(f"dialogue.value.{style}", **params)]
    return [*prefix, msg(f"dialogue.summary.line_{style}", label_key=question.label_key, **params)]


def fact_lines(name: str, value: Any) -> list[Message]:
    """An HR-invite fact (or an unasked answer such as the occupation) as a summary line."""
    if name == "region":
        return [
            msg(
                "dialogue.summary.line_key",
                label_key="dialogue.fact.region",
                value_key=f"dialogue.region.{value}",
            )
        ]
    if name == "occupation":
        return [msg("dialogue.summary.line_text", label_key="dialogue.fact.occupation", value=value)]
    owner = question_for_field(name)
    if owner is None:
        return []
    return summary_lines(owner, {name: value}, with_label=True)
