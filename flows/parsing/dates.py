"""Full dates in FR/NL/EN: '18/08/2025', '18.08.2025', '2025-08-18', '18 août 2025', 'August 18, 2025',
'1er septembre 2026', '18-8-25'.

Numeric dates are always read day first (Belgian and British usage), except ISO 'YYYY-MM-DD'.
Two-digit years: of 19yy and 20yy, the one inside [earliest, latest] when exactly one is; otherwise
20yy for 00–49 and 19yy for 50–99 (so '18-8-25' is 2025 and a birth date '3/4/85' is 1985).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from babel import Locale
from babel.dates import format_date

from bot.engine import Message, msg
from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, failure, success, words
from flows.parsing.tokens import Lexicon
from flows.parsing.wordlists import every_language, section, tokens, word_files

FIRST_YEAR, LAST_YEAR = 1900, 2100
DEFAULT_EXAMPLE = date(2025, 8, 18)

_ISO = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_DAY_FIRST = re.compile(r"^([0-9]{1,2})\s*[-/.\s]\s*([0-9]{1,2})\s*[-/.\s]\s*([0-9]{4}|[0-9]{2})$")
_MONTH_YEAR = re.compile(r"^([0-9]{1,2})\s*[-/.]\s*([0-9]{4})$")
_YEAR_MONTH = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})$")
FUTURE_EXAMPLE_DAYS = 60
"""A question that takes future dates shows an example about two months ahead (the 15th, day first)."""
PAST_EXAMPLE_YEARS = 3


@cache
def _ordinal() -> re.Pattern[str]:
    """A day written as an ordinal ('1er', '2nd', '3rd', '1ste'): the listed endings of every language."""
    endings = "|".join(sorted(tokens("dates", "ordinal_endings"), key=len, reverse=True))
    return re.compile(rf"\b([0-9]{{1,2}})(?:{endings})\b")


@cache
def month_names() -> dict[str, int]:
    """Month names and abbreviations of every word-list language (Babel's, and the file's extra
    abbreviations), folded (no accents, no dots) → month number."""
    names: dict[str, int] = {}
    for code in word_files():
        names.update({words(name): number for name, number in section(code, "dates", "extra_months").items()})
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    names[words(name)] = number
    return names


@cache
def _weekday_names() -> frozenset[str]:
    names: set[str] = set()
    for code in word_files():
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


@dataclass(frozen=True)
class _Parts:
    """A date as typed: ``day`` is None when only a month and a year were given ('maart 2020')."""

    day: str | None
    month: int | str
    year: str
    in_sentence: bool = False


def _named_parts(tokens: list[str]) -> _Parts | str | None:
    """The parts of tokens holding a month name; a problem name, or None if not this form."""
    months = month_names()
    month_tokens = [token for token in tokens if token in months]
    if len(month_tokens) != 1:
        return None
    numbers = [token for token in tokens if token.isascii() and token.isdigit()]
    if len(numbers) + 1 != len(tokens):
        return "invalid"
    month = months[month_tokens[0]]
    if not numbers:
        return _Parts(None, month, "")
    if len(numbers) == 1:
        return _Parts(None, month, numbers[0]) if len(numbers[0]) == 4 else _Parts(numbers[0], month, "")
    if len(numbers) != 2:
        return "invalid"
    first, second = numbers
    if len(first) == 4 and len(second) <= 2:
        first, second = second, first
    if len(first) > 2 or len(second) not in (2, 4):
        return "invalid"
    return _Parts(first, month, second)


_NUMERIC_IN_SENTENCE = re.compile(
    r"(?<![0-9])(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:[0-9]{4}|[0-9]{2}))(?![0-9])"
)


@cache
def _month_parts() -> dict[str, str]:
    """Folded word → part of the month it names ('début' → early, 'eind' → end, 'mid' → mid)."""
    found: dict[str, str] = {}
    for code in word_files():
        for part, listed in section(code, "dates", "month_parts").items():
            found.update(dict.fromkeys((words(phrase) for phrase in listed), part))
    return found


def _qualifier(folded: str) -> tuple[str, str | None]:
    """The text without a part-of-month phrase ("début mars" → "mars", 'early')."""
    said = folded.split()
    for length in (3, 2, 1):
        for start in range(len(said) - length + 1):
            part = _month_parts().get(" ".join(said[start : start + length]))
            if part is not None:
                return " ".join(said[:start] + said[start + length :]), part
    return folded, None


def _in_sentence(text: str) -> _Parts | None:
    """The one date written inside a longer sentence ('he was born on 17 January 1990')."""
    numeric = _NUMERIC_IN_SENTENCE.findall(text)
    folded = _ordinal().sub(r"\1", words(text.replace("1ᵉʳ", "1")))
    said = folded.split()
    named = [i for i, token in enumerate(said) if token in month_names()]
    if len(numeric) == 1 and not named:
        found = _parts(numeric[0], sentence=False)
        return found if isinstance(found, _Parts) else None
    if len(named) != 1 or numeric:
        return None
    at = named[0]
    near = said[max(at - 1, 0) : at + 2]
    if said[at] in tokens("dates", "weak_months") and not any(token.isdigit() for token in near):
        return None
    before = said[at - 1] if at and said[at - 1].isdigit() and len(said[at - 1]) <= 2 else None
    after = [t for t in said[at + 1 : at + 3] if t.isdigit()]
    if before is None and after and len(after[0]) <= 2:
        before, after = after[0], after[1:]
    year = after[0] if after and len(after[0]) == 4 else ""
    numbers = [t for t in said if t.isdigit()]
    if len(numbers) != (before is not None) + bool(year):  # another number: not one date
        return None
    return _Parts(before, month_names()[said[at]], year)


def _parts(text: str, sentence: bool = True) -> _Parts | str:
    """The parts of the date as typed, or the name of the problem; a date inside a longer sentence
    is found when ``sentence`` (its parts then have ``found_in_sentence`` set)."""
    compact = " ".join(text.split())
    if match := _ISO.match(compact):
        return _Parts(match[3], match[2], match[1])
    if match := _DAY_FIRST.match(compact):
        return _Parts(match[1], match[2], match[3])
    if match := _MONTH_YEAR.match(compact):
        return _Parts(None, match[1], match[2])
    if match := _YEAR_MONTH.match(compact):
        return _Parts(None, match[2], match[1])
    folded = _ordinal().sub(r"\1", words(compact.replace("1ᵉʳ", "1")))
    kept = [t for t in folded.split() if t not in tokens("dates", "around") and t not in _weekday_names()]
    named = _named_parts(kept)
    if isinstance(named, _Parts):
        return named
    rejoined = " ".join(kept)
    if named is None and (match := _DAY_FIRST.match(rejoined)):
        return _Parts(match[1], match[2], match[3])
    found = _in_sentence(compact) if sentence else None
    if found is not None:
        return _Parts(found.day, found.month, found.year, in_sentence=True)
    return named or "invalid"


@cache
def _asap_words() -> Lexicon[bool]:
    """'Dès que possible', 'zo snel mogelijk', 'as soon as possible' (True) and the words around (False)."""
    around = [(token, False) for token in tokens("dates", "around")]
    return Lexicon([*((phrase, True) for phrase in every_language("dates", "asap")), *around])


def means_asap(text: str) -> bool:
    """Whether the answer says "as soon as possible" (or "now", "today") and nothing else."""
    found, left = _asap_words().scan(words(text).split())
    return any(found) and not left


@cache
def _same_time_words() -> Lexicon[bool]:
    around = [(token, False) for token in tokens("dates", "around")]
    return Lexicon([*((phrase, True) for phrase in every_language("dates", "same_time")), *around])


def means_same_time(text: str) -> bool:
    """Whether the answer says "at the same time as me" ("en même temps que moi", "tegelijk met
    mij") and nothing else."""
    found, left = _same_time_words().scan(words(text).split())
    return any(found) and not left


def fitting_example(earliest: date | None, latest: date | None, today: date | None) -> date:
    """An example date inside the bounds that looks like an answer to the question: about two
    months ahead when future dates are expected, a few years back for past dates."""
    if today is None:
        return earliest or latest or DEFAULT_EXAMPLE
    future = latest is None or latest > today
    if future and (earliest is None or earliest >= today - timedelta(days=5 * 366)):
        ahead = today + timedelta(days=FUTURE_EXAMPLE_DAYS)
        candidate = ahead.replace(day=15)
    else:
        anchor = min(latest or today, today)
        candidate = anchor.replace(year=anchor.year - PAST_EXAMPLE_YEARS, day=15)
    if earliest is not None and candidate < earliest:
        return earliest
    if latest is not None and candidate > latest:
        return latest
    return candidate


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
    back). ``day_optional``: a month and year alone ("maart 2020") mean the first of that month
    (said back). Words around the date are allowed ("tot 30 juni 2027", "jusqu'au …", "until …").
    Errors show an example that fits the bounds (see :func:`fitting_example`).
    """
    example = numeric_example(fitting_example(earliest, latest, today))
    cleaned = clean(text)
    if asap and means_asap(cleaned):
        now = today or date.today()
        return Parsed(value=now, understood=msg("parse.understood.asap", today_date=now.isoformat()))
    folded, part = _qualifier(words(cleaned))
    parts = _parts(folded if part else cleaned)
    if isinstance(parts, str):
        return failure(f"date.{parts}", example=example)
    if parts.day is None and not day_optional:
        if not parts.year and part is None:
            return failure("date.missing_day", example=example)
        return _which_day(int(parts.month), parts.year, lang, earliest, latest, today)
    month = int(parts.month)
    if not parts.year:
        if not (day_optional or part) or today is None or not 1 <= month <= 12:
            return failure("date.missing_year", example=example)
        year = _next_year(month, today, earliest, latest)
    else:
        year = _full_year(parts.year, earliest, latest, month, int(parts.day or 1))
    day = int(parts.day) if parts.day is not None else _day_of(part, year, month)
    given = f"{day:02d}/{month:02d}/{year}"
    too_early: Parsed[date] = failure(
        "date.too_early", limit_date=(earliest or today or DEFAULT_EXAMPLE).isoformat(), example=example
    )
    too_late: Parsed[date] = failure(
        "date.too_late", limit_date=(latest or today or DEFAULT_EXAMPLE).isoformat(), example=example
    )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        if earliest is not None and year < FIRST_YEAR:
            return too_early
        if latest is not None and year > LAST_YEAR:
            return too_late
        return failure("date.impossible", given=given, example=example)
    try:
        value = date(year, month, day)
    except ValueError:
        return failure("date.impossible", given=given, example=example)
    if earliest is not None and value < earliest:
        return too_early
    if latest is not None and value > latest:
        return too_late
    return Parsed(value=value, understood=_said(value, parts, part, latest, today))


def _said(
    value: date, parts: _Parts, part: str | None, latest: date | None, today: date | None
) -> Message | None:
    """What is said back: a month taken as its first day, a part of a month, a date found in a
    sentence or without its year; nothing for a date typed as such."""
    if parts.day is None and part is None:
        future = today is not None and value >= today
        key = "parse.understood.month_start" if future else "parse.understood.month_only"
        return msg(key, value_date=value.isoformat())
    if part is not None:
        return msg("parse.understood.month_part", value_date=value.isoformat())
    if parts.in_sentence or not parts.year:
        return msg("parse.understood.date", value_date=value.isoformat())
    return None


def _day_of(part: str | None, year: int, month: int) -> int:
    """The day a part of the month stands for: the 1st (early, or no part), the 15th, the last."""
    if part == "mid":
        return 15
    if part == "end":
        return calendar.monthrange(year, month)[1] if FIRST_YEAR <= year <= LAST_YEAR else 28
    return 1


def _next_year(month: int, today: date, earliest: date | None, latest: date | None) -> int:
    """The year of a month named without one: the coming one, or the last one for a past date."""
    if latest is not None and latest <= today:
        return today.year if month <= today.month else today.year - 1
    return today.year if month >= today.month else today.year + 1


def _which_day(
    month: int, year: str, lang: Lang, earliest: date | None, latest: date | None, today: date | None
) -> Parsed[date]:
    """A month given where the day matters: ask only for the day, with an example in that month;
    ``awaited_month`` (YYYY-MM, not shown) lets the dialogue join a day typed next to it."""
    if not 1 <= month <= 12 or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return failure("date.invalid", example=numeric_example(fitting_example(earliest, latest, today)))
    first = date(int(year), month, 15)
    shown = format_date(first, "LLLL y", locale=lang)
    return failure(
        "date.which_day", month=shown, example=numeric_example(first), awaited_month=f"{year}-{month:02d}"
    )


_ACADEMIC_YEAR = re.compile(r"(?<![0-9])([0-9]{4}|[0-9]{2})\s*[-/–—]\s*([0-9]{4}|[0-9]{2})(?![0-9])")


def parse_academic_year(text: str, lang: Lang) -> Parsed[str]:
    """An academic year as 'YYYY-YYYY' from '2026-2027', '2026/27', '26-27' (two consecutive years)."""
    matches = _ACADEMIC_YEAR.findall(clean(text))
    if not matches:
        return _academic_year_of_month(text)
    if len(matches) != 1:
        return failure("academic_year.invalid", example_key="parse.example.academic_year")
    first_text, second_text = matches[0]
    first = int(first_text) if len(first_text) == 4 else 2000 + int(first_text)
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second != first + 1 or not 2000 <= first <= 2098:
        return failure("academic_year.invalid", example_key="parse.example.academic_year")
    return success(f"{first}-{second}")


def _academic_year_of_month(text: str) -> Parsed[str]:
    """'septembre 2027' → 2027-2028 (from August on, the year that starts then), 'février 2027' →
    2026-2027, said back; a year alone ('2027') may be either: asked once."""
    said = words(clean(text)).split()
    years = [int(token) for token in said if len(token) == 4 and token.isdigit()]
    months = [month_names()[token] for token in said if token in month_names()]
    if len(years) != 1 or len(months) > 1 or not 2001 <= years[0] <= 2098:
        return failure("academic_year.invalid", example_key="parse.example.academic_year")
    year = years[0]
    if not months:
        first, second = f"{year - 1}-{year}", f"{year}-{year + 1}"
        return Parsed(
            error=msg("parse.academic_year.ambiguous", first=first, second=second, example=first),
            alternatives=(first, second),
        )
    start = year if months[0] >= ACADEMIC_YEAR_FIRST_MONTH else year - 1
    value = f"{start}-{start + 1}"
    return Parsed(value=value, understood=msg("parse.understood.academic_year", year=value))


ACADEMIC_YEAR_FIRST_MONTH = 8
"""A month from August on belongs to the academic year that starts that year."""


# Between two dates: a comma, a semicolon, a new line, "and" / "et" / "en", or a space before a date
# typed in digits ("15/06/1991 03/04/2018").
_BETWEEN_DATES = re.compile(
    r"\s*(?:[,;\n]|\band\b|\bet\b|\ben\b)\s*|\s+(?=[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9])"
)


def parse_dates(
    text: str,
    lang: Lang,
    *,
    earliest: date | None = None,
    latest: date | None = None,
    today: date | None = None,
    rank: Callable[[str], int | None] | None = None,
) -> Parsed[list[date]]:
    """Several full dates at once ("15/06/1991, 03/04/2018 and 09/09/2021"), each read by
    :func:`parse_date` (a part not understood is read again with the next one: "June 15, 1991");
    the first date not understood gives the error. ``rank`` gives each part's place in the order
    wanted ("ma fille le 20 juin 2011, ma femme le …": the partner first); the dates are sorted by
    it when every part has one, and said back when they were sorted or found inside words."""

    def read(part: str) -> Parsed[date]:
        return parse_date(part, lang, earliest=earliest, latest=latest, today=today)

    days: list[tuple[date, str]] = []
    said = False
    parts = [part for part in _BETWEEN_DATES.split(clean(text)) if part and part.strip()]
    while parts:
        parsed = read(parts[0])
        if parsed.value is None and len(parts) > 1:
            joined = read(f"{parts[0]}, {parts[1]}")
            if joined.value is not None:
                parsed, parts = joined, [f"{parts[0]}, {parts[1]}", *parts[2:]]
        if parsed.value is None:
            return Parsed(error=parsed.error)
        said = said or parsed.understood is not None
        days.append((parsed.value, parts[0]))
        parts = parts[1:]
    if not days:
        return Parsed(error=read(text).error)
    places = [rank(part) for _, part in days] if rank is not None else []
    if places and all(place is not None for place in places):
        ordered = [day for _, day in sorted(zip(places, days, strict=True), key=lambda pair: pair[0] or 0)]
        said = said or ordered != days
        days = ordered
    values = [day for day, _ in days]
    if said:
        return Parsed(
            value=values, understood=msg("parse.understood.dates", value_dates=",".join(map(str, values)))
        )
    return success(values)
