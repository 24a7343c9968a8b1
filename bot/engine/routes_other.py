"""Routes of the other purposes: self-employed (rules.md §2.8), student (§2.9), researcher
(§2.10) and search year (§2.11)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.engine.answers import Answers
from bot.engine.context import Context
from bot.engine.derive import academic_year_date, academic_year_of, add_months, work_region
from bot.engine.message import msg
from bot.engine.routes_base import NEAR_CUTOFF_DAYS, Cond, Draft, check_amount, latest_row

SEARCH_YEAR_LEAD_DAYS = 15  # P48: apply at the latest 15 days before the A card expires
MOBILITY_MONTHS = 3  # P49: graduates abroad after a mobility programme apply within 3 months
EEA_FAMILY_CARDS = frozenset({"F", "F+"})


def self_employed_route(answers: Answers) -> Draft:
    """SE-EX / SE-1: professional card from the Region where the business is established."""
    draft = Draft("PROFESSIONAL_CARD", "SE-1", sources=["P57", "P79", "P64", "P77"])
    region = answers.se_region or work_region(answers)
    if region is None:
        draft.need("se_region")
    else:
        draft.because("route.reason.professional_card_region", region_key=f"route.region.{region}")
    if answers.card_type in EEA_FAMILY_CARDS:
        draft.rule = "SE-EX"
        draft.worsen("review")
        draft.because("route.reason.professional_card_exempt")
        return draft
    access = answers.se_access_ok
    if access == "yes":
        draft.because("route.reason.professional_card_examined")
    else:
        draft.apply(
            Cond(
                None,
                reason=msg("route.reason.professional_card_access"),
                missing=("se_access_ok",) if access is None else (),
            )
        )
    return draft


def student_route(answers: Answers, ctx: Context) -> Draft:
    """ST-1 / ST-2: admitted to higher education and means ≥ STUDENT_MEANS of the academic year."""
    draft = Draft("STUDENT", "ST-1", sources=["P46", "P47"])
    admitted = answers.study_admitted
    if admitted is None:
        draft.apply(Cond(None, missing=("study_admitted",)))
    elif not admitted:
        draft.apply(Cond(False, reason=msg("route.reason.study_not_admitted")))
    academic_year = answers.academic_year
    if academic_year is None:
        draft.need("academic_year")
        academic_year = academic_year_of(ctx.ref_date)
    day = academic_year_date(academic_year)
    if ctx.table.find("STUDENT_MEANS", day) is None:
        _means_without_amount(draft, ctx, answers.means_month, academic_year, rule="ST-2")
    else:
        check_amount(
            draft,
            ctx,
            answers.means_month,
            "STUDENT_MEANS",
            field_name="means_month",
            basis_key="route.basis.means_month",
            day=day,
        )
    if answers.means_type is not None:
        draft.because("route.reason.means_type", means_key=f"route.means.{answers.means_type}")
    return draft


def _means_without_amount(
    draft: Draft, ctx: Context, means: float | None, academic_year: str, *, rule: str
) -> None:
    """ST-2 / RV-16: no official amount for the academic year — show the last one and review."""
    day = academic_year_date(academic_year)
    last = latest_row(ctx, "STUDENT_MEANS", day)
    draft.rule = rule
    draft.cite("P46")
    if last is None or last.amount is None or last.valid_from is None:
        draft.review("RV-16", "route.review.means_unknown", academic_year=academic_year)
        return
    draft.uses(last, last.valid_from)
    draft.because(
        "route.reason.means_last_official",
        academic_year=academic_year,
        last_academic_year=academic_year_of(last.valid_from),
        threshold_eur=last.amount,
    )
    if means is not None:
        key = "route.reason.means_above_last" if means >= last.amount else "route.reason.means_below_last"
        draft.because(key, salary_eur=means, threshold_eur=last.amount)
    else:
        draft.need("means_month")
    draft.review(
        "RV-16",
        "route.review.means_unknown_year",
        academic_year=academic_year,
        threshold_eur=last.amount,
        last_academic_year=academic_year_of(last.valid_from),
    )


def researcher_route(answers: Answers) -> Draft:
    """RS-1 / RS-2: hosting agreement with a recognised research organisation."""
    draft = Draft("RESEARCHER", "RS-1", sources=["P75", "P76", "S001"])
    hosting = answers.hosting_agreement
    if hosting is None and answers.has_special("researcher_hosting_agreement"):
        hosting = True
    postdoc = bool(answers.postdoc) or answers.has_special("postdoc")
    if hosting:
        draft.because("route.reason.researcher_hosting")
        if work_region(answers) == "WAL":
            draft.because("route.reason.researcher_wal_exempt")
    elif postdoc:
        draft.rule = "RS-2"
        draft.review("RV-06", "route.review.postdoc_no_hosting")
    elif hosting is False:
        draft.review("RV-06", "route.review.researcher_no_hosting")
    else:
        draft.apply(Cond(None, missing=("hosting_agreement",)))
    return draft


def search_year_route(answers: Answers, ctx: Context) -> Draft:
    """SY-1…SY-4: the search year after studies or research in Belgium."""
    draft = Draft("SEARCH_YEAR", "SY-1", sources=["P48", "P49"])
    applied = answers.application_date or ctx.on
    if answers.mobility_programme and answers.graduated_be is not True:
        _abroad_after_mobility(answers, draft, applied)
    else:
        _from_belgium(answers, draft, applied)
    _search_year_means(answers, ctx, draft, applied)
    return draft


def _abroad_after_mobility(answers: Answers, draft: Draft, applied: date) -> None:
    """SY-3: degree abroad after a mobility programme in Belgium — embassy within 3 months."""
    draft.rule = "SY-3"
    graduated = answers.graduation_date
    if graduated is None:
        draft.apply(Cond(None, missing=("graduation_date",)))
        return
    deadline = add_months(graduated, MOBILITY_MONTHS)
    params = {"deadline_date": deadline.isoformat()}
    if applied <= deadline - timedelta(days=NEAR_CUTOFF_DAYS + 1):
        draft.because("route.reason.search_year_mobility", **params)
    elif applied <= deadline + timedelta(days=NEAR_CUTOFF_DAYS):
        draft.because("route.reason.search_year_mobility", **params)
        draft.review("RV-15", "route.review.search_year_deadline", **params)
    else:
        draft.apply(Cond(False, reason=msg("route.reason.search_year_mobility_late", **params)))


def _from_belgium(answers: Answers, draft: Draft, applied: date) -> None:
    """SY-1 (student) / SY-2 (researcher) with the 15-day limit, SY-4 when late."""
    card = answers.card_type
    if card == "A-researcher":
        draft.rule = "SY-2"
        draft.because("route.reason.search_year_researcher")
    elif card is None:
        draft.apply(Cond(None, missing=("card_type",)))
    elif card != "A-student":
        draft.apply(Cond(False, reason=msg("route.reason.search_year_card")))
    if draft.rule == "SY-1":
        draft.apply(_graduated(answers, applied))
    expiry = answers.card_expiry
    if expiry is None:
        draft.apply(Cond(None, missing=("card_expiry",)))
        return
    deadline = expiry - timedelta(days=SEARCH_YEAR_LEAD_DAYS)
    params = {"deadline_date": deadline.isoformat(), "expiry_date": expiry.isoformat()}
    late_by = (applied - deadline).days
    if late_by < -NEAR_CUTOFF_DAYS:
        draft.because("route.reason.search_year_in_time", **params)
    elif late_by <= NEAR_CUTOFF_DAYS and applied < expiry:
        if late_by > 0:
            draft.rule = "SY-4"
        draft.because("route.reason.search_year_near_limit", **params)
        draft.review("RV-15", "route.review.search_year_limit", **params)
    elif applied < expiry:
        draft.rule = "SY-4"
        draft.because("route.reason.search_year_late", **params)
        draft.review("RV-15", "route.review.search_year_late", **params)
    else:
        draft.rule = "SY-4"
        draft.apply(Cond(False, reason=msg("route.reason.search_year_expired", **params)))


def _graduated(answers: Answers, applied: date) -> Cond:
    """Graduated in Belgium in the past academic year."""
    if answers.graduated_be is None:
        return Cond(None, missing=("graduated_be",))
    if not answers.graduated_be:
        return Cond(False, reason=msg("route.reason.search_year_no_degree"))
    graduated = answers.graduation_date
    if graduated is None:
        return Cond(True)
    current = academic_year_of(applied)
    previous = academic_year_of(add_months(applied, -12))
    if graduated <= applied and academic_year_of(graduated) in (current, previous):
        return Cond(
            True, reason=msg("route.reason.search_year_graduated", graduation_date=graduated.isoformat())
        )
    return Cond(
        False, reason=msg("route.reason.search_year_degree_too_old", graduation_date=graduated.isoformat())
    )


def _search_year_means(answers: Answers, ctx: Context, draft: Draft, applied: date) -> None:
    """Means as for students, for the academic year of the application (RV-16 when unknown)."""
    academic_year = academic_year_of(applied)
    day = academic_year_date(academic_year)
    if ctx.table.find("STUDENT_MEANS", day) is None:
        rule = draft.rule
        _means_without_amount(draft, ctx, answers.means_month, academic_year, rule=rule)
        return
    if answers.means_month is None:
        row = ctx.table.find("STUDENT_MEANS", day)
        if row is not None:
            draft.uses(row, day)
            draft.because(
                "route.reason.search_year_means", threshold_eur=row.amount, academic_year=academic_year
            )
        return
    check_amount(
        draft,
        ctx,
        answers.means_month,
        "STUDENT_MEANS",
        field_name="means_month",
        basis_key="route.basis.means_month",
        day=day,
    )
