"""Shared pieces of the permit-route rules (rules.md §2): a route being built, conditions,
threshold checks and the order in which routes are shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.engine.assessment import (
    ROUTE_CODES,
    ROUTE_STATUSES,
    RouteCode,
    RouteResult,
    RouteStatus,
    ThresholdUse,
)
from bot.engine.context import Context, Findings
from bot.engine.message import Message, ParamValue, msg
from bot.engine.thresholds import USABLE_STATUSES, Check, Comparison, ThresholdRow

DATE_REVIEW = "RV-15"
STATUS_RANK: dict[RouteStatus, int] = {status: rank for rank, status in enumerate(ROUTE_STATUSES)}


@dataclass(frozen=True)
class Cond:
    """The outcome of one condition: met (True), not met (False) or uncertain (None).

    ``reason`` explains it, ``missing`` names the answer fields that would settle it,
    ``reviews`` are (RV code, message) pairs an adviser must check if the route stays open,
    ``rule`` replaces the route's rule ID (e.g. FL-HQ-?).
    """

    ok: bool | None
    reason: Message | None = None
    missing: tuple[str, ...] = ()
    reviews: tuple[tuple[str, Message], ...] = ()
    rule: str | None = None


MET = Cond(True)


@dataclass
class RouteDraft:
    """A route being evaluated; review codes and missing fields are only reported when the
    route stays open (a route that fails anyway does not need an adviser)."""

    code: RouteCode
    rule: str
    sources: list[str] = field(default_factory=list)
    status: RouteStatus = "eligible"
    thresholds: list[ThresholdUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reasons: list[Message] = field(default_factory=list)
    reviews: list[tuple[str, Message]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    gap: float | None = None  # how far a failed salary is below its threshold

    def worsen(self, status: RouteStatus) -> None:
        """Lower the status to ``status`` if that is worse than the current one."""
        if STATUS_RANK[status] > STATUS_RANK[self.status]:
            self.status = status

    def because(self, key: str, **params: ParamValue) -> None:
        """Add an explanation."""
        message = msg(key, **params)
        if message not in self.reasons:
            self.reasons.append(message)

    def review(self, code: str, key: str, **params: ParamValue) -> None:
        """Ask an adviser (rules.md §6.3) and mark the route as to be reviewed."""
        self.worsen("review")
        self.flag(code, msg(key, **params))

    def flag(self, code: str, message: Message) -> None:
        """Attach a review code without changing the status."""
        if (code, message) not in self.reviews:
            self.reviews.append((code, message))

    def need(self, *fields: str) -> None:
        """Answer fields that would settle an uncertain condition."""
        for name in fields:
            if name not in self.missing:
                self.missing.append(name)

    def cite(self, *sources: str) -> None:
        """Add source IDs."""
        for source in sources:
            if source not in self.sources:
                self.sources.append(source)

    def uses(self, row: ThresholdRow, day: date) -> None:
        """Record a threshold row the decision relied on."""
        use = row.use(day)
        if use not in self.thresholds:
            self.thresholds.append(use)
        self.cite(*row.sources)

    def warn(self, *warnings: str) -> None:
        """Add threshold warnings (AT_THRESHOLD, JUST_BELOW, AMOUNT_TO_CONFIRM, AMOUNT_NOT_FOUND)."""
        for warning in warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)

    def apply(self, cond: Cond) -> None:
        """Fold a condition into the route."""
        if cond.rule is not None:
            self.rule = cond.rule
        if cond.reason is not None and cond.reason not in self.reasons:
            self.reasons.append(cond.reason)
        for code, message in cond.reviews:
            self.flag(code, message)
        if cond.ok is False:
            self.worsen("not_met")
        elif cond.ok is None:
            self.worsen("review")
            self.need(*cond.missing)

    def finish(self, findings: Findings) -> RouteResult:
        """The route as reported; review codes and missing fields go to ``findings`` unless not met.

        RV-15 (a planned or assumed date near a cut-off) is reported even for a route that fails on
        that date: the route keeps its status, but the date may still move (cutoff.py)."""
        for code, message in self.reviews:
            if self.status != "not_met" or code == DATE_REVIEW:
                findings.review(code, message.key, **message.params)
        if self.status != "not_met":
            findings.need(*self.missing)
        return RouteResult(
            code=self.code,
            rule=self.rule,
            status=self.status,
            thresholds=self.thresholds,
            warnings=self.warnings,
            sources=self.sources,
            reasons=self.reasons,
        )


def check_amount(
    draft: RouteDraft,
    ctx: Context,
    value: float | None,
    threshold_id: str,
    *,
    field_name: str,
    basis_key: str,
    day: date | None = None,
    required: float | None = None,
) -> Check | None:
    """Compare a declared figure with a threshold through ``meets()`` (rules.md §2.1) and fold
    the verdict, the row used, its warnings and an explanation with the figures into ``draft``.

    Returns None when the figure is missing (the route becomes "review" and the field is needed).
    """
    on = day or ctx.ref_date
    named: dict[str, ParamValue] = {
        "threshold_id": threshold_id,
        "threshold_key": threshold_key(threshold_id),
    }
    if value is None:
        draft.need(field_name)
        draft.worsen("review")
        draft.because("route.reason.figure_missing", field_key=f"outcome.field.{field_name}")
        return None
    check = ctx.table.meets(value, threshold_id, on, required=required, config=ctx.config)
    draft.warn(*check.warnings)
    row = check.row
    if row is None or check.required is None:
        draft.review("RV-02", "route.review.amount_not_found", ref_date=on.isoformat(), **named)
        draft.because("route.reason.amount_not_found", ref_date=on.isoformat(), **named)
        return check
    draft.uses(row, on)
    params: dict[str, ParamValue] = {
        "basis_key": basis_key,
        "salary_eur": value,
        "threshold_eur": check.required,
        **named,
        "valid_from_date": row.valid_from.isoformat() if row.valid_from else None,
    }
    margin = round(check.required * (1 + ctx.config.stale_margin), 2)
    if check.result is Comparison.MEETS:
        draft.because("route.reason.salary_meets", **params)
    elif check.result is Comparison.MEETS_TO_CONFIRM:
        draft.because("route.reason.salary_meets_to_confirm", margin_eur=margin, **params)
    elif check.result is Comparison.REVIEW:
        draft.because("route.reason.salary_within_margin", margin_eur=margin, **params)
        draft.review(
            "RV-02",
            "route.review.amount_stale",
            threshold_eur=check.required,
            margin_eur=margin,
            **named,
        )
    else:
        draft.worsen("not_met")
        draft.gap = round(check.required - value, 2)
        draft.because("route.reason.salary_below", gap_eur=draft.gap, **params)
    return check


def threshold_key(threshold_id: str) -> str:
    """The locale key of a threshold's name, for sentences (the ID itself is for operators)."""
    return f"threshold.name.{threshold_id}"


def latest_row(ctx: Context, threshold_id: str, day: date) -> ThresholdRow | None:
    """The usable row of ``threshold_id`` that started last on or before ``day`` (ST-2)."""
    rows = [
        row
        for row in ctx.table.rows
        if row.id == threshold_id
        and row.status in USABLE_STATUSES
        and row.amount is not None
        and row.valid_from is not None
        and row.valid_from <= day
    ]
    return max(rows, key=lambda row: row.valid_from or date.min, default=None)


def _preference(draft: RouteDraft) -> tuple[int, float]:
    return STATUS_RANK[draft.status], draft.gap if draft.gap is not None else float("inf")


def best_per_code(drafts: list[RouteDraft]) -> list[RouteDraft]:
    """Keep, for each route code, the first draft with the best status (the closest when not met)."""
    best: dict[RouteCode, RouteDraft] = {}
    for draft in drafts:
        kept = best.get(draft.code)
        if kept is None or _preference(draft) < _preference(kept):
            best[draft.code] = draft
    return [draft for draft in drafts if best[draft.code] is draft]


def route_order(result: RouteResult) -> tuple[int, int]:
    """Sort key: eligible, then review, then not met; within a status the E-4 preference."""
    return STATUS_RANK[result.status], ROUTE_CODES.index(result.code)
