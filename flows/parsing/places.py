"""Belgian postcodes, or a municipality name in French, Dutch or German ('1050', 'B-1050', 'Elsene')."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from bot.engine import msg, region_of_postcode
from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, excerpt, failure, success, trim, words
from flows.parsing.wordlists import names_of_words, tokens

_FOUR_DIGITS = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_DIGITS = re.compile(r"[0-9]+")
_DUTCH_POSTCODE = re.compile(r"^[0-9]{4}\s?[a-z]{2}$", re.IGNORECASE)
EXAMPLE_KEY = "parse.example.postcode"


def place_key(name: str) -> str:
    """A municipality name folded for comparison: no case, accents or hyphens; 'Saint'/'Sint'/'St' alike."""
    saints = names_of_words("places", "saints")
    return " ".join(saints.get(token, token) for token in words(name).split())


@cache
def communes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(postcode, names) of the municipalities in ``flows/data/municipalities.toml``."""
    text = resources.files("flows").joinpath("data/municipalities.toml").read_text(encoding="utf-8")
    rows = tomllib.loads(text)["commune"]
    return tuple((row["postcode"], tuple(row["names"])) for row in rows)


@cache
def place_index() -> dict[str, tuple[str, ...]]:
    """Folded municipality name → the postcode(s) it may designate."""
    index: dict[str, list[str]] = {}
    for postcode, names in communes():
        for name in names:
            index.setdefault(place_key(name), []).append(postcode)
    return {name: tuple(dict.fromkeys(codes)) for name, codes in index.items()}


def _display(postcode: str) -> str:
    names = next(names for code, names in communes() if code == postcode)
    return f"{postcode} {names[0]}"


def _lookup(text: str) -> tuple[str, ...]:
    if "/" in text:  # 'Amel/Amblève': every part must name the same commune
        found = {_lookup_one(part) for part in text.split("/")}
        return found.pop() if len(found) == 1 else ()
    return _lookup_one(text)


def _lookup_one(text: str) -> tuple[str, ...]:
    key = place_key(text)
    index = place_index()
    if key in index:
        return index[key]
    return index.get(trim(key.split(), tokens("places", "around")), ())


_LONGEST_NAME = 5
"""Municipality names have at most this many words ('Sint-Pieters-Leeuw' has three)."""


def _named_in_sentence(text: str) -> tuple[str, ...]:
    """The postcode(s) of a municipality named after 'à', 'in', 'te', 'near'... or at the start of a
    part of a longer answer ('un hôpital à Gand', 'Saint-Gilles, Bruxelles'); empty when none, or
    when several different places are named. A commune named with its city ('à Saint-Gilles, à
    Bruxelles') is that commune; a place only "near" another ('Zaventem près de Bruxelles') is the
    first."""
    found: list[tuple[str, ...]] = []
    near: list[tuple[str, ...]] = []
    starts = tokens("places", "before") | tokens("countries", "connectors")
    for part in re.split(r"[,;()/\n]+", text):
        said = place_key(part).split()
        for start in range(len(said)):
            if start and said[start - 1] not in starts:
                continue
            for end in range(min(len(said), start + _LONGEST_NAME), start, -1):
                postcodes = place_index().get(" ".join(said[start:end]))
                if postcodes:
                    nearby = any(word in tokens("places", "near") for word in said[max(start - 3, 0) : start])
                    (near if nearby else found).append(postcodes)
                    break
    distinct = list(dict.fromkeys(found)) or list(dict.fromkeys(near))
    if len(distinct) == 2:
        distinct = _commune_of_city(distinct)
    return distinct[0] if len(distinct) == 1 else ()


def _commune_of_city(found: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Of a commune and the city it belongs to ('Saint-Gilles' and 'Bruxelles', 'Wilrijk' and
    'Antwerpen'), the commune: both in the same region, the city first listed as a main postcode."""
    if any(len(postcodes) != 1 for postcodes in found):
        return found
    (first,), (second,) = found
    if region_of_postcode(first) != region_of_postcode(second):
        return found
    cities = {postcode for postcode in (first, second) if postcode.endswith("000")}
    if len(cities) == 1:
        return [(first,)] if second in cities else [(second,)]
    return found


def find_place(text: str) -> tuple[str, ...]:
    """The postcode(s) a municipality name designates, alone or inside a sentence."""
    return _lookup(text) or _named_in_sentence(text)


def parse_postcode(text: str, lang: Lang) -> Parsed[str]:
    """A Belgian postcode (1000–9999), from the digits typed or from a municipality name."""
    cleaned = clean(text)
    if _DUTCH_POSTCODE.match(cleaned):
        return failure("postcode.invalid", example_key=EXAMPLE_KEY)
    candidates = set(_FOUR_DIGITS.findall(cleaned))
    if len(candidates) == 1:
        postcode = candidates.pop()
        if region_of_postcode(postcode) is None:
            return failure("postcode.invalid", example_key=EXAMPLE_KEY)
        return success(postcode)
    if candidates or _DIGITS.search(cleaned) or not words(cleaned):
        return failure("postcode.invalid", example_key=EXAMPLE_KEY)
    found = find_place(cleaned)
    if len(found) == 1:
        return Parsed(value=found[0], understood=msg("parse.understood.place", place=_display(found[0])))
    if found:
        options = ", ".join(_display(code) for code in found)
        return failure("postcode.ambiguous", place=excerpt(cleaned), options=options, example=found[0])
    return failure("postcode.unknown_place", place=excerpt(cleaned), example_key=EXAMPLE_KEY)
