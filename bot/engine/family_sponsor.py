"""Who the sponsor is, which worker category applies for the ex-officio visa, and which rule set
(OLD / NEW) governs the application (rules.md §3.1, §3.2, §3.6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

from bot.engine.answers import Answers, SponsorCategory, SponsorType
from bot.engine.assessment import RouteCode, RouteResult, RuleSet
from bot.engine.cards import LIMITED_STAY_CARDS, UNLIMITED_STAY_CARDS
from bot.engine.context import Findings
from bot.engine.cutoff import is_recorded, uncertain_near_cutoff
from bot.engine.derive import nat_group
from bot.engine.family_rules import REFORM_DAY, TRANSITION_END_DAY, SponsorGroup
from bot.engine.message import Message, msg

# Worker categories of S001's ex-officio list (plus "ict": intra-corporate transfer of unknown kind, K-8,
# and "other": a worker outside the list, who may still use the income path).
Category = SponsorCategory | Literal["ict"]
LISTED_CATEGORIES: frozenset[str] = frozenset(get_args(SponsorCategory)) - {"other"}
ROUTE_CATEGORY: dict[RouteCode, Category] = {
    "BLUE_CARD": "blue_card",
    "HQ": "highly_qualified",
    "HQ_REDUCED": "highly_qualified",
    "ICT": "ict",
    "RESEARCHER": "researcher",
}
# Performing artists get a single permit on the HQ route code, but S001 does not list them.
UNLISTED_RULES: frozenset[str] = frozenset({"BXL-ART", "FL-ART", "WAL-ART"})
SPECIAL_CATEGORY: dict[str, Category] = {
    "researcher_hosting_agreement": "researcher",
    "postdoc": "postdoc",
    "professional_athlete_or_coach": "professional_athlete_or_coach",
    "international_agreement": "international_agreement",
}
# What each route gives its holder, as a sponsor (§3.1, §3.6): a worker's permit (single permit,
# Blue Card, ICT or researcher permit), another limited stay, an unlimited stay, or nothing the
# family rules rely on. One row per route code.
RouteStay = Literal["worker", "limited", "unlimited", "none"]
ROUTE_STAY: dict[RouteCode, RouteStay] = {
    "BELGIAN": "none",
    "EU_REG": "none",
    "UNLIMITED_STAY": "unlimited",
    "SEARCH_YEAR_WORK": "limited",
    "UNLIMITED": "worker",
    "BLUE_CARD": "worker",
    "HQ": "worker",
    "HQ_REDUCED": "worker",
    "EXEC": "worker",
    "MEDIUM_SHORTAGE": "worker",
    "SHORTAGE": "worker",
    "LABOUR_MARKET_TEST": "worker",
    "ICT": "worker",
    "DG_REVIEW": "worker",
    "PROFESSIONAL_CARD": "limited",
    "STUDENT": "limited",
    "RESEARCHER": "worker",
    "SEARCH_YEAR": "limited",
    "LTR": "none",
    "NO_ROUTE": "none",
}
PROTECTION_TYPES: frozenset[str] = frozenset({"international_protection", "temporary_protection", "other"})
GROUP_OF_TYPE: dict[str, SponsorGroup] = {
    "belgian": "belgian",
    "eu_eea_ch": "eu",
    "tcn_limited": "tcn",
    "tcn_unlimited": "tcn",
}


@dataclass
class Sponsor:
    """The person in Belgium whom the family joins."""

    is_respondent: bool  # bring_family: the person answering is the sponsor
    type: SponsorType | None
    dob: date | None
    right_date: date | None
    right_in_future: bool  # not yet admitted: the permit will be granted later (after today)
    in_belgium: bool
    worker: bool
    category: Category | None
    reasons: list[Message] = field(default_factory=list)

    @property
    def group(self) -> SponsorGroup | None:
        """tcn / belgian / eu, or None for protection and other special statuses."""
        return GROUP_OF_TYPE.get(self.type) if self.type else None

    @property
    def exofficio_candidate(self) -> bool:
        """True when the facilitated ex-officio visa can apply (a worker with a limited stay, §3.6)."""
        return self.type == "tcn_limited" and self.worker


def best_route(routes: list[RouteResult]) -> RouteResult | None:
    """The first route whose conditions hold (eligible or to be reviewed)."""
    return next((r for r in routes if r.status != "not_met" and r.code != "NO_ROUTE"), None)


def _derived_type(answers: Answers, route: RouteResult | None) -> SponsorType | None:
    if not answers.nationalities:
        return None
    group = nat_group(answers.nationalities)
    if group == "BE":
        return "belgian"
    if group == "EU":
        return "eu_eea_ch"
    stay: RouteStay = ROUTE_STAY[route.code] if route is not None else "none"
    if answers.card_type in UNLIMITED_STAY_CARDS or stay == "unlimited":
        return "tcn_unlimited"
    if answers.card_type in LIMITED_STAY_CARDS or stay in ("worker", "limited"):
        return "tcn_limited"
    return None


def _respondent_category(answers: Answers, route: RouteResult | None, findings: Findings) -> Category | None:
    category: Category | None = None
    if route is not None and route.code in ROUTE_CATEGORY and route.rule not in UNLISTED_RULES:
        category = ROUTE_CATEGORY[route.code]
        if category == "highly_qualified" and answers.employer_type != "belgian_employer":
            if answers.employer_type is None:
                findings.need("employer_type")
            category = None  # posted HQ workers are excluded (S001); unknown employer: not assumed
    if category is None:
        for special in answers.special or []:
            if special in SPECIAL_CATEGORY:
                category = SPECIAL_CATEGORY[special]
                break
    if category is None and answers.postdoc:
        category = "postdoc"
    if category is None and answers.sponsor_category is not None:
        category = answers.sponsor_category
    if category is None and route is not None and ROUTE_STAY[route.code] == "worker":
        category = "other"
    return category


def identify_sponsor(answers: Answers, routes: list[RouteResult], findings: Findings) -> Sponsor:
    """The sponsor: the respondent with ``bring_family``, else the person joined (``join_family``)."""
    if answers.has("bring_family"):
        route = best_route(routes)
        given = answers.sponsor_type
        derived = _derived_type(answers, route) if given is None else None
        sponsor_type = given or derived
        reasons: list[Message] = []
        if given is None and derived is not None:
            reasons.append(msg("family.sponsor.derived", type_key=f"family.sponsor_type.{derived}"))
        elif given is not None:
            reasons.append(msg("family.sponsor.you", type_key=f"family.sponsor_type.{given}"))
        else:
            findings.need("sponsor_type")
        dob = answers.sponsor_dob or answers.dob
        not_admitted = answers.current_location == "abroad" or answers.card_type == "none"
        category = _respondent_category(answers, route, findings)
        worker = category is not None
        return Sponsor(
            is_respondent=True,
            type=sponsor_type,
            dob=dob,
            right_date=answers.sponsor_right_date,
            right_in_future=answers.sponsor_right_date is None and not_admitted,
            in_belgium=answers.current_location == "belgium",
            worker=worker,
            category=category,
            reasons=reasons,
        )
    sponsor_type = answers.sponsor_type
    join_reasons: list[Message] = []
    if sponsor_type is None:
        findings.need("sponsor_type")
    else:
        join_reasons.append(msg("family.sponsor.joined", type_key=f"family.sponsor_type.{sponsor_type}"))
    join_category: Category | None = answers.sponsor_category
    if sponsor_type == "tcn_limited" and join_category is None:
        findings.need("sponsor_category")
    return Sponsor(
        is_respondent=False,
        type=sponsor_type,
        dob=answers.sponsor_dob,
        right_date=answers.sponsor_right_date,
        right_in_future=False,
        in_belgium=True,
        worker=join_category is not None,
        category=join_category,
        reasons=join_reasons,
    )


@dataclass(frozen=True)
class RuleSetDecision:
    """The rule set (None when an adviser must decide or a date is missing) and why."""

    rule: str | None
    rule_set: RuleSet | None
    reason: Message


def _by_application(
    application_day: date, old_rule: str, new_rule: str, params: dict[str, str | None]
) -> RuleSetDecision:
    if application_day < TRANSITION_END_DAY:
        return RuleSetDecision(old_rule, "OLD", msg(f"family.rule_set.{old_rule}", **params))
    return RuleSetDecision(new_rule, "NEW", msg(f"family.rule_set.{new_rule}", **params))


def choose_rule_set(
    sponsor: Sponsor,
    application_day: date,
    on: date,
    findings: Findings,
    *,
    application_recorded: bool = False,
) -> RuleSetDecision:
    """RS-0, RS-T1…T3, RS-E1…E3, RS-B1/B2 and RS-X (rules.md §3.2), with RV-15 near the cut-offs
    for a date that is planned or assumed (a recorded filing or grant date is applied exactly)."""
    params: dict[str, str | None] = {
        "application_date": application_day.isoformat(),
        "right_date": sponsor.right_date.isoformat() if sponsor.right_date else None,
    }
    if sponsor.type in PROTECTION_TYPES:
        findings.review("RV-08", f"family.review.sponsor_{sponsor.type}")
        return RuleSetDecision("RS-X", None, msg("family.rule_set.RS-X"))
    if sponsor.type is None:
        return RuleSetDecision(None, None, msg("family.rule_set.unknown_sponsor"))
    right_recorded = is_recorded(on, sponsor.right_date)
    if uncertain_near_cutoff(application_day, REFORM_DAY, recorded=application_recorded):
        findings.review("RV-15", "family.review.cutoff_2025", date_date=application_day.isoformat())
    if application_day < REFORM_DAY:
        return RuleSetDecision("RS-0", "OLD", msg("family.rule_set.RS-0", **params))
    if sponsor.type == "belgian":
        if uncertain_near_cutoff(application_day, TRANSITION_END_DAY, recorded=application_recorded):
            findings.review("RV-15", "family.review.cutoff_2027", date_date=application_day.isoformat())
        return _by_application(application_day, "RS-B1", "RS-B2", params)
    prefix = "RS-E" if sponsor.type == "eu_eea_ch" else "RS-T"
    right = sponsor.right_date
    if right is None and sponsor.right_in_future and on >= REFORM_DAY:
        return RuleSetDecision(f"{prefix}3", "NEW", msg(f"family.rule_set.{prefix}3_future"))
    if right is None:
        findings.need("sponsor_right_date")
        if application_day >= TRANSITION_END_DAY:  # both branches give NEW
            return RuleSetDecision(f"{prefix}2", "NEW", msg(f"family.rule_set.{prefix}2", **params))
        return RuleSetDecision(None, None, msg("family.rule_set.assumed_new"))
    if uncertain_near_cutoff(right, REFORM_DAY, recorded=right_recorded):
        findings.review("RV-15", "family.review.cutoff_2025", date_date=right.isoformat())
    if right >= REFORM_DAY:
        return RuleSetDecision(f"{prefix}3", "NEW", msg(f"family.rule_set.{prefix}3", **params))
    if uncertain_near_cutoff(application_day, TRANSITION_END_DAY, recorded=application_recorded):
        findings.review("RV-15", "family.review.cutoff_2027", date_date=application_day.isoformat())
    return _by_application(application_day, f"{prefix}1", f"{prefix}2", params)
