"""Permit-route rules (rules.md §2): the top-level router R0-1…R0-12 and the order of routes.

The blocks live in ``routes_employee`` (§2.3–2.7), ``routes_other`` (§2.8–2.11) and
``routes_residence`` (§2.12–2.13); shared pieces in ``routes_base``.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.answers import Answers, Purpose
from bot.engine.assessment import RouteCode, RouteResult
from bot.engine.cards import UNLIMITED_STAY_CARDS
from bot.engine.context import Context, Findings
from bot.engine.derive import nat_group
from bot.engine.routes_base import RouteDraft, best_per_code, route_order
from bot.engine.routes_employee import employee_routes
from bot.engine.routes_other import researcher_route, search_year_route, self_employed_route, student_route
from bot.engine.routes_residence import ltr_route, unlimited_route

# R0-6…R0-11: purpose → the block of routes it opens, in router order.
PURPOSE_BLOCKS: tuple[tuple[Purpose, Callable[[Answers, Context], list[RouteDraft]]], ...] = (
    ("employee", employee_routes),
    ("self_employed", lambda answers, ctx: [self_employed_route(answers)]),
    ("study", lambda answers, ctx: [student_route(answers, ctx)]),
    ("research", lambda answers, ctx: [researcher_route(answers)]),
    ("job_search_after_graduation", lambda answers, ctx: [search_year_route(answers, ctx)]),
    ("long_term_status", lambda answers, ctx: [unlimited_route(answers, ctx), ltr_route(answers, ctx)]),
)


def evaluate_routes(answers: Answers, ctx: Context, findings: Findings) -> list[RouteResult]:
    """Every route considered, best first; routes[0] is the answer (NO_ROUTE when none holds)."""
    drafts = best_per_code(route_drafts(answers, ctx, findings))
    results = sorted((draft.finish(findings) for draft in drafts), key=_preferring_purpose(answers))
    if not any(result.status in ("eligible", "review") for result in results):
        none = RouteDraft("NO_ROUTE", "R0-12", status="review")
        none.because("route.reason.family_only" if _family_only(answers) else "route.reason.no_route")
        results.insert(0, none.finish(findings))
    return results


def _preferring_purpose(answers: Answers) -> Callable[[RouteResult], tuple[int, int, int]]:
    """The route order, except that the person's purpose leads: a person who asked for a long-term
    stay and qualifies for EU long-term residence gets it as the verdict, before the unlimited
    single permit (issue 20)."""
    wants_long_term = answers.has("long_term_status")

    def key(result: RouteResult) -> tuple[int, int, int]:
        status, index = route_order(result)
        leads = wants_long_term and result.code == "LTR" and result.status == "eligible"
        return status, 0 if leads else 1, index

    return key


def _family_only(answers: Answers) -> bool:
    """The person only asked about joining family: the family result is their route."""
    return answers.has("join_family") and set(answers.purposes or []) <= {"join_family", "bring_family"}


def route_drafts(answers: Answers, ctx: Context, findings: Findings) -> list[RouteDraft]:
    """R0-1…R0-11: the routes each applicable rule opens (several purposes → several blocks)."""
    if not answers.nationalities:
        findings.need("nationalities")
    group = nat_group(answers.nationalities or [])
    if group == "BE":
        return [_fixed("BELGIAN", "R0-1", "route.reason.belgian", [])]
    if group == "EU":
        return [_fixed("EU_REG", "R0-2", "route.reason.eu_registration", ["S003", "P50", "P51"])]
    card = answers.card_type
    if card in UNLIMITED_STAY_CARDS:
        return [_fixed("UNLIMITED_STAY", "R0-3", "route.reason.unlimited_stay", ["S002", "P20"])]
    drafts: list[RouteDraft] = []
    if card == "A-search-year":
        drafts.append(_fixed("SEARCH_YEAR_WORK", "R0-4", "route.reason.search_year_work", ["P48"]))
    elif card == "A-family-reunification":
        family_card = RouteDraft("NO_ROUTE", "R0-5", sources=["S003"], status="review")
        family_card.because("route.reason.family_card")
        drafts.append(family_card)
    if not answers.purposes:
        findings.need("purposes")
    for purpose, block in PURPOSE_BLOCKS:
        # R0-5: a family-reunification card gives access to work through the residence itself;
        # the card's labour-market mention decides, so no single-permit route is assessed.
        if purpose == "employee" and card == "A-family-reunification":
            continue
        if answers.has(purpose):
            drafts += block(answers, ctx)
    return drafts


def _fixed(code: RouteCode, rule: str, key: str, sources: list[str]) -> RouteDraft:
    draft = RouteDraft(code, rule, sources=sources)
    draft.because(key)
    return draft
