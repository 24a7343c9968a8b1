"""Long-term routes: the unlimited-duration single permit (rules.md §2.12) and EU long-term
residence (§2.13)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.engine.answers import Answers, Region
from bot.engine.constants import count
from bot.engine.context import Context
from bot.engine.derive import add_months, add_years, in_list, work_region
from bot.engine.message import ParamValue, msg
from bot.engine.routes_base import MET, Cond, RouteDraft, check_amount, threshold_key

PathBasis = Literal["any", "eu_long_term", "blue_card", "turkish_family", "turkish", "agreement", "family"]


@dataclass(frozen=True)
class UnlimitedPath:
    """One way to the unlimited single permit: who it is for and the years of work it needs."""

    rule: str
    basis: PathBasis
    years: float
    window_months: int
    sources: tuple[str, ...]
    medium_confidence: bool = False


UNLIMITED_PATHS: dict[Region, tuple[UnlimitedPath, ...]] = {
    "FL": (
        UnlimitedPath("UNL-FL-LTR", "eu_long_term", 1.0, 18, ("P20",)),
        UnlimitedPath("UNL-FL-TR", "turkish_family", 2.0, 60, ("P20",)),
        UnlimitedPath("UNL-FL-TR", "turkish", 3.0, 60, ("P20",)),
        UnlimitedPath("UNL-FL", "any", 4.0, 60, ("P20",)),
    ),
    "WAL": (
        UnlimitedPath("UNL-WAL", "eu_long_term", 1.0, 120, ("P21",)),
        UnlimitedPath("UNL-WAL", "blue_card", 1.0, 120, ("P76",), medium_confidence=True),
        UnlimitedPath("UNL-WAL", "family", 2.0, 120, ("P21",), medium_confidence=True),
        UnlimitedPath("UNL-WAL", "agreement", 3.0, 120, ("P21",)),
        UnlimitedPath("UNL-WAL", "any", 4.0, 120, ("P21",)),
    ),
}
BXL_MONTHS = count("UNLIMITED_BXL_MONTHS")  # months of residence and of single-permit work in Brussels
BXL_OTHER_REGIONS_YEARS = count("UNLIMITED_BXL_OTHER_REGIONS")  # when the permits come from other regions
BXL_AGREEMENT_YEARS = count("UNLIMITED_BXL_AGREEMENT")
BXL_FAMILY_YEARS = count("UNLIMITED_BXL_FAMILY")
LTR_YEARS = count("LTR_AFTER")
LTR_MAX_SINGLE_ABSENCE_MONTHS = count("LTR_MAX_SINGLE_ABSENCE")
LTR_MAX_TOTAL_ABSENCE_MONTHS = count("LTR_MAX_TOTAL_ABSENCE")
NON_SALARY_INCOME = frozenset(
    {"unemployment", "social_assistance", "child_benefit", "self_employed", "other"}
)


def _path_applies(path: UnlimitedPath, answers: Answers) -> bool:
    nationalities = answers.nationalities
    match path.basis:
        case "any":
            return True
        case "eu_long_term":
            return answers.eu_long_term_resident_elsewhere is True
        case "blue_card":
            return answers.card_type == "H-Blue-Card"
        case "turkish_family":
            return in_list(nationalities, "turkey") and answers.family_legally_resident is True
        case "turkish":
            return in_list(nationalities, "turkey")
        case "agreement":
            return in_list(nationalities, "agreement_countries")
        case "family":
            return answers.family_legally_resident is True


def unlimited_route(answers: Answers, ctx: Context) -> RouteDraft:
    """E-3 / R0-11: the unlimited single permit in the region of official residence.

    The answers hold the place of work, not the official residence: the work region is used as
    a proxy and the reasons say so.
    """
    region = work_region(answers)
    draft = RouteDraft("UNLIMITED", "E-3", sources=["S002", "P80"])
    if region is None:
        draft.need("work_postcode")
        draft.worsen("review")
        draft.because("route.reason.region_missing")
        return draft
    draft.because("route.reason.region_proxy", region_key=f"route.region.{region}")
    if region == "DG":
        draft.rule = "UNL-DG"
        draft.review("RV-05", "route.review.unlimited_dg")
        draft.review("RV-01", "route.review.dg")
        return draft
    draft.apply(_legal_residence(answers))
    if region == "BXL":
        _brussels(answers, ctx, draft)
        return draft
    paths = [path for path in UNLIMITED_PATHS[region] if _path_applies(path, answers)]
    path = min(paths, key=lambda p: p.years)
    draft.rule = path.rule
    draft.cite(*path.sources)
    years = answers.years_worked_be
    params: dict[str, ParamValue] = {
        "required_years": path.years,
        "window_months": path.window_months,
        "path_key": f"route.unlimited_path.{path.basis}",
    }
    if years is None:
        draft.apply(Cond(None, missing=("years_worked_be",)))
        draft.because("route.reason.unlimited_years_needed", **params)
    elif years >= path.years:
        draft.because("route.reason.unlimited_years_met", years=years, **params)
    else:
        draft.worsen("not_met")
        draft.because("route.reason.unlimited_years_short", years=years, **params)
    if path.medium_confidence:
        draft.because("route.reason.unlimited_medium_confidence")
    return draft


def _legal_residence(answers: Answers) -> Cond:
    if answers.legal_residence_since is None:
        return Cond(None, missing=("legal_residence_since",))
    return MET


def _brussels(answers: Answers, ctx: Context, draft: RouteDraft) -> None:
    """UNL-BXL: sources conflict (K-11) — "likely eligible" is always reviewed (RV-05)."""
    draft.rule = "UNL-BXL"
    draft.cite("P18", "P19")
    since = answers.legal_residence_since
    years = answers.years_worked_be
    months_here = answers.worked_in_region_months
    resided = since is not None and add_months(since, BXL_MONTHS) <= ctx.ref_date
    worked = (months_here is not None and months_here >= BXL_MONTHS) or (
        years is not None and years >= BXL_OTHER_REGIONS_YEARS
    )
    short_path = years is not None and (
        (in_list(answers.nationalities, "agreement_countries") and years >= BXL_AGREEMENT_YEARS)
        or (answers.family_legally_resident is True and years >= BXL_FAMILY_YEARS)
    )
    if (resided and worked) or short_path:
        draft.review("RV-05", "route.review.unlimited_bxl")
        draft.because("route.reason.unlimited_bxl_likely")
    elif since is None or (months_here is None and years is None):
        draft.apply(Cond(None, missing=("worked_in_region_months", "years_worked_be")))
        draft.because("route.reason.unlimited_bxl_needs")
    else:
        draft.worsen("not_met")
        draft.because("route.reason.unlimited_bxl_short", months=BXL_MONTHS)


def ltr_route(answers: Answers, ctx: Context) -> RouteDraft:
    """LTR-1 (with the LTR-2 note): EU long-term resident status, card D."""
    draft = RouteDraft("LTR", "LTR-1", sources=["P56"])
    draft.apply(_five_years(answers, ctx))
    draft.apply(_absences(answers))
    _resources(answers, ctx, draft)
    insurance = answers.insurance_ok
    if insurance == "no":
        draft.apply(Cond(False, reason=msg("route.reason.ltr_no_insurance")))
    elif insurance != "yes":
        draft.apply(Cond(None, missing=("insurance_ok",) if insurance is None else ()))
    if answers.red_flags:
        draft.review("RV-13", "route.review.red_flags")
    elif answers.red_flags is None:
        draft.apply(Cond(None, missing=("red_flags",)))
    if answers.income_source in NON_SALARY_INCOME:
        draft.review(
            "RV-12",
            "route.review.ltr_income_source",
            income_key=f"route.income_source.{answers.income_source}",
        )
    draft.because("route.reason.ltr_language")  # LTR-2: no language condition for card D (K-21)
    draft.cite("S003")
    return draft


def _five_years(answers: Answers, ctx: Context) -> Cond:
    since = answers.legal_residence_since
    if since is None:
        return Cond(None, missing=("legal_residence_since",))
    from_day = add_years(since, LTR_YEARS)
    if from_day <= ctx.ref_date:
        return Cond(True, reason=msg("route.reason.ltr_five_years", since_date=since.isoformat()))
    return Cond(False, reason=msg("route.reason.ltr_not_yet", from_date=from_day.isoformat()))


def _absences(answers: Answers) -> Cond:
    longest, total = answers.longest_absence_months, answers.total_absence_months
    if longest is None or total is None:
        missing = tuple(
            name
            for name, value in (("longest_absence_months", longest), ("total_absence_months", total))
            if value is None
        )
        return Cond(None, missing=missing)
    if longest <= LTR_MAX_SINGLE_ABSENCE_MONTHS and total <= LTR_MAX_TOTAL_ABSENCE_MONTHS:
        return MET
    return Cond(False, reason=msg("route.reason.ltr_absences", longest=longest, total=total))


def _resources(answers: Answers, ctx: Context, draft: RouteDraft) -> None:
    """Stable resources ≥ LTR_BASE + dependants × LTR_DEP, through meets()."""
    dependants = answers.dependants
    if dependants is None:
        draft.apply(Cond(None, missing=("dependants",)))
    base = ctx.table.find("LTR_BASE", ctx.ref_date)
    step = ctx.table.find("LTR_DEP", ctx.ref_date)
    required = None
    if base is not None and base.amount is not None and dependants:
        if step is None or step.amount is None:
            draft.review(
                "RV-02",
                "route.review.amount_not_found",
                threshold_id="LTR_DEP",
                threshold_key=threshold_key("LTR_DEP"),
                ref_date=ctx.ref_date.isoformat(),
            )
        else:
            required = base.amount + dependants * step.amount
            draft.uses(step, ctx.ref_date)
    check_amount(
        draft,
        ctx,
        answers.net_income_month,
        "LTR_BASE",
        field_name="net_income_month",
        basis_key="route.basis.resources_month",
        required=required,
    )
