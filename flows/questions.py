"""The interview, declared once as data: every question, its answer field(s), kind, options,
validation and the condition under which it is asked (rules.md §1, blocks A, B, C, D, F).

Routing lives here and only here: the next question is always "the first question of
:data:`FLOW` whose condition holds and that is still unanswered" (see :mod:`flows.machine`).
Conditions read the answers only through :class:`Situation` *features* (named derived values), so a
path generator can tell two conversations apart by their features alone (``Situation.signature``).

Wording lives in ``locales/*/questions.toml``: ``question.<id>.text`` (the question),
``question.<id>.label`` (its name in the summary), ``question.<id>.help`` ("why do we ask this?"),
``question.<id>.option.<value>`` (choice labels) and ``question.<id>.skip`` (a "none" answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from bot.engine import (
    CARD_CLASS,
    LIMITED_STAY_CARDS,
    SALARY_PERIOD,
    UNLIMITED_STAY_CARDS,
    CardClass,
    CardType,
    EmployerType,
    IctRole,
    IncomeSource,
    MeansType,
    Message,
    NatGroup,
    Purpose,
    Qualification,
    Region,
    Relation,
    SponsorCategory,
    SponsorType,
    msg,
    nat_group,
    region_from,
)
from flows.parsing.common import Unit

Kind = Literal[
    "choice",
    "multi_choice",
    "date",
    "dates",
    "money",
    "number",
    "integer",
    "postcode",
    "country",
    "countries",
    "yes_no",
    "yes_no_unsure",
    "text",
    "academic_year",
]
Scope = Literal["answers", "member"]

YEAR = 365
ASSUME_TODAY = "today"  # an ``assumed`` date: the day of the interview

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


@dataclass(frozen=True)
class Choice:
    """One option of a choice question: the stored value and its locale key."""

    value: str
    key: str


@dataclass(frozen=True)
class Validation:
    """Bounds of a typed answer; dates are relative to today (in days, negative = past)."""

    minimum: float | None = None
    maximum: float | None = None
    earliest_days: int | None = None
    latest_days: int | None = None
    period: Literal["month", "year"] | None = None
    min_choices: int = 1
    unit: Unit | None = None  # what a typed number counts (months, years, days, count)
    vocabulary: str | None = None  # word list of values given in words (e.g. "CDI" → 0 months)
    convert_period: bool = False  # an amount for the other period is converted, to be confirmed
    asap: bool = False  # "as soon as possible" means today (start dates)
    day_optional: bool = False  # "March 2020" is enough: the first of the month


@dataclass(frozen=True)
class Question:
    """One question: what it asks, what it writes, when it is asked."""

    id: str
    kind: Kind
    field: str
    condition: Condition = always
    options: tuple[Choice, ...] = ()
    validation: Validation = Validation()
    scope: Scope = "answers"
    # value → {field: value} written; default {self.field: value}. Dotted fields ("on_list.FOREM")
    # are nested when the answers are built.
    encode: Callable[[Any], dict[str, Any]] | None = None
    # the fields written → the question's own value (needed with ``encode`` on a multiple choice)
    decode: Callable[[Mapping[str, Any]], Any] | None = None
    # fields whose presence means the question is answered (default: the fields it writes)
    answered_by: tuple[str, ...] = ()
    skip: bool = False  # offers a "none / not yet" answer stored as None
    exclusive: frozenset[str] = frozenset()  # multi-choice values that exclude the others
    samples: tuple[Any, ...] = ()  # representative valid answers (typed kinds), for path walks
    # asked only when some answer could still change the result (see flows.relevance)
    only_if_it_matters: bool = False
    # the family members this answer describes: (answer, members so far, answers) → members
    members_update: Callable[[Any, list[dict[str, Any]], Mapping[str, Any]], list[dict[str, Any]]] | None = (
        None
    )
    # what makes a well-read answer wrong here, given the answers so far (e.g. one date per person)
    check: Callable[[Any, Mapping[str, Any]], Message | None] | None = None
    shown: bool = True  # listed in the summary (False: the members it describes are listed instead)
    words_of: str = ""  # the question whose word lists read its options in words (default: its own)
    # worded twice: to the person who brings family ("you") and to one who joins a relative in
    # Belgium (``question.<id>.text_joining``: "your relative")
    joining_text: bool = False
    # the usual answer, assumed while this question is still to come when an earlier question is
    # checked for whether it matters (None: nothing is assumed)
    assumed: Any = None

    @property
    def text_key(self) -> str:
        """Locale key of the question itself."""
        return f"question.{self.id}.text"

    def text_key_for(self, situation: Situation) -> str:
        """The question's wording for this person: joining a relative, or bringing family."""
        joining = self.joining_text and not situation.user_is_sponsor
        return f"question.{self.id}.text_joining" if joining else self.text_key

    @property
    def label_key(self) -> str:
        """Locale key of the question's name in the summary."""
        return f"question.{self.id}.label"

    @property
    def help_key(self) -> str:
        """Locale key of "why do we ask this?"."""
        return f"question.{self.id}.help"

    @property
    def skip_key(self) -> str:
        """Locale key of the "none / not yet" answer."""
        return f"question.{self.id}.skip"

    def option_key(self, value: str) -> str:
        """Locale key of an option's label."""
        return f"question.{self.id}.option.{value}"

    def writes(self, value: Any) -> dict[str, Any]:
        """The fields this answer sets."""
        return self.encode(value) if self.encode else {self.field: value}

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field the question may write."""
        if self.encode is None:
            return (self.field,)
        names: dict[str, None] = {}
        values = self.sample_values() if self.kind == "multi_choice" else self.option_values() or self.samples
        for value in values:
            names.update(dict.fromkeys(self.encode(value)))
        return tuple(names)

    def value_in(self, scope: Mapping[str, Any]) -> Any:
        """The answer as the question's own value (an encoded answer decoded back to its option)."""
        if self.decode is not None:
            return self.decode(scope) if self.answered_in(scope) else None
        if self.encode is None:
            return scope.get(self.field)
        for option in self.option_values():
            if all(scope.get(k) == v for k, v in self.writes(option).items()):
                return option
        return None

    def answered_in(self, scope_values: Mapping[str, Any]) -> bool:
        """True when the answers (or the member) already hold this question's answer."""
        if self.answered_by:
            return any(name in scope_values for name in self.answered_by)
        return all(name in scope_values for name in self.fields)

    def option_values(self) -> tuple[str, ...]:
        """The values of the choice options (yes/no kinds included)."""
        return tuple(option.value for option in self.options)

    def sample_values(self) -> tuple[Any, ...]:
        """Representative answers: every option for choice kinds, else the declared samples."""
        if self.kind == "multi_choice":
            singles = tuple([value] for value in self.option_values())
            return singles + tuple(self.samples)
        if self.kind in ("choice", "yes_no", "yes_no_unsure"):
            values = [VALUE_OF_OPTION[self.kind].get(v, v) for v in self.option_values()]
            return (*values, *((None,) if self.skip else ()))
        return (*self.samples, *((None,) if self.skip else ()))


@dataclass(frozen=True)
class Group:
    """A repeatable group of member questions building ``members[]`` ("add another member?")."""

    id: str
    field: str
    condition: Condition
    questions: tuple[Question, ...]
    more: Question
    max_items: int = 20


Step = Question | Group

VALUE_OF_OPTION: dict[str, dict[str, Any]] = {
    "yes_no": {"yes": True, "no": False},
    "yes_no_unsure": {},
    "choice": {},
}


def _choices(qid: str, values: tuple[str, ...]) -> tuple[Choice, ...]:
    """Options whose labels are ``question.<qid>.option.<value>``."""
    return tuple(Choice(value, f"question.{qid}.option.{value}") for value in values)


def _literal(qid: str, literal: Any) -> tuple[Choice, ...]:
    return _choices(qid, tuple(get_args(literal)))


YES_NO = (Choice("yes", "dialogue.answer.yes"), Choice("no", "dialogue.answer.no"))
YES_NO_UNSURE = (*YES_NO, Choice("unsure", "dialogue.answer.unsure"))


def _q(qid: str, kind: Kind, fieldname: str | None = None, **more: Any) -> Question:
    if kind == "yes_no":
        more.setdefault("options", YES_NO)
    elif kind == "yes_no_unsure":
        more.setdefault("options", YES_NO_UNSURE)
    return Question(id=qid, kind=kind, field=fieldname or qid, **more)


# --- conditions (block triggers of rules.md §1) -------------------------------------------------


def is_tcn(f: Situation) -> bool:
    return f.nat == "TCN"


def not_belgian(f: Situation) -> bool:
    return f.nat in ("EU", "TCN")


def tcn_in_belgium(f: Situation) -> bool:
    return is_tcn(f) and f.location == "belgium"


def holds_limited_card(f: Situation) -> bool:
    return is_tcn(f) and f.card_class in LIMITED_STAY_CLASSES


def needs_permit(f: Situation) -> bool:
    """A third-country national whose residence card does not already give access to work."""
    return is_tcn(f) and f.card_class not in ("free", "family")


def employee(f: Situation) -> bool:
    """Block B: a third-country national who wants a job and needs a work authorisation."""
    return needs_permit(f) and "employee" in f.purposes


def employee_in_region(f: Situation) -> bool:
    """Employee block beyond the postcode: not in the German-speaking Community (always REVIEW)."""
    return employee(f) and f.region in ("BXL", "FL", "WAL")


def regular_employee(f: Situation) -> bool:
    """Region table (§2.4–2.6) applies: any employer except an intra-corporate transfer."""
    return (
        employee_in_region(f) and f.employer is not None and f.employer != "group_transfer_from_non_EU_entity"
    )


def higher_educated(f: Situation) -> bool:
    return regular_employee(f) and f.qualification == "higher_ed_3y_plus"


def intra_group_transfer(f: Situation) -> bool:
    return employee_in_region(f) and f.employer == "group_transfer_from_non_EU_entity"


def employee_in_brussels(f: Situation) -> bool:
    """A region that compares the monthly base salary (Brussels)."""
    return employee_in_region(f) and f.region is not None and SALARY_PERIOD.get(f.region) == "month"


def employee_paid_yearly(f: Situation) -> bool:
    """A region that compares the yearly gross salary (Flanders, Wallonia)."""
    return employee_in_region(f) and f.region is not None and SALARY_PERIOD.get(f.region) == "year"


def higher_educated_in_flanders(f: Situation) -> bool:
    return higher_educated(f) and f.region == "FL"


def higher_educated_in_wallonia(f: Situation) -> bool:
    return higher_educated(f) and f.region == "WAL"


def blue_card_candidate(f: Situation) -> bool:
    """The Blue Card needs a contract length: higher education or three years of IT experience."""
    return regular_employee(f) and f.qualification in ("higher_ed_3y_plus", "ict_experience_3y_in_last_7y")


def regular_employee_in_brussels(f: Situation) -> bool:
    return regular_employee(f) and f.region == "BXL"


def regular_employee_in_wallonia(f: Situation) -> bool:
    return regular_employee(f) and f.region == "WAL"


def regular_employee_in_flanders(f: Situation) -> bool:
    """The Flemish lists concern medium-qualified jobs (and higher education for the VDAB list)."""
    return (
        regular_employee(f)
        and f.region == "FL"
        and f.qualification in ("vocational_level_3_4", "higher_ed_3y_plus")
    )


def asks_dob(f: Situation) -> bool:
    """Age decides the under-30 rates (employees) and the age-21 rule (sponsor bringing family)."""
    return employee(f) or f.user_is_sponsor


def asks_years_worked(f: Situation) -> bool:
    """Unlimited single permit (§2.12) for workers already here, or long-term status (§2.13)."""
    return is_tcn(f) and (
        (employee(f) and f.card_class == "limited_work") or "long_term_status" in f.purposes
    )


def worked_in_brussels(f: Situation) -> bool:
    return asks_years_worked(f) and f.region == "BXL"


def worked_two_years(f: Situation) -> bool:
    return asks_years_worked(f) and f.years_band in ("2to4", "ge4")


def long_term_block(f: Situation) -> bool:
    """Block D: long-term status asked for, or at least four years of work already (§1)."""
    return asks_years_worked(f) and ("long_term_status" in f.purposes or f.years_band == "ge4")


def not_settled(f: Situation) -> bool:
    """A third-country national without an unlimited or EU card (family cards included)."""
    return is_tcn(f) and f.card_class != "free"


def self_employed(f: Situation) -> bool:
    return not_settled(f) and "self_employed" in f.purposes


def student(f: Situation) -> bool:
    return not_settled(f) and "study" in f.purposes


def admitted_student(f: Situation) -> bool:
    return student(f) and f.study_admitted is True


def researcher(f: Situation) -> bool:
    return is_tcn(f) and "research" in f.purposes


def graduate(f: Situation) -> bool:
    return is_tcn(f) and "job_search_after_graduation" in f.purposes


def researcher_without_agreement(f: Situation) -> bool:
    return researcher(f) and f.hosting_agreement is False


def graduated_abroad(f: Situation) -> bool:
    return graduate(f) and f.graduated_be is False


def graduation_counts(f: Situation) -> bool:
    """A Belgian degree, or a foreign one after an EU mobility programme in Belgium."""
    return graduate(f) and (f.graduated_be is True or f.mobility_programme is True)


def graduate_in_belgium(f: Situation) -> bool:
    return graduate(f) and f.graduated_be is True and f.location == "belgium"


def family(f: Situation) -> bool:
    """Block F: bringing or joining family."""
    return bool({"bring_family", "join_family"} & f.purposes)


def long_term_only(f: Situation) -> bool:
    """EU long-term status also needs health insurance and no public-order threat (§2.13); with a
    family, the family questions ask it for everyone."""
    return long_term_block(f) and not family(f)


def residence_region_needed(f: Situation) -> bool:
    """The unlimited single permit is filed in the region of residence (§2.12) when no job says it."""
    return asks_years_worked(f) and not employee(f)


def bringing_family(f: Situation) -> bool:
    """The person brings family: who comes is asked at once, then their dates of birth."""
    return family(f) and f.user_is_sponsor


def family_listed(f: Situation) -> bool:
    return bringing_family(f) and f.family_listed


def family_joining(f: Situation) -> bool:
    return family(f) and not f.user_is_sponsor


def tcn_sponsor_self(f: Situation) -> bool:
    """A third-country national bringing family: their own status is asked, unless their card or
    their reason to come already tells it."""
    return family(f) and f.user_is_sponsor and f.nat == "TCN" and f.implied_sponsor_type is None


def sponsor_has_right_date(f: Situation) -> bool:
    """The date the sponsor's right of residence started, unless it is still to come (the family
    applies together with the person)."""
    return (
        family(f)
        and f.sponsor_type in ("tcn_limited", "tcn_unlimited", "eu_eea_ch")
        and not f.applies_together
    )


def limited_sponsor(f: Situation) -> bool:
    return family(f) and f.sponsor_type == "tcn_limited"


def worker_visa_issued(f: Situation) -> bool:
    """The worker's visa date (ex-officio window), unless the family applies together with them."""
    return limited_sponsor(f) and not f.applies_together


def application_date_unknown(f: Situation) -> bool:
    """The family's application date, unless it is the person's own: applying together from abroad,
    it is taken as the start date (see :func:`flows.session.derived_answers`)."""
    return family(f) and not (f.applies_together and f.start_known)


def asks_sponsor_category(f: Situation) -> bool:
    """Ex-officio category (§3.6); for a worker bringing family the engine takes it from the route."""
    return limited_sponsor(f) and not (f.user_is_sponsor and "employee" in f.purposes)


def income_test(f: Situation) -> bool:
    """Family income (§3.4): not for EU sponsors (FR-INC-7) nor protection cases (RV-08)."""
    return family(f) and f.sponsor_type in ("tcn_limited", "tcn_unlimited", "belgian", "other")


def income_source_unknown(f: Situation) -> bool:
    """Where the income comes from, unless the person brings family and is paid a salary (coming to
    work for an employer, or holding a single permit or a Blue Card)."""
    return income_test(f) and not (f.user_is_sponsor and f.salaried)


def may_live_with_sponsor(f: Situation) -> bool:
    """Whether a member already lives legally with the sponsor in Belgium: not asked of a person who
    is abroad and brings their family (nobody lives with them in Belgium yet)."""
    return not (f.user_is_sponsor and f.location == "abroad")


def partner_can_come(f: Situation) -> bool:
    """A spouse or partner who can join; an unregistered partner only joins a Belgian or EU citizen
    (rules.md FR-PART-3: for a third-country sponsor they are not a family member)."""
    if f.relation == "partner_unregistered":
        return f.sponsor_type in DURABLE_RELATIONSHIP_SPONSORS
    return f.relation in PARTNERS


def durable_proof(f: Situation) -> bool:
    """Partners who are not married prove a durable relationship (rules.md F6)."""
    return partner_can_come(f) and f.relation in DURABLE_PROOF


def short_cohabitation(f: Situation) -> bool:
    return durable_proof(f) and f.cohabited_a_year is False


def meetings_needed(f: Situation) -> bool:
    return short_cohabitation(f) and f.common_child is False


def dependency_matters(f: Situation) -> bool:
    """Adult descendants and ascendants of Belgians / EU citizens must be dependent (FR-CH-4)."""
    return f.relation in ("child_adult", "parent", "other") and f.sponsor_type in ("belgian", "eu_eea_ch")


# --- encoders for the shortage-list questions (write ``on_list[<list>]``) ------------------------


def _one_list(name: str) -> Callable[[Any], dict[str, Any]]:
    def encode(value: Any) -> dict[str, Any]:
        return {f"on_list.{name}": value}

    return encode


def _flemish_lists(value: Any) -> dict[str, Any]:
    medium, vdab = {
        "medium": ("yes", "no"),
        "vdab": ("no", "yes"),
        "neither": ("no", "no"),
        "unknown": ("unknown", "unknown"),
    }[value]
    return {"on_list.FL_MEDIUM": medium, "on_list.FL_VDAB": vdab}


LIST_ANSWERS = ("yes", "no", "unknown")

# The family conditions asked at once (rules.md §3.3 housing and insurance, §3.6 EX-6 signals): what
# is ticked is true; what is not is "no", or "unsure" with "not sure about the rest" (a refusal or
# conviction then stays unknown: the field has no "unsure").
FAMILY_CHECKS = ("housing", "insurance", "refusal", "unsure", "none")


def _family_checks(value: Any) -> dict[str, Any]:
    ticked = set(value)
    rest = "unsure" if "unsure" in ticked else "no"
    written: dict[str, Any] = {
        "housing_ok": "yes" if "housing" in ticked else rest,
        "insurance_ok": "yes" if "insurance" in ticked else rest,
    }
    if "refusal" in ticked or rest == "no":
        written["red_flags"] = "refusal" in ticked
    return written


def _ticked_checks(scope: Mapping[str, Any]) -> list[str]:
    ok = {"housing": scope.get("housing_ok") == "yes", "insurance": scope.get("insurance_ok") == "yes"}
    ticked = [name for name, true in ok.items() if true]
    if scope.get("red_flags") is True:
        ticked.append("refusal")
    if "unsure" in (scope.get("housing_ok"), scope.get("insurance_ok")) or "red_flags" not in scope:
        ticked.append("unsure")
    return ticked or ["none"]


# --- the family at once (a person bringing family) ------------------------------------------------

RELATIONS: tuple[str, ...] = get_args(Relation)


def _in_family_order(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Partners first, then the children under 18, then the others (the order of :data:`RELATIONS`)."""
    return sorted(members, key=lambda member: RELATIONS.index(member["relation"]))


def list_family(
    value: Any, members: list[dict[str, Any]], answers: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One member per relation ticked; members already described keep what they said."""
    kept = [dict(member) for member in members if member.get("relation") in value]
    present = {member["relation"] for member in kept}
    return _in_family_order(kept + [{"relation": r} for r in RELATIONS if r in value and r not in present])


def _dates_wanted(members: list[dict[str, Any]]) -> tuple[int, bool]:
    """How many dates of birth: one per member who is not a child under 18, and (``True``) at least
    one more when children under 18 come (as many as there are)."""
    others = sum(1 for member in members if member.get("relation") != "child_minor")
    return others, any(member.get("relation") == "child_minor" for member in members)


def check_dates_count(value: Any, answers: Mapping[str, Any]) -> Message | None:
    """One date per person: the children under 18 are as many as the dates left (nothing to check
    before the family is listed)."""
    members = list(answers.get("members") or [])
    if not members:
        return None
    others, children = _dates_wanted(members)
    if children and len(value) <= others:
        return msg("dialogue.error.dates_at_least", count=others + 1)
    if not children and len(value) != others:
        return msg("dialogue.error.dates_exactly", count=others)
    return None


def date_family(
    value: Any, members: list[dict[str, Any]], answers: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Dates of birth in family order; the children under 18 are as many as the dates left."""
    others = [dict(member) for member in members if member.get("relation") != "child_minor"]
    children = [dict(member) for member in members if member.get("relation") == "child_minor"]
    if children:
        count = max(len(value) - len(others), 1)
        children = (children + [{"relation": "child_minor"} for _ in range(count)])[:count]
    ordered = _in_family_order(others + children)
    for member, day in zip(ordered, value, strict=False):
        member["dob"] = day
    return ordered


def same_nationality(
    value: Any, members: list[dict[str, Any]], answers: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """ "Yes": every member without a nationality has the person's (the first one given)."""
    own = (answers.get("nationalities") or [None])[0]
    if value is not True or own is None:
        return [dict(member) for member in members]
    return [{**member, "nationality": member.get("nationality") or own} for member in members]


# --- the flow ------------------------------------------------------------------------------------

PAST = Validation(earliest_days=-120 * YEAR, latest_days=0)
ADULT_DOB = Validation(earliest_days=-100 * YEAR, latest_days=-15 * YEAR)
SOON = Validation(earliest_days=-2 * YEAR, latest_days=5 * YEAR)
SOON_OR_NOW = Validation(earliest_days=-2 * YEAR, latest_days=5 * YEAR, asap=True)
PAST_MONTH_OK = Validation(earliest_days=-120 * YEAR, latest_days=0, day_optional=True)

MEMBERS = Group(
    id="members",
    field="members",
    condition=family,
    questions=(
        _q(
            "member_relation",
            "choice",
            "relation",
            scope="member",
            options=_literal("member_relation", Relation),
            joining_text=True,
        ),
        _q(
            "member_dob",
            "date",
            "dob",
            scope="member",
            validation=PAST,
            samples=("2015-03-01", "1995-06-15"),
            only_if_it_matters=True,
        ),
        _q(
            "member_nationality",
            "country",
            "nationality",
            scope="member",
            samples=("MA", "SY", "TR", "FR"),
            only_if_it_matters=True,
        ),
        _q(
            "member_relation_start_date",
            "date",
            "relation_start_date",
            scope="member",
            condition=partner_can_come,
            validation=PAST_MONTH_OK,
            samples=("2020-05-20",),
            only_if_it_matters=True,
        ),
        _q(
            "member_resident_with_sponsor",
            "yes_no",
            "resident_with_sponsor",
            scope="member",
            condition=may_live_with_sponsor,
            only_if_it_matters=True,
            assumed=False,
            joining_text=True,
        ),
        _q(
            "member_dependent",
            "yes_no",
            "dependent",
            scope="member",
            condition=dependency_matters,
            only_if_it_matters=True,
            assumed=True,
            joining_text=True,
        ),
        _q(
            "member_cohabitation_months",
            "integer",
            "cohabitation_months",
            scope="member",
            condition=durable_proof,
            validation=Validation(minimum=0, maximum=1200, unit="months"),
            samples=(0, 24),
            only_if_it_matters=True,
        ),
        _q("member_common_child", "yes_no", "common_child", scope="member", condition=short_cohabitation),
        _q(
            "member_known_since",
            "date",
            "known_since",
            scope="member",
            condition=meetings_needed,
            validation=PAST_MONTH_OK,
            samples=("2021-01-10",),
            only_if_it_matters=True,
        ),
        _q(
            "member_meetings_count",
            "integer",
            "meetings_count",
            scope="member",
            condition=meetings_needed,
            validation=Validation(minimum=0, maximum=10_000, unit="count"),
            samples=(3,),
            only_if_it_matters=True,
        ),
        _q(
            "member_meetings_days_total",
            "integer",
            "meetings_days_total",
            scope="member",
            condition=meetings_needed,
            validation=Validation(minimum=0, maximum=100_000, unit="days"),
            samples=(45,),
            only_if_it_matters=True,
        ),
    ),
    more=_q("member_more", "yes_no", "_more", scope="member"),
)

# Block A — about the person
BLOCK_A: tuple[Step, ...] = (
    _q("nationalities", "countries", samples=(["IN"], ["FR"], ["BE"])),
    _q(
        "current_location",
        "choice",
        condition=not_belgian,
        options=_choices("current_location", ("abroad", "belgium")),
    ),
    _q("card_type", "choice", condition=tcn_in_belgium, options=_literal("card_type", CardType)),
    _q(
        "card_expiry",
        "date",
        condition=holds_limited_card,
        validation=Validation(earliest_days=-YEAR, latest_days=10 * YEAR),
        samples=("2027-01-31",),
    ),
    _q(
        "purposes",
        "multi_choice",
        options=_literal("purposes", Purpose),
        samples=(["employee", "bring_family"], ["employee", "long_term_status"]),
    ),
    _q(
        "dob",
        "date",
        condition=asks_dob,
        validation=ADULT_DOB,
        samples=("1990-04-12", "2000-02-29"),
    ),
)

# Block B — employee
BLOCK_B: tuple[Step, ...] = (
    _q(
        "work_postcode",
        "postcode",
        condition=employee,
        answered_by=("work_postcode", "region"),
        samples=("1000", "2000", "4000", "4700"),
    ),
    _q(
        "employer_type",
        "choice",
        condition=employee_in_region,
        options=_literal("employer_type", EmployerType),
    ),
    _q(
        "ict_role",
        "choice",
        condition=intra_group_transfer,
        options=_literal("ict_role", IctRole),
    ),
    _q(
        "qualification",
        "choice",
        condition=regular_employee,
        options=_literal("qualification", Qualification),
    ),
    _q(
        "job_is_highly_qualified",
        "yes_no_unsure",
        condition=higher_educated_in_flanders,
        only_if_it_matters=True,
        assumed="yes",
    ),
    _q(
        "work_experience_years",
        "number",
        condition=higher_educated_in_wallonia,
        validation=Validation(minimum=0, maximum=70, unit="years"),
        samples=(2,),
        only_if_it_matters=True,
    ),
    _q(
        "salary_month_base",
        "money",
        condition=employee_in_brussels,
        validation=Validation(minimum=100, maximum=1_000_000, period="month", convert_period=True),
        samples=(4100.0, 2600.0),
    ),
    _q(
        "salary_year",
        "money",
        condition=employee_paid_yearly,
        validation=Validation(minimum=1_000, maximum=10_000_000, period="year", convert_period=True),
        samples=(55_000.0, 32_000.0),
    ),
    _q(
        "contract_months",
        "integer",
        condition=blue_card_candidate,
        validation=Validation(minimum=0, maximum=600, unit="months", vocabulary="contract_duration"),
        samples=(24,),
    ),
    # the start date before the lists: the thresholds in force then decide whether they matter
    _q("start_date", "date", condition=employee_in_region, validation=SOON_OR_NOW, samples=("2026-09-01",)),
    _q(
        "shortage_bxl",
        "choice",
        "on_list",
        condition=regular_employee_in_brussels,
        options=_choices("shortage_bxl", LIST_ANSWERS),
        encode=_one_list("ACTIRIS"),
        only_if_it_matters=True,
        assumed="no",
    ),
    _q(
        "shortage_wal",
        "choice",
        "on_list",
        condition=regular_employee_in_wallonia,
        options=_choices("shortage_wal", LIST_ANSWERS),
        encode=_one_list("FOREM"),
        only_if_it_matters=True,
        assumed="no",
    ),
    _q(
        "shortage_fl",
        "choice",
        "on_list",
        condition=regular_employee_in_flanders,
        options=_choices("shortage_fl", ("medium", "vdab", "neither", "unknown")),
        encode=_flemish_lists,
        only_if_it_matters=True,
        assumed="neither",
    ),
    _q(
        "special",
        "multi_choice",
        condition=regular_employee,
        exclusive=frozenset({"none"}),
        options=_choices(
            "special",
            (
                "executive_director",
                "nurse",
                "teacher",
                "professional_athlete_or_coach",
                "international_agreement",
                "seasonal",
                "none",
            ),
        ),
        only_if_it_matters=True,
        assumed=["none"],
    ),
)

# Unlimited single permit (B9) and block D — long-term status
BLOCK_D: tuple[Step, ...] = (
    _q(
        "years_worked_be",
        "number",
        condition=asks_years_worked,
        validation=Validation(minimum=0, maximum=70, unit="years"),
        samples=(1, 3, 5),
    ),
    _q(
        "residence_postcode",
        "postcode",
        "work_postcode",
        condition=residence_region_needed,
        answered_by=("work_postcode", "region"),
        samples=("1000", "9000"),
    ),
    _q(
        "legal_residence_since",
        "date",
        condition=asks_years_worked,
        validation=PAST_MONTH_OK,
        samples=("2019-09-01",),
    ),
    _q(
        "worked_in_region_months",
        "integer",
        condition=worked_in_brussels,
        validation=Validation(minimum=0, maximum=840, unit="months"),
        samples=(36,),
    ),
    _q("family_legally_resident", "yes_no", condition=worked_two_years),
    _q(
        "longest_absence_months",
        "number",
        condition=long_term_block,
        validation=Validation(minimum=0, maximum=600, unit="months"),
        samples=(2,),
    ),
    _q(
        "total_absence_months",
        "number",
        condition=long_term_block,
        validation=Validation(minimum=0, maximum=600, unit="months"),
        samples=(5,),
    ),
    _q(
        "net_income_month",
        "money",
        condition=long_term_block,
        validation=Validation(minimum=0, maximum=1_000_000, period="month"),
        samples=(2200.0,),
    ),
    _q(
        "dependants",
        "integer",
        condition=long_term_block,
        validation=Validation(minimum=0, maximum=30, unit="count"),
        samples=(1,),
    ),
    _q("ltr_insurance_ok", "yes_no_unsure", "insurance_ok", condition=long_term_only, assumed="yes"),
    _q("ltr_red_flags", "yes_no", "red_flags", condition=long_term_only, assumed=False),
)

# Block C — self-employed, student, researcher, graduate
BLOCK_C: tuple[Step, ...] = (
    _q(
        "se_region",
        "choice",
        condition=self_employed,
        options=_choices("se_region", ("BXL", "FL", "WAL", "DG")),
    ),
    _q("se_access_ok", "yes_no_unsure", condition=self_employed),
    _q("study_admitted", "yes_no", condition=student),
    _q("academic_year", "academic_year", condition=admitted_student, samples=("2026-2027",)),
    _q("means_type", "choice", condition=admitted_student, options=_literal("means_type", MeansType)),
    _q(
        "means_month",
        "money",
        condition=admitted_student,
        validation=Validation(minimum=0, maximum=1_000_000, period="month"),
        samples=(900.0,),
    ),
    _q("hosting_agreement", "yes_no", condition=researcher),
    _q("postdoc", "yes_no", condition=researcher_without_agreement),
    _q("graduated_be", "yes_no", condition=graduate),
    _q("mobility_programme", "yes_no", condition=graduated_abroad),
    _q(
        "graduation_date",
        "date",
        condition=graduation_counts,
        validation=Validation(earliest_days=-5 * YEAR, latest_days=YEAR),
        samples=("2026-06-30",),
    ),
    _q(
        "application_date",
        "date",
        condition=graduate_in_belgium,
        validation=SOON,
        samples=("2026-08-01",),
    ),
)

# Block F — family
BLOCK_F: tuple[Step, ...] = (
    _q(
        "sponsor_type_self",
        "choice",
        "sponsor_type",
        condition=tcn_sponsor_self,
        options=_choices(
            "sponsor_type_self",
            ("tcn_limited", "tcn_unlimited", "international_protection", "temporary_protection", "other"),
        ),
    ),
    _q("sponsor_type", "choice", condition=family_joining, options=_literal("sponsor_type", SponsorType)),
    # the family before the dates and the money: what does not count for this family is not asked;
    # a person bringing family says who comes at once, then the group asks only what is left
    _q(
        "family_who",
        "multi_choice",
        "_family_who",
        condition=bringing_family,
        options=_choices("family_who", RELATIONS),
        members_update=list_family,
        words_of="member_relation",
        shown=False,
    ),
    _q(
        "family_dobs",
        "dates",
        "_family_dobs",
        condition=family_listed,
        validation=PAST,
        members_update=date_family,
        check=check_dates_count,
        samples=(["1991-06-15", "2018-04-03"],),
        shown=False,
    ),
    _q(
        "family_nationality",
        "yes_no",
        "_same_nationality",
        condition=family_listed,
        members_update=same_nationality,
        only_if_it_matters=True,
        shown=False,
    ),
    MEMBERS,
    _q(
        "sponsor_category",
        "choice",
        condition=asks_sponsor_category,
        options=_literal("sponsor_category", SponsorCategory),
        only_if_it_matters=True,
        joining_text=True,
    ),
    _q(
        "sponsor_dob",
        "date",
        condition=family_joining,
        validation=ADULT_DOB,
        samples=("1988-11-02",),
        only_if_it_matters=True,
    ),
    _q(
        "sponsor_right_date",
        "date",
        condition=sponsor_has_right_date,
        validation=Validation(earliest_days=-80 * YEAR, latest_days=2 * YEAR),
        samples=("2025-10-01",),
        only_if_it_matters=True,
        assumed=ASSUME_TODAY,
        joining_text=True,
    ),
    _q(
        "worker_visa_date",
        "date",
        condition=worker_visa_issued,
        skip=True,
        validation=Validation(earliest_days=-10 * YEAR, latest_days=YEAR),
        samples=("2025-11-15",),
        only_if_it_matters=True,
        joining_text=True,
    ),
    _q(
        "family_application_date",
        "date",
        condition=application_date_unknown,
        validation=SOON_OR_NOW,
        samples=("2026-03-01",),
    ),
    _q(
        "sponsor_net_income",
        "money",
        condition=income_test,
        validation=Validation(minimum=0, maximum=1_000_000, period="month"),
        samples=(2900.0,),
        assumed=10_000.0,  # enough for any family: what else matters shows
        joining_text=True,
    ),
    _q(
        "income_source",
        "choice",
        condition=income_source_unknown,
        options=_literal("income_source", IncomeSource),
        only_if_it_matters=True,
        assumed="employment",
    ),
    _q(
        "family_checks",
        "multi_choice",
        "housing_ok",
        condition=family,
        options=_choices("family_checks", FAMILY_CHECKS),
        exclusive=frozenset({"none"}),
        encode=_family_checks,
        decode=_ticked_checks,
        answered_by=("housing_ok",),
        samples=(["housing", "insurance"], ["housing", "unsure"]),
        only_if_it_matters=True,
        assumed=["housing", "insurance"],
    ),
)

BlockName = Literal["A", "B", "D", "C", "F"]
BLOCKS: dict[BlockName, tuple[Step, ...]] = {
    "A": BLOCK_A,
    "B": BLOCK_B,
    "D": BLOCK_D,
    "C": BLOCK_C,
    "F": BLOCK_F,
}
FLOW: tuple[Step, ...] = (*BLOCK_A, *BLOCK_B, *BLOCK_D, *BLOCK_C, *BLOCK_F)
# Situation an HR invite may give (shown once for confirmation) and how each is displayed.
PREFILL_FIELDS: tuple[str, ...] = (
    "work_postcode",
    "region",
    "employer_type",
    "salary_month_base",
    "salary_year",
    "contract_months",
    "occupation",
)


def iter_questions() -> Iterator[Question]:
    """Every question of the flow, member questions and "add another member?" included."""
    for step in FLOW:
        if isinstance(step, Group):
            yield from step.questions
            yield step.more
        else:
            yield step


QUESTIONS: dict[str, Question] = {question.id: question for question in iter_questions()}
GROUPS: dict[str, Group] = {step.id: step for step in FLOW if isinstance(step, Group)}
MEMBER_QUESTIONS: frozenset[str] = frozenset(
    question.id for group in GROUPS.values() for question in (*group.questions, group.more)
)


BLOCK_OF: dict[str, BlockName] = {
    question.id: name
    for name, steps in BLOCKS.items()
    for step in steps
    for question in ((*step.questions, step.more) if isinstance(step, Group) else (step,))
}


def question(qid: str) -> Question:
    """The question with this id (KeyError if unknown)."""
    return QUESTIONS[qid]


def question_for_field(name: str) -> Question | None:
    """The first top-level question that writes this answer field, if any."""
    for step in FLOW:
        if isinstance(step, Question) and (name in step.fields or name in step.answered_by):
            return step
    return None
