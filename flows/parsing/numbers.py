"""Numbers as people type them: '3 703,44', '3.703,44', '3,703.44', '55k', '2 ½', 'deux', 'anderhalf'.

Separator rule (documented for ``1,234`` and ``1.234``):

* spaces (also no-break and narrow no-break) and apostrophes only ever group thousands;
* when both '.' and ',' appear, the last one is the decimal mark and the other groups thousands;
* a mark that appears several times groups thousands;
* a single mark followed by a number of digits other than three is a decimal mark ('2,5', '3703.44');
* a single mark followed by exactly three digits, after a valid leading group ('1,234', '55.000'), is
  ambiguous. Amounts of money: it groups thousands in every language (euro amounts have two decimals,
  never three). Other numbers: it follows the user's language — English reads ',' as thousands and
  '.' as decimals; French and Dutch (Belgian usage) read '.' as thousands and ',' as decimals.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.i18n import Lang
from flows.parsing.common import Parsed, Unit, clean, failure, fold, success, words

Style = Literal["money", "fr", "nl", "en"]

MAX_DIGITS = 15
"""More digits than this cannot be a sensible answer (and would lose float precision)."""

_SEPARATORS = ".,'’ \u00a0\u202f\u2009"
_GROUP_ONLY = "'’ \u00a0\u202f\u2009"
NUMBER = re.compile(
    r"(?P<sign>(?<![0-9a-z])[-−]\s?)?"
    r"(?P<body>[0-9](?:[.,'’ \u00a0\u202f\u2009]?[0-9])*)"
    r"(?P<mult>\s?(?:k|mio|million|millions|miljoen)\b)?"
)
_FRACTION_GLYPHS = {"½": 0.5, "¼": 0.25, "¾": 0.75}
_FRACTION = re.compile(
    r"(?:(?P<whole>[0-9]+)\s*)?(?:(?P<glyph>[½¼¾])|(?<![0-9/])(?P<num>[13])/(?P<den>[24])(?![0-9/]))"
)

_WORD_NUMBERS: dict[str, float] = {
    **dict.fromkeys(["zero", "nul", "aucun", "aucune", "none", "geen", "niemand", "personne"], 0),
    **dict.fromkeys(["un", "une", "one", "een"], 1),
    **dict.fromkeys(["deux", "two", "twee"], 2),
    **dict.fromkeys(["trois", "three", "drie"], 3),
    **dict.fromkeys(["quatre", "four", "vier"], 4),
    **dict.fromkeys(["cinq", "five", "vijf"], 5),
    **dict.fromkeys(["six", "zes"], 6),
    **dict.fromkeys(["sept", "seven", "zeven"], 7),
    **dict.fromkeys(["huit", "eight", "acht"], 8),
    **dict.fromkeys(["neuf", "nine", "negen"], 9),
    **dict.fromkeys(["dix", "ten", "tien"], 10),
    **dict.fromkeys(["onze", "eleven", "elf"], 11),
    **dict.fromkeys(["douze", "twelve", "twaalf"], 12),
    "anderhalf": 1.5,
    "een half": 0.5,
    "a half": 0.5,
    "half": 0.5,
    "demi": 0.5,
    "demie": 0.5,
}
_AND_A_HALF = ("et demi", "et demie", "and a half", "and half", "en een half", "en half", "en halve")


def _mark_groups_thousands(mark: str, style: Style) -> bool:
    """Whether a single, final '.' or ',' before exactly three digits groups thousands."""
    if style == "money":
        return True
    if style == "en":
        return mark == ","
    return mark == "."


def _valid_groups(chunks: list[str]) -> bool:
    first, rest = chunks[0], chunks[1:]
    return 1 <= len(first) <= 3 and not (first.startswith("0") and rest) and all(len(c) == 3 for c in rest)


def interpret(body: str, style: Style) -> float | None:
    """The value of digits with separators (see the module docstring), None when malformed."""
    chunks = re.split(r"[.,'’ \u00a0\u202f\u2009]", body)
    seps = [char for char in body if char in _SEPARATORS]
    if sum(len(chunk) for chunk in chunks) > MAX_DIGITS:
        return None
    if not seps:
        return float(body)
    marks = [sep for sep in seps if sep not in _GROUP_ONLY]
    decimal_at: int | None = None  # index of the separator used as decimal mark
    if len(set(marks)) == 2:
        last = seps[-1]
        if last in _GROUP_ONLY or marks.count(last) != 1:
            return None
        decimal_at = len(seps) - 1
    elif len(marks) == 1:
        position = seps.index(marks[0])
        is_last = position == len(seps) - 1
        groupable = len(chunks[-1]) == 3 and _valid_groups(chunks)
        if is_last and not (groupable and _mark_groups_thousands(marks[0], style)):
            decimal_at = position
    integer_chunks = chunks if decimal_at is None else chunks[: decimal_at + 1]
    if len(integer_chunks) > 1 and not _valid_groups(integer_chunks):
        return None
    whole = "".join(integer_chunks)
    fraction = "" if decimal_at is None else chunks[-1]
    return float(f"{whole}.{fraction}" if fraction else whole)


def _fractions_to_decimals(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        part = _FRACTION_GLYPHS[match["glyph"]] if match["glyph"] else int(match["num"]) / int(match["den"])
        whole = match["whole"] or "0"
        if len(whole) > MAX_DIGITS:
            return match[0]
        return f" {int(whole) + part:.2f} "

    return _FRACTION.sub(replace, text)


def numeric_tokens(text: str, style: Style) -> list[float] | None:
    """Every number written in digits (with sign and 'k'), None when one of them is malformed."""
    values: list[float] = []
    for match in NUMBER.finditer(text):
        value = interpret(match["body"], style)
        if value is None:
            return None
        if match["mult"]:
            value *= 1000 if match["mult"].strip() == "k" else 1_000_000
        values.append(-value if match["sign"] else value)
    return values


def _word_numbers(text: str) -> tuple[list[float], bool]:
    """Numbers written as words (0–12, halves) and whether 'and a half' follows a number."""
    phrase = f" {words(text)} "
    and_a_half = False
    for half in _AND_A_HALF:
        if f" {half} " in phrase:
            and_a_half = True
            phrase = phrase.replace(f" {half} ", " ")
    found: list[float] = []
    for word in sorted(_WORD_NUMBERS, key=len, reverse=True):
        while f" {word} " in phrase:
            found.append(_WORD_NUMBERS[word])
            phrase = phrase.replace(f" {word} ", " ", 1)
    return found, and_a_half


def quantities(text: str, style: Style) -> list[float] | None:
    """All numbers in a short answer, in digits or words; None when a number is malformed."""
    folded = fold(_fractions_to_decimals(clean(text)))
    digits = numeric_tokens(folded, style)
    if digits is None:
        return None
    spelled, and_a_half = _word_numbers(NUMBER.sub(" ", folded))
    found = digits + spelled
    if and_a_half:
        if len(found) != 1:
            return None
        found = [found[0] + 0.5]
    return found


def _single(text: str, lang: Lang) -> float | None:
    found = quantities(text, lang)
    return found[0] if found is not None and len(found) == 1 else None


def _example(minimum: float, maximum: float, preferred: float) -> float:
    if minimum <= preferred <= maximum:
        return preferred
    return minimum if maximum - minimum > 1e12 else round((minimum + maximum) / 2, 1)


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
    example = int(_example(minimum, maximum, 2))
    value = _single(text, lang)
    if value is None:
        return failure("int.invalid", example=example)
    if value != int(value):
        return failure("int.not_whole", example=example)
    if not minimum <= value <= maximum:
        return failure("int.out_of_range", min=minimum, max=maximum, example=example)
    return success(int(value))


def parse_number(
    text: str, lang: Lang, *, minimum: float, maximum: float, unit: Unit | None = None
) -> Parsed[float]:
    """A decimal number between ``minimum`` and ``maximum`` ('2,5', '2.5', '2 ½', 'deux et demi')."""
    example = _example(minimum, maximum, 2.5)
    value = _single(text, lang)
    if value is None:
        return failure("number.invalid", example=example)
    if not minimum <= value <= maximum:
        return failure("number.out_of_range", min=float(minimum), max=float(maximum), example=example)
    return success(value)
