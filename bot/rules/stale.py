"""`guichet rules stale`: the amounts due, or soon due, for an update (rules.md §2.1, §4).

An amount is due when its row is marked stale (``stale_from``: an update is known to be pending),
or when its validity ends with no row to follow it. "Soon" is within ``within`` days of ``on``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.engine.thresholds import USABLE_STATUSES, ThresholdRow

DEFAULT_WITHIN = timedelta(days=60)
StaleKind = Literal["stale", "stale_soon", "ends_soon", "ended"]
STALE_LABELS: dict[str, str] = {
    "stale": "update pending since",
    "stale_soon": "update pending from",
    "ends_soon": "validity ends, nothing follows, on",
    "ended": "validity ended, nothing follows, on",
}


@dataclass(frozen=True)
class StaleAmount:
    """An amount to update: its row, why, and from which day."""

    row: ThresholdRow
    kind: StaleKind
    due: date

    @property
    def overdue(self) -> bool:
        """True when the update is already due (not only soon)."""
        return self.kind in ("stale", "ended")

    def describe(self) -> str:
        """'update pending since 2026-01-01' and the like."""
        return f"{STALE_LABELS[self.kind]} {self.due.isoformat()}"


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
            return StaleAmount(last, "ended", last.valid_to + timedelta(days=1))
        return None
    if current.stale_from is not None and current.stale_from <= horizon:
        return StaleAmount(current, "stale" if current.stale_from <= on else "stale_soon", current.stale_from)
    if current.valid_to is not None and current.valid_to < horizon:
        follows = any(row.valid_from is not None and row.valid_from > current.valid_to for row in versions)
        if not follows:
            return StaleAmount(current, "ends_soon", current.valid_to + timedelta(days=1))
    return None
