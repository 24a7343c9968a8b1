"""Amounts of money in euros: '3.703,44', '3 703,44 €', '€3,703.44', '4748 EUR', '55k', '55 000 per year'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, failure, fold, success, words
from flows.parsing.numbers import numeric_tokens

Period = Literal["month", "year"]


@dataclass(frozen=True)
class MoneyAmount:
    """An amount in euros and the period the user said it covers (None when not said)."""

    amount: float
    period: Period | None


_MONTH_WORDS = frozenset(
    [
        "month",
        "months",
        "monthly",
        "mois",
        "mensuel",
        "mensuelle",
        "mensuels",
        "mensuelles",
        "mensuellement",
        "mensualite",
        "maand",
        "maanden",
        "maandelijks",
        "maandelijkse",
        "maandloon",
        "maandsalaris",
        "maandinkomen",
        "pm",
    ]
)
_YEAR_WORDS = frozenset(
    [
        "year",
        "years",
        "yearly",
        "annual",
        "annually",
        "annum",
        "pa",
        "yr",
        "yrs",
        "annee",
        "annees",
        "annuel",
        "annuelle",
        "annuels",
        "annuelles",
        "annuellement",
        "jaar",
        "jaren",
        "jaarlijks",
        "jaarlijkse",
        "jaarloon",
        "jaarsalaris",
        "jaarinkomen",
    ]
)
_SHORT_MONTH = frozenset({"m", "mo", "mnd", "maand", "mois", "month"})
_SHORT_YEAR = frozenset({"a", "an", "ans", "j", "jr", "y", "yr"})
_PER = frozenset({"per", "par", "a", "an", "each", "every", "chaque", "elke", "l", "le"})
_OTHER_PERIODS = frozenset(
    [
        "week",
        "weeks",
        "weekly",
        "semaine",
        "semaines",
        "hebdomadaire",
        "hebdo",
        "wekelijks",
        "day",
        "days",
        "daily",
        "jour",
        "jours",
        "journalier",
        "journaliere",
        "dag",
        "dagen",
        "dagelijks",
        "hour",
        "hours",
        "hourly",
        "heure",
        "heures",
        "horaire",
        "uur",
        "uren",
    ]
)
_OTHER_CURRENCIES = frozenset(
    [
        "usd",
        "dollar",
        "dollars",
        "gbp",
        "pound",
        "pounds",
        "livre",
        "livres",
        "pond",
        "ponden",
        "chf",
        "franc",
        "francs",
        "frank",
        "yen",
        "jpy",
        "inr",
        "rupee",
        "rupees",
        "roupie",
        "roupies",
        "roepie",
        "roepies",
        "dirham",
        "dirhams",
        "lira",
        "lire",
        "cad",
        "aud",
        "cny",
        "yuan",
        "rub",
        "roubles",
    ]
)
_CURRENCY_SIGNS = re.compile(r"[$£¥₹₺₽₩₦]")
_EXAMPLES: dict[Period | None, str] = {
    None: "parse.example.money",
    "month": "parse.example.money_month",
    "year": "parse.example.money_year",
}


def detect_period(text: str, lang: Lang) -> Period | Literal["other", "conflict"] | None:
    """The period an amount is said to cover ('par mois', '/jaar', 'p.a.'), from the words of ``text``."""
    tokens = words(text.replace("/", " per ")).split()
    found: set[str] = set()
    for index, token in enumerate(tokens):
        after_per = index > 0 and tokens[index - 1] in _PER
        if token in _MONTH_WORDS or (after_per and token in _SHORT_MONTH):
            found.add("month")
        elif token in _YEAR_WORDS or (after_per and token in _SHORT_YEAR) or (lang == "fr" and token == "an"):
            found.add("year")
        elif token in _OTHER_PERIODS:
            found.add("other")
    for first, second, period in (("p", "a", "year"), ("p", "m", "month")):
        if any(a == first and b == second for a, b in pairwise(tokens)):
            found.add(period)
    if "other" in found:
        return "other"
    if len(found) > 1:
        return "conflict"
    return "month" if "month" in found else "year" if "year" in found else None


def _other_currency(text: str) -> bool:
    return bool(_CURRENCY_SIGNS.search(text)) or bool(_OTHER_CURRENCIES & set(words(text).split()))


def parse_money(
    text: str,
    lang: Lang,
    *,
    period: Period | None = None,
    minimum: float = 0,
    maximum: float = 10_000_000,
    other_period: Literal["refuse", "confirm"] = "refuse",
) -> Parsed[MoneyAmount]:
    """An amount in euros with the period the user mentioned.

    ``period`` is the period the question asks for: it picks the example shown in errors, and an
    answer that explicitly states the other period is refused (no silent conversion: Brussels
    compares the monthly base salary, Flanders and Wallonia the annual gross, rules.md §1 B3).
    With ``other_period="confirm"`` such an answer is converted instead (÷ 12 or × 12) and returned
    with ``confirm`` set, so the dialogue asks the person to confirm the converted amount.
    """
    example_key = _EXAMPLES[period]
    cleaned = clean(text)
    if _other_currency(cleaned):
        return failure("money.currency", example_key=example_key)
    said = detect_period(cleaned, lang)
    if said == "other":
        return failure("money.unsupported_period", example_key=example_key)
    amounts = numeric_tokens(fold(cleaned), "money")
    if said == "conflict" or amounts is None or len(amounts) != 1:
        return failure("money.invalid", example_key=example_key)
    if period is not None and said is not None and said != period:
        return failure("money.wrong_period", period_key=f"parse.period.{period}", example_key=example_key)
    amount = round(amounts[0], 2)
    if not minimum <= amount <= maximum:
        return failure(
            "money.implausible", min_eur=float(minimum), max_eur=float(maximum), example_key=example_key
        )
    return success(MoneyAmount(amount=amount, period=said))
