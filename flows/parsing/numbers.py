"""Whole and decimal numbers, read only when the whole answer is that number: '3', 'trois', 'drie',
'18 mois', 'un an' (12 at a months question), 'environ 3', 'CDI' (0 at the contract question).

The answer is read word by word (:mod:`flows.parsing.tokens`) against the lists of
``flows/data/words.<lang>.toml``: number words and articles in the person's language; units, words
that may surround a number ("environ", "about", "ongeveer") and contract words in any language. A
word that is in none of them means the answer is not just a number, and it is refused.

* An article ("un", "een", "a") is a number only before a unit ('un an', 'a year'); 'un contrat' is not.
* A unit the question does not count is refused ('3 mois' for a number of people), except a
  conversion that is certain: years ↔ months, weeks → days ('un an' = 12 months, said back).
* Several numbers are refused ('2 ou 3'), except durations that add up ('2 ans et 6 mois').
* A value read from words or converted is said back (``Parsed.understood``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from babel import Locale

from bot.engine import Message, msg
from bot.i18n import Lang
from flows.parsing.common import Parsed, Unit, failure, words
from flows.parsing.dates import month_names
from flows.parsing.spelled import spelled_out
from flows.parsing.tokens import Lexicon, Token, tokenize
from flows.parsing.wordlists import every_language, named_lists, phrases, tokens, word_files

_FACTORS: dict[tuple[str, str], float] = {
    ("years", "months"): 12,
    ("months", "years"): 1 / 12,
    ("weeks", "days"): 7,
}
"""Conversions whose meaning is certain (a month is not a whole number of weeks or days)."""
_TIME_UNITS = frozenset({"months", "years", "days"})
_PREFERRED_EXAMPLE: dict[Unit | None, float] = {"months": 12, "years": 2, "days": 30, "count": 2}

# What a phrase may mean, in order of precedence when one phrase has several meanings.
_ARTICLE, _HALF, _VOCABULARY, _NUMBER, _UNIT, _AROUND = range(6)


@dataclass(frozen=True)
class _Meaning:
    rank: int
    value: float = 0
    name: str = ""


@dataclass
class _Quantity:
    value: float
    unit: str | None = None
    from_words: bool = False


@dataclass
class _Reading:
    quantities: list[_Quantity] = field(default_factory=list)
    stray_units: list[str] = field(default_factory=list)
    vocabulary: set[str] = field(default_factory=set)


@cache
def _lexicon(lang: Lang, vocabulary: str | None) -> Lexicon[_Meaning]:
    entries: list[tuple[str, _Meaning]] = [
        (p, _Meaning(_ARTICLE)) for p in phrases(lang, "numbers", "articles")
    ]
    entries += [(p, _Meaning(_HALF)) for p in phrases(lang, "numbers", "and_a_half")]
    for value, listed in named_lists(lang, "numbers", "values").items():
        entries += [(p, _Meaning(_NUMBER, value=float(value))) for p in listed]
    for lang_code in word_files():
        for unit, listed in named_lists(lang_code, "units").items():
            entries += [(p, _Meaning(_UNIT, name=unit)) for p in listed]
    entries += [(p, _Meaning(_AROUND)) for p in every_language("numbers", "around")]
    if vocabulary is not None:
        for lang_code in word_files():
            for meaning, listed in named_lists(lang_code, "vocabulary", vocabulary).items():
                rank = _AROUND if meaning == "around" else _VOCABULARY
                entries += [(p, _Meaning(rank, name=meaning)) for p in listed]
    return Lexicon(entries)


def number_words(lang: Lang) -> frozenset[str]:
    """Every word that may give a number in ``lang`` (number words and articles)."""
    listed = [p for values in named_lists(lang, "numbers", "values").values() for p in values]
    return frozenset(
        token for phrase in (*listed, *phrases(lang, "numbers", "articles")) for token in phrase.split()
    )


def _choose(meanings: list[_Meaning], previous: _Meaning | None, token: Token) -> _Meaning:
    if token.accented:  # 'één' is the number, 'een' the article
        meanings = [m for m in meanings if m.rank != _ARTICLE] or meanings
    if previous is not None and previous.rank == _NUMBER:  # '2 personnes': a unit after a number
        meanings = [m for m in meanings if m.rank == _UNIT] or meanings
    return min(meanings, key=lambda meaning: meaning.rank)


_UNKNOWN = _Meaning(_AROUND, name="unknown")
"""A word in no list: the answer is more than a number."""


def _meanings(found: list[Token], lexicon: Lexicon[_Meaning]) -> list[_Meaning]:
    """The meaning of each number and phrase (``_UNKNOWN`` for a word in no list)."""
    result: list[_Meaning] = []
    index = 0
    while index < len(found):
        token = found[index]
        if token.number is not None:
            result.append(_Meaning(_NUMBER, value=token.number, name="digits"))
            index += 1
            continue
        run_end = index
        while run_end < len(found) and found[run_end].number is None:
            run_end += 1
        length, meanings = lexicon.at([t.word for t in found[index:run_end]], 0)
        result.append(_choose(meanings, result[-1] if result else None, token) if length else _UNKNOWN)
        index += max(length, 1)
    return result


def _read(meanings: list[_Meaning]) -> _Reading | None:
    reading = _Reading()
    previous: _Meaning | None = None
    for position, meaning in enumerate(meanings):
        following = meanings[position + 1] if position + 1 < len(meanings) else None
        last = reading.quantities[-1] if reading.quantities else None
        if meaning.rank == _NUMBER:
            reading.quantities.append(_Quantity(meaning.value, from_words=meaning.name != "digits"))
        elif meaning.rank == _ARTICLE and following is not None and following.rank == _UNIT:
            reading.quantities.append(_Quantity(1, from_words=True))
        elif meaning.rank == _HALF:
            if last is None or last.value != int(last.value):
                return None
            last.value += 0.5
            last.from_words = True
        elif meaning.rank == _UNIT:
            attached = previous is not None and previous.rank in (_NUMBER, _ARTICLE, _HALF)
            if attached and last is not None and last.unit is None:
                last.unit = meaning.name
            else:
                reading.stray_units.append(meaning.name)
        elif meaning.rank == _VOCABULARY:
            reading.vocabulary.add(meaning.name)
        previous = meaning
    return reading


def _factor(given: str | None, wanted: Unit | None) -> float | None:
    """What a quantity in ``given`` units is multiplied by to count ``wanted`` units (None: refused)."""
    if wanted is None or given is None or given == wanted:
        return 1
    if wanted == "count" or given == "count":
        return None
    return _FACTORS.get((given, wanted))


@dataclass(frozen=True)
class _Outcome:
    value: float | None = None
    problem: str = ""
    understood: Message | None = None


def _unit_key(unit: str, value: float, lang: Lang) -> str:
    form = "one" if Locale.parse(lang).plural_form(abs(value)) == "one" else "other"
    return f"parse.unit.{unit}.{form}"


def _said_back(value: float, unit: Unit | None, lang: Lang, whole: bool) -> Message:
    shown: int | float = int(value) if whole or value == int(value) else value
    if unit in _TIME_UNITS:
        return msg("parse.understood.quantity", value=shown, unit_key=_unit_key(str(unit), value, lang))
    return msg("parse.understood.number", value=shown)


_PARTS = re.compile(r"[,;()\n]+")
_YEAR = re.compile(r"^(?:19|20)[0-9]{2}$")


def _without_time_references(text: str) -> tuple[str, bool]:
    """The answer without the parts that only say when ("in de zomer van 2023", "en mars 2024"):
    a part holding a year or a month and otherwise only words of time (``numbers.time_context``)."""
    context = tokens("numbers", "time_context") | tokens("dates", "around")
    said = words(text).split()
    years = [i for i, token in enumerate(said) if _YEAR.match(token)]
    if len(years) == 1 and len(said) > 2 and years[0] and said[years[0] - 1] in context:
        start = years[0] - 1  # '3 mois en 2022', '3 months in 2022': the year and its words go
        while start and (said[start - 1] in context or said[start - 1] in month_names()):
            start -= 1
        kept = said[:start] + said[years[0] + 1 :]
        if any(token.isdigit() for token in kept) or any(token in month_names() for token in kept):
            return " ".join(kept), True
    parts = [part for part in _PARTS.split(text) if part.strip()]
    if len(parts) < 2:
        return text, False
    kept = []
    for part in parts:
        said = words(part).split()
        dated = any(_YEAR.match(token) or token in month_names() for token in said)
        rest = [t for t in said if not _YEAR.match(t) and t not in month_names() and t not in context]
        if not (dated and not rest):
            kept.append(part)
    if not kept or len(kept) == len(parts):
        return text, False
    return ", ".join(kept), True


def _understand(text: str, lang: Lang, unit: Unit | None, vocabulary: str | None, whole: bool) -> _Outcome:
    text, dropped = _without_time_references(text)
    outcome = _understand_plain(text, lang, unit, vocabulary, whole)
    digits, spelled = spelled_out(text, lang)
    if outcome.value is None and spelled:  # 'vingt-cinq', 'drieëntwintig': read by text2num
        retried = _understand_plain(digits, lang, unit, vocabulary, whole)
        outcome = retried if retried.value is not None else outcome
    else:
        spelled = False
    if outcome.value is not None and outcome.understood is None and (dropped or spelled):
        return _Outcome(value=outcome.value, understood=_said_back(outcome.value, unit, lang, whole))
    return outcome


def _understand_plain(
    text: str, lang: Lang, unit: Unit | None, vocabulary: str | None, whole: bool
) -> _Outcome:
    found = tokenize(text, lang)
    meanings = [] if found is None else _meanings(found, _lexicon(lang, vocabulary))
    reading = _read(meanings)
    if found is None or reading is None:
        return _Outcome(problem="invalid")
    if len(reading.quantities) > 1 and all(q.value == 0 and q.from_words for q in reading.quantities):
        reading.quantities = reading.quantities[:1]  # 'niemand, ik heb geen kinderen': one zero
    if len(reading.quantities) > 1 and not _adds_up(reading.quantities, unit):
        return _Outcome(problem="several")
    indefinite = "indefinite" in reading.vocabulary
    if indefinite and (reading.quantities or "fixed_term" in reading.vocabulary):
        return _Outcome(problem="unclear")
    if _UNKNOWN in meanings:  # 'pas de CDI', 'un contrat de travail en or'
        return _Outcome(problem="invalid")
    if indefinite:
        return _Outcome(value=0, understood=msg(f"parse.understood.{vocabulary}"))
    if any(_factor(stray, unit) is None for stray in reading.stray_units):
        return _Outcome(problem="wrong_unit")
    quantities = reading.quantities
    if not quantities:
        return _Outcome(problem="fixed_term" if "fixed_term" in reading.vocabulary else "invalid")
    factors = [_factor(quantity.unit, unit) for quantity in quantities]
    if any(factor is None for factor in factors):
        return _Outcome(problem="wrong_unit")
    value = round(sum(q.value * (f or 1) for q, f in zip(quantities, factors, strict=True)), 6)
    from_words = any(quantity.from_words for quantity in quantities)
    if vocabulary is not None and value == 0 and from_words:  # 'aucun' is not an indefinite contract
        return _Outcome(problem="invalid")
    said = from_words or len(quantities) > 1 or any(factor != 1 for factor in factors)
    return _Outcome(value=value, understood=_said_back(value, unit, lang, whole) if said else None)


def _adds_up(quantities: list[_Quantity], unit: Unit | None) -> bool:
    """'2 ans et 6 mois': durations in different units of time that all convert to the question's."""
    units = [quantity.unit for quantity in quantities]
    return (
        unit in _TIME_UNITS
        and len(set(units)) == len(units)
        and all(given is not None and _factor(given, unit) is not None for given in units)
    )


def _example(minimum: float, maximum: float, preferred: float) -> float:
    if minimum <= preferred <= maximum:
        return preferred
    return minimum if maximum - minimum > 1e12 else round((minimum + maximum) / 2, 1)


def _prefix(kind: str, unit: Unit | None, vocabulary: str | None, problem: str) -> str:
    """The locale key family of an error: the word list's, the unit's, or the plain number's."""
    if vocabulary is not None and problem in ("invalid", "unclear", "fixed_term"):
        return vocabulary
    return str(unit) if unit in _TIME_UNITS else kind


def parse_int(
    text: str,
    lang: Lang,
    *,
    minimum: int,
    maximum: int,
    unit: Unit | None = None,
    vocabulary: str | None = None,
) -> Parsed[int]:
    """A whole number between ``minimum`` and ``maximum`` ('3', 'trois', 'drie', '3 ans').

    ``unit`` is what the question counts (a number given in another convertible unit is converted
    and said back; one in an unrelated unit is refused); ``vocabulary`` names a word list of values
    given in words (e.g. ``contract_duration``: "CDI" → 0, indefinite).
    """
    example = int(_example(minimum, maximum, _PREFERRED_EXAMPLE.get(unit, 2)))
    outcome = _understand(text, lang, unit, vocabulary, whole=True)
    value = outcome.value
    if value is None:
        return failure(
            f"{_prefix('int', unit, vocabulary, outcome.problem)}.{outcome.problem}", example=example
        )
    if value != int(value):
        return failure(f"{_prefix('int', unit, vocabulary, 'not_whole')}.not_whole", example=example)
    if not minimum <= value <= maximum:
        key = f"{_prefix('int', unit, vocabulary, 'out_of_range')}.out_of_range"
        return failure(key, min=minimum, max=maximum, example=example)
    return Parsed(value=int(value), understood=outcome.understood)


def parse_number(
    text: str, lang: Lang, *, minimum: float, maximum: float, unit: Unit | None = None
) -> Parsed[float]:
    """A decimal number between ``minimum`` and ``maximum`` ('2,5', '2.5', '2 ½', 'deux et demi',
    '18 mois' = 1.5 at a question in years, said back)."""
    example = _example(minimum, maximum, _PREFERRED_EXAMPLE.get(unit, 2.5))
    outcome = _understand(text, lang, unit, None, whole=False)
    if outcome.value is None:
        return failure(f"{_prefix('number', unit, None, outcome.problem)}.{outcome.problem}", example=example)
    if not minimum <= outcome.value <= maximum:
        key = f"{_prefix('number', unit, None, 'out_of_range')}.out_of_range"
        return failure(key, min=float(minimum), max=float(maximum), example=example)
    return Parsed(value=outcome.value, understood=outcome.understood)
