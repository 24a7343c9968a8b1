"""The dated thresholds table (rules.md §4): look-up by ID and date, and the meets() comparison."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from bot.engine.assessment import ThresholdUse
from bot.engine.config import DEFAULT_CONFIG, EngineConfig
from bot.engine.sources import split_sources

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


def _date(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell.strip() else None


def _amount(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


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
    """All rows, searchable by ID and date; rejected rows are kept but never used."""

    def __init__(self, rows: list[ThresholdRow], version: str) -> None:
        self.rows = rows
        self.version = version

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


def _load_rows(text: str) -> list[ThresholdRow]:
    rows = []
    for cell in csv.DictReader(text.splitlines()):
        rows.append(
            ThresholdRow(
                id=cell["id"],
                name=cell["name"],
                amount=_amount(cell["amount"]),
                amount_max=_amount(cell["amount_max"]),
                unit=cell["unit"],
                basis=cell["basis"],
                period=cell["period"],
                region=cell["region"],
                valid_from=_date(cell["valid_from"]),
                valid_to=_date(cell["valid_to"]),
                stale_from=_date(cell["stale_from"]),
                sources=tuple(split_sources(cell["sources"])),
                origin=cell["origin"],
                confidence=cell["confidence"],
                status=cell["status"],
                note=cell["note"],
            )
        )
    return rows


@cache
def threshold_table() -> ThresholdTable:
    """The table shipped with the package; its version is derived from its content."""
    text = resources.files("bot.engine").joinpath("data/thresholds.csv").read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return ThresholdTable(_load_rows(text), version=f"{RULES_VERSION}+{digest}")


RULES_VERSION = "2026.06-v1"
