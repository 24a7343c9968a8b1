"""Callback data of the reminder buttons: ``m1|<action>|<argument>``.

Actions: ``on`` (agree to reminders for a result: the session id), ``ask`` (give a date: arrival,
expiry or refusal), ``x`` (cancel one reminder: its id), ``off`` (no more reminders). Nothing here is
trusted: the handler checks that the session or the reminder belongs to the person who pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.engine import Assessment
from bot.i18n import Lang, text
from bot.reminders.plan import DATE_KINDS, DateKind, dates_that_matter

REMINDER_PREFIX = "m1"
ReminderAction = Literal["on", "ask", "x", "off"]
ACTIONS: tuple[ReminderAction, ...] = ("on", "ask", "x", "off")

Button = tuple[str, str]


def reminder_data(action: ReminderAction, argument: int | str = 0) -> str:
    """The callback data of one reminder button."""
    return f"{REMINDER_PREFIX}|{action}|{argument}"


@dataclass(frozen=True)
class ReminderPress:
    """A press on a reminder button: the action and its argument (an id, or a date kind)."""

    action: ReminderAction
    argument: str

    @property
    def number(self) -> int | None:
        """The argument as a session or reminder id."""
        return int(self.argument) if self.argument.isdigit() else None

    @property
    def date_kind(self) -> DateKind | None:
        """The argument as the date asked for."""
        return next((kind for kind in DATE_KINDS if kind == self.argument), None)


def read_reminder_press(data: str | None) -> ReminderPress | None:
    """The reminder button pressed, or None for anything malformed."""
    parts = (data or "").split("|")
    if len(parts) != 3 or parts[0] != REMINDER_PREFIX:
        return None
    action = next((name for name in ACTIONS if name == parts[1]), None)
    return None if action is None else ReminderPress(action, parts[2])


def opt_in_row(lang: Lang, session_id: int, assessment: Assessment | None) -> tuple[Button, ...]:
    """The result's "Remind me of these dates" button, when the result has a date to remind of (or
    one worth asking for); empty otherwise."""
    if assessment is None:
        return ()
    dated = any(step.due is not None for step in assessment.next_steps)
    if not dated and not dates_that_matter(assessment):
        return ()
    return ((text(lang, "reminders.button.opt_in"), reminder_data("on", session_id)),)


def date_rows(lang: Lang, kinds: list[DateKind]) -> list[tuple[Button, ...]]:
    """One button per date worth asking ("I have arrived", "My card's expiry date"…)."""
    return [((text(lang, f"reminders.button.{kind}"), reminder_data("ask", kind)),) for kind in kinds]
