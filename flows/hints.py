"""The hint under a typed question, with one example that fits it: a date in the past or to come
as the question expects, an amount of the right size for its period, a number in its unit."""

from __future__ import annotations

from datetime import date, timedelta

from bot.engine import Message, msg
from flows.parsing.wordlists import option_facts
from flows.question_types import YEAR, Question

# How far ahead a date may go for the question to be about the future (start, application).
FUTURE_REACH_DAYS = YEAR
# How far back it may go and still be "soon" rather than "when did it happen".
SOON_REACH_DAYS = -2 * YEAR
UNIT_HINTS = {"months": "months", "years": "years", "days": "days", "count": "count"}


def numeric(day: date) -> str:
    """A date as people type it (the same in the three languages)."""
    return day.strftime("%d/%m/%Y")


def _future_example(today: date) -> date:
    """The first of the month about three months from now."""
    ahead = today + timedelta(days=92)
    return ahead.replace(day=1)


def _past_example(question: Question, today: date) -> date:
    """A past date inside the question's bounds: an adult's birthday for a date of birth, else a
    date a little over a year ago."""
    rule = question.validation
    if rule.latest_days is not None and rule.latest_days <= -15 * YEAR:
        return date(today.year - 35, 6, 15)
    if rule.earliest_days is not None and rule.earliest_days > -2 * YEAR:
        return (today - timedelta(days=90)).replace(day=1)
    return date(today.year - 2, 9, 1)


def is_about_the_future(question: Question) -> bool:
    """A date question whose answer is mostly to come (a start date, a card's end)."""
    rule = question.validation
    reaches_ahead = rule.latest_days is not None and rule.latest_days >= FUTURE_REACH_DAYS
    recent = rule.earliest_days is None or rule.earliest_days >= SOON_REACH_DAYS
    return reaches_ahead and recent


def _date_hint(question: Question, today: date) -> Message:
    rule = question.validation
    if is_about_the_future(question):
        example = _future_example(today)
        if question.id in option_facts().get("dates", {}).get("month_allowed", ()):  # "mars 2027" is enough
            return msg(
                "dialogue.hint.date_asap_month" if rule.asap else "dialogue.hint.date_future_month",
                example=numeric(example),
                month_key=f"dialogue.month.m{example.month:02d}",
                year=str(example.year),
            )
        key = "dialogue.hint.date_asap" if rule.asap else "dialogue.hint.date_future"
        return msg(key, example=numeric(example))
    example = _past_example(question, today)
    if rule.day_optional:
        return msg(
            "dialogue.hint.date_month",
            example=numeric(example),
            month_key=f"dialogue.month.m{example.month:02d}",
            year=str(example.year),
        )
    return msg("dialogue.hint.date_past", example=numeric(example))


def _sample_number(question: Question) -> int | float:
    sample = next((value for value in question.samples if isinstance(value, int | float)), 1)
    return int(sample) if float(sample).is_integer() else float(sample)


def hint(question: Question, today: date) -> Message | None:
    """The hint under a question the person types (None for choices, which have buttons)."""
    kind = question.kind
    if kind in ("choice", "yes_no", "yes_no_unsure"):
        return None
    if kind == "date":
        return _date_hint(question, today)
    if kind == "money":
        period = question.validation.period or "month"
        return msg(f"dialogue.hint.money_{period}", example=float(_sample_number(question)))
    if kind in ("number", "integer") and question.validation.unit in UNIT_HINTS:
        return msg(f"dialogue.hint.{UNIT_HINTS[question.validation.unit]}", example=_sample_number(question))
    return msg(f"dialogue.hint.{kind}")
