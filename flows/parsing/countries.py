"""Countries and nationalities in FR/NL/EN → ISO 3166-1 alpha-2 codes ('Maroc', 'Marokkaans', 'MAR' → 'MA').

Names come from CLDR (Babel, in French, Dutch, English and German) and pycountry, plus the aliases
and nationality words of ``flows/data/demonyms.toml``. Matching ignores case, accents, punctuation
and connecting words ('Bosnia & Herzegovina' = 'Bosnie-et-Herzégovine'). Names are tried before
ISO codes, and alpha-2 before alpha-3 codes; a close misspelling of a name (≥ 5 letters) is accepted.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from functools import cache
from importlib import resources

import pycountry
from babel import Locale

from bot.engine import msg
from bot.i18n import LANGS, Lang
from flows.parsing.common import Parsed, clean, excerpt, failure, success, trim, words
from flows.parsing.wordlists import tokens

Index = dict[str, frozenset[str]]

_FUZZY_CUTOFF = 0.85
_MAX_SEGMENTS = 20
_MAX_GROUP = 6
EXAMPLE_KEY = "parse.example.country"
EXAMPLE_SEVERAL_KEY = "parse.example.countries"


@cache
def _separator() -> re.Pattern[str]:
    """Signs and words ('and', 'et', 'en', 'und') between several countries."""
    connectors = "|".join(sorted(tokens("countries", "connectors")))
    return re.compile(rf"[,;/+&\n]|\b(?:{connectors})\b", re.IGNORECASE)


def country_key(name: str) -> str:
    """A country name folded for comparison: no case, accents, punctuation or 'and'/'et'/'en'."""
    connectors = tokens("countries", "connectors")
    return " ".join(token for token in words(name).split() if token not in connectors)


@cache
def known_codes() -> frozenset[str]:
    """Every alpha-2 code the parser may return: pycountry's countries plus Kosovo (XK)."""
    return frozenset(country.alpha_2 for country in pycountry.countries) | {"XK"}


@cache
def _extra_names() -> dict[str, dict[str, list[str]]]:
    text = resources.files("flows").joinpath("data/demonyms.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _name_variants(name: str) -> set[str]:
    variants = {name}
    if "(" in name:
        before, _, inside = name.partition("(")
        variants |= {before, inside.rstrip(")")}
    return {key for key in map(country_key, variants) if key}


def _add(index: dict[str, set[str]], name: str, code: str) -> None:
    for key in _name_variants(name):
        index.setdefault(key, set()).add(code)


@cache
def name_index() -> Index:
    """Folded country name or nationality word → code(s); several codes mean the word is ambiguous."""
    index: dict[str, set[str]] = {}
    codes = known_codes()
    for lang in (*LANGS, "de"):  # German too: East Belgium
        for code, name in Locale.parse(lang).territories.items():
            if code in codes:
                _add(index, name, code)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if name := getattr(country, attribute, None):
                _add(index, name, country.alpha_2)
    extra = _extra_names()
    for table in ("aliases", "demonyms"):
        for code, names in extra[table].items():
            for name in names:
                _add(index, name, code)
    return {key: frozenset(found) for key, found in index.items()}


@cache
def code_index() -> tuple[Index, Index]:
    """ISO alpha-2 and alpha-3 codes (lower case) → code."""
    alpha2 = {code.lower(): frozenset({code}) for code in known_codes()}
    alpha3 = {country.alpha_3.lower(): frozenset({country.alpha_2}) for country in pycountry.countries}
    alpha3["xkx"] = frozenset({"XK"})
    return alpha2, alpha3


@cache
def _fuzzy_keys() -> list[str]:
    return [key for key in name_index() if 5 <= len(key) <= 40]


def _strip_filler(key: str) -> str:
    return trim(key.split(), tokens("countries", "around"))


def _fuzzy(key: str) -> frozenset[str]:
    if not 5 <= len(key) <= 40:
        return frozenset()
    matches = difflib.get_close_matches(key, _fuzzy_keys(), n=3, cutoff=_FUZZY_CUTOFF)
    found = {code for match in matches for code in name_index()[match]}
    return frozenset(found) if len(found) == 1 else frozenset()


def lookup_country(text: str, *, fuzzy: bool = True) -> frozenset[str]:
    """The code(s) a piece of text may name: empty when unknown, several when ambiguous."""
    key = country_key(text)
    alpha2, alpha3 = code_index()
    for index in (name_index(), alpha2, alpha3):
        if key in index:
            return index[key]
    stripped = _strip_filler(key)  # 'je suis marocain', 'I am Indian': names only, never codes
    if stripped in name_index():
        return name_index()[stripped]
    return _fuzzy(stripped) if fuzzy else frozenset()


def country_name(code: str, lang: Lang) -> str:
    """The country's name in the user's language (CLDR)."""
    return str(Locale.parse(lang).territories.get(code, code))


def _ambiguous(segment: str, codes: frozenset[str], lang: Lang) -> Parsed[list[str]]:
    names = sorted(country_name(code, lang) for code in codes)
    return failure("country.ambiguous", name=excerpt(segment), options=" / ".join(names), example=names[0])


def _partition(segments: list[str]) -> list[tuple[str, frozenset[str]]] | None:
    """Fewest consecutive groups of segments that each name a country ('Trinidad' + 'Tobago')."""
    best: list[list[tuple[str, frozenset[str]]] | None] = [[]] + [None] * len(segments)
    for end in range(1, len(segments) + 1):
        for start in range(max(0, end - _MAX_GROUP), end):
            before = best[start]
            if before is None:
                continue
            group = " ".join(segments[start:end])
            codes = lookup_country(group, fuzzy=end - start == 1)
            if not codes:
                continue
            candidate = [*before, (group, codes)]
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[-1]


def _is_sentence(segments: list[str]) -> bool:
    """Every part without a country holds a word of a sentence ('elle vit à Rabat'), not a name
    only ('France, Atlantide')."""
    around = tokens("countries", "around")
    return all(
        countries_in(segment) or any(token in around for token in words(segment).split())
        for segment in segments
    )


def parse_countries(text: str, lang: Lang) -> Parsed[list[str]]:
    """Several countries or nationalities separated by commas, 'and'/'et'/'en', '/', '+' (no duplicates)."""
    return _countries(text, lang, EXAMPLE_SEVERAL_KEY)


def _countries(text: str, lang: Lang, example_key: str) -> Parsed[list[str]]:
    cleaned = clean(text)
    if not words(cleaned):
        return failure("country.empty", example_key=example_key)
    whole = lookup_country(cleaned)
    if len(whole) == 1:
        return success(sorted(whole))
    if whole:
        return _ambiguous(cleaned, whole, lang)
    segments = [part.strip() for part in _separator().split(cleaned) if words(part)]
    if not segments or len(segments) > _MAX_SEGMENTS:
        return failure("country.unknown", name=excerpt(cleaned), example_key=example_key)
    groups = _partition(segments)
    if groups is None:
        named = countries_in(cleaned)
        if len(named) == 1 and _is_sentence(segments):  # 'my wife is Moroccan, she lives in Rabat'
            code = next(iter(named))  # one country named in a sentence
            understood = msg("parse.understood.countries", value_countries=code)
            return Parsed(value=[code], understood=understood)
        unknown = next((s for s in segments if not lookup_country(s)), cleaned)
        return failure("country.unknown", name=excerpt(unknown), example_key=example_key)
    for group, codes in groups:
        if len(codes) > 1:
            return _ambiguous(group, codes, lang)
    return success(list(dict.fromkeys(next(iter(codes)) for _, codes in groups)))


def parse_country(text: str, lang: Lang) -> Parsed[str]:
    """One country or nationality ('Maroc', 'marocaine', 'Marokkaans', 'Moroccan', 'MA', 'MAR')."""
    several = _countries(text, lang, EXAMPLE_KEY)
    if several.error is not None:
        return Parsed(error=several.error)
    found = several.value or []
    if len(found) != 1:
        return failure("country.one_only", example_key=EXAMPLE_KEY)
    return Parsed(value=found[0], understood=several.understood)


_LONGEST_COUNTRY = 5
"""Country names have at most this many words ('Saint Vincent and the Grenadines' less 'and')."""


def countries_in(text: str, *, ambiguous: bool = False) -> frozenset[str]:
    """The countries named anywhere in a sentence ('je suis en Inde, à Bangalore' → IN), by their
    names or nationality words only (never by a code: 'in', 'be' are words); with ``ambiguous``,
    every country a name may mean ('Congo': CD and CG)."""
    said = [token for token in words(clean(text)).split() if token not in tokens("countries", "connectors")]
    index = name_index()
    found: set[str] = set()
    start = 0
    while start < len(said):
        for length in range(min(_LONGEST_COUNTRY, len(said) - start), 0, -1):
            codes = index.get(" ".join(said[start : start + length]))
            if codes and (len(codes) == 1 or ambiguous):
                found |= codes
                start += length - 1
                break
        start += 1
    return frozenset(found)
