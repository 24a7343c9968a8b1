"""Routes of the other purposes: self-employed (rules.md §2.8), student (§2.9), researcher
(§2.10) and search year (§2.11)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.engine.answers import Answers
from bot.engine.cards import EU_FAMILY_CARDS
from bot.engine.constants import count
from bot.engine.context import Context
from bot.engine.cutoff import is_recorded, uncertain_near_cutoff
from bot.engine.derive import academic_year_date, academic_year_of, add_months, work_region
from bot.engine.message import msg
from bot.engine.routes_base import Cond, RouteDraft, check_amount, latest_row

SEARCH_YEAR_LEAD_DAYS = count("SEARCH_YEAR_LATEST")  # apply at the latest this many days before expiry
MOBILITY_MONTHS = count("SEARCH_YEAR_MOBILITY")  # graduates abroad after a mobility programme


def self_employed_route(answers: Answers) -> RouteDraft:
    """SE-EX / SE-1: professional card from the Region where the business is established."""
    draft = RouteDraft("PROFESSIONAL_CARD", "SE-1", sources=["P57", "P79", "P64", "P77"])
    region = answers.se_region or work_region(answers)
    if region is None:
        draft.need("se_region")
    else:
        draft.because("route.reason.professional_card_region", region_key=f"route.region.{region}")
    if answers.card_type in EU_FAMILY_CARDS:
        draft.rule = "SE-EX"
        draft.because("route.reason.professional_card_exempt")
        # an exemption, not a missing route: the adviser confirms it applies (RV-21, not RV-20)
        draft.review("RV-21", "route.review.professional_card_exempt")
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


def student_route(answers: Answers, ctx: Context) -> RouteDraft:
    """ST-1 / ST-2: admitted to higher education and means ≥ STUDENT_MEANS of the academic year."""
    draft = RouteDraft("STUDENT", "ST-1", sources=["P47"])  # the amount's own row adds its sources
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
        _check_means(draft, ctx, answers.means_month, day)
    if answers.means_type is not None:
        draft.because("route.reason.means_type", means_key=f"route.means.{answers.means_type}")
    return draft


def _means_without_amount(
    draft: RouteDraft, ctx: Context, means: float | None, academic_year: str, *, rule: str
) -> None:
    """ST-2 / RV-16: no official amount for the academic year — show the last one and review."""
    day = academic_year_date(academic_year)
    last = latest_row(ctx, "STUDENT_MEANS", day)
    draft.rule = rule
    draft.cite("P47")
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


def researcher_route(answers: Answers) -> RouteDraft:
    """RS-1 / RS-2: hosting agreement with a recognised research organisation."""
    draft = RouteDraft("RESEARCHER", "RS-1", sources=["P75", "P76", "S001"])
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


def search_year_route(answers: Answers, ctx: Context) -> RouteDraft:
    """SY-1…SY-4: the search year after studies or research in Belgium."""
    draft = RouteDraft("SEARCH_YEAR", "SY-1", sources=["P48", "P49"])
    applied = answers.application_date or ctx.on
    recorded = is_recorded(ctx.on, answers.application_date)
    if answers.mobility_programme and answers.graduated_be is not True:
        _abroad_after_mobility(answers, draft, applied, recorded)
    else:
        _from_belgium(answers, draft, applied, recorded)
    _search_year_means(answers, ctx, draft, applied)
    return draft


def _abroad_after_mobility(answers: Answers, draft: RouteDraft, applied: date, recorded: bool) -> None:
    """SY-3: degree abroad after a mobility programme in Belgium — embassy within 3 months."""
    draft.rule = "SY-3"
    graduated = answers.graduation_date
    if graduated is None:
        draft.apply(Cond(None, missing=("graduation_date",)))
        return
    deadline = add_months(graduated, MOBILITY_MONTHS)
    params = {"deadline_date": deadline.isoformat()}
    uncertain = uncertain_near_cutoff(applied, deadline, recorded=recorded)
    date_review = (("RV-15", msg("route.review.search_year_deadline", **params)),) if uncertain else ()
    if applied <= deadline:
        draft.because("route.reason.search_year_mobility", **params)
        draft.apply(Cond(None if uncertain else True, reviews=date_review))
    else:
        draft.apply(
            Cond(False, reason=msg("route.reason.search_year_mobility_late", **params), reviews=date_review)
        )


def _from_belgium(answers: Answers, draft: RouteDraft, applied: date, recorded: bool) -> None:
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
    uncertain = uncertain_near_cutoff(applied, deadline, recorded=recorded)
    if applied <= deadline and not uncertain:
        draft.because("route.reason.search_year_in_time", **params)
    elif uncertain and applied < expiry:
        if applied > deadline:
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


def _search_year_means(answers: Answers, ctx: Context, draft: RouteDraft, applied: date) -> None:
    """Means as for students, for the academic year of the application (RV-16 when unknown)."""
    academic_year = academic_year_of(applied)
    day = academic_year_date(academic_year)
    row = ctx.table.find("STUDENT_MEANS", day)
    if row is None:
        _means_without_amount(draft, ctx, answers.means_month, academic_year, rule=draft.rule)
    elif answers.means_month is None:
        draft.uses(row, day)
        draft.because("route.reason.search_year_means", threshold_eur=row.amount, academic_year=academic_year)
    else:
        _check_means(draft, ctx, answers.means_month, day)


def _check_means(draft: RouteDraft, ctx: Context, means: float | None, day: date) -> None:
    """Monthly means against the student amount of the academic year containing ``day``."""
    check_amount(
        draft,
        ctx,
        means,
        "STUDENT_MEANS",
        field_name="means_month",
        basis_key="route.basis.means_month",
        day=day,
    )
