"""Choice answers given in the person's own words ("ma femme", "je sais pas", "bachelor
verpleegkunde", "au Maroc"), read from per-language word lists rather than from the option labels.

The words are in ``flows/data/words.<lang>.toml`` under ``[options.<question id>]``: each list is
named after an option value, or after a group of ``flows/data/options.toml`` (several options the
word may mean: the person is asked once which one). Other words of the answer are ignored, except a
negation ("pas de master", "geen diploma" unless listed as a whole): then nothing is read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.engine import msg
from bot.i18n import Lang
from flows.parsing.choices import classify
from flows.parsing.common import Parsed, clean, failure, words
from flows.parsing.countries import lookup_country
from flows.parsing.places import find_place
from flows.parsing.tokens import Lexicon
from flows.parsing.wordlists import named_lists, option_facts, tokens, word_files


def _understood(question_id: str, value: str) -> Parsed[str]:
    key = f"question.{question_id}.option.{value}"
    return Parsed(value=value, understood=msg("parse.understood.option", option_key=key))


@cache
def _lexicon(question_id: str, lang: str) -> Lexicon[str]:
    lists = named_lists(lang, "options", question_id)
    return Lexicon((phrase, name) for name, listed in lists.items() for phrase in listed)


def _named(question_id: str, said: list[str], lang: str) -> str | None:
    """The one list of ``lang`` that the answer's words name (None: none, several, or negated)."""
    found, left = _lexicon(question_id, lang).scan(said)
    names = set(found)
    if len(names) != 1 or tokens("options", "negations") & set(left):
        return None
    return names.pop()


def _meaning(question_id: str, name: str) -> Parsed[str]:
    group: dict[str, Any] | None = option_facts().get("groups", {}).get(question_id, {}).get(name)
    if group is None:
        return _understood(question_id, name)
    return Parsed(error=msg(str(group["ask"])), alternatives=tuple(group["values"]))


def _place(question_id: str, text: str) -> Parsed[str] | None:
    """A place question answered with a country or a Belgian municipality ('au Maroc', 'à Gand')."""
    options: dict[str, str] | None = option_facts().get("place", {}).get(question_id)
    if options is None:
        return None
    countries = lookup_country(text)
    if len(countries) == 1:
        return _understood(question_id, options["belgium" if countries == {"BE"} else "abroad"])
    if not countries and find_place(text):
        return _understood(question_id, options["belgium"])
    return None


def parse_option_words(question_id: str, text: str, lang: Lang) -> Parsed[str]:
    """The option value of ``question_id`` that ``text`` names in ``lang``'s word lists.

    Returns the value (with ``understood`` set), or ``alternatives`` when the words fit several
    options (e.g. a girlfriend: registered partners or not?), or an error when nothing matches.
    "I don't know" in its common forms gives the question's "I don't know" option, if it has one.
    Words of the other languages are read when the person's own language gives nothing.
    """
    cleaned = clean(text)
    said = words(cleaned).split()
    dont_know = option_facts().get("dont_know", {}).get(question_id)
    if said and dont_know is not None and classify(cleaned) == {"unsure"}:
        return _understood(question_id, str(dont_know))
    for code in (lang, *(code for code in word_files() if code != lang)):
        name = _named(question_id, said, code)
        if name is not None:
            return _meaning(question_id, name)
    return _place(question_id, cleaned) or failure("option.unknown")
