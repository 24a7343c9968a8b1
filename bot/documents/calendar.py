"""The dated next steps as an iCalendar file (RFC 5545): one all-day event per step, each with
a reminder two days before. Steps whose date has already passed are left out (the result says to
do them now)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from bot.i18n import text
from bot.result.view import ResultView

PRODUCT_ID = "-//guichet//result//EN"
REMINDER_BEFORE = timedelta(days=2)


def event_uid(owner: str | None, step_number: int, title: str) -> str:
    """An event's UID, unique to one person's result: derived from ``owner`` (an opaque, signed
    reference to the person's saved result), so downloading the file again updates the same events;
    random when there is no owner. Never a date and a step number alone (two people would collide)."""
    name = f"guichet:{owner}:{step_number}:{title}" if owner else f"guichet:{uuid.uuid4()}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, name)}@guichet"


def calendar_file(view: ResultView, *, today: date | None = None, owner: str | None = None) -> bytes | None:
    """The .ics of the dated steps to come (from ``today``, by default the day of the result), or
    None when no step has a date to come; ``owner`` makes the event UIDs this person's (see
    :func:`event_uid`). (icalendar is imported here, not with the bot.)"""
    from icalendar import Alarm, Calendar, Event

    start = today or view.assessed_on
    now = datetime.now(UTC)
    upcoming = [step for step in view.dated_steps if step.due is not None and step.due >= start]
    if not upcoming:
        return None
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", text(view.lang, "result.calendar.name"))
    for step in upcoming:
        assert step.due is not None
        event = Event()
        event.add("uid", event_uid(owner, step.number, step.title))
        event.add("dtstamp", now)
        event.add("dtstart", step.due)
        event.add("dtend", step.due + timedelta(days=1))
        event.add("summary", step.title)
        event.add("description", "\n".join(part for part in (step.when, step.detail, step.fee) if part))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", text(view.lang, "result.calendar.reminder", title=step.short_title))
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
