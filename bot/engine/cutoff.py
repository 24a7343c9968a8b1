"""RV-15: a date close to a legal cut-off is checked by an adviser (rules.md §6.3)."""

from __future__ import annotations

from datetime import date

from bot.engine.constants import count


def near_cutoff(day: date, cutoff: date) -> bool:
    """True when ``day`` lies within the margin either side of ``cutoff``, both ends included.

    With the margin of 3 days and a cut-off on the 10th, the 7th to the 13th are near it.
    """
    return abs((day - cutoff).days) <= count("CUTOFF_MARGIN")
