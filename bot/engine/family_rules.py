"""Family-reunification data (rules.md §3): cut-off dates, legal ages, who may join whom, and the
sources behind every rule ID. Logic lives in the other ``family_*`` modules; wording in locales."""

from __future__ import annotations

from datetime import date
from typing import Literal, NamedTuple

from bot.engine.answers import Relation
from bot.engine.assessment import RuleSet
from bot.engine.constants import count, day

# §3.2 boundaries: "accordé à partir du 18 août 2025" (S001) and "on or after 18 August 2027" (S004).
REFORM_DAY = day("FAMILY_REFORM")  # first day of the NEW rules
TRANSITION_END_DAY = day("FAMILY_TRANSITION_END")  # first day the NEW rules reach pre-reform sponsors

PARTNER_AGE_NEW = count("PARTNER_AGE_NEW")  # FR-AGE-N
PARTNER_AGE_OLD = count("PARTNER_AGE_OLD")  # FR-AGE-O, general rule
PARTNER_AGE_OLD_EXCEPTION = count("PARTNER_AGE_OLD_EXCEPTION")  # union before arrival / cohabitation
ADULT_AGE = count("ADULT_AGE")  # FR-CH-1/2
EU_DESCENDANT_AGE = count("EU_DESCENDANT_AGE")  # FR-CH-4, EU sponsor
OLD_COHABITATION_MONTHS = count("OLD_COHABITATION")  # FR-AGE-O exception, partners of Belgians / EU
OLD_WAITING_MONTHS = count("OLD_WAITING")  # §3.3 OLD waiting period for unlimited-stay sponsors
UNLIMITED_STAY_MONTHS_FOR_EXEMPTION = count("INCOME_EXEMPTION_SETTLED")  # FR-INC-5

DURABLE_COHABITATION_MONTHS = count("DURABLE_COHABITATION")
DURABLE_KNOWN_YEARS = count("DURABLE_KNOWN")
DURABLE_MEETINGS = count("DURABLE_MEETINGS")
DURABLE_MEETING_DAYS = count("DURABLE_MEETING_DAYS")

EXOFFICIO_WINDOW_MONTHS = count("EXOFFICIO_WINDOW")  # EX-4
EXOFFICIO_RELATIONS: frozenset[str] = frozenset({"spouse", "child_minor"})  # EX-1

RULE_SOURCES: dict[str, tuple[str, ...]] = {
    "RS-0": ("P28",),
    "RS-T1": ("S001", "S004", "P28"),
    "RS-T2": ("S004", "P28"),
    "RS-T3": ("S001", "S004"),
    "RS-E1": ("S004",),
    "RS-E2": ("S004",),
    "RS-E3": ("S004",),
    "RS-B1": ("S004", "P28"),
    "RS-B2": ("S004", "P28"),
    "RS-X": ("S004", "P28", "P29"),
    "RN-1": ("S004", "P28"),
    "RN-2": ("S004",),
    "RN-3": ("S004",),
    "RN-4": ("S004",),
    "F-4": ("S004", "P91", "P55", "P44", "P65"),
    "WHO-TCN": ("P43", "S001", "P91"),
    "WHO-BE": ("P81", "P91"),
    "WHO-EU": ("P84", "P83", "P91"),
    "WAIT-OLD": ("P41",),
    "WAIT-NEW": ("P85", "P29"),
    "DURABLE-OLD": ("P60", "P42", "P59"),
    "HOUSING": ("P42", "S004"),
    "FR-INC-1": ("S001", "S004", "P68"),
    "FR-INC-2": ("S001", "P30", "P31"),
    "FR-INC-3": ("P73",),
    "FR-INC-4": ("S003",),
    "FR-INC-5": ("P34", "S004"),
    "FR-INC-6": ("S001", "S004"),
    "FR-INC-7": ("S004",),
    "FR-INC-8": ("P37",),
    "FR-AGE-N": ("S004", "P63", "P29"),
    "FR-AGE-O": ("P41", "P42", "P82", "P83"),
    "FR-PART-1": ("S004", "P60", "P59"),
    "FR-PART-2": ("P60", "P42"),
    "FR-PART-3": ("P43", "P84"),
    "FR-CH-1": ("P43", "P84"),
    "FR-CH-2": ("P43",),
    "FR-CH-3": ("P43", "S001"),
    "FR-CH-4": ("P81", "P84"),
    "EX-1": ("S001",),
    "EX-2": ("S001",),
    "EX-2b": ("S004", "P38"),
    "EX-3": ("S001",),
    "EX-4": ("S001", "P39"),
    "EX-5": ("S001",),
    "EX-6": ("S001",),
    "EX-FAIL": ("S001", "P40"),
    "NAT-TR": ("P65",),
    "NAT-EU": ("P45",),
}

SponsorGroup = Literal["tcn", "belgian", "eu"]
Kind = Literal[
    "partner",  # spouse or registered partner: age and relationship rules apply
    "eligible",  # may join
    "not_eligible",  # may not join
    "review",  # possible, an adviser must check
    "dependent",  # possible when dependent on the sponsor (adviser checks the proof)
    "eu_descendant",  # under 21, or dependent
    "parent_of_minor",  # only when the sponsor is a minor
]


class RelationRule(NamedTuple):
    """How one relation is treated for one kind of sponsor (rules.md §3.1, §3.5)."""

    rule: str
    kind: Kind
    key: str
    review: str | None = None


_PARTNERS: dict[Relation, RelationRule] = {
    "spouse": RelationRule("", "partner", "family.member.partner"),
    "partner_registered_equivalent": RelationRule("", "partner", "family.member.partner"),
    "partner_registered_other": RelationRule("", "partner", "family.member.partner"),
}

# Children are looked up after their age on the application date is known (child_minor / child_adult).
WHO_MAY_JOIN: dict[SponsorGroup, dict[Relation, RelationRule]] = {
    "tcn": {
        **_PARTNERS,
        # Not a family member as such, but the partnership can be registered (next step), so an
        # adviser reviews it rather than the bot closing the door (issue 14; P59, P43).
        "partner_unregistered": RelationRule(
            "FR-PART-3", "review", "family.member.unregistered_tcn", "RV-11"
        ),
        "child_minor": RelationRule("FR-CH-1", "eligible", "family.member.child_minor"),
        "child_adult": RelationRule("FR-CH-2", "not_eligible", "family.member.child_adult_tcn", "RV-10"),
        "child_adult_disabled": RelationRule("FR-CH-3", "eligible", "family.member.child_disabled"),
        "parent": RelationRule("WHO-TCN", "not_eligible", "family.member.parent_tcn"),
        "other": RelationRule("WHO-TCN", "not_eligible", "family.member.other"),
    },
    "belgian": {
        **_PARTNERS,
        "partner_unregistered": RelationRule(
            "WHO-BE", "review", "family.member.unregistered_belgian", "RV-11"
        ),
        "child_minor": RelationRule("FR-CH-1", "eligible", "family.member.child_minor"),
        "child_adult": RelationRule("FR-CH-4", "dependent", "family.member.descendant_belgian", "RV-10"),
        "child_adult_disabled": RelationRule(
            "FR-CH-4", "dependent", "family.member.descendant_belgian", "RV-10"
        ),
        "parent": RelationRule("WHO-BE", "parent_of_minor", "family.member.parent_belgian"),
        "other": RelationRule("WHO-BE", "not_eligible", "family.member.other"),
    },
    "eu": {
        **_PARTNERS,
        "partner_unregistered": RelationRule("FR-PART-3", "review", "family.member.unregistered_eu", "RV-11"),
        "child_minor": RelationRule("FR-CH-1", "eligible", "family.member.child_minor"),
        "child_adult": RelationRule("FR-CH-4", "eu_descendant", "family.member.descendant_eu", "RV-10"),
        "child_adult_disabled": RelationRule(
            "FR-CH-4", "eu_descendant", "family.member.descendant_eu", "RV-10"
        ),
        "parent": RelationRule("WHO-EU", "dependent", "family.member.ascendant_eu", "RV-10"),
        "other": RelationRule("WHO-EU", "not_eligible", "family.member.other"),
    },
}


def renewal_rule_set(granted_on: date, granted_under: RuleSet, renewal_on: date) -> tuple[str, RuleSet]:
    """Rule set for renewing a family member's residence (RN-1…RN-4, rules.md §3.2).

    Used by :mod:`bot.engine.family_renewal` with the answers' renewal fields.
    """
    if granted_on < REFORM_DAY:
        return "RN-1", "OLD"
    if granted_on >= TRANSITION_END_DAY:
        return "RN-4", "NEW"
    if granted_under == "NEW":
        return "RN-3", "NEW"
    return "RN-2", "OLD" if renewal_on < TRANSITION_END_DAY else "NEW"


def sources_of(rules: list[str]) -> list[str]:
    """The source IDs behind a list of rule IDs, in first-cited order, without duplicates."""
    seen: dict[str, None] = {}
    for rule in rules:
        for source in RULE_SOURCES.get(rule, ()):
            seen.setdefault(source, None)
    return list(seen)
