"""What the engine needs to know, said once: the predicates the interview asks before it puts a
question (which member's dependency matters, the sponsor a person bringing family already is,
whether the family's timing matters, whether the partner rules apply) and the derivations every
assessment applies to the answers (rules.md §1 minimality), so that ``guichet assess`` and the chat
decide the same facts the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from bot.engine.answers import Answers, IncomeSource
from bot.engine.cards import CARD_CLASS
from bot.engine.family_members import REGISTERED_PARTNERS
from bot.engine.family_rules import WHO_MAY_JOIN, Kind
from bot.engine.family_sponsor import GROUP_OF_TYPE

FamilyTiming = Literal["together", "within_window", "later"]

# Relation kinds whose outcome turns on the member being dependent on the sponsor (FR-CH-4, WHO-EU).
_DEPENDENT_KINDS: frozenset[Kind] = frozenset({"dependent", "eu_descendant"})


def paid_a_salary(purposes: Iterable[str] | None, card_type: str | None) -> bool:
    """Coming to work for an employer, or holding a single permit or a Blue Card."""
    card_class = CARD_CLASS.get(card_type) if card_type else None  # type: ignore[call-overload]
    return "employee" in set(purposes or ()) or card_class == "limited_work"


def implied_income_source(
    purposes: Iterable[str] | None,
    card_type: str | None,
    bringing_family: bool,
    sponsor_category: str | None = None,
) -> IncomeSource | None:
    """Employment income (rules.md §3.4): a person bringing family who is paid a salary, or a
    relative in Belgium whose permit is for one of the listed kinds of work (§3.6; "something else"
    tells nothing)."""
    if bringing_family:
        return "employment" if paid_a_salary(purposes, card_type) else None
    return "employment" if sponsor_category not in (None, "other") else None


def _relation_kind(relation: str | None, sponsor_type: str | None) -> Kind | None:
    group = GROUP_OF_TYPE.get(sponsor_type) if sponsor_type else None
    if group is None or relation is None:
        return None
    rule = WHO_MAY_JOIN[group].get(relation)  # type: ignore[call-overload]
    return rule.kind if rule else None


def dependency_matters(relation: str | None, sponsor_type: str | None, resident: bool = False) -> bool:
    """Whether the member's being dependent on the sponsor changes their outcome: adult descendants
    and ascendants of Belgian or EU sponsors (FR-CH-4, WHO-EU; disabled adult children included), and
    a member who already lives with the sponsor (counted in the household only when dependent)."""
    if resident:
        return True
    kind = _relation_kind(relation, sponsor_type)
    if kind is None and relation is not None and sponsor_type is not None:
        return False
    if kind is None:
        # the sponsor is not known yet: a relation that is dependent for some sponsor may matter
        return relation is not None and any(
            group[relation].kind in _DEPENDENT_KINDS  # type: ignore[index]
            for group in WHO_MAY_JOIN.values()
        )
    return kind in _DEPENDENT_KINDS


def partner_rules_apply(relation: str | None, sponsor_type: str | None) -> bool:
    """Whether the partner rules (age, durable relationship, waiting periods) decide this member's
    outcome; an unregistered partner is sent to an adviser whatever their story (FR-PART-3, RV-11)."""
    kind = _relation_kind(relation, sponsor_type)
    if kind is None:
        return relation in ("spouse", "partner_registered_equivalent", "partner_registered_other")
    return kind == "partner"


def age_matters(relation: str | None, sponsor_type: str | None) -> bool:
    """Whether a member's date of birth counts: children (18, 21), partners (21), but not the spouse
    of an EU citizen (no minimum age, rules.md WHO-EU) nor relations whose age no rule reads."""
    if relation in ("child_minor", "child_adult", "child_adult_disabled"):
        return True
    if relation == "spouse" and sponsor_type == "eu_eea_ch":
        return False
    return partner_rules_apply(relation, sponsor_type)


def durable_proof_matters(relation: str | None) -> bool:
    """Registered partners prove a durable relationship (FR-PART-1, DURABLE-OLD); spouses do not."""
    return relation in REGISTERED_PARTNERS


def family_timing_matters(bringing_family: bool, location: str | None) -> bool:
    """A person coming from abroad who brings family: whether the family applies with them, within
    the 6 months after their visa, or later decides the ex-officio visa (rules.md §3.6 EX-4)."""
    return bringing_family and location == "abroad"


def applies_with_worker(answers: Answers) -> bool:
    """The family applies together with a person coming from abroad (no date of its own)."""
    return (
        answers.has("bring_family")
        and family_timing_matters(True, answers.current_location)
        and answers.family_timing in (None, "together")
    )


def derived_fields(answers: Answers) -> dict[str, Any]:
    """Answer fields implied by others, never asked: ``sponsor_dob`` is the person's own date of
    birth when they bring family; ``income_source`` a salary when the sponsor is paid one; the family's
    application date the start date when it applies together with a person coming from abroad."""
    derived: dict[str, Any] = {}
    bringing = answers.has("bring_family") and not answers.has("join_family")
    if answers.income_source is None and (bringing or answers.has("join_family")):
        source = implied_income_source(
            answers.purposes, answers.card_type, bringing, answers.sponsor_category
        )
        if source is not None:
            derived["income_source"] = source
    if not bringing:
        return derived
    if answers.sponsor_dob is None and answers.dob is not None:
        derived["sponsor_dob"] = answers.dob
    if answers.family_application_date is None and answers.start_date and applies_with_worker(answers):
        derived["family_application_date"] = answers.start_date
    return derived


def with_derived_fields(answers: Answers) -> Answers:
    """The answers with every derived field added (what :func:`bot.engine.assess` decides on)."""
    derived = derived_fields(answers)
    return answers.model_copy(update=derived) if derived else answers
