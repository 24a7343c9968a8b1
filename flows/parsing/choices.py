"""Yes / no / not sure, in FR/NL/EN ('oui', 'nee hoor', 'not sure', 'y', '1', '👍')."""

from __future__ import annotations

from typing import Literal

from bot.i18n import Lang
from flows.parsing.common import Parsed, clean, failure, success, words

Choice = Literal["yes", "no", "unsure"]

# Whole answers only: too short or too common to be trusted inside a sentence.
_WHOLE_ANSWERS: dict[str, Choice] = {
    **dict.fromkeys(["y", "o", "j", "1", "si", "wel", "true", "da"], "yes"),
    **dict.fromkeys(["n", "2", "false", "neen"], "no"),
    "3": "unsure",
}
# Phrases recognised anywhere in the answer (longest first, so 'not sure' beats 'sure').
# Single words recognised anywhere in the answer.
_WORDS: dict[str, Choice] = {
    **dict.fromkeys(
        [
            "yes",
            "yeah",
            "yep",
            "yup",
            "yea",
            "ok",
            "okay",
            "sure",
            "certainly",
            "absolutely",
            "indeed",
            "correct",
            "oui",
            "ouais",
            "ouaip",
            "certainement",
            "absolument",
            "exact",
            "exactement",
            "effectivement",
            "ja",
            "jawel",
            "jazeker",
            "zeker",
            "natuurlijk",
            "inderdaad",
            "klopt",
            "akkoord",
            "uiteraard",
        ],
        "yes",
    ),
    **dict.fromkeys(
        [
            "no",
            "nope",
            "nah",
            "not",
            "never",
            "non",
            "jamais",
            "pas",
            "aucunement",
            "nee",
            "nooit",
            "niet",
            "geenszins",
        ],
        "no",
    ),
}
# Phrases recognised anywhere, longest first and before single words ('not sure' beats 'not' and 'sure').
_MULTI_WORD: dict[str, Choice] = {
    "of course": "yes",
    "bien sur": "yes",
    "tout a fait": "yes",
    "d accord": "yes",
    "pas du tout": "no",
    "helemaal niet": "no",
    "not at all": "no",
    "not really": "no",
    "pas vraiment": "no",
    "niet echt": "no",
    **dict.fromkeys(
        [
            "not sure", "unsure", "don t know", "dont know", "do not know", "no idea", "maybe",
            "perhaps", "possibly", "dunno", "idk", "not certain", "uncertain", "no clue",
            "je ne sais pas", "ne sais pas", "je sais pas", "sais pas", "jsp", "aucune idee",
            "pas d idee", "pas sur", "pas sure", "pas certain", "pas certaine", "peut etre",
            "incertain", "je ne suis pas sur", "weet niet", "weet het niet", "weet ik niet",
            "ik weet het niet", "geen idee", "geen flauw idee", "niet zeker", "onzeker", "misschien",
            "mogelijk", "weetniet",
        ],
        "unsure",
    ),
}  # fmt: skip
_EMOJI: dict[str, Choice] = {"👍": "yes", "✅": "yes", "✔": "yes", "👎": "no", "❌": "no", "🤷": "unsure"}


def classify(text: str) -> set[Choice]:
    """Every kind of answer the text contains (several when it contradicts itself)."""
    cleaned = clean(text)
    found: set[Choice] = {choice for emoji, choice in _EMOJI.items() if emoji in cleaned}
    if cleaned and set(cleaned) == {"?"}:
        found.add("unsure")
    folded = words(cleaned)
    if folded in _WHOLE_ANSWERS:
        return found | {_WHOLE_ANSWERS[folded]}
    phrase = f" {folded} "
    for multi in sorted(_MULTI_WORD, key=len, reverse=True):
        if f" {multi} " in phrase:
            found.add(_MULTI_WORD[multi])
            phrase = phrase.replace(f" {multi} ", " ")
    found |= {_WORDS[token] for token in phrase.split() if token in _WORDS}
    return found


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
