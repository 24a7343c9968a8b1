"""Numbers written in digits as people type them: '3 703,44', '3.703,44', '3,703.44', '55k', '2 ½'.

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

Style = Literal["money"] | Lang
"""How a number is written: amounts of money, or the conventions of a language (decimal comma or point)."""

MAX_DIGITS = 15
"""More digits than this cannot be a sensible answer (and would lose float precision)."""

_SEPARATORS = ".,'’ \u00a0\u202f\u2009"
_GROUP_ONLY = "'’ \u00a0\u202f\u2009"
NUMBER = re.compile(
    r"(?P<sign>(?<![0-9a-z])[-−]\s?)?"
    r"(?P<body>[0-9](?:[.,'’ \u00a0\u202f\u2009]?[0-9])*)"
)
_FRACTION_GLYPHS = {"½": 0.5, "¼": 0.25, "¾": 0.75}
_FRACTION = re.compile(
    r"(?:(?P<whole>[0-9]+)\s*)?(?:(?P<glyph>[½¼¾])|(?<![0-9/])(?P<num>[13])/(?P<den>[24])(?![0-9/]))"
)


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


def fractions_to_decimals(text: str) -> str:
    """Fractions ('2 ½', '2 1/2', '¾') rewritten as decimals ('2.50'), read like any number."""

    def replace(match: re.Match[str]) -> str:
        part = _FRACTION_GLYPHS[match["glyph"]] if match["glyph"] else int(match["num"]) / int(match["den"])
        whole = match["whole"] or "0"
        if len(whole) > MAX_DIGITS:
            return match[0]
        return f" {int(whole) + part:.2f} "

    return _FRACTION.sub(replace, text)
