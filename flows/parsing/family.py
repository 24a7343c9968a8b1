"""Several options named in one sentence, for a multiple choice ("ma femme et nos deux enfants, une
fille de 15 ans et un fils de 8 ans", "mijn vrouw en twee kinderen", "housing and insurance").

The options are found as in :mod:`flows.parsing.options`. At a question about relations, children
named with their ages are under 18 or adults by those ages (``[ages]`` of ``options.toml``), and
children without an age are taken as under 18 (said back, so the person can correct it); a partner
word ("mijn vriendin", "partner") is asked once: married, registered or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.engine import msg
from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, failure
from flows.parsing.options import Hit, find_hits, group_of, named
from flows.parsing.spelled import spelled_out
from flows.parsing.wordlists import names_of_words, option_facts, tokens


@dataclass(frozen=True)
class Children:
    """What the sentence says of the children: how many (None: not said) and their ages."""

    count: int | None
    ages: tuple[int, ...]


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    value = names_of_words("numbers", "values").get(token)
    return int(float(value)) if value is not None and float(value).is_integer() else None


def _ages(said: list[str], child_ends: set[int]) -> list[tuple[int, int]]:
    """(position, age) of each '15 ans', '8 jaar', '15 and 8 years old', 'aged 12', and of a number
    right after a child word ('een zoon van 22', 'ma fille de 15')."""
    years = tokens("units", "years") | tokens("options", "age_words")
    found: list[tuple[int, int]] = []
    for index, token in enumerate(said):
        value = _number(token)
        if value is None or not 0 <= value < 100 or token in tokens("numbers", "articles"):
            continue  # 'une fille de 15 ans': 'une' is no age
        ahead = said[index + 1 : index + 4]
        joined = [t for t in ahead if _number(t) is None and t not in tokens("countries", "connectors")]
        after_child = index in child_ends or (
            index - 1 in child_ends and said[index - 1] in tokens("options", "age_before")
        )
        if (
            (joined and joined[0] in years)
            or after_child
            or (index and said[index - 1] in tokens("options", "age_words"))
        ):
            found.append((index, value))
    return found


def _children(hits: list[Hit], said: list[str], child_names: set[str]) -> tuple[Children, list[int]]:
    """Ages given after a child word (before the next relation word), and a count before one."""
    ordered = sorted(hits, key=lambda hit: hit.start)
    ages: list[int] = []
    child_ends = {hit.end for hit in ordered if hit.name in child_names}
    inside = {i for hit in ordered for i in range(hit.start, hit.end)}  # "moins de 18 ans" is no age
    for position, age in _ages(said, child_ends):
        if position in inside:
            continue
        before = [hit for hit in ordered if hit.end <= position]
        owner = before[-1] if before else next((hit for hit in ordered if hit.start > position), None)
        if owner is not None and owner.name in child_names:
            ages.append(age)
    count: int | None = None
    for hit in ordered:
        if hit.name in child_names and hit.start:
            value = _number(said[hit.start - 1]) or (_number(said[hit.start - 2]) if hit.start > 1 else None)
            if value is not None and 1 < value < 20:
                count = max(count or 0, value)
    return Children(count, tuple(ages)), ages


def parse_several_options(
    question_id: str, text: str, lang: Lang, labels_of: str | None = None
) -> Parsed[list[str]]:
    """Every option the sentence names in the word lists of ``question_id`` (groups resolved by
    ages, or asked once); ``understood`` says them back with the labels of ``labels_of`` (default:
    the same question), with the children's count and ages where given."""
    cleaned, _ = spelled_out(clean(text), lang)
    hits, said = find_hits(question_id, cleaned, lang)
    names = named(hits, question_id)
    if not names:
        return failure("option.unknown")
    facts: dict[str, Any] = option_facts().get("ages", {})
    child_group = str(facts.get("group", ""))
    disabled = str(facts.get("disabled"))
    child_names = {child_group, str(facts.get("minor")), str(facts.get("adult")), disabled}
    positive = [hit for hit in hits if not hit.negated]
    children, ages = _children(positive, list(said.tokens), child_names)
    values: list[str] = []
    asked: tuple[str, ...] = ()
    ask_key = ""
    for name in names:
        group = group_of(question_id, name)
        if group is None and name == disabled and ages and max(ages) < int(facts.get("adult_from", 18)):
            values.append(str(facts["minor"]))  # "mon fils handicapé de 12 ans": a child under 18
        elif group is None:
            values.append(name)
        elif name == child_group:
            adult_from = int(facts.get("adult_from", 18))
            if any(age >= adult_from for age in ages):
                values.append(str(facts["adult"]))
            if not ages or any(age < adult_from for age in ages):
                values.append(str(facts["minor"]))
        elif not asked:
            asked, ask_key = tuple(group["values"]), str(group["ask"])
        else:
            return failure("option.unknown")
    values = list(dict.fromkeys(values))
    if asked:
        readings = tuple([*[v for v in values if v not in asked], choice] for choice in asked)
        return Parsed(error=msg(ask_key), alternatives=readings)
    keys = ",".join(f"question.{labels_of or question_id}.option.{value}" for value in values)
    if children.ages:
        ages_said = ", ".join(str(age) for age in children.ages)
        said_back = msg("parse.understood.options_ages", options_keys=keys, ages=ages_said)
    elif children.count:
        said_back = msg("parse.understood.options_count", options_keys=keys, count=children.count)
    else:
        said_back = msg("parse.understood.options", options_keys=keys)
    return Parsed(value=values, understood=said_back)
