"""Full dates in FR/NL/EN: '18/08/2025', '18.08.2025', '2025-08-18', '18 août 2025', 'August 18, 2025',
'1er septembre 2026', '18-8-25'.

Numeric dates are always read day first (Belgian and British usage), except ISO 'YYYY-MM-DD'.
Two-digit years: of 19yy and 20yy, the one inside [earliest, latest] when exactly one is; otherwise
20yy for 00–49 and 19yy for 50–99 (so '18-8-25' is 2025 and a birth date '3/4/85' is 1985).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from babel import Locale

from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, failure, success, words

FIRST_YEAR, LAST_YEAR = 1900, 2100
DEFAULT_EXAMPLE = date(2025, 8, 18)

_ISO = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_DAY_FIRST = re.compile(r"^([0-9]{1,2})\s*[-/.\s]\s*([0-9]{1,2})\s*[-/.\s]\s*([0-9]{4}|[0-9]{2})$")
_ORDINAL = re.compile(r"\b([0-9]{1,2})(?:er|re|e|eme|st|nd|rd|th|ste|de)\b")
_FILLER = frozenset(
    [
        "le",
        "la",
        "l",
        "the",
        "of",
        "on",
        "op",
        "de",
        "den",
        "du",
        "in",
        "en",
        "at",
        "a",
        "au",
        "from",
        "vanaf",
        "since",
        "depuis",
        "sinds",
        "date",
        "datum",
    ]
)
_EXTRA_MONTHS = {
    "janv": 1, "fev": 2, "fevr": 2, "febr": 2, "mrt": 3, "maa": 3, "avr": 4, "juil": 7,
    "sept": 9, "sep": 9, "okt": 10, "dez": 12,
}  # fmt: skip


@cache
def month_names() -> dict[str, int]:
    """Month names and abbreviations in FR, NL, EN and DE, folded (no accents, no dots) → month number."""
    names: dict[str, int] = dict(_EXTRA_MONTHS)
    for code in ("fr", "nl", "en", "de"):
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    names[words(name)] = number
    return names


@cache
def _weekday_names() -> frozenset[str]:
    names: set[str] = set()
    for code in ("fr", "nl", "en", "de"):
        for width in ("wide", "abbreviated"):
            names.update(words(name) for name in Locale.parse(code).days["format"][width].values())
    return frozenset(names - set(month_names()))  # 'mar' is Tuesday in French and March in English


def numeric_example(day: date) -> str:
    """A date in the numeric form users are asked to type (DD/MM/YYYY)."""
    return day.strftime("%d/%m/%Y")


def _full_year(year: str, earliest: date | None, latest: date | None, month: int, day: int) -> int:
    if len(year) == 4:
        return int(year)
    short = int(year)
    candidates = [century + short for century in (1900, 2000)]
    inside = [y for y in candidates if _within(y, month, day, earliest, latest)]
    if len(inside) == 1:
        return inside[0]
    return 2000 + short if short < 50 else 1900 + short


def _within(year: int, month: int, day: int, earliest: date | None, latest: date | None) -> bool:
    try:
        candidate = date(year, month, min(day, 28))
    except ValueError:
        return False
    return (earliest is None or candidate >= earliest) and (latest is None or candidate <= latest)


def _named_parts(tokens: list[str]) -> tuple[str, int, str] | str | None:
    """(day, month, year) from tokens holding a month name; a problem name, or None if not this form."""
    months = month_names()
    month_tokens = [token for token in tokens if token in months]
    if len(month_tokens) != 1:
        return None
    numbers = [token for token in tokens if token.isascii() and token.isdigit()]
    if len(numbers) + 1 != len(tokens):
        return "invalid"
    month = months[month_tokens[0]]
    if len(numbers) == 1:
        return "missing_day" if len(numbers[0]) == 4 else "missing_year"
    if len(numbers) != 2:
        return "invalid"
    first, second = numbers
    if len(first) == 4 and len(second) <= 2:
        first, second = second, first
    if len(first) > 2 or len(second) not in (2, 4):
        return "invalid"
    return first, month, second


def _parts(text: str) -> tuple[str, int | str, str] | str:
    """(day, month, year) as typed, or the name of the problem."""
    compact = " ".join(text.split())
    if match := _ISO.match(compact):
        return match[3], match[2], match[1]
    if match := _DAY_FIRST.match(compact):
        return match[1], match[2], match[3]
    folded = _ORDINAL.sub(r"\1", words(compact.replace("1ᵉʳ", "1")))
    tokens = [t for t in folded.split() if t not in _FILLER and t not in _weekday_names()]
    named = _named_parts(tokens)
    if named is not None:
        return named
    rejoined = " ".join(tokens)
    if match := _DAY_FIRST.match(rejoined):
        return match[1], match[2], match[3]
    return "invalid"


def parse_date(
    text: str,
    lang: Lang,
    *,
    earliest: date | None = None,
    latest: date | None = None,
    today: date | None = None,
    asap: bool = False,
    day_optional: bool = False,
) -> Parsed[date]:
    """A full calendar date between ``earliest`` and ``latest`` (inclusive) typed in FR, NL or EN.

    ``asap``: "as soon as possible" / "dès que possible" / "zo snel mogelijk" means ``today`` (said
    back). ``day_optional``: a month and year alone ("maart 2020") mean the first of that month.
    """
    example = numeric_example(earliest or latest or DEFAULT_EXAMPLE)
    parts = _parts(clean(text))
    if isinstance(parts, str):
        return failure(f"date.{parts}", example=example)
    day_text, month_value, year_text = parts
    day, month = int(day_text), int(month_value)
    year = _full_year(year_text, earliest, latest, month, day)
    given = f"{day:02d}/{month:02d}/{year}"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return failure("date.impossible", given=given, example=example)
    try:
        value = date(year, month, day)
    except ValueError:
        return failure("date.impossible", given=given, example=example)
    if earliest is not None and value < earliest:
        return failure("date.too_early", limit_date=earliest.isoformat(), example=example)
    if latest is not None and value > latest:
        return failure("date.too_late", limit_date=latest.isoformat(), example=numeric_example(latest))
    return success(value)


_ACADEMIC_YEAR = re.compile(r"(?<![0-9])([0-9]{4}|[0-9]{2})\s*[-/–—]\s*([0-9]{4}|[0-9]{2})(?![0-9])")


def parse_academic_year(text: str, lang: Lang) -> Parsed[str]:
    """An academic year as 'YYYY-YYYY' from '2026-2027', '2026/27', '26-27' (two consecutive years)."""
    matches = _ACADEMIC_YEAR.findall(clean(text))
    if len(matches) != 1:
        return failure("academic_year.invalid", example_key="parse.example.academic_year")
    first_text, second_text = matches[0]
    first = int(first_text) if len(first_text) == 4 else 2000 + int(first_text)
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second != first + 1 or not 2000 <= first <= 2098:
        return failure("academic_year.invalid", example_key="parse.example.academic_year")
    return success(f"{first}-{second}")
