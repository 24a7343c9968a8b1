"""Reading an answer: typed text goes to the parser of the question's kind, free text where a choice
is expected is matched against the option labels in the user's language (or their numbers)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from bot.engine import msg
from bot.i18n import LANGS, Lang, text
from flows import parsing
from flows.question_types import VALUE_OF_OPTION, Choice, Question
from flows.questions import QUESTIONS

SKIP = "__none__"
MIN_LABEL_PART = 4
"""A part of a label shorter than this is no answer ('so', 'the' start or appear in many labels)."""
DONE = "__done__"
_SEPARATORS = re.compile(r"\s*(?:[,;/+&]|\bet\b|\ben\b|\band\b)\s*")


@dataclass(frozen=True)
class Reading(parsing.Parsed[Any]):
    """An accepted answer value (JSON) or the error to show; ``understood``, ``confirm`` and
    ``alternatives`` as in :class:`flows.parsing.Parsed` (the dialogue says back, asks to confirm,
    or asks once which option was meant). Unlike a parse, a reading may hold None: the "none" answer."""

    @property
    def ok(self) -> bool:
        return self.error is None


def fold_label(words: str) -> str:
    """Lower case, no accents, single spaces, no surrounding punctuation: for label matching."""
    plain = unicodedata.normalize("NFKD", words.casefold())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w\s+-]", " ", plain).split())


@cache
def _language_names() -> dict[str, str]:
    """Folded name of a language in any language (``control.language_names`` in locales/) → its code."""
    names: dict[str, str] = {}
    for speaker in LANGS:
        for lang in LANGS:
            for name in text(speaker, f"control.language_names.{lang}").split("|"):
                names[fold_label(name)] = lang
    return names


def parse_language(word: str | None) -> Lang | None:
    """A language from 'fr', 'NL', 'english', 'français', 'nederlands'…; None if not recognised."""
    wanted = fold_label(word or "")
    code = _language_names().get(wanted, wanted)
    for lang in LANGS:
        if code == lang:
            return lang
    return None


def yes_or_no(words: str, lang: Lang) -> str | None:
    """The option "yes" or "no" from a typed answer ("1"/"2", "oui", "nee"…); None if it is neither."""
    wanted = fold_label(words)
    if wanted in ("1", "2"):
        return "yes" if wanted == "1" else "no"
    parsed = parsing.parse_yes_no(words, lang)
    return str(parsed.value) if parsed.ok and parsed.value in ("yes", "no") else None


def choices(question: Question) -> tuple[Choice, ...]:
    """The options offered for a question, the "none / not yet" answer included."""
    skip = (Choice(SKIP, f"question.{question.id}.skip"),) if question.skip else ()
    return question.options + skip


def stored_value(question: Question, option_value: str) -> Any:
    """The answer value an option stands for (yes/no → bool; "none" → None)."""
    if option_value == SKIP:
        return None
    return VALUE_OF_OPTION.get(question.kind, {}).get(option_value, option_value)


def match_option(question: Question, words: str, lang: Lang) -> str | None:
    """The option value the user meant: its number, its label, its value, a unique label part, or
    the option their own words name (word lists of flows.parsing)."""
    option = match_label(question, words, lang, partly=False)
    if option is not None:
        return option
    worded = parsing.parse_option_words(question.words_of or question.id, words, lang)
    if worded.ok and worded.value in {choice.value for choice in choices(question)}:
        return str(worded.value)
    return match_label(question, words, lang)


def match_label(question: Question, words: str, lang: Lang, *, partly: bool = True) -> str | None:
    """The option value the user meant: its number, its label, its value, or (``partly``) a unique
    label part. A label part is tried after the word lists ("no degree" starts the label "No degree,
    but 3 years of IT experience", yet means "none")."""
    wanted = fold_label(words)
    if not wanted:
        return None
    offered = choices(question)
    if wanted.isdigit() and 1 <= int(wanted) <= len(offered):
        return offered[int(wanted) - 1].value
    labels = {option.value: fold_label(text(lang, option.key)) for option in offered}
    for value, label in labels.items():
        if wanted in (label, fold_label(value)):
            return value
    if not partly or len(wanted) < MIN_LABEL_PART:
        return None
    partial = [
        value for value, label in labels.items() if wanted in label.split() or label.startswith(wanted)
    ]
    return partial[0] if len(partial) == 1 else None


def read_choice(question: Question, words: str, lang: Lang) -> Reading | None:
    """One option from typed words: its label or number, else the person's own words ("ma femme",
    "je sais pas"), said back; several options the words may mean become ``alternatives``."""
    option = match_label(question, words, lang, partly=False)
    if option is not None:
        return Reading(value=stored_value(question, option))
    offered = {choice.value for choice in choices(question)}
    worded = parsing.parse_option_words(question.words_of or question.id, words, lang)
    candidates = [value for value in worded.alternatives if value in offered]
    if len(candidates) > 1:
        aged = parsing.parse_several_options(question.words_of or question.id, words, lang, question.id)
        if aged.ok and aged.value is not None and len(aged.value) == 1 and aged.value[0] in candidates:
            return _said_option(question, aged.value[0])  # "mon fils de 12 ans": a child under 18
        return Reading(error=worded.error or msg("dialogue.error.which_one"), alternatives=tuple(candidates))
    if len(candidates) == 1 or (worded.ok and worded.value in offered):
        chosen = candidates[0] if candidates else str(worded.value)
        understood = worded.understood
        if understood is not None and understood.key == "parse.understood.option":
            return _said_option(question, chosen)
        return Reading(value=stored_value(question, chosen), understood=understood)
    option = match_label(question, words, lang)
    if option is not None:  # a part of its label ("Bruxelles" for "Bruxelles-Capitale"): said back
        return _said_option(question, option)
    if question.kind in ("yes_no", "yes_no_unsure") or {"yes", "no"} <= offered:
        parsed = parsing.parse_yes_no(words, lang, allow_unsure=question.kind != "yes_no")
        if parsed.ok and parsed.value is not None and str(parsed.value) in offered:
            return Reading(value=stored_value(question, str(parsed.value)), understood=parsed.understood)
    return None


@cache
def _converted() -> frozenset[str]:
    """Questions where an amount for the other period is converted and confirmed (options.toml)."""
    return frozenset(parsing.option_facts().get("money", {}).get("convert_period", ()))


@cache
def _date_facts() -> dict[str, Any]:
    facts: dict[str, Any] = parsing.option_facts().get("dates", {})
    return facts


def _same_as(question: Question, words: str, answers: Mapping[str, Any]) -> Reading | None:
    """ "At the same time as me" at a question whose answer may be another's (the family's
    application date: the person's start date), said back; None when it is not that."""
    other = _date_facts().get("same_as", {}).get(question.id)
    if other is None or not parsing.means_same_time(words) or not answers.get(other):
        return None
    value = answers[other]
    return Reading(value=value, understood=msg("parse.understood.same_as", value_date=str(value)))


def _relation_rank(relations: str, part: str, lang: Lang) -> int | None:
    """The place in the family order of the one relation a part of the answer names, if any."""
    hits, _ = parsing.find_hits(relations, part, lang)
    names = parsing.named(hits, relations)
    if len(names) != 1:
        return None
    group = parsing.group_of(relations, names[0])
    value = str(group["values"][0]) if group else names[0]
    order = QUESTIONS[relations].option_values()
    return order.index(value) if value in order else None


def _said_option(question: Question, value: str) -> Reading:
    """An option read from words, said back with its own label."""
    key = next(choice.key for choice in choices(question) if choice.value == value)
    return Reading(
        value=stored_value(question, value), understood=msg("parse.understood.option", option_key=key)
    )


def _bounds(question: Question, today: date) -> tuple[date | None, date | None]:
    rule = question.validation
    earliest = today + timedelta(days=rule.earliest_days) if rule.earliest_days is not None else None
    latest = today + timedelta(days=rule.latest_days) if rule.latest_days is not None else None
    return earliest, latest


def _from_parsed(parsed: Any, convert: Any = lambda value: value) -> Reading:
    if parsed.alternatives:
        return Reading(
            error=parsed.error or msg("dialogue.error.which_one"),
            alternatives=tuple(convert(value) for value in parsed.alternatives),
        )
    if not parsed.ok or parsed.error is not None:
        return Reading(error=parsed.error or msg("dialogue.error.unreadable"))
    return Reading(value=convert(parsed.value), understood=parsed.understood, confirm=parsed.confirm)


def read_multi(question: Question, words: str, lang: Lang) -> Reading:
    """Several options at once: "1, 3", "employee, study" (any of , ; / + and/et/en), or named
    anywhere in a sentence ("ma femme et nos deux enfants, une fille de 15 ans"), said back."""
    parts = [part for part in _SEPARATORS.split(words.strip()) if part]
    exact = [match_label(question, part, lang, partly=False) for part in parts]
    if parts and all(value is not None for value in exact):
        return check_multi(question, list(dict.fromkeys(str(value) for value in exact)))
    sentence = _read_multi_sentence(question, words, lang)
    if sentence.ok or sentence.alternatives:
        return sentence
    values = [match_option(question, part, lang) for part in parts]
    if not parts or any(value is None for value in values):
        return Reading(error=msg("dialogue.error.choose_several"))
    reading = check_multi(question, list(dict.fromkeys(str(value) for value in values)))
    if reading.ok and isinstance(reading.value, list):
        keys = ",".join(question.option_key(value) for value in reading.value)
        return Reading(value=reading.value, understood=msg("parse.understood.options", options_keys=keys))
    return reading


def _read_multi_sentence(question: Question, words: str, lang: Lang) -> Reading:
    worded = parsing.parse_several_options(question.words_of or question.id, words, lang, question.id)
    known = set(question.option_values())
    if worded.alternatives:
        readings = [check_multi(question, list(values)) for values in worded.alternatives]
        if all(reading.ok for reading in readings):
            return Reading(
                error=worded.error or msg("dialogue.error.which_one"),
                alternatives=tuple(reading.value for reading in readings),
            )
    if not worded.ok or worded.value is None or not set(worded.value) <= known:
        return Reading(error=msg("dialogue.error.choose_several"))
    reading = check_multi(question, list(worded.value))
    return Reading(value=reading.value, understood=worded.understood) if reading.ok else reading


def check_multi(question: Question, values: list[str]) -> Reading:
    """A multi-choice answer that respects the declared minimum and exclusive options."""
    known = set(question.option_values())
    if any(value not in known for value in values):
        return Reading(error=msg("dialogue.error.choose_several"))
    if len(values) < question.validation.min_choices:
        return Reading(error=msg("dialogue.error.choose_several"))
    exclusive = [value for value in values if value in question.exclusive]
    if exclusive and len(values) > 1:
        return Reading(value=[exclusive[0]])
    return Reading(value=[value for value in question.option_values() if value in values])


def read_text(
    question: Question, words: str, lang: Lang, today: date, answers: Mapping[str, Any] | None = None
) -> Reading:
    """The value typed for ``question``, or the error to show (with an example) and re-ask; a
    question's own ``check`` (given the ``answers`` so far) may still refuse a well-read value."""
    reading = _same_as(question, words, answers or {}) or _read(question, words, lang, today)
    if reading.ok and question.check is not None:
        error = question.check(reading.value, answers or {})
        if error is not None:
            return Reading(error=error)
    return reading


def _read(question: Question, words: str, lang: Lang, today: date) -> Reading:
    kind = question.kind
    if kind == "multi_choice":
        return read_multi(question, words, lang)
    if kind in ("yes_no", "yes_no_unsure", "choice") or question.skip:
        chosen = read_choice(question, words, lang)
        if chosen is not None:
            return chosen
        if kind in ("yes_no", "yes_no_unsure", "choice"):
            return Reading(error=msg("dialogue.error.choose"))
    rule = question.validation
    if kind == "date":
        earliest, latest = _bounds(question, today)
        return _from_parsed(
            parsing.parse_date(
                words,
                lang,
                earliest=earliest,
                latest=latest,
                today=today,
                asap=rule.asap,
                day_optional=rule.day_optional or question.id in _date_facts().get("month_allowed", ()),
            ),
            lambda day: day.isoformat(),
        )
    if kind == "dates":
        earliest, latest = _bounds(question, today)
        relations = _date_facts().get("by_relation", {}).get(question.id)
        rank = (lambda part: _relation_rank(relations, part, lang)) if relations else None
        return _from_parsed(
            parsing.parse_dates(words, lang, earliest=earliest, latest=latest, today=today, rank=rank),
            lambda days: [day.isoformat() for day in days],
        )
    if kind == "money":
        money = parsing.parse_money(
            words,
            lang,
            period=rule.period,
            minimum=rule.minimum if rule.minimum is not None else 0,
            maximum=rule.maximum if rule.maximum is not None else 100_000_000,
            other_period="confirm" if rule.convert_period or question.id in _converted() else "refuse",
        )
        if not money.ok or money.value is None:
            return Reading(error=money.error or msg("dialogue.error.unreadable"))
        if money.confirm is not None:
            return Reading(
                value=float(money.value.amount), understood=money.understood, confirm=money.confirm
            )
        if rule.period and money.value.period not in (None, rule.period):  # the parser refuses it too
            return Reading(error=msg(f"dialogue.error.period_{rule.period}"))
        return Reading(value=float(money.value.amount), understood=money.understood)
    if kind == "number":
        return _from_parsed(
            parsing.parse_number(
                words, lang, minimum=rule.minimum or 0, maximum=rule.maximum or 1e9, unit=rule.unit
            ),
            float,
        )
    if kind == "integer":
        return _from_parsed(
            parsing.parse_int(
                words,
                lang,
                minimum=int(rule.minimum or 0),
                maximum=int(rule.maximum or 10**9),
                unit=rule.unit,
                vocabulary=rule.vocabulary,
            ),
            int,
        )
    if kind == "postcode":
        return _from_parsed(parsing.parse_postcode(words, lang))
    if kind == "country":
        return _from_parsed(parsing.parse_country(words, lang))
    if kind == "countries":
        return _from_parsed(parsing.parse_countries(words, lang), list)
    if kind == "academic_year":
        return _from_parsed(parsing.parse_academic_year(words, lang))
    cleaned = " ".join(words.split())
    if not cleaned or len(cleaned) > 200:
        return Reading(error=msg("dialogue.error.text_length", maximum=200))
    return Reading(value=cleaned)
