"""Employee routes (rules.md §2.3–2.7): pre-checks E-0…E-4, the Brussels, Flemish and Walloon
tables, and intra-corporate transfers. Salary rules are rows of data; the list rules follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.engine.answers import Answers, IctRole, Region
from bot.engine.assessment import RouteCode
from bot.engine.context import Context
from bot.engine.cutoff import is_recorded, uncertain_near_cutoff
from bot.engine.derive import SALARY_FIELD, SALARY_PERIOD, SalaryPeriod, work_region
from bot.engine.message import msg
from bot.engine.routes_base import Cond, RouteDraft, best_per_code, check_amount
from bot.engine.routes_conditions import CONDITIONS, ConditionFacts
from bot.engine.routes_lists import on_list
from bot.engine.routes_residence import unlimited_route
from bot.engine.thresholds import Check

FL_FEE_ID = "FEE_FL_REGION"  # the Flemish single-permit fee, whose start is an RV-15 cut-off
BELGIAN_MONTHS_PER_YEAR = 13.92  # P27: annual gross ÷ 13.92 = monthly, for Belgian contracts


@dataclass(frozen=True)
class SalaryRule:
    """A route granted on a salary threshold.

    ``gates`` decide whether the route concerns the person at all (a failed gate hides it);
    ``conditions`` are further requirements (a failed one shows the route as not met);
    ``review`` is the (RV code, reason key) when the spec's verdict is REVIEW; ``period`` overrides
    the region's salary period (the Brussels athlete amount is annual).
    """

    rule: str
    code: RouteCode
    threshold: str
    gates: tuple[str, ...]
    conditions: tuple[str, ...]
    sources: tuple[str, ...]
    review: tuple[str, str] | None = None
    period: SalaryPeriod | None = None


REGION_SALARY_RULES: dict[Region, tuple[SalaryRule, ...]] = {
    "BXL": (
        SalaryRule(
            "BXL-BC", "BLUE_CARD", "BXL_BC", ("blue_card_qualification",),
            ("contract_6_months",), ("P02", "P01", "P17", "S003"),
        ),
        SalaryRule(
            "BXL-HQ", "HQ", "BXL_HQ", ("higher_ed",), (), ("P02", "P01", "P23", "S003", "P70"),
        ),
        SalaryRule(
            "BXL-EXEC", "EXEC", "BXL_EXEC", ("executive",), (), ("P66", "P23", "S002"),
            review=("RV-06", "route.review.executive"),
        ),
        SalaryRule("BXL-ATH", "HQ", "BXL_ATHLETE", ("athlete",), (), ("P02",), period="year"),
        SalaryRule("BXL-ART", "HQ", "BXL_ARTIST", ("artist",), (), ("P02",)),
    ),
    "FL": (
        SalaryRule(
            "FL-BC", "BLUE_CARD", "FL_BC", ("blue_card_qualification",), ("contract_6_months",),
            ("P02", "P16", "P26", "S003"),
        ),
        SalaryRule(
            "FL-HQ", "HQ", "FL_HQ", ("higher_ed",), ("highly_qualified_function",),
            ("P02", "P03", "P07", "P12"),
        ),
        SalaryRule(
            "FL-HQ-U30", "HQ_REDUCED", "FL_HQ_RED", ("higher_ed", "under_30_or_nurse_teacher"),
            ("highly_qualified_function", "local_employer"), ("P02", "P03", "P07", "P09", "P12", "P70"),
        ),
        SalaryRule(
            "FL-EXEC", "EXEC", "FL_EXEC", ("executive",), (), ("P02",),
            review=("RV-06", "route.review.executive"),
        ),
        SalaryRule("FL-ATH", "HQ", "FL_ATHLETE", ("athlete",), (), ("P02",)),
        SalaryRule("FL-ART", "HQ", "FL_ARTIST", ("artist",), (), ("P02",)),
    ),
    "WAL": (
        SalaryRule(
            "WAL-BC", "BLUE_CARD", "WAL_BC", ("blue_card_qualification",), ("contract_6_months",),
            ("P01", "P04", "S003"),
        ),
        SalaryRule(
            "WAL-BC-JR", "BLUE_CARD", "WAL_BC_JR", ("blue_card_qualification", "junior"),
            ("contract_6_months",), ("P01", "P76"), review=("RV-06", "route.review.junior_blue_card"),
        ),
        SalaryRule("WAL-HQ", "HQ", "WAL_HQ", ("higher_ed",), (), ("P01", "P05", "S003")),
        SalaryRule(
            "WAL-HQ-U30", "HQ_REDUCED", "WAL_HQ_U30", ("higher_ed", "under_30"), (),
            ("P01", "P05", "P76"),
        ),
        SalaryRule(
            "WAL-EXEC", "EXEC", "WAL_EXEC", ("executive",), (), ("P01",),
            review=("RV-06", "route.review.executive"),
        ),
        SalaryRule("WAL-ATH", "HQ", "WAL_ATHLETE", ("athlete",), (), ("P01",)),
        SalaryRule("WAL-ART", "HQ", "WAL_ARTIST", ("artist",), (), ("P01",)),
    ),
}  # fmt: skip

ICT_THRESHOLDS: dict[Region, dict[IctRole, str]] = {
    "BXL": {"manager": "BXL_ICT_MGR", "specialist": "BXL_ICT_SPEC", "trainee": "BXL_ICT_TRAINEE"},
    "FL": {"manager": "FL_ICT_MGR", "specialist": "FL_ICT_SPEC", "trainee": "FL_ICT_TRAINEE"},
    "WAL": {"manager": "WAL_ICT_MGR", "specialist": "WAL_ICT_EXP", "trainee": "WAL_ICT_TRAINEE"},
}
ICT_SOURCES: dict[Region, tuple[str, ...]] = {
    "BXL": ("P02", "P01"),
    "FL": ("P02",),
    "WAL": ("P01", "P04", "P05"),
}
BASIS_KEY: dict[SalaryPeriod, str] = {"month": "route.basis.month_base", "year": "route.basis.year"}


def employee_routes(answers: Answers, ctx: Context) -> list[RouteDraft]:
    """E-0…E-4: the employee routes for the region of the place of work."""
    region = work_region(answers)
    if region is None:
        draft = RouteDraft("NO_ROUTE", "R0-6", status="review")
        draft.need("work_postcode")
        draft.because("route.reason.region_missing")
        return [draft]
    if region == "DG":
        return [_dg_review(ctx)]
    unlimited = unlimited_route(answers, ctx) if _has_unlimited_evidence(answers) else None
    drafts = [unlimited] if unlimited is not None and unlimited.status != "not_met" else []
    if answers.employer_type == "group_transfer_from_non_EU_entity":
        return [*drafts, _ict(answers, ctx, region)]
    region_drafts = _region_routes(answers, ctx, region)
    for draft in region_drafts:
        if answers.employer_type is None:
            draft.need("employer_type")
        if answers.employer_type == "foreign_employer_secondment":
            draft.review("RV-03", "route.review.posted_worker")
            draft.because("route.reason.posted_worker")
    return drafts + region_drafts


def _has_unlimited_evidence(answers: Answers) -> bool:
    """E-3 is only worth checking for someone who already worked or lives in Belgium."""
    return (
        bool(answers.years_worked_be)
        or bool(answers.worked_in_region_months)
        or (answers.legal_residence_since is not None)
    )


def _dg_review(ctx: Context) -> RouteDraft:
    """E-0: the German-speaking Community decides; its figures are historical, not verified."""
    draft = RouteDraft("DG_REVIEW", "E-0", sources=["P21", "P25", "P26"], status="review")
    undated = {row.id: row.amount for row in ctx.table.rejected()}
    draft.because(
        "route.reason.dg_historical",
        hq_eur=undated.get("DG_HQ_UNDATED"),
        exec_eur=undated.get("DG_EXEC_UNDATED"),
    )
    draft.review("RV-01", "route.review.dg")
    return draft


def annual_salary(answers: Answers, region: Region, draft: RouteDraft) -> float | None:
    """Annual gross for Flanders/Wallonia; Flemish Belgian contracts may convert monthly × 13.92 (P27)."""
    if answers.salary_year is not None:
        return answers.salary_year
    if (
        region == "FL"
        and answers.salary_month_base is not None
        and answers.employer_type
        in (
            None,
            "belgian_employer",
        )
    ):
        factor = answers.months_paid or BELGIAN_MONTHS_PER_YEAR
        annual = round(answers.salary_month_base * factor, 2)
        draft.because(
            "route.reason.annualised", monthly_eur=answers.salary_month_base, factor=factor, annual_eur=annual
        )
        draft.cite("P27")
        return annual
    return None


def _check_salary(
    draft: RouteDraft, ctx: Context, answers: Answers, region: Region, threshold_id: str, period: SalaryPeriod
) -> Check | None:
    """The declared salary of ``period`` (annualised where P27 allows) against ``threshold_id``."""
    value = answers.salary_month_base if period == "month" else annual_salary(answers, region, draft)
    return check_amount(
        draft, ctx, value, threshold_id, field_name=SALARY_FIELD[period], basis_key=BASIS_KEY[period]
    )


def _salary_route(rule: SalaryRule, answers: Answers, ctx: Context, region: Region) -> RouteDraft | None:
    facts = ConditionFacts(answers, ctx, region)
    gates = [CONDITIONS[name](facts) for name in rule.gates]
    if any(gate.ok is False for gate in gates):
        return None
    draft = RouteDraft(rule.code, rule.rule, sources=list(rule.sources))
    check = _check_salary(draft, ctx, answers, region, rule.threshold, rule.period or SALARY_PERIOD[region])
    tentative = any(gate.ok is None for gate in gates)
    if tentative and check is not None and draft.status == "not_met":
        return None  # an unsettled gate only matters when the salary could qualify
    for cond in [*gates, *(CONDITIONS[name](facts) for name in rule.conditions)]:
        draft.apply(cond)
    if rule.review is not None and draft.status != "not_met":
        code, key = rule.review
        draft.review(code, key)
    return draft


def _region_routes(answers: Answers, ctx: Context, region: Region) -> list[RouteDraft]:
    """E-4: every route of the region's table, then its list rules and its fallback."""
    drafts = [
        draft
        for rule in REGION_SALARY_RULES[region]
        if (draft := _salary_route(rule, answers, ctx, region)) is not None
    ]
    salary_route_open = any(d.status in ("eligible", "review") for d in drafts)
    filed = answers.application_date or ctx.on
    if region == "BXL":
        drafts += _shortage(answers, ctx, "BXL-SHORT", "ACTIRIS", filed, only_if_yes=salary_route_open)
        if not any(d.status == "eligible" for d in drafts):
            drafts.append(_labour_market_test("BXL-LMT", "route.review.labour_market_test_bxl", ("P23",)))
    elif region == "WAL":
        drafts += _shortage(answers, ctx, "WAL-SHORT", "FOREM", filed, only_if_yes=salary_route_open)
        if not any(d.status == "eligible" for d in drafts):
            drafts.append(_labour_market_test("WAL-LMT", "route.review.labour_market_test_wal", ("P22",)))
    else:
        drafts += _flanders_lists(answers, ctx, filed, only_if_yes=salary_route_open)
        if not any(d.status in ("eligible", "review") for d in drafts):
            drafts.append(_flanders_none(answers))
        _flag_fee_cutoff(drafts, answers, ctx, filed)
    return best_per_code(drafts)


def _flag_fee_cutoff(drafts: list[RouteDraft], answers: Answers, ctx: Context, filed: date) -> None:
    """RV-15 (§6.3): a planned or assumed filing date within 3 days of the start of the Flemish
    single-permit fee (FEE_FL_REGION, 1 September 2026); the routes keep their status."""
    starts = [row.valid_from for row in ctx.table.rows if row.id == FL_FEE_ID and row.status == "active"]
    start = min((day for day in starts if day is not None), default=None)
    recorded = is_recorded(ctx.on, answers.application_date)
    if start is None or not uncertain_near_cutoff(filed, start, recorded=recorded):
        return
    for draft in drafts:
        if draft.code != "NO_ROUTE":
            draft.flag("RV-15", msg("route.review.fee_cutoff", cutoff_date=start.isoformat()))


def _shortage(
    answers: Answers,
    ctx: Context,
    rule: str,
    list_id: Literal["ACTIRIS", "FOREM"],
    filed: date,
    *,
    only_if_yes: bool,
) -> list[RouteDraft]:
    """BXL-SHORT / WAL-SHORT: occupation on the Actiris or FOREM list."""
    recorded = is_recorded(ctx.on, answers.application_date)
    verdict = on_list(
        answers, list_id, day=ctx.ref_date, filed=filed, filed_recorded=recorded, table=ctx.table
    )
    if verdict.status == "no" or (only_if_yes and verdict.status != "yes"):
        return []
    draft = RouteDraft("SHORTAGE", rule, sources=list(verdict.sources))
    draft.apply(
        Cond(None if verdict.status == "unknown" else True, missing=verdict.missing, reviews=verdict.reviews)
    )
    for reason in verdict.reasons:
        draft.because(reason.key, **reason.params)
    draft.because("route.reason.shortage_bxl" if list_id == "ACTIRIS" else "route.reason.shortage_wal")
    return [draft]


def _labour_market_test(rule: str, review_key: str, sources: tuple[str, ...]) -> RouteDraft:
    """BXL-LMT / WAL-LMT: single permit after a vacancy publication; result uncertain."""
    draft = RouteDraft("LABOUR_MARKET_TEST", rule, sources=list(sources))
    draft.review("RV-04", review_key)
    draft.because(review_key.replace("route.review.", "route.reason."))
    return draft


def _flanders_lists(answers: Answers, ctx: Context, filed: date, *, only_if_yes: bool) -> list[RouteDraft]:
    """FL-MED (ministerial medium-skilled list) and FL-OTHER (VDAB list, labour-market test)."""
    qualification = answers.qualification
    if qualification not in ("vocational_level_3_4", "higher_ed_3y_plus"):
        return []
    drafts: list[RouteDraft] = []
    recorded = is_recorded(ctx.on, answers.application_date)
    medium = on_list(
        answers, "FL_MEDIUM", day=ctx.ref_date, filed=filed, filed_recorded=recorded, table=ctx.table
    )
    # A degree holder is only pointed to the medium-skilled routes on a confirmed list match; the
    # "other" category (FL-OTHER) is open to degree holders too, so an unanswered VDAB list leaves it
    # to an adviser (RV-04) instead of concluding that no route exists.
    medium_only_if_yes = only_if_yes or qualification == "higher_ed_3y_plus"
    if medium.status == "yes" or (medium.status == "unknown" and not medium_only_if_yes):
        draft = RouteDraft("MEDIUM_SHORTAGE", "FL-MED", sources=[*medium.sources, "P10", "P11", "P09"])
        draft.apply(
            Cond(None if medium.status == "unknown" else True, missing=medium.missing, reviews=medium.reviews)
        )
        for reason in medium.reasons:
            draft.because(reason.key, **reason.params)
        draft.because("route.reason.medium_sector_scale")
        if qualification == "higher_ed_3y_plus":
            draft.review("RV-04", "route.review.degree_in_medium_function")
        drafts.append(draft)
    elif medium.status == "no" and medium.reasons:
        # a named function off the list on the filing date: say why, and keep any RV-15 of the date
        closed = RouteDraft("MEDIUM_SHORTAGE", "FL-MED", sources=list(medium.sources), status="not_met")
        for reason in medium.reasons:
            closed.because(reason.key, **reason.params)
        for code, message in medium.reviews:
            closed.flag(code, message)
        drafts.append(closed)
    if medium.status != "yes":
        vdab = on_list(
            answers, "FL_VDAB", day=ctx.ref_date, filed=filed, filed_recorded=recorded, table=ctx.table
        )
        if vdab.status == "yes" or (vdab.status == "unknown" and not only_if_yes):
            draft = RouteDraft("LABOUR_MARKET_TEST", "FL-OTHER", sources=[*vdab.sources, "P07"])
            draft.apply(Cond(None, missing=vdab.missing, reviews=vdab.reviews))
            draft.review("RV-04", "route.review.labour_market_test_fl")
            draft.because("route.reason.labour_market_test_fl")
            drafts.append(draft)
    return drafts


def _flanders_none(answers: Answers) -> RouteDraft:
    """FL-NONE: no route in Flanders (VKS 2 excluded except seasonal work, or no list matches)."""
    draft = RouteDraft("NO_ROUTE", "FL-NONE", sources=["P10", "P74", "P07"], status="review")
    if answers.has_special("seasonal"):
        draft.because("route.reason.fl_none_seasonal")
    elif answers.qualification in ("vocational_level_2", "none"):
        draft.because("route.reason.fl_none_low_skilled")
    else:
        draft.because("route.reason.fl_none")
    if answers.qualification is None:
        draft.need("qualification")
    return draft


def _ict(answers: Answers, ctx: Context, region: Region) -> RouteDraft:
    """E-1 → ICT-BXL / ICT-FL / ICT-WAL; any condition beyond salary is not documented (ICT-?)."""
    draft = RouteDraft("ICT", f"ICT-{region}", sources=list(ICT_SOURCES[region]))
    role = answers.ict_role
    if role is None:
        draft.need("ict_role")
        draft.worsen("review")
        draft.because("route.reason.figure_missing", field_key="outcome.field.ict_role")
    else:
        draft.because("route.reason.ict_role", role_key=f"route.ict_role.{role}")
        _check_salary(draft, ctx, answers, region, ICT_THRESHOLDS[region][role], SALARY_PERIOD[region])
    draft.because("route.reason.ict_other_conditions")
    draft.flag("RV-03", msg("route.review.ict_conditions"))
    return draft
