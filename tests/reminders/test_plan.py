"""What a result and the dates asked for turn into: deadlines in Belgian working days, windows, and
reminder days that are never in the past."""

from __future__ import annotations

from datetime import date

from bot.reminders.plan import (
    answer_date,
    appeal_deadline,
    commune_deadline,
    date_bounds,
    dates_that_matter,
    plan_from_result,
    renewal_window,
)
from tests.result.personas import TODAY, assessment

WORKER = "single worker with a job offer"


def test_the_commune_deadline_counts_belgian_working_days() -> None:
    # Friday 18 December 2026: Christmas (Friday 25) and the weekends are not counted.
    assert commune_deadline(date(2026, 12, 18)) == date(2026, 12, 31)
    # Tuesday 3 March 2026: eight plain working days.
    assert commune_deadline(date(2026, 3, 3)) == date(2026, 3, 13)


def test_appeal_and_renewal_periods() -> None:
    assert appeal_deadline(date(2026, 11, 20)) == date(2026, 12, 20)
    assert renewal_window(date(2027, 12, 31)) == (date(2027, 11, 1), date(2027, 12, 1))


def test_a_result_plans_its_dated_steps_still_ahead() -> None:
    planned = {p.ref: p for p in plan_from_result(assessment(WORKER), TODAY)}
    assert set(planned) == {"COMMUNE_REGISTRATION", "ANNUAL_THRESHOLD_CHECK"}  # the past step is left out
    deadline = planned["COMMUNE_REGISTRATION"]
    # the commune deadline is an example from the planned start: on that day, "have you arrived?"
    assert deadline.remind_on == date(2027, 3, 1) and deadline.event_date == date(2027, 3, 11)
    assert deadline.params["ask"] == "arrival"
    yearly = planned["ANNUAL_THRESHOLD_CHECK"]
    assert yearly.remind_on == yearly.event_date == date(2028, 1, 1)  # "from" a date: on the day
    assert all(p.remind_on > TODAY for p in planned.values())
    assert deadline.due_at.hour == 9 and deadline.due_at.utcoffset() is not None


def test_only_dates_that_drive_a_step_are_asked() -> None:
    assert dates_that_matter(assessment(WORKER)) == ["arrival", "expiry", "refusal"]
    assert dates_that_matter(assessment("EU citizen with a non-EU spouse")) == ["refusal"]
    assert dates_that_matter(assessment("single-permit holder in Belgium bringing a partner")) == []


def test_the_arrival_date_is_bounded_by_the_interview_and_today() -> None:
    bounds = date_bounds("arrival", TODAY, date(2026, 11, 2))
    assert (bounds.earliest, bounds.latest) == (date(2026, 11, 2), TODAY)


def test_a_given_date_sets_the_deadline_and_a_reminder_before_it() -> None:
    arrived = answer_date("arrival", date(2026, 11, 20), TODAY)
    assert arrived.deadline == date(2026, 12, 2) and arrived.reminder is not None
    assert TODAY < arrived.reminder.remind_on < arrived.deadline
    card = answer_date("expiry", date(2027, 9, 30), TODAY)
    assert card.window_start == date(2027, 8, 1) and card.deadline == date(2027, 8, 31)
    assert card.reminder is not None and card.reminder.remind_on == date(2027, 8, 1)
    late = answer_date("refusal", date(2026, 9, 1), TODAY)  # the 30 days are over
    assert late.deadline < TODAY and late.reminder is None
