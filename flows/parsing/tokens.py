"""An answer cut into numbers and words, and the longest listed phrase found at each place: the
parsers read the whole answer this way, so that no word is silently ignored."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from flows.parsing.common import clean, fold, words
from flows.parsing.digits import NUMBER, Style, fractions_to_decimals, interpret
from flows.parsing.wordlists import names_of_words

T = TypeVar("T")

_SIGNS = r"%<>={}\[\]#@*^|\\~`+"
"""Signs that make an answer more than a number ('50%', '<3', '3+', 'x=1'): each is read as a word
that no list holds, so the answer is refused."""
_PIECES = re.compile(NUMBER.pattern + rf"|(?P<word>[^\W\d_]+|[{_SIGNS}])")


@dataclass(frozen=True)
class Token:
    """A number typed in digits (``multiplied``: by a 'k' after it), or one folded word
    (``accented``: typed with accents, 'één')."""

    word: str = ""
    number: float | None = None
    accented: bool = False
    multiplied: bool = False


def tokenize(text: str, style: Style) -> list[Token] | None:
    """The numbers and words of ``text`` in order (other signs dropped); None if a number is malformed.
    A multiplier right after a number is applied to it ('55k' is 55000)."""
    found: list[Token] = []
    for match in _PIECES.finditer(fractions_to_decimals(clean(text)).casefold()):
        if match["word"] is not None:
            raw = match["word"]
            if raw in _SIGNS:
                found.append(Token(word=raw))
                continue
            for token in words(raw).split():
                previous = found[-1] if found else None
                factor = float(names_of_words("numbers", "multipliers").get(token, 0))
                if (
                    factor
                    and previous is not None
                    and previous.number is not None
                    and not previous.multiplied
                ):
                    found[-1] = Token(number=previous.number * factor, multiplied=True)
                else:
                    found.append(Token(word=token, accented=fold(raw) != raw))
            continue
        value = interpret(match["body"], style)
        if value is None:
            return None
        found.append(Token(number=-value if match["sign"] else value))
    return found


class Lexicon(Generic[T]):
    """Folded phrases (one or more words) → what each means; several meanings may share a phrase."""

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self.meanings: dict[tuple[str, ...], list[T]] = {}
        for phrase, meaning in entries:
            key = tuple(phrase.split())
            if key:
                self.meanings.setdefault(key, []).append(meaning)
        self.longest = max((len(key) for key in self.meanings), default=0)

    def at(self, tokens: Sequence[str], start: int) -> tuple[int, list[T]]:
        """The longest phrase starting at ``tokens[start]``: (its length, its meanings), or (0, [])."""
        for length in range(min(self.longest, len(tokens) - start), 0, -1):
            meanings = self.meanings.get(tuple(tokens[start : start + length]))
            if meanings:
                return length, meanings
        return 0, []

    def scan(self, tokens: Sequence[str]) -> tuple[list[T], list[str]]:
        """Every listed phrase in ``tokens`` (longest first, left to right) and the words left over."""
        found: list[T] = []
        left: list[str] = []
        index = 0
        while index < len(tokens):
            length, meanings = self.at(tokens, index)
            if length:
                found.extend(meanings)
                index += length
            else:
                left.append(tokens[index])
                index += 1
        return found, left
