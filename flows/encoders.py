"""How some answers are written into the engine's fields (shortage lists, the family checks) and
how the family described at once becomes its members (who comes, their dates of birth, a shared
nationality).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, get_args

from bot.engine import Message, Relation, msg

# --- encoders for the shortage-list questions (write ``on_list[<list>]``) ------------------------


def one_list(name: str) -> Callable[[Any], dict[str, Any]]:
    def encode(value: Any) -> dict[str, Any]:
        return {f"on_list.{name}": value}

    return encode


def flemish_lists(value: Any) -> dict[str, Any]:
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


def encode_family_checks(value: Any) -> dict[str, Any]:
    ticked = set(value)
    rest = "unsure" if "unsure" in ticked else "no"
    written: dict[str, Any] = {
        "housing_ok": "yes" if "housing" in ticked else rest,
        "insurance_ok": "yes" if "insurance" in ticked else rest,
    }
    if "refusal" in ticked or rest == "no":
        written["red_flags"] = "refusal" in ticked
    return written


def decode_family_checks(scope: Mapping[str, Any]) -> list[str]:
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
