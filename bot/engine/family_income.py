"""Sponsor income for family reunification (rules.md §3.4, FR-INC-1…8).

Amounts are computed from the table's unrounded values (``Decimal``) and rounded to the cent once;
the comparison uses the cent amount the person is shown, with ``>=`` (K-9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from bot.engine.answers import Answers
from bot.engine.assessment import RuleSet, ThresholdUse
from bot.engine.context import Context, Findings
from bot.engine.family_sponsor import Sponsor
from bot.engine.message import Message, msg
from bot.engine.thresholds import Comparison

IncomeStatus = Literal["ok", "review", "unknown", "not_applicable"]
EXCLUDED_SOURCES: frozenset[str] = frozenset({"social_assistance", "child_benefit"})  # FR-INC-3
REVIEWED_SOURCES: frozenset[str] = frozenset({"self_employed", "pension", "other"})  # RV-12, counted
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Household:
    """Who counts for the +10 % (rules.md §3.4): N, the non-minor count (reading B1), and the
    'only minor children apply' situation (FR-INC-5/6, reading B2)."""

    dependants: int
    non_minor_dependants: int
    applicants: int
    only_minor_children_apply: bool


@dataclass(frozen=True)
class Requirement:
    """The verdict threshold, the alternative published reading, and the band where readings differ."""

    required: float
    alternative: float | None
    low: float
    high: float
    rows: tuple[ThresholdUse, ...]


@dataclass
class IncomeVerdict:
    """Outcome of the income condition, for the family and for the ex-officio income path."""

    status: IncomeStatus
    rules: list[str] = field(default_factory=list)
    required: float | None = None
    alternative: float | None = None
    thresholds: list[ThresholdUse] = field(default_factory=list)
    reasons: list[Message] = field(default_factory=list)


def cents(value: Decimal) -> float:
    """A euro amount rounded half-up to the cent."""
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _dec(value: float | None) -> Decimal:
    return Decimal(str(value))


def new_rule_amounts(
    ctx: Context, day: date, dependants: int
) -> tuple[float, float, tuple[ThresholdUse, ...]] | None:
    """(A1, A2, rows) for ``dependants`` under the NEW rules, or None when an amount is missing.

    A1 = FR_NEW_BASE + (N − 1) × FR_STEP_A1; A2 = FR_NEW_BASE + (N − 1) × FR_STEP_A2 (rules.md §3.4).
    """
    rows = [ctx.table.find(row_id, day) for row_id in ("FR_NEW_BASE", "FR_STEP_A1", "FR_STEP_A2")]
    base, step_a1, step_a2 = rows
    if base is None or step_a1 is None or step_a2 is None:
        return None
    extra = max(dependants, 1) - 1
    a1 = _dec(base.amount) + extra * _dec(step_a1.amount)
    a2 = _dec(base.amount) + extra * _dec(step_a2.amount)
    return cents(a1), cents(a2), tuple(row.use(day) for row in (base, step_a1, step_a2))


def requirement(
    ctx: Context, day: date, rule_set: RuleSet, household: Household, b2_applies: bool
) -> Requirement | None:
    """The amount required on ``day`` (None when no amount is known for that date)."""
    if rule_set == "OLD":
        row = ctx.table.find("FR_OLD", day)
        if row is None or row.amount is None:
            return None
        amount = cents(_dec(row.amount))
        return Requirement(amount, None, amount, amount, (row.use(day),))
    counted = household.dependants if ctx.config.fr_count_minors else max(household.non_minor_dependants, 1)
    amounts = new_rule_amounts(ctx, day, counted)
    if amounts is None:
        return None
    a1, a2, rows = amounts
    required, alternative = (a1, a2) if ctx.config.fr_increment_basis == "base_amount" else (a2, a1)
    readings = [a1, a2]
    if b2_applies:  # FR-INC-6: reading B2, no increase when only minor children join a worker
        readings.append(cents(_dec(rows[0].amount)))
    return Requirement(required, alternative, min(readings), max(readings), rows)


def _counted_income(
    answers: Answers, verdict: IncomeVerdict, findings: Findings, sponsor: Sponsor
) -> float | None:
    """The income that counts, recording FR-INC-3/4 and RV-12; None when it is unknown."""
    source = answers.income_source
    if source is None and not (sponsor.is_respondent and sponsor.worker):
        findings.need("income_source")
    declared = answers.sponsor_net_income
    if declared is None:
        findings.need("sponsor_net_income")
        return None
    if source in EXCLUDED_SOURCES:
        verdict.rules.append("FR-INC-3")
        verdict.reasons.append(
            msg("family.income.excluded_source", source_key=f"family.income_source.{source}")
        )
        findings.review("RV-12", "family.review.income_excluded", source_key=f"family.income_source.{source}")
        return 0.0
    if source == "unemployment":
        verdict.rules.append("FR-INC-4")
        verdict.status = "review"
        findings.review("RV-12", "family.review.income_unemployment")
    elif source in REVIEWED_SOURCES:
        verdict.status = "review"
        findings.review("RV-12", "family.review.income_source", source_key=f"family.income_source.{source}")
    return declared


def assess_income(
    answers: Answers,
    ctx: Context,
    findings: Findings,
    *,
    day: date,
    rule_set: RuleSet,
    sponsor: Sponsor,
    household: Household,
    exemption_possible: bool,
) -> IncomeVerdict:
    """FR-INC-1…8 for the whole family: status ``ok`` only when the income safely meets the amount."""
    if household.applicants == 0:
        return IncomeVerdict("not_applicable")
    if sponsor.type == "eu_eea_ch":  # FR-INC-7: no figure for EU sponsors
        findings.review("RV-12", "family.review.income_eu")
        return IncomeVerdict("review", ["FR-INC-7"], reasons=[msg("family.income.eu_sponsor")])
    b2 = sponsor.exofficio_candidate and household.only_minor_children_apply and rule_set == "NEW"
    need = requirement(ctx, day, rule_set, household, b2)
    main_rule = "FR-INC-1" if rule_set == "OLD" else "FR-INC-2"
    verdict = IncomeVerdict("ok", [main_rule])
    if need is None:
        findings.review("RV-02", "family.review.amount_not_found", date_date=day.isoformat())
        verdict.status = "review"
        verdict.reasons.append(msg("family.income.not_found", date_date=day.isoformat()))
        return verdict
    verdict.required, verdict.alternative = need.required, need.alternative
    verdict.thresholds = list(need.rows)
    if rule_set == "OLD":
        verdict.reasons.append(msg("family.income.old", required_eur=need.required))
    else:
        verdict.reasons.append(
            msg(
                "family.income.new",
                required_eur=need.required,
                alt_eur=need.alternative,
                members=household.dependants,
            )
        )
        if b2:
            verdict.rules.append("FR-INC-6")
            verdict.reasons.append(msg("family.income.minors_b2", b2_eur=need.low))
    if any(use.stale for use in need.rows):
        verdict.rules.append("FR-INC-8")
    income = _counted_income(answers, verdict, findings, sponsor)
    if income is None:
        verdict.status = "unknown"
        return verdict
    _compare(income, need, ctx, day, rule_set, verdict, findings, exemption_possible)
    return verdict


def _compare(
    income: float,
    need: Requirement,
    ctx: Context,
    day: date,
    rule_set: RuleSet,
    verdict: IncomeVerdict,
    findings: Findings,
    exemption_possible: bool,
) -> None:
    row_id = "FR_OLD" if rule_set == "OLD" else "FR_NEW_BASE"
    check = ctx.table.meets(income, row_id, day, required=need.required, config=ctx.config)
    params = {"income_eur": income, "required_eur": need.required}
    if check.result is Comparison.REVIEW:
        verdict.status = "review"
        findings.review("RV-02", "family.review.income_stale", **params)
        verdict.reasons.append(msg("family.income.stale", **params))
        return
    if check.passes and income < need.high:
        verdict.status = "review"
        findings.review("RV-07", "family.review.income_band", low_eur=need.low, high_eur=need.high)
        verdict.reasons.append(
            msg("family.income.band", income_eur=income, low_eur=need.low, high_eur=need.high)
        )
        return
    if check.passes:
        key = (
            "family.income.meets_to_confirm"
            if check.result is Comparison.MEETS_TO_CONFIRM
            else "family.income.meets"
        )
        verdict.reasons.append(msg(key, **params))
        if income == need.required:
            verdict.reasons.append(msg("family.income.exactly", required_eur=need.required))
        elif "AT_THRESHOLD" in check.warnings:
            verdict.reasons.append(msg("family.income.at_threshold", required_eur=need.required))
        return
    verdict.status = "review"
    if exemption_possible:
        verdict.rules.append("FR-INC-5")
        findings.review("RV-07", "family.review.income_exemption")
        verdict.reasons.append(msg("family.income.exemption", **params))
    elif income >= need.low:
        findings.review("RV-07", "family.review.income_band", low_eur=need.low, high_eur=need.high)
        verdict.reasons.append(
            msg("family.income.band", income_eur=income, low_eur=need.low, high_eur=need.high)
        )
    elif rule_set == "OLD":
        findings.review("RV-22", "family.review.income_below_old", **params)
        verdict.reasons.append(msg("family.income.below_old", **params))
    else:
        findings.review("RV-22", "family.review.income_below", **params)
        verdict.reasons.append(msg("family.income.below", **params))
