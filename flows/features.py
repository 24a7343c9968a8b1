"""What the interview's conditions may read: :class:`Situation`, the named features derived from
the answers so far (a path generator tells two conversations apart by their features alone,
``Situation.signature``), and the :data:`Condition` type of a question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.engine import (
    CARD_CLASS,
    LIMITED_STAY_CARDS,
    UNLIMITED_STAY_CARDS,
    CardClass,
    NatGroup,
    Region,
    nat_group,
    region_from,
    renewal_questions_matter,
)

# Card classes that give a limited stay (rules.md §2.2 R0-3…R0-5; the grouping is the engine's).
LIMITED_STAY_CLASSES: frozenset[CardClass] = frozenset(CARD_CLASS[card] for card in LIMITED_STAY_CARDS)
PARTNERS: frozenset[str] = frozenset(
    {"spouse", "partner_registered_equivalent", "partner_registered_other", "partner_unregistered"}
)
DURABLE_PROOF: frozenset[str] = PARTNERS - {"spouse"}
# The stay a residence card gives its holder, as a family sponsor (rules.md §3.1).
STAY_OF_CARD: dict[str, str] = {
    **dict.fromkeys(LIMITED_STAY_CARDS, "tcn_limited"),
    **dict.fromkeys(UNLIMITED_STAY_CARDS, "tcn_unlimited"),
}
# Coming for one of these gives a third-country national a limited stay (an A or H card).
LIMITED_STAY_PURPOSES: frozenset[str] = frozenset(
    {"employee", "self_employed", "study", "research", "job_search_after_graduation"}
)
# Sponsors whose unregistered partner can come on a durable relationship (rules.md FR-PART-3).
DURABLE_RELATIONSHIP_SPONSORS: frozenset[str] = frozenset({"belgian", "eu_eea_ch"})
YearsBand = Literal["lt2", "2to4", "ge4"]


@dataclass(frozen=True)
class Situation:
    """What conditions may read: named features derived from the answers so far.

    ``answers`` holds JSON values (dates as ISO strings); ``member`` is the family member being
    described (for member questions). Conditions must use the features below, never raw fields.
    """

    answers: Mapping[str, Any]
    member: Mapping[str, Any] = field(default_factory=dict)

    @property
    def nat(self) -> NatGroup | None:
        codes = self.answers.get("nationalities")
        return nat_group(list(codes)) if codes else None

    @property
    def location(self) -> str | None:
        return self.answers.get("current_location")

    @property
    def card_class(self) -> CardClass | None:
        card = self.answers.get("card_type")
        return CARD_CLASS.get(card) if card else None

    @property
    def purposes(self) -> frozenset[str]:
        return frozenset(self.answers.get("purposes") or ())

    @property
    def region(self) -> Region | None:
        """The region of the place of work (explicit, or from the postcode)."""
        return region_from(self.answers.get("region"), self.answers.get("work_postcode"))

    @property
    def employer(self) -> str | None:
        return self.answers.get("employer_type")

    @property
    def qualification(self) -> str | None:
        return self.answers.get("qualification")

    @property
    def years_band(self) -> YearsBand | None:
        years = self.answers.get("years_worked_be")
        if years is None:
            return None
        return "lt2" if years < 2 else "2to4" if years < 4 else "ge4"

    @property
    def study_admitted(self) -> bool | None:
        return self.answers.get("study_admitted")

    @property
    def hosting_agreement(self) -> bool | None:
        return self.answers.get("hosting_agreement")

    @property
    def graduated_be(self) -> bool | None:
        return self.answers.get("graduated_be")

    @property
    def mobility_programme(self) -> bool | None:
        return self.answers.get("mobility_programme")

    @property
    def renews_family_residence(self) -> bool:
        """The person lives in Belgium on a family card and asks about it: a renewal (the engine's
        predicate, rules.md §3.2 RN-1…RN-4)."""
        return renewal_questions_matter(self.purposes, self.location, self.answers.get("card_type"))

    @property
    def user_is_sponsor(self) -> bool:
        """The person lives (or will live) in Belgium and brings family, rather than joining."""
        return "bring_family" in self.purposes and "join_family" not in self.purposes

    @property
    def implied_sponsor_type(self) -> str | None:
        """The type of a person bringing family, when what they said already tells it: Belgian or
        EU citizen, a residence card that says limited or unlimited stay, or a third-country national
        coming to work, study or do research (a limited stay, rules.md §3.1)."""
        if not self.user_is_sponsor:
            return None
        if self.nat in ("BE", "EU"):
            return {"BE": "belgian", "EU": "eu_eea_ch"}[self.nat]
        if self.nat != "TCN":
            return None
        card = self.answers.get("card_type")
        if card in STAY_OF_CARD:
            return STAY_OF_CARD[card]
        if card in (None, "none") and self.purposes & LIMITED_STAY_PURPOSES:
            return "tcn_limited"
        return None

    @property
    def sponsor_type(self) -> str | None:
        """The sponsor's type: answered, or implied by what the person bringing family said."""
        return self.answers.get("sponsor_type") or self.implied_sponsor_type

    @property
    def works_as_employee(self) -> bool:
        return "employee" in self.purposes

    @property
    def salaried(self) -> bool:
        """Coming to work for an employer, or holding a single permit or a Blue Card: paid a salary."""
        return self.works_as_employee or self.card_class == "limited_work"

    @property
    def applies_together(self) -> bool:
        """The person is abroad and brings their family: the family applies with them, before any
        permit of theirs is granted or any visa issued (the engine reads the dates as still to come,
        rules.md §3.2 RS-T3 and §3.6 EX-3, EX-4)."""
        return self.user_is_sponsor and self.location == "abroad"

    @property
    def start_known(self) -> bool:
        return bool(self.answers.get("start_date"))

    @property
    def family_listed(self) -> bool:
        """The person bringing family has said who would come (question ``family_who``)."""
        return "_family_who" in self.answers

    @property
    def relation(self) -> str | None:
        return self.member.get("relation")

    @property
    def cohabited_a_year(self) -> bool | None:
        months = self.member.get("cohabitation_months")
        return None if months is None else months >= 12

    @property
    def common_child(self) -> bool | None:
        return self.member.get("common_child")

    def signature(self) -> tuple[Any, ...]:
        """Every feature's value: two states with equal signatures route identically."""
        return tuple(getattr(self, name) for name in FEATURES)


FEATURES: tuple[str, ...] = (
    "nat",
    "location",
    "card_class",
    "purposes",
    "region",
    "employer",
    "qualification",
    "years_band",
    "study_admitted",
    "hosting_agreement",
    "graduated_be",
    "mobility_programme",
    "renews_family_residence",
    "user_is_sponsor",
    "implied_sponsor_type",
    "sponsor_type",
    "works_as_employee",
    "salaried",
    "applies_together",
    "start_known",
    "family_listed",
    "relation",
    "cohabited_a_year",
    "common_child",
)

Condition = Callable[[Situation], bool]


def always(f: Situation) -> bool:
    """The condition of a question asked of everyone."""
    return True
