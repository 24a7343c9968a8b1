"""RV-15: a date close to a legal cut-off is checked by an adviser (rules.md §6.3) — but only when
the date is not yet a fact.

A recorded date (given in the answers and not later than the day of the assessment: a filing, a
grant or a visa that already happened) is applied exactly, whatever its distance to a cut-off. A
planned date (later than that day) or a date the engine had to assume (the answer is missing, so the
day of the assessment stands in for it) may still move, so near a cut-off an adviser checks it.
RV-15 never makes a route's status better: a condition that fails on the date given keeps failing.
"""

from __future__ import annotations

from datetime import date

from bot.engine.constants import count


def near_cutoff(day: date, cutoff: date) -> bool:
    """True when ``day`` lies within the margin either side of ``cutoff``, both ends included.

    With the margin of 3 days and a cut-off on the 10th, the 7th to the 13th are near it.
    """
    return abs((day - cutoff).days) <= count("CUTOFF_MARGIN")


def is_recorded(on: date, *given: date | None) -> bool:
    """True when every date the decision rests on was given and none lies after ``on``."""
    return bool(given) and all(day is not None and day <= on for day in given)


def uncertain_near_cutoff(day: date, cutoff: date, *, recorded: bool) -> bool:
    """RV-15: ``day`` is near ``cutoff`` and is not a recorded fact (planned or assumed)."""
    return not recorded and near_cutoff(day, cutoff)
