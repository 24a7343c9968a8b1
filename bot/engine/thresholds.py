"""The dated thresholds table (rules.md §4): look-up by ID and date, and the meets() comparison.

The packaged ``data/thresholds.csv`` is the default table. A rules pack (``bot.rules``) brings its own
table; the running bot makes it the *active* one with :func:`use_table`, and :func:`active_table`
is what an assessment uses when it is given no table. The engine itself never reads the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict

from bot.engine.assessment import ThresholdUse
from bot.engine.config import DEFAULT_CONFIG, EngineConfig
from bot.engine.sources import Source, TableError, csv_records, packaged_text, source_register, split_sources

USABLE_STATUSES = frozenset({"active", "indicative"})


class ThresholdRow(BaseModel):
    """One row: an amount valid for a window of dates, with its basis and sources."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    amount: float | None
    amount_max: float | None
    unit: str
    basis: str
    period: str
    region: str
    valid_from: date | None
    valid_to: date | None
    stale_from: date | None
    sources: tuple[str, ...]
    origin: str
    confidence: str
    status: str
    note: str

    def valid_on(self, day: date) -> bool:
        """True when ``day`` lies in the row's validity window (open ends are unbounded)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def stale_on(self, day: date) -> bool:
        """True when an update of this amount is known to be pending on ``day`` (rules.md §2.1)."""
        return self.stale_from is not None and day >= self.stale_from

    def use(self, day: date) -> ThresholdUse:
        """The row as cited in an assessment."""
        return ThresholdUse(
            id=self.id,
            amount=self.amount,
            unit=self.unit,
            basis=self.basis,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            sources=list(self.sources),
            confidence=self.confidence,
            stale=self.stale_on(day),
        )


THRESHOLD_COLUMNS = (
    "id",
    "name",
    "amount",
    "amount_max",
    "unit",
    "basis",
    "period",
    "region",
    "valid_from",
    "valid_to",
    "stale_from",
    "sources",
    "origin",
    "confidence",
    "status",
    "note",
)


def _date(cell: str, column: str) -> date | None:
    try:
        return date.fromisoformat(cell.strip()) if cell.strip() else None
    except ValueError:
        raise ValueError(f"{column} {cell!r} is not a date written YYYY-MM-DD") from None


def _amount(cell: str, column: str) -> float | None:
    try:
        return float(cell) if cell.strip() else None
    except ValueError:
        raise ValueError(f"{column} {cell!r} is not a number (use a dot for decimals, no spaces)") from None


class Comparison(StrEnum):
    """Result of comparing a figure with a threshold."""

    MEETS = "meets"
    MEETS_TO_CONFIRM = "meets_to_confirm"  # stale amount, figure clears the safety margin
    REVIEW = "review"  # stale amount, figure within the margin; or no amount known
    FAILS = "fails"


class Check(BaseModel):
    """A comparison with the row it used and user-experience warnings."""

    model_config = ConfigDict(frozen=True)

    result: Comparison
    row: ThresholdRow | None
    required: float | None
    warnings: tuple[str, ...] = ()

    @property
    def passes(self) -> bool:
        """True when the figure meets the threshold (possibly to be confirmed)."""
        return self.result in (Comparison.MEETS, Comparison.MEETS_TO_CONFIRM)


class ThresholdTable:
    """All rows, searchable by ID and date; rejected rows are kept but never used. A rules pack's
    table also carries the pack's source register and occupation lists (None: the packaged ones;
    the lists are read by ``routes_lists`` from the active table)."""

    def __init__(
        self,
        rows: list[ThresholdRow],
        version: str,
        sources: Mapping[str, Source] | None = None,
        lists_text: str | None = None,
    ) -> None:
        self.rows = rows
        self.version = version
        self.sources = sources
        self.lists_text = lists_text

    def register(self) -> Mapping[str, Source]:
        """The source register that goes with these rows."""
        return self.sources if self.sources is not None else source_register()

    def find(self, threshold_id: str, day: date) -> ThresholdRow | None:
        """The usable row of ``threshold_id`` valid on ``day``, or None (then the caller reviews)."""
        for row in self.rows:
            if (
                row.id == threshold_id
                and row.status in USABLE_STATUSES
                and row.amount is not None
                and row.valid_on(day)
            ):
                return row
        return None

    def ids(self) -> set[str]:
        """Every threshold ID in the table."""
        return {row.id for row in self.rows}

    def rejected(self) -> list[ThresholdRow]:
        """Rows kept only to explain why a figure seen elsewhere is not applied."""
        return [row for row in self.rows if row.status in ("rejected", "unverified")]

    def meets(
        self,
        value: float,
        threshold_id: str,
        day: date,
        *,
        required: float | None = None,
        config: EngineConfig = DEFAULT_CONFIG,
    ) -> Check:
        """Compare ``value`` with threshold ``threshold_id`` on ``day`` (``>=``, rules.md §2.1).

        ``required`` overrides the row's amount when the requirement is computed from it
        (e.g. family income +10 % per member); the row still decides validity and staleness.
        """
        row = self.find(threshold_id, day)
        if row is None or row.amount is None:
            return Check(result=Comparison.REVIEW, row=None, required=None, warnings=("AMOUNT_NOT_FOUND",))
        amount = row.amount if required is None else required
        warnings: list[str] = []
        if row.stale_on(day):
            warnings.append("AMOUNT_TO_CONFIRM")
            if value >= amount * (1 + config.stale_margin):
                result = Comparison.MEETS_TO_CONFIRM
            elif value >= amount:
                result = Comparison.REVIEW
            else:
                result = Comparison.FAILS
        else:
            result = Comparison.MEETS if value >= amount else Comparison.FAILS
        if amount <= value < amount * (1 + config.near_margin):
            warnings.append("AT_THRESHOLD")
        elif amount * (1 - config.below_margin) <= value < amount:
            warnings.append("JUST_BELOW")
        return Check(result=result, row=row, required=amount, warnings=tuple(warnings))


def read_threshold_rows(text: str, file: str = "thresholds.csv") -> list[tuple[int, ThresholdRow]]:
    """Each row of a thresholds CSV with its line number; TableError (file, line, reason) for a
    missing column, a wrong number of cells, an empty ID or a cell that is not a date or a number."""
    rows = []
    for line, cell in csv_records(text, THRESHOLD_COLUMNS, file):
        try:
            if not cell["id"].strip():
                raise ValueError("empty id")
            row = ThresholdRow(
                id=cell["id"].strip(),
                name=cell["name"],
                amount=_amount(cell["amount"], "amount"),
                amount_max=_amount(cell["amount_max"], "amount_max"),
                unit=cell["unit"],
                basis=cell["basis"],
                period=cell["period"],
                region=cell["region"],
                valid_from=_date(cell["valid_from"], "valid_from"),
                valid_to=_date(cell["valid_to"], "valid_to"),
                stale_from=_date(cell["stale_from"], "stale_from"),
                sources=tuple(split_sources(cell["sources"])),
                origin=cell["origin"],
                confidence=cell["confidence"],
                status=cell["status"].strip(),
                note=cell["note"],
            )
        except ValueError as exc:
            raise TableError(file, line, str(exc)) from None
        rows.append((line, row))
    return rows


@cache
def threshold_table() -> ThresholdTable:
    """The table shipped with the package; its version is derived from its content."""
    text = packaged_text("thresholds.csv")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    rows = [row for _, row in read_threshold_rows(text)]
    return ThresholdTable(rows, version=f"{RULES_VERSION}+{digest}")


RULES_VERSION = "2026.06-v1"

_active: ThresholdTable | None = None


def use_table(table: ThresholdTable | None) -> None:
    """Make ``table`` the one assessments use from now on (None: back to the packaged table).
    One reference assignment: a turn in progress keeps the table it started with."""
    global _active
    _active = table


def active_table() -> ThresholdTable:
    """The table in force: the one given to :func:`use_table`, else the packaged one."""
    return _active if _active is not None else threshold_table()
