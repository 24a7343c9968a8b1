"""`guichet rules stale`: the amounts and lists due, or soon due, for an update (rules.md §2.1, §4).

An amount is due when its row is marked stale (``stale_from``: an update is known to be pending),
or when its validity ends with no row to follow it. "Soon" is within ``within`` days of ``on``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from bot.engine import USABLE_STATUSES, ThresholdRow

DEFAULT_WITHIN = timedelta(days=60)
StaleKind = Literal["stale", "stale_soon", "ends_soon", "ended"]
STALE_LABELS: dict[str, str] = {
    "stale": "update pending since",
    "stale_soon": "update pending from",
    "ends_soon": "validity ends, nothing follows, on",
    "ended": "validity ended, nothing follows, on",
}


@dataclass(frozen=True)
class Due:
    """Why something is due for an update, and from which day."""

    kind: StaleKind
    due: date

    @property
    def overdue(self) -> bool:
        """True when the update is already due (not only soon)."""
        return self.kind in ("stale", "ended")

    def describe(self) -> str:
        """'update pending since 2026-01-01' and the like."""
        return f"{STALE_LABELS[self.kind]} {self.due.isoformat()}"


@dataclass(frozen=True)
class StaleAmount(Due):
    """An amount to update: its row."""

    row: ThresholdRow


@dataclass(frozen=True)
class StaleList(Due):
    """A shortage list whose validity ends (or ended) with no successor loaded."""

    id: str
    name: str
    sources: tuple[str, ...]


def stale_amounts(
    rows: Iterable[ThresholdRow], on: date, within: timedelta = DEFAULT_WITHIN
) -> list[StaleAmount]:
    """The amounts due for an update on ``on`` or within ``within`` after it, the earliest first."""
    horizon = on + within
    by_id: dict[str, list[ThresholdRow]] = {}
    for row in rows:
        if row.status in USABLE_STATUSES and row.amount is not None:
            by_id.setdefault(row.id, []).append(row)
    found = []
    for versions in by_id.values():
        item = _due(versions, on, horizon)
        if item is not None:
            found.append(item)
    return sorted(found, key=lambda item: (item.due, item.row.id))


def _due(versions: list[ThresholdRow], on: date, horizon: date) -> StaleAmount | None:
    current = next((row for row in versions if row.valid_on(on)), None)
    if current is None:
        ended = [row for row in versions if row.valid_to is not None and row.valid_to < on]
        later = [row for row in versions if row.valid_from is not None and row.valid_from > on]
        if ended and not later:
            last = max(ended, key=lambda row: row.valid_to or date.min)
            assert last.valid_to is not None
            return StaleAmount("ended", last.valid_to + timedelta(days=1), last)
        return None
    if current.stale_from is not None and current.stale_from <= horizon:
        return StaleAmount("stale" if current.stale_from <= on else "stale_soon", current.stale_from, current)
    if current.valid_to is not None and current.valid_to < horizon:
        follows = any(row.valid_from is not None and row.valid_from > current.valid_to for row in versions)
        if not follows:
            return StaleAmount("ends_soon", current.valid_to + timedelta(days=1), current)
    return None


def stale_lists(lists: Mapping[str, Any], on: date, within: timedelta = DEFAULT_WITHIN) -> list[StaleList]:
    """The lists of ``occupations.toml`` (parsed) whose validity ends within ``within`` of ``on``, or
    has ended: a new list must be loaded (rules.md §2.4, BXL-SHORT)."""
    found = []
    for list_id, raw in sorted(dict(lists.get("lists", {})).items()):
        end = raw.get("valid_to")
        if isinstance(end, date) and end < on + within:
            kind: StaleKind = "ended" if end < on else "ends_soon"
            found.append(
                StaleList(
                    kind, end + timedelta(days=1), list_id, raw.get("name", ""), tuple(raw.get("sources", ()))
                )
            )
    return found
