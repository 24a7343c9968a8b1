"""Choice answers given in the person's own words ("ma femme", "je sais pas", "een ziekenhuis in
Gent", "pas de diplôme du supérieur, juste une formation de cuisinier"), read from per-language word
lists rather than from the option labels alone.

The words are in ``flows/data/words.<lang>.toml`` under ``[options.<question id>]``: each list is
named after an option value, or after a group of ``flows/data/options.toml`` (several options the
word may mean: the person is asked once which one). The option labels of the question count as its
words too. A word is found anywhere in the sentence, and a misspelt word (one letter off, two in a
long word) is found with rapidfuzz. A word after a negation in the same part of the sentence
("pas de master", "geen diploma", "not a nurse") is not read; parts are cut at commas and at "mais",
"maar", "but", "juste", "just"…, so "no degree, but IT experience" still reads the experience.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.engine import msg, nat_group, region_of_postcode
from bot.i18n import LANGS, Lang, catalog
from flows.parsing.choices import classify
from flows.parsing.common import Parsed, clean, failure, words
from flows.parsing.countries import countries_in, name_index
from flows.parsing.places import find_place, place_index
from flows.parsing.tokens import Lexicon
from flows.parsing.wordlists import every_language, option_facts, section, tokens, word_files

WEAK = "none"
"""The "none of these" option: read only when no other option is named ("aucune, je suis cuisinier")."""
_FUZZY_MIN = 5
_LONG_WORD = 9


@dataclass(frozen=True)
class Hit:
    """A list named in the answer: ``name`` (option value or group), where, and how it was found."""

    name: str
    start: int
    end: int
    clause: int
    negated: bool = False
    fuzzy: bool = False


@dataclass(frozen=True)
class Said:
    """The answer cut into folded words, with the part of the sentence ("clause") of each word."""

    tokens: tuple[str, ...]
    clauses: tuple[int, ...]


@cache
def _clause_breaks() -> re.Pattern[str]:
    joined = "|".join(sorted(every_language("options", "clause_breaks"), key=len, reverse=True))
    return re.compile(rf"[,;.!?()\n:]+|\b(?:{joined})\b", re.IGNORECASE)


def fold_plus(text: str) -> str:
    """Folded words, a '+' kept as the word "plus" ('F+', 'bac+5': other options than 'F', 'bac 5')."""
    return words(text.replace("+", " plus "))


def cut(text: str) -> Said:
    """The answer's words and, for each, the number of its part of the sentence."""
    found: list[str] = []
    clauses: list[int] = []
    for number, part in enumerate(_clause_breaks().split(clean(text))):
        for token in fold_plus(part or "").split():
            found.append(token)
            clauses.append(number)
    return Said(tuple(found), tuple(clauses))


def _labels(question_id: str, lang: str) -> dict[str, tuple[str, ...]]:
    """The option labels of the question in ``lang``, folded, as its words."""
    if lang not in LANGS:
        return {}
    prefix = f"question.{question_id}.option."
    return {
        key[len(prefix) :]: (fold_plus(label),)
        for key, label in catalog(lang).items()
        if key.startswith(prefix) and words(label)
    }


@cache
def lexicon(question_id: str, lang: str) -> Lexicon[str]:
    """Every phrase of ``lang`` that names an option (or a group) of the question."""
    lists = section(lang, "options", question_id)
    entries = [
        (fold_plus(phrase), name)
        for name, listed in (lists.items() if isinstance(lists, dict) else ())
        if isinstance(listed, list)
        for phrase in listed
    ]
    if option_facts().get("labels", {}).get(question_id, True):
        entries += [(label, name) for name, labels in _labels(question_id, lang).items() for label in labels]
    return Lexicon(entries)


@cache
def _fuzzy_targets(question_id: str, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The one-word phrases long enough to be matched despite a typo, and their meanings."""
    lex = lexicon(question_id, lang)
    pairs = [
        (key[0], meanings[0])
        for key, meanings in lex.meanings.items()
        if len(key) == 1 and len(key[0]) >= _FUZZY_MIN and len(set(meanings)) == 1
    ]
    return tuple(word for word, _ in pairs), tuple(name for _, name in pairs)


@cache
def _plain_words() -> frozenset[str]:
    """Words that are never a misspelt option word (negations, yes/no, words around values, the
    names of places and countries: 'Thuin' is not 'thuis')."""
    names = {token for key in (*place_index(), *name_index()) for token in key.split()}
    return (
        frozenset(names)
        | tokens("options", "negations")
        | tokens("answers", "yes")
        | tokens("answers", "no")
        | tokens("countries", "around")
        | tokens("numbers", "around")
    )


def _fuzzy(question_id: str, lang: str, token: str) -> str | None:
    if len(token) < _FUZZY_MIN or token in _plain_words() or not token.isalpha():
        return None
    targets, names = _fuzzy_targets(question_id, lang)
    edits = 2 if len(token) >= _LONG_WORD else 1
    best = process.extractOne(token, targets, scorer=Levenshtein.distance, score_cutoff=edits)
    if best is None or best[0][0] != token[0]:
        return None
    return names[best[2]]


def _overtaken(lex: Lexicon[str], tokens: Sequence[str], length: int) -> bool:
    """Whether a phrase starting inside the first ``length`` words runs further than they do."""
    return any(start + lex.at(tokens, start)[0] > length for start in range(1, length))


def _scan(question_id: str, said: Said, lang: str, fuzzy: bool = True) -> list[Hit]:
    lex = lexicon(question_id, lang)
    hits: list[Hit] = []
    index = 0
    while index < len(said.tokens):
        clause = said.clauses[index]
        end = index
        while end < len(said.tokens) and said.clauses[end] == clause:
            end += 1
        length, meanings = lex.at(said.tokens[index:end], 0)
        if length and _overtaken(lex, said.tokens[index:end], length):
            length = 0  # "my mother-in-law": the longer phrase that starts inside wins
        if length:
            hits += [Hit(name, index, index + length, clause) for name in dict.fromkeys(meanings)]
            index += length
            continue
        name = _fuzzy(question_id, lang, said.tokens[index]) if fuzzy else None
        if name is not None:
            hits.append(Hit(name, index, index + 1, clause, fuzzy=True))
        index += 1
    return hits


def _negate(hits: list[Hit], said: Sequence[str], clauses: Sequence[int]) -> list[Hit]:
    """Hits after a negation word of their part of the sentence (not one inside another hit of a
    real option: "pas besoin" may be listed whole), right after a word that negates only what
    follows ("ex-femme", "former"), or right before one that negates what precedes ("master pas
    fini", "bachelor not finished") are marked ``negated``."""
    inside = {i for hit in hits if hit.name != WEAK for i in range(hit.start, hit.end)}  # "pas besoin"
    negations = tokens("options", "negations")
    next_only = tokens("options", "negations_next")
    after = tokens("options", "negations_after")
    marked: list[Hit] = []
    for hit in hits:
        clause = hit.clause

        def negates(i: int, listed: frozenset[str], clause: int = clause) -> bool:
            return 0 <= i < len(said) and said[i] in listed and i not in inside and clauses[i] == clause

        negated = (
            any(negates(i, negations) for i in range(hit.start))
            or any(negates(i, next_only) for i in (hit.start - 1, hit.start - 2))
            or negates(hit.end, after)
        )
        marked.append(Hit(hit.name, hit.start, hit.end, hit.clause, negated, hit.fuzzy))
    return marked


def find_hits(question_id: str, text: str, lang: Lang) -> tuple[list[Hit], Said]:
    """The lists the answer names, in the person's language first (typos allowed), else in any
    other (words as listed: a typo of another language is too often a word of one's own)."""
    said = cut(text)
    for code in (lang, *(code for code in word_files() if code != lang)):
        hits = _scan(question_id, said, code, fuzzy=code == lang)
        if hits:
            return _negate(hits, said.tokens, said.clauses), said
    return [], said


def _weak(question_id: str) -> dict[str, str]:
    """Lists read only when nothing else is named → the option each stands for ("none" too)."""
    aliases: dict[str, str] = option_facts().get("weak", {}).get(question_id, {})
    return {WEAK: WEAK, **aliases}


def named(hits: list[Hit], question_id: str = "") -> list[str]:
    """The options the answer names positively: negated ones dropped, and the weak lists ("none",
    everyday words of ``[weak]``) dropped when another option is named, or when they qualify a
    negated option ("pas de diplôme du supérieur"); a weak list gives the option it stands for."""
    weak = _weak(question_id)
    negated_clauses = {hit.clause for hit in hits if hit.negated}
    kept = [hit for hit in hits if not hit.negated]
    strong = [hit for hit in kept if hit.name not in weak]
    if any(not hit.fuzzy for hit in strong):  # a word typed right beats a word that is close
        strong = [hit for hit in strong if not hit.fuzzy]
    kept = strong or [hit for hit in kept if hit.clause not in negated_clauses]
    names = list(dict.fromkeys(weak.get(hit.name, hit.name) for hit in kept))
    return [name for name in names if not _covered(question_id, name, names)]


def _covered(question_id: str, name: str, names: list[str]) -> bool:
    """A group named with one of its own options ("carte A étudiant"): the option says it all."""
    group = group_of(question_id, name)
    return group is not None and any(other in group["values"] for other in names if other != name)


def group_of(question_id: str, name: str) -> dict[str, Any] | None:
    """The group ``name`` stands for at this question (None: it is an option)."""
    group: dict[str, Any] | None = option_facts().get("groups", {}).get(question_id, {}).get(name)
    return group


def understood_key(question_id: str, value: str) -> str:
    """What a value read from words is said back as: its label, or a sentence of options.toml."""
    special: dict[str, str] = option_facts().get("understood", {}).get(question_id, {})
    return special.get(value, "")


def _understood(question_id: str, value: str) -> Parsed[str]:
    sentence = understood_key(question_id, value)
    if sentence:
        return Parsed(value=value, understood=msg(sentence))
    key = f"question.{question_id}.option.{value}"
    return Parsed(value=value, understood=msg("parse.understood.option", option_key=key))


def _meaning(question_id: str, name: str) -> Parsed[str]:
    group = group_of(question_id, name)
    if group is None:
        return _understood(question_id, name)
    return Parsed(error=msg(str(group["ask"])), alternatives=tuple(group["values"]))


def _several(question_id: str, names: list[str]) -> Parsed[str]:
    """Words naming several options: asked once, offering only those."""
    values: list[str] = []
    for name in names:
        group = group_of(question_id, name)
        values += list(group["values"]) if group else [name]
    return Parsed(error=msg("parse.option.which_of"), alternatives=tuple(dict.fromkeys(values)))


def place_option(question_id: str, text: str) -> Parsed[str] | None:
    """A place question answered with a country or a Belgian municipality ('au Maroc', 'à Gand',
    'je suis en Inde, à Bangalore'); a region question answered with a municipality ('Liège')."""
    facts = option_facts()
    options: dict[str, str] | None = facts.get("place", {}).get(question_id)
    if options is not None:
        countries = countries_in(text)
        places = find_place(text)
        anywhere = countries_in(text, ambiguous=True)
        if not countries and anywhere and "BE" not in anywhere and not places and "abroad" in options:
            return _understood(question_id, options["abroad"])  # 'à Kinshasa, au Congo': abroad
        if len(countries) == 1 and (countries == {"BE"} or not places) and "abroad" in options:
            return _understood(question_id, options["belgium" if countries == {"BE"} else "abroad"])
        if (places or countries == {"BE"}) and "belgium" in options:
            return _understood(question_id, options["belgium"])
    if facts.get("region", {}).get(question_id):
        regions = {region_of_postcode(postcode) for postcode in find_place(text)}
        if len(regions) == 1 and None not in regions:
            return _understood(question_id, str(regions.pop()))
    return None


def _foreign_only(question_id: str, names: list[str], hits: list[Hit], text: str) -> bool:
    """An everyday word read as an option in Belgium ("une entreprise") while the answer names
    another country and no Belgian place ("une entreprise américaine qui m'envoie"): not read."""
    local: list[str] = option_facts().get("not_abroad", {}).get(question_id, [])
    if not local or any(hit.name not in local for hit in hits if not hit.negated):
        return False
    return bool(countries_in(text) - {"BE"}) and not find_place(text)


def _nationality_option(question_id: str, text: str) -> Parsed[str] | None:
    """A question on someone's status answered with a nationality ('elle est française' → an EU
    citizen, 'il est belge' → a Belgian): the option of ``[nationality]`` for its group."""
    options: dict[str, str] | None = option_facts().get("nationality", {}).get(question_id)
    found = countries_in(text)
    if options is None or len(found) != 1:
        return None
    group = nat_group(list(found))
    return _understood(question_id, options[group]) if group in options else None


def parse_option_words(question_id: str, text: str, lang: Lang) -> Parsed[str]:
    """The option value of ``question_id`` that ``text`` names in ``lang``'s word lists.

    Returns the value (with ``understood`` set), or ``alternatives`` when the words fit several
    options (e.g. a girlfriend: registered partners or not?), or an error when nothing matches.
    "I don't know" in its common forms gives the question's "I don't know" option, if it has one.
    Words of the other languages are read when the person's own language gives nothing.
    """
    cleaned = clean(text)
    dont_know = option_facts().get("dont_know", {}).get(question_id)
    if words(cleaned) and dont_know is not None and classify(cleaned) == {"unsure"}:
        return _understood(question_id, str(dont_know))
    hits, _ = find_hits(question_id, cleaned, lang)
    names = named(hits, question_id)
    if _foreign_only(question_id, names, hits, cleaned):
        return failure("option.unknown")
    if len(names) == 1:
        return _meaning(question_id, names[0])
    if len(names) > 1:
        return _several(question_id, names)
    if hits:  # only negated words: "pas de master" says what it is not
        return failure("option.unknown")
    found = place_option(question_id, cleaned) or _nationality_option(question_id, cleaned)
    return found or failure("option.unknown")
