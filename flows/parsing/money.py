"""Amounts of money in euros: '3.703,44', '3 703,44 €', '€3,703.44', '4748 EUR', '55k', '55 000 per year'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Literal

from bot.engine import msg
from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, failure, success, words
from flows.parsing.tokens import Lexicon, tokenize
from flows.parsing.wordlists import every_language, phrases, tokens

Period = Literal["month", "year"]


@dataclass(frozen=True)
class MoneyAmount:
    """An amount in euros and the period the user said it covers (None when not said)."""

    amount: float
    period: Period | None


MONTHS_PER_YEAR = 12
"""An amount for the other period is converted with this factor, and the person confirms it."""
_WORD_LISTS = ("month", "year", "month_after_per", "year_after_per", "year_alone", "per", "around")

_CURRENCY_SIGNS = re.compile(r"[$£¥₹₺₽₩₦]")
_EXAMPLES: dict[Period | None, str] = {
    None: "parse.example.money",
    "month": "parse.example.money_month",
    "year": "parse.example.money_year",
}


def detect_period(text: str, lang: Lang) -> Period | Literal["other", "conflict"] | None:
    """The period an amount is said to cover ('par mois', '/jaar', 'p.a.'), from the words of ``text``."""
    said = words(text.replace("/", " per ")).split()
    found: set[str] = set()
    year_alone = set(phrases(lang, "money", "year_alone"))
    for index, token in enumerate(said):
        after_per = index > 0 and said[index - 1] in tokens("money", "per")
        if token in tokens("money", "month") or (after_per and token in tokens("money", "month_after_per")):
            found.add("month")
        elif (
            token in tokens("money", "year")
            or (after_per and token in tokens("money", "year_after_per"))
            or token in year_alone
        ):
            found.add("year")
        elif token in tokens("money", "other_periods"):
            found.add("other")
    for first, second, period in (("p", "a", "year"), ("p", "m", "month")):
        if any(a == first and b == second for a, b in pairwise(said)):
            found.add(period)
    if "other" in found:
        return "other"
    if len(found) > 1:
        return "conflict"
    return "month" if "month" in found else "year" if "year" in found else None


def _other_currency(text: str) -> bool:
    return bool(_CURRENCY_SIGNS.search(text)) or bool(
        tokens("money", "other_currencies") & set(words(text).split())
    )


@cache
def _allowed_words() -> Lexicon[bool]:
    """Words that may surround an amount: currency, gross/net, periods, 'about', 'I earn'."""
    listed = [phrase for name in _WORD_LISTS for phrase in every_language("money", name)]
    return Lexicon((phrase, True) for phrase in (*listed, *every_language("numbers", "around")))


def typed_amounts(text: str) -> tuple[list[float], bool] | None:
    """The amounts typed in ``text``, and whether every other word is one that may surround an
    amount; None when a number is malformed."""
    found = tokenize(text.replace("/", " per "), "money")
    if found is None:
        return None
    _, left = _allowed_words().scan([token.word for token in found])
    amounts = [token.number for token in found if token.number is not None]
    return amounts, not any(left)


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
    typed = typed_amounts(cleaned)
    if typed is not None and len(typed[0]) > 1:
        return failure("money.several", example_key=example_key)
    if said == "conflict" or typed is None or len(typed[0]) != 1 or not typed[1]:
        return failure("money.invalid", example_key=example_key)
    amount = round(typed[0][0], 2)
    other = period is not None and said is not None and said != period
    if other and other_period == "refuse":
        return failure("money.wrong_period", period_key=f"parse.period.{period}", example_key=example_key)
    converted = amount
    if other:
        converted = round(amount / MONTHS_PER_YEAR if said == "year" else amount * MONTHS_PER_YEAR, 2)
    if not minimum <= converted <= maximum:
        return failure(
            "money.implausible", min_eur=float(minimum), max_eur=float(maximum), example_key=example_key
        )
    if not other:
        return success(MoneyAmount(amount=amount, period=said))
    question = msg(f"parse.confirm.{said}_as_{period}", given_eur=amount, amount_eur=converted)
    return Parsed(value=MoneyAmount(amount=converted, period=period), confirm=question)
