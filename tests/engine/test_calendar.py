"""The Belgian working-day calendar and the deadline helpers (rules.md §5.10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import (
    add_calendar_days,
    add_working_days,
    is_public_holiday,
    is_working_day,
    next_first_of_january,
    shift,
    window_before,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 1), False),  # New Year (Thursday)
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 1), False),  # Labour Day (Friday)
        (date(2026, 5, 14), False),  # Ascension (Thursday)
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2026, 7, 21), False),  # National Day (Tuesday)
        (date(2025, 8, 15), False),  # Assumption (Friday)
        (date(2025, 11, 11), False),  # Armistice (Tuesday)
        (date(2027, 11, 1), False),  # All Saints (Monday)
        (date(2025, 12, 25), False),  # Christmas (Thursday)
        (date(2025, 12, 26), True),  # 26 December is not a Belgian public holiday
        (date(2026, 7, 11), False),  # Saturday (Flemish Community day is not a public holiday anyway)
        (date(2026, 7, 10), True),  # ordinary Friday
        (date(2026, 9, 27), False),  # Sunday
        (date(2026, 4, 7), True),  # Tuesday after Easter Monday
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2026, 8, 15), True),  # a Saturday: still a holiday, but not moved to Monday
        (date(2026, 8, 17), False),
        (date(2025, 11, 1), True),  # a Saturday
        (date(2025, 11, 3), False),
    ],
)
def test_holidays_on_a_weekend_are_not_moved(day: date, holiday: bool) -> None:
    assert is_public_holiday(day) is holiday


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 4, 2), 2, date(2026, 4, 7)),  # Friday, weekend, Easter Monday, Tuesday
        (date(2026, 3, 31), 8, date(2026, 4, 13)),  # commune registration across Easter
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # across Ascension
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Friday → weekend → Whit Monday
        (date(2026, 7, 20), 1, date(2026, 7, 22)),  # across 21 July
        (date(2025, 8, 14), 1, date(2025, 8, 18)),  # across 15 August (Friday) and the weekend
        (date(2025, 10, 31), 1, date(2025, 11, 3)),  # 1 November on a Saturday changes nothing
        (date(2025, 11, 10), 1, date(2025, 11, 12)),  # across 11 November
        (date(2025, 12, 24), 2, date(2025, 12, 29)),  # Christmas, 26 Dec counts, weekend
        (date(2025, 12, 31), 1, date(2026, 1, 2)),  # year boundary and New Year
        (date(2026, 12, 23), 8, date(2027, 1, 6)),  # Christmas and New Year on Fridays
        (date(2026, 3, 7), 0, date(2026, 3, 7)),  # day 0 is the start, even on a Saturday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # arrival on Saturday: Monday is day 1
        (date(2026, 4, 7), -1, date(2026, 4, 3)),  # counting back over Easter Monday
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(1, 40))
def test_working_days_count_exactly_n_working_days(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end)
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(is_working_day(day) for day in days) == n
    assert add_working_days(end, -n) <= start


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 12, 20), 15, date(2027, 1, 4)),
        (date(2026, 3, 1), -30, date(2026, 1, 30)),
    ],
)
def test_add_calendar_days(start: date, n: int, expected: date) -> None:
    assert add_calendar_days(start, n) == expected


@pytest.mark.parametrize(
    ("day", "count", "unit", "expected"),
    [
        (date(2026, 8, 31), 6, "months", date(2027, 2, 28)),  # ex-officio window: no 31 February
        (date(2027, 8, 31), 6, "months", date(2028, 2, 29)),  # leap year
        (date(2027, 3, 31), -2, "months", date(2027, 1, 31)),
        (date(2026, 10, 31), -15, "days", date(2026, 10, 16)),
        (date(2026, 3, 31), 8, "working_days", date(2026, 4, 13)),
    ],
)
def test_shift(day: date, count: int, unit: str, expected: date) -> None:
    assert shift(day, count, unit) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expiry", "earliest", "latest", "expected"),
    [
        (date(2026, 12, 31), 60, 30, (date(2026, 11, 1), date(2026, 12, 1))),
        (date(2027, 3, 31), 60, 30, (date(2027, 1, 30), date(2027, 3, 1))),
        (date(2027, 1, 15), 45, 30, (date(2026, 12, 1), date(2026, 12, 16))),
    ],
)
def test_window_before_expiry(expiry: date, earliest: int, latest: int, expected: tuple[date, date]) -> None:
    assert window_before(expiry, earliest, latest) == expected


def test_window_must_open_before_it_closes() -> None:
    with pytest.raises(ValueError):
        window_before(date(2026, 12, 31), 30, 60)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 9, 1), date(2027, 1, 1)),
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2028, 1, 1)),
    ],
)
def test_next_first_of_january(day: date, expected: date) -> None:
    assert next_first_of_january(day) == expected
