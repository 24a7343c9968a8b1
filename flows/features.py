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
    CardClass,
    NatGroup,
    Region,
    constants,
    family_timing_matters,
    implied_sponsor_type,
    nat_group,
    paid_a_salary,
    region_from,
    renewal_questions_matter,
)

# Card classes that give a limited stay (rules.md §2.2 R0-3…R0-5; the grouping is the engine's).
LIMITED_STAY_CLASSES: frozenset[CardClass] = frozenset(CARD_CLASS[card] for card in LIMITED_STAY_CARDS)
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
        answers = self.answers
        return implied_sponsor_type(answers.get("nationalities"), answers.get("card_type"), self.purposes)

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
        return paid_a_salary(self.purposes, self.answers.get("card_type"))

    @property
    def coming_with_family(self) -> bool:
        """The person is abroad and brings their family: no permit of theirs is granted nor visa
        issued yet (the engine reads those dates as still to come, rules.md §3.2 RS-T3, §3.6 EX-3),
        and when the family applies decides the ex-officio visa (EX-4)."""
        return family_timing_matters(self.user_is_sponsor, self.location)

    @property
    def timing(self) -> str | None:
        """When the family applies: with the person, within 6 months of their visa, or later."""
        return self.answers.get("family_timing")

    @property
    def applies_together(self) -> bool:
        """The family applies together with the person coming from abroad: its application date is
        the person's start date (the engine's derivation, :func:`bot.engine.applies_with_worker`)."""
        return self.coming_with_family and self.timing in (None, "together")

    @property
    def start_known(self) -> bool:
        return bool(self.answers.get("start_date"))

    @property
    def family_listed(self) -> bool:
        """The person has said at once who would come (questions ``family_who``, ``family_who_joining``)."""
        return bool(set(self.answers.get("_family_who") or ()) - {"one_by_one"})

    @property
    def listed(self) -> frozenset[str]:
        """The relations ticked when the family was listed at once."""
        return frozenset(self.answers.get("_family_who") or ()) - {"one_by_one"}

    @property
    def relation(self) -> str | None:
        return self.member.get("relation")

    @property
    def resident(self) -> bool:
        """The member already lives legally with the sponsor in Belgium."""
        return self.member.get("resident_with_sponsor") is True

    @property
    def cohabited_a_year(self) -> bool | None:
        """Lived together long enough to prove a durable relationship that way (rules.md P59)."""
        months = self.member.get("cohabitation_months")
        return None if months is None else months >= constants()["DURABLE_COHABITATION"].field_value("count")

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
    "coming_with_family",
    "timing",
    "applies_together",
    "start_known",
    "family_listed",
    "listed",
    "relation",
    "resident",
    "cohabited_a_year",
    "common_child",
)

Condition = Callable[[Situation], bool]


def always(f: Situation) -> bool:
    """The condition of a question asked of everyone."""
    return True
