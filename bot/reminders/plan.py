"""What to remind a person of, and when: pure functions of a result and of the dates the bot asks for.

A result's dated next steps become reminders: a deadline a few days before it, a step possible
"from" a date on that day, the card renewal when its window opens, and the commune registration
(whose deadline the result can only estimate from the planned start) on the planned start, asking
whether the person has arrived. Three dates the bot cannot know
are asked when they matter (the result lists the step they drive): the arrival in Belgium (the
commune registration deadline, in Belgian working days), the residence card's expiry (renewal 60 to
30 days before) and a refusal (an appeal within 30 days). The periods come from the engine's
constants (``bot/engine/data/constants.toml``; rules.md §5.10), never from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.engine import Assessment, NextStep, add_months, add_working_days, constants, shift, window_before

ReminderKind = Literal["step", "arrival", "expiry", "refusal", "rules"]
DateKind = Literal["arrival", "expiry", "refusal"]
DATE_KINDS: tuple[DateKind, ...] = ("arrival", "expiry", "refusal")

BRUSSELS = ZoneInfo("Europe/Brussels")
SEND_AT = time(9, 0)  # reminders go out at 9:00, Brussels time
DEADLINE_LEAD_DAYS = 5  # a deadline is reminded this many days before it
ARRIVAL_LEAD_WORKING_DAYS = 3  # the commune deadline: this many working days before it
APPEAL_LEAD_DAYS = 7
EXPIRY_HORIZON_MONTHS = 120  # a card expiry date is at most ten years ahead
REFUSAL_HORIZON_MONTHS = 12  # a refusal date is at most a year back

# The result's steps that make each date matter (the question is offered only then).
DATE_STEPS: dict[DateKind, frozenset[str]] = {
    "arrival": frozenset({"COMMUNE_REGISTRATION", "FAMILY_COMMUNE_REGISTRATION"}),
    "expiry": frozenset({"CARD_RENEWAL", "FAMILY_RENEWAL"}),
    "refusal": frozenset({"APPEAL_CCE"}),
}


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder to schedule: what (``kind``, ``ref``: a step code, the date asked, a pack version),
    about which date, the day to send it, and what its message needs."""

    kind: ReminderKind
    ref: str
    event_date: date
    remind_on: date
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def due_at(self) -> datetime:
        """When to send it: :data:`SEND_AT` on ``remind_on``, Brussels time."""
        return send_time(self.remind_on)


def send_time(day: date) -> datetime:
    """:data:`SEND_AT` on ``day`` in Brussels, as an aware datetime."""
    return datetime.combine(day, SEND_AT, tzinfo=BRUSSELS)


def _later(remind_on: date, today: date, event: date) -> date | None:
    """The reminder day moved to tomorrow at the earliest; None when the event is over by then."""
    day = max(remind_on, today + timedelta(days=1))
    return day if day <= event else None


def _step_reminder(step: NextStep, today: date) -> PlannedReminder | None:
    if step.due is None:
        return None
    params: dict[str, Any] = {"title": step.title.model_dump(mode="json"), "timing": step.timing_kind}
    timing = step.timing.params if step.timing is not None else {}
    opens, start = timing.get("window_start_date"), timing.get("start_date")
    if step.code in DATE_STEPS["arrival"] and isinstance(start, str):
        # The deadline is only an example from the planned start: on that day the person is asked
        # whether they have arrived, and their answer gives the real deadline.
        remind_on = date.fromisoformat(start)
        params["ask"] = "arrival"
    elif isinstance(opens, str):  # a window (the card renewal): reminded when it opens
        remind_on = date.fromisoformat(opens)
        params["window_start_date"] = opens
    elif step.timing_kind == "deadline":
        remind_on = step.due - timedelta(days=DEADLINE_LEAD_DAYS)
    else:  # possible from that day (family reunification, the 1 January salary check)
        remind_on = step.due
    day = _later(remind_on, today, step.due)
    return None if day is None else PlannedReminder("step", step.code, step.due, day, params)


def plan_from_result(assessment: Assessment, today: date) -> list[PlannedReminder]:
    """The reminders of a result's dated next steps still ahead (one per step)."""
    planned = (_step_reminder(step, today) for step in assessment.next_steps)
    return [reminder for reminder in planned if reminder is not None]


def dates_that_matter(assessment: Assessment) -> list[DateKind]:
    """The dates worth asking for this result: those that drive one of its steps."""
    codes = {step.code for step in assessment.next_steps}
    return [kind for kind in DATE_KINDS if DATE_STEPS[kind] & codes]


@dataclass(frozen=True)
class DateBounds:
    """The dates a person may give for a question (both inclusive)."""

    earliest: date
    latest: date


def date_bounds(kind: DateKind, today: date, interview_day: date) -> DateBounds:
    """Arrival: from the interview to today; card expiry: today to ten years ahead; refusal: within the
    past year (an older one is long past its appeal period)."""
    if kind == "arrival":
        return DateBounds(min(interview_day, today), today)
    if kind == "expiry":
        return DateBounds(today, add_months(today, EXPIRY_HORIZON_MONTHS))
    return DateBounds(add_months(today, -REFUSAL_HORIZON_MONTHS), today)


@dataclass(frozen=True)
class DateAnswer:
    """What a given date means: the deadline (or renewal window) and the reminder, when still ahead."""

    kind: DateKind
    given: date
    deadline: date
    window_start: date | None
    reminder: PlannedReminder | None


def commune_deadline(arrived: date) -> date:
    """The last day to register at the commune after arriving (8 Belgian working days, S003/P53)."""
    count, unit = constants()["REGISTER_COMMUNE_TCN"].period()
    return shift(arrived, count, unit)


def appeal_deadline(refused: date) -> date:
    """The last day to appeal against a refusal (30 days, S003)."""
    count, unit = constants()["APPEAL_CCE"].period()
    return shift(refused, count, unit)


def renewal_window(expiry: date) -> tuple[date, date]:
    """The days to ask for a card's renewal (60 to 30 days before its expiry, P55/S003/P54)."""
    window = constants()["CARD_RENEWAL_WINDOW"]
    return window_before(expiry, window.field_value("earliest"), window.field_value("count"))


def answer_date(kind: DateKind, given: date, today: date) -> DateAnswer:
    """The deadline that ``given`` sets and the reminder to schedule (None once it would be too late)."""
    params: dict[str, Any] = {"given_date": given.isoformat()}
    if kind == "arrival":
        deadline = commune_deadline(given)
        remind_on = add_working_days(deadline, -ARRIVAL_LEAD_WORKING_DAYS)
        opens = None
    elif kind == "expiry":
        opens, deadline = renewal_window(given)
        remind_on = opens
        params["window_start_date"] = opens.isoformat()
    else:
        deadline = appeal_deadline(given)
        remind_on = deadline - timedelta(days=APPEAL_LEAD_DAYS)
        opens = None
    day = _later(remind_on, today, deadline)
    reminder = None if day is None else PlannedReminder(kind, kind, deadline, day, params)
    return DateAnswer(kind, given, deadline, opens, reminder)
