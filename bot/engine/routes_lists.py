"""Occupation lists (rules.md §2.4–2.6, K-24): is the person's job on a shortage list on a date?

Answers carry ``on_list`` per list; a typed ``occupation`` is mapped only for the functions the
sources name (the Flemish additions and removals of 1 January 2026, P07/P08); anything else
unmapped is "unknown" and must be checked by an adviser (RV-04).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any, Literal

from bot.engine.answers import Answers, ShortageList
from bot.engine.cutoff import uncertain_near_cutoff
from bot.engine.message import Message, msg
from bot.engine.sources import packaged_text
from bot.engine.thresholds import ThresholdTable, active_table

ListStatus = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class NamedFunction:
    """A function the sources name as added to or removed from a list."""

    id: str
    list: ShortageList
    change: Literal["added", "removed"]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class ListInfo:
    """A list's validity window (when known) and sources."""

    id: ShortageList
    valid_from: date | None
    valid_to: date | None
    new_list_from: date | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ListVerdict:
    """Whether the occupation is on the list, why, and what an adviser must check."""

    status: ListStatus
    reasons: tuple[Message, ...] = ()
    reviews: tuple[tuple[str, Message], ...] = ()
    missing: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@cache
def _packaged_lists() -> str:
    return packaged_text("occupations.toml")


def _lists_text(table: ThresholdTable | None = None) -> str:
    """The lists of ``table``'s rules pack, by default the pack in force (``data/occupations.toml``
    unless a pack brings its own)."""
    return (table or active_table()).lists_text or _packaged_lists()


@lru_cache(maxsize=8)
def _parsed(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


def list_info(list_id: ShortageList, table: ThresholdTable | None = None) -> ListInfo:
    """Validity and sources of one list (of ``table``'s pack, by default the pack in force)."""
    return _list_info(_lists_text(table), list_id)


@lru_cache(maxsize=64)
def _list_info(text: str, list_id: ShortageList) -> ListInfo:
    raw = _parsed(text)["lists"][list_id]
    return ListInfo(
        id=list_id,
        valid_from=raw.get("valid_from"),
        valid_to=raw.get("valid_to"),
        new_list_from=raw.get("new_list_from"),
        sources=tuple(raw["sources"]),
    )


def named_functions(table: ThresholdTable | None = None) -> tuple[NamedFunction, ...]:
    """Every named function of the lists (of ``table``'s pack, by default the pack in force)."""
    return _named_functions(_lists_text(table))


@lru_cache(maxsize=8)
def _named_functions(text: str) -> tuple[NamedFunction, ...]:
    return tuple(
        NamedFunction(
            id=raw["id"],
            list=raw["list"],
            change=raw["change"],
            keywords=tuple(normalise(k) for k in raw["keywords"]),
        )
        for raw in _parsed(text)["functions"]
    )


def normalise(text: str) -> str:
    """Lower-case, accent-free text with words separated by single spaces."""
    text = text.replace("’", "'").replace("‘", "'")
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9']+", " ", text).split())


def match_functions(
    occupation: str, list_id: ShortageList, table: ThresholdTable | None = None
) -> list[NamedFunction]:
    """The named functions of ``list_id`` whose keywords occur as whole words in ``occupation``."""
    text = normalise(occupation)
    found = []
    for function in named_functions(table):
        if function.list != list_id:
            continue
        if any(re.search(rf"(?<![a-z0-9']){re.escape(k)}(?![a-z0-9'])", text) for k in function.keywords):
            found.append(function)
    return found


def on_list(
    answers: Answers,
    list_id: ShortageList,
    *,
    day: date,
    filed: date,
    filed_recorded: bool = False,
    table: ThresholdTable | None = None,
) -> ListVerdict:
    """Is the occupation on ``list_id``? ``day`` is the reference date, ``filed`` the filing date
    (the Flemish list applies by application date, P08) and ``filed_recorded`` whether that date is
    a fact (cutoff.py); the lists are ``table``'s pack's."""
    info = list_info(list_id, table)
    if list_id == "FL_MEDIUM" and answers.occupation:
        mapped = _flemish_named(answers.occupation, info, filed, filed_recorded, table)
        if mapped is not None:
            return mapped
    answer = (answers.on_list or {}).get(list_id)
    if answer is None or answer == "unknown":
        return ListVerdict(
            status="unknown",
            reviews=(("RV-04", msg("route.review.occupation_unmapped", list_key=f"route.list.{list_id}")),),
            missing=() if answers.occupation else ("occupation",),
            sources=info.sources,
        )
    if answer == "yes" and info.valid_to is not None and day > info.valid_to:
        return ListVerdict(
            status="unknown",
            reasons=(
                msg(
                    "route.reason.list_expired",
                    list_key=f"route.list.{list_id}",
                    valid_to_date=info.valid_to.isoformat(),
                ),
            ),
            reviews=(
                (
                    "RV-04",
                    msg(
                        "route.review.list_not_loaded",
                        list_key=f"route.list.{list_id}",
                        valid_to_date=info.valid_to.isoformat(),
                    ),
                ),
            ),
            sources=info.sources,
        )
    return ListVerdict(status=answer, sources=info.sources)


def _flemish_named(
    occupation: str, info: ListInfo, filed: date, filed_recorded: bool, table: ThresholdTable | None
) -> ListVerdict | None:
    """The Flemish additions/removals of 1 January 2026; None when the occupation is not one of them."""
    matches = match_functions(occupation, "FL_MEDIUM", table)
    if len(matches) != 1 or info.new_list_from is None:
        return None
    function = matches[0]
    new_list = filed >= info.new_list_from
    occupation_key = f"route.occupation.{function.id}"
    cutoff = info.new_list_from.isoformat()
    if function.change == "added":
        status: ListStatus = "yes" if new_list else "no"
        key = "route.reason.list_added" if new_list else "route.reason.list_added_later"
    else:
        status = "no" if new_list else "yes"
        key = "route.reason.list_removed" if new_list else "route.reason.list_removed_filed_in_time"
    reviews: tuple[tuple[str, Message], ...] = ()
    # A recorded filing date is applied exactly; a planned or assumed one near the change is
    # checked by an adviser (RV-15), without turning a "no" into a "maybe".
    if uncertain_near_cutoff(filed, info.new_list_from, recorded=filed_recorded):
        reviews = (("RV-15", msg("route.review.list_cutoff", occupation_key=occupation_key)),)
    return ListVerdict(
        status=status,
        reasons=(msg(key, occupation_key=occupation_key, from_date=cutoff),),
        reviews=reviews,
        sources=info.sources,
    )
