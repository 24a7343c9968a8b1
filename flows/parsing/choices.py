"""Yes / no / not sure, in FR/NL/EN ('oui', 'nee hoor', 'not sure', 'y', '1', '👍')."""

from __future__ import annotations

from functools import cache
from typing import Literal

from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, failure, success, words
from flows.parsing.tokens import Lexicon
from flows.parsing.wordlists import every_language

Choice = Literal["yes", "no", "unsure"]

_KINDS: tuple[Choice, ...] = ("yes", "no", "unsure")
_DIGITS: dict[str, Choice] = {"1": "yes", "2": "no", "3": "unsure"}  # the options' numbers


@cache
def _whole_answers() -> dict[str, Choice]:
    """Answers trusted only when they are the whole answer ('y', 'o', 'j', '1'): too short or common."""
    found: dict[str, Choice] = dict(_DIGITS)
    for kind in ("yes", "no"):
        found.update(dict.fromkeys(every_language("answers", f"whole_{kind}"), kind))
    return found


@cache
def _answer_words() -> Lexicon[Choice]:
    """Words and phrases recognised anywhere in the answer, the longest first ('not sure' beats 'not')."""
    return Lexicon((phrase, kind) for kind in _KINDS for phrase in every_language("answers", kind))


_EMOJI: dict[str, Choice] = {"👍": "yes", "✅": "yes", "✔": "yes", "👎": "no", "❌": "no", "🤷": "unsure"}


def classify(text: str) -> set[Choice]:
    """Every kind of answer the text contains (several when it contradicts itself)."""
    cleaned = clean(text)
    found: set[Choice] = {choice for emoji, choice in _EMOJI.items() if emoji in cleaned}
    if cleaned and set(cleaned) == {"?"}:
        found.add("unsure")
    folded = words(cleaned)
    if folded in _whole_answers():
        return found | {_whole_answers()[folded]}
    said, _ = _answer_words().scan(folded.split())
    return found | set(said)


def parse_yes_no(text: str, lang: Lang, *, allow_unsure: bool = False) -> Parsed[str]:
    """'yes', 'no' or (when allowed) 'unsure'; an answer that says both yes and no is refused."""
    example_key = "parse.example.yes_no_unsure" if allow_unsure else "parse.example.yes_no"
    found = classify(text)
    if "unsure" in found:
        if allow_unsure:
            return success("unsure")
        return failure("yes_no.unsure_not_allowed", example_key=example_key)
    if len(found) == 1:
        return success(found.pop())
    return failure("yes_no.invalid", example_key=example_key)
