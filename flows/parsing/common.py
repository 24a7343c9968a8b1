"""Shared pieces of the parsers: the result type and text normalisation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from bot.engine import Message, ParamValue

T = TypeVar("T")

MAX_INPUT = 500
"""Longer messages are cut to this many characters before parsing (answers are short)."""

_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A parsed value, or a message explaining what went wrong (with an example).

    ``understood`` is a short line saying back what was understood when the value came from words
    rather than digits, or a unit was converted ("Compris : contrat à durée indéterminée.").
    ``confirm`` is set when ``value`` is a guess that the person must confirm before it is stored
    (e.g. a yearly amount converted for a monthly question); the message is the yes/no question.
    ``alternatives`` lists candidate values when the text was ambiguous (``value`` is then None and
    ``error`` says what to choose between); the dialogue asks once which one was meant.
    """

    value: T | None = None
    error: Message | None = None
    understood: Message | None = None
    confirm: Message | None = None
    alternatives: tuple[Any, ...] = ()

    @property
    def ok(self) -> bool:
        """True when a value was understood."""
        return self.error is None and self.value is not None


Unit = Literal["months", "years", "days", "count"]
"""What a typed number counts: a number with another unit is refused, a convertible one converted."""


def success(value: T) -> Parsed[T]:
    """A successful parse."""
    return Parsed(value=value)


def failure(key: str, **params: ParamValue) -> Parsed[T]:
    """A failed parse with the locale key ``parse.<key>`` and its parameters."""
    return Parsed(error=Message(key=f"parse.{key}", params=params))


def clean(text: str) -> str:
    """The text cut to a sane length, with control characters replaced by spaces."""
    cut = text[:MAX_INPUT]
    return "".join(" " if unicodedata.category(char)[0] == "C" else char for char in cut).strip()


def fold(text: str) -> str:
    """Lower-case text without accents (``Côte d’Ivoire`` → ``cote d’ivoire``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> str:
    """Folded text reduced to words of ``[0-9a-z]`` separated by single spaces."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def trim(tokens: list[str], around: frozenset[str]) -> str:
    """The words left once the ``around`` words at either end are taken off ('au Maroc' → 'maroc')."""
    start, end = 0, len(tokens)
    while start < end and tokens[start] in around:
        start += 1
    while end > start and tokens[end - 1] in around:
        end -= 1
    return " ".join(tokens[start:end])


def excerpt(text: str, limit: int = 40) -> str:
    """A short, single-line quote of what the user typed, for an error message."""
    single = " ".join(clean(text).split())
    return single if len(single) <= limit else single[: limit - 1] + "…"
