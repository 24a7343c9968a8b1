"""Renewing a family member's residence already granted (rules.md §3.2 RN-1…RN-4, §5.9 F-4).

A renewal is not a new application: the rule set is that of the first grant (S004 — a residence
granted before 18 August 2025 is renewed under the former rules, even after 18 August 2027), the
request goes to the commune between the 60th and the 30th day before the card expires (§5.0 step
0.7, K-7), and no Immigration Office fee is due for an extension in the same status (P44, P65).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.engine.answers import Answers, GrantedUnder, Member
from bot.engine.assessment import Renewal, RuleSet
from bot.engine.calendar import window_before
from bot.engine.constants import constants
from bot.engine.context import Context, Findings
from bot.engine.family_rules import REFORM_DAY, TRANSITION_END_DAY, renewal_rule_set
from bot.engine.message import msg

if TYPE_CHECKING:
    from bot.engine.family_sponsor import RuleSetDecision, Sponsor

# The residence cards a family member renews: the A card of family reunification with a non-EU
# sponsor, and the F card of the family of an EU citizen or a Belgian (5 years, S004's note).
RENEWABLE_FAMILY_CARDS: frozenset[str] = frozenset({"A-family-reunification", "F"})


def renewal_questions_matter(
    purposes: Iterable[str] | None, current_location: str | None, card_type: str | None
) -> bool:
    """True when the person already lives in Belgium on a family-reunification card and asks
    about their family residence: then the renewal questions (since when the residence was
    granted, under which rules, the card's expiry) decide the rule set and the steps.

    Takes raw answer values, so the interview can call it on answers not yet validated."""
    return (
        "join_family" in set(purposes or ())
        and current_location == "belgium"
        and card_type in RENEWABLE_FAMILY_CARDS
    )


@dataclass(frozen=True)
class RenewalFacts:
    """What the family member renewing holds: the card, until when, since when, under which rules."""

    card: str | None
    expiry: date | None
    granted_on: date | None
    granted_under: GrantedUnder | None
    member: bool = False  # a member described by the sponsor, not the person answering


def member_renews(member: Member) -> bool:
    """A family member described by the sponsor who already lives in Belgium on a family card."""
    return member.location == "belgium" and member.card_type in RENEWABLE_FAMILY_CARDS


def renewal_facts(answers: Answers) -> RenewalFacts | None:
    """The renewal the answers describe: the person's own family card (``join_family``), or — when
    every member the sponsor brings already holds one in Belgium — the first such member's."""
    if renewal_questions_matter(answers.purposes, answers.current_location, answers.card_type):
        return RenewalFacts(
            answers.card_type, answers.card_expiry, answers.residence_granted_on, answers.residence_rule_set
        )
    joining = [m for m in answers.members or [] if not m.resident_with_sponsor]
    if answers.has("bring_family") and joining and all(member_renews(m) for m in joining):
        first = joining[0]
        return RenewalFacts(
            first.card_type,
            first.card_expiry,
            first.residence_granted_on,
            first.residence_rule_set,
            member=True,
        )
    return None


def is_renewal(answers: Answers) -> bool:
    """The answers describe the renewal of a family residence already held."""
    return renewal_facts(answers) is not None


def _field(answers: Answers, facts: RenewalFacts, name: str) -> str:
    """The answer field to ask: the person's own, or the members' (a member's renewal fields)."""
    return "members" if facts.member else name


def _window(expiry: date | None) -> tuple[date, date] | None:
    if expiry is None:
        return None
    window = constants()["CARD_RENEWAL_WINDOW"]
    return window_before(expiry, window.field_value("earliest"), window.field_value("count"))


def renewal_day(answers: Answers, ctx: Context, facts: RenewalFacts) -> date:
    """The day the renewal is filed: the date given, else the first day of the commune window
    still to come (today when the window is open or over, or when the expiry is unknown)."""
    if answers.family_application_date is not None:
        return answers.family_application_date
    window = _window(facts.expiry)
    if window is None:
        return ctx.on
    return max(ctx.on, window[0])


def _granted_under(facts: RenewalFacts, sponsor: Sponsor, granted_by: date) -> RuleSet | None:
    """The rule set of the first grant: the answer, else what the dates imply (§3.2). The grant
    came after its application and not later than ``granted_by`` (the grant date, or the renewal
    day when the grant date is unknown): before 18 August 2027 a Belgian's family and the family of
    a sponsor admitted before 18 August 2025 applied under the former rules; the family of a sponsor
    admitted from that day, under the new ones."""
    if facts.granted_under in ("OLD", "NEW"):
        return facts.granted_under
    if facts.granted_on is not None and facts.granted_on >= TRANSITION_END_DAY:
        return "NEW"
    right = sponsor.right_date
    if (
        sponsor.type in ("tcn_limited", "tcn_unlimited", "eu_eea_ch")
        and right is not None
        and right >= REFORM_DAY
    ):
        return "NEW"
    if granted_by >= TRANSITION_END_DAY:
        return None  # the application may have been filed after the transition
    if sponsor.type == "belgian":
        return "OLD"
    if sponsor.type in ("tcn_limited", "tcn_unlimited", "eu_eea_ch") and right is not None:
        return "OLD"
    return None


def decide_renewal(
    answers: Answers, ctx: Context, sponsor: Sponsor, findings: Findings, facts: RenewalFacts
) -> tuple[Renewal, RuleSetDecision]:
    """RN-1…RN-4 for the person's own family residence, with RV-17 where rules.md §6.3 asks for it
    (a grant between 18 Aug 2025 and 17 Aug 2027, a rule set the dates leave open, or any renewal
    on or after 18 Aug 2027)."""
    from bot.engine.family_sponsor import RuleSetDecision

    day = renewal_day(answers, ctx, facts)
    granted_on = facts.granted_on
    window = _window(facts.expiry)
    if facts.expiry is None:
        findings.need(_field(answers, facts, "card_expiry"))
    params = {
        "granted_date": granted_on.isoformat() if granted_on else None,
        "renewal_date": day.isoformat(),
    }
    under = _granted_under(facts, sponsor, granted_on or day)
    prefix = "family.renewal_rule_member." if facts.member else "family.renewal_rule."
    rule: str | None = None
    rule_set: RuleSet | None = None
    if granted_on is not None and not (REFORM_DAY <= granted_on < TRANSITION_END_DAY and under is None):
        rule, rule_set = renewal_rule_set(granted_on, under or "NEW", day)
        key = prefix + rule + {"RN-2": "_old" if rule_set == "OLD" else "_new"}.get(rule, "")
    elif granted_on is not None:
        findings.need(_field(answers, facts, "residence_rule_set"))
        key = prefix + "between_unknown"
    else:
        # RN-1 and RN-2 agree before 18 Aug 2027 (former rules), RN-3 and RN-4 always (new rules)
        if under == "NEW" or (under == "OLD" and day < TRANSITION_END_DAY):
            rule_set = under
        else:
            findings.need(_field(answers, facts, "residence_granted_on"))
        key = prefix + ("unknown" if rule_set is None else f"given_{rule_set}")
    reason = msg(key, **params)
    granted_between = (
        REFORM_DAY <= granted_on < TRANSITION_END_DAY if granted_on is not None else under == "NEW"
    )
    if rule_set is None or granted_between or day >= TRANSITION_END_DAY:
        findings.review("RV-17", "family.review.renewal", renewal_date=day.isoformat())
    renewal = Renewal(
        rule=rule,
        rule_set=rule_set,
        who="member" if facts.member else "person",
        card=facts.card,
        granted_on=granted_on,
        expiry=facts.expiry,
        window_opens=window[0] if window else None,
        window_closes=window[1] if window else None,
        reasons=[reason],
    )
    return renewal, RuleSetDecision(rule, rule_set, reason)
