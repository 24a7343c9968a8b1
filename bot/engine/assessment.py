"""The assessment the engine returns (contract.md), language-neutral: every sentence is a Message."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from bot.engine.message import Message

CONTRACT_VERSION = 1

# Every route code, in the order routes are preferred: the E-4 preference for employee routes,
# then the other purposes in router order (R0-7…R0-11). ROUTE_CODES is this order.
RouteCode = Literal[
    "BELGIAN",
    "EU_REG",
    "UNLIMITED_STAY",
    "SEARCH_YEAR_WORK",
    "UNLIMITED",
    "BLUE_CARD",
    "HQ",
    "HQ_REDUCED",
    "EXEC",
    "MEDIUM_SHORTAGE",
    "SHORTAGE",
    "LABOUR_MARKET_TEST",
    "ICT",
    "DG_REVIEW",
    "PROFESSIONAL_CARD",
    "STUDENT",
    "RESEARCHER",
    "SEARCH_YEAR",
    "LTR",
    "NO_ROUTE",
]
ROUTE_CODES: tuple[RouteCode, ...] = get_args(RouteCode)
# Best first: a route that holds, then one an adviser must check, then one whose conditions fail.
RouteStatus = Literal["eligible", "review", "not_met"]
ROUTE_STATUSES: tuple[RouteStatus, ...] = get_args(RouteStatus)
FamilyOutcome = Literal[
    "FAM_NONE", "FAM_EXOFFICIO", "FAM_OE", "FAM_NOT_YET", "FAM_NOT_ELIGIBLE", "FAM_REVIEW"
]
RuleSet = Literal["OLD", "NEW"]

# Least favourable first (contract.md): the family outcome is the minimum over members.
FAMILY_OUTCOME_ORDER: tuple[FamilyOutcome, ...] = (
    "FAM_NOT_ELIGIBLE",
    "FAM_NOT_YET",
    "FAM_REVIEW",
    "FAM_OE",
    "FAM_EXOFFICIO",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ThresholdUse(_Model):
    """A threshold row the decision relied on, with what it is based on."""

    id: str
    amount: float | None
    unit: str = "EUR"
    basis: str
    valid_from: date | None
    valid_to: date | None = None
    sources: list[str]
    confidence: str
    stale: bool = False


class Review(_Model):
    """A case an adviser must check (rules.md §6.3)."""

    code: str
    reason: Message


class RouteResult(_Model):
    """One permit route considered, with its status and explanation."""

    code: RouteCode
    rule: str
    status: RouteStatus
    thresholds: list[ThresholdUse] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    reasons: list[Message] = Field(default_factory=list)


class MemberResult(_Model):
    """The outcome for one family member."""

    relation: str
    outcome: FamilyOutcome
    eligible_from: date | None = None
    rules: list[str] = Field(default_factory=list)
    reasons: list[Message] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Renewal(_Model):
    """The renewal of a family member's residence already granted (RN-1…RN-4, rules.md §3.2)."""

    rule: str | None  # RN-1…RN-4; None when the dates do not settle it
    rule_set: RuleSet | None
    who: Literal["person", "member"] = "person"  # the person's own card, or a member's (bring_family)
    card: str | None = None  # the card held (e.g. A-family-reunification)
    granted_on: date | None = None
    expiry: date | None = None
    window_opens: date | None = None  # the commune renewal window: 60th…
    window_closes: date | None = None  # …to 30th day before expiry
    reasons: list[Message] = Field(default_factory=list)


class FamilyResult(_Model):
    """Family reunification: the whole family's outcome and each member's."""

    outcome: FamilyOutcome = "FAM_NONE"
    rule_set: RuleSet | None = None
    income_required: float | None = None
    income_required_alt: float | None = None
    income_declared: float | None = None
    thresholds: list[ThresholdUse] = Field(default_factory=list)
    members: list[MemberResult] = Field(default_factory=list)
    reasons: list[Message] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    renewal: Renewal | None = None  # set when the person renews a family residence already held


class NextStep(_Model):
    """A concrete step, with its due date when one can be computed."""

    code: str
    title: Message
    due: date | None = None
    timing: Message | None = None
    timing_kind: Literal["deadline", "indicative"] | None = None
    fee_eur: float | None = None
    fee: Message | None = None
    documents: list[Message] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class SourceLink(_Model):
    """A source the result rests on, ranked by authority (issue 22): its address, its title in each
    language (from the source register), the day it was last checked and whether a person may
    see it (blogs, agencies, party sites and mirrors are for operators only)."""

    id: str
    authority: str
    url: str | None = None
    titles: dict[str, str] = Field(default_factory=dict)
    checked: date | None = None
    shown_to_person: bool = False


class Assessment(_Model):
    """The engine's answer for one set of answers on one reference date."""

    contract_version: int = CONTRACT_VERSION
    rules_version: str
    reference_date: date
    assessed_on: date | None = None  # the day the question was asked (older records: unknown)
    routes: list[RouteResult]
    route_code: RouteCode
    family: FamilyResult
    review: list[Review] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    notices: list[Message] = Field(default_factory=list)
    # every source cited, best authority first, marked (operators); the few a person sees
    sources: list[SourceLink] = Field(default_factory=list)
    person_sources: list[SourceLink] = Field(default_factory=list)
