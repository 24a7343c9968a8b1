"""Belgian working-day calendar and deadline arithmetic for the next steps (rules.md §5.10).

Working days are Monday to Friday except the Belgian public holidays of the ``holidays``
package (New Year, Easter Monday, 1 May, Ascension, Whit Monday, 21 July, 15 August,
1 and 11 November, Christmas). Holidays falling on a weekend are not moved (Belgian law).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Literal

import holidays

from bot.engine.derive import add_months

PeriodUnit = Literal["days", "working_days", "months"]
SATURDAY = 5


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def is_public_holiday(day: date) -> bool:
    """True on a Belgian public holiday."""
    return day in _public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """True from Monday to Friday, unless the day is a Belgian public holiday."""
    return day.weekday() < SATURDAY and not is_public_holiday(day)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (day 0 = ``start``; negative ``n`` counts back).

    ``start`` itself is never counted, so an arrival on a Friday before a holiday weekend
    starts counting on the next working day.
    """
    step = 1 if n >= 0 else -1
    day, left = start, abs(n)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def add_calendar_days(start: date, n: int) -> date:
    """``start`` plus ``n`` calendar days (negative ``n`` counts back)."""
    return start + timedelta(days=n)


def shift(day: date, count: int, unit: PeriodUnit) -> date:
    """``day`` moved by ``count`` days, working days or months (negative ``count`` goes back)."""
    if unit == "working_days":
        return add_working_days(day, count)
    if unit == "months":
        return add_months(day, count)
    return add_calendar_days(day, count)


def window_before(expiry: date, earliest_days: int, latest_days: int) -> tuple[date, date]:
    """The window "between the ``earliest_days``-th and the ``latest_days``-th day before ``expiry``".

    Returns (first day, last day), both inclusive; e.g. 60 and 30 days before 31 December
    give (1 November, 1 December).
    """
    if earliest_days < latest_days:
        raise ValueError("the window opens before it closes: earliest_days >= latest_days")
    return add_calendar_days(expiry, -earliest_days), add_calendar_days(expiry, -latest_days)


def next_first_of_january(day: date) -> date:
    """The first 1 January strictly after ``day``."""
    return date(day.year + 1, 1, 1)
