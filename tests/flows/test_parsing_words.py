"""The word lists (flows/data/words.<lang>.toml, options.toml) and the messages the parsers build:
the lists name real questions and options, and what is said back reads well in each language."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import LANGS, Lang, catalog, render, text
from flows.parsing import parse_date, parse_int, parse_money, parse_number, parse_option_words
from flows.parsing.wordlists import option_facts, section, word_files
from flows.questions import QUESTIONS

TODAY = date(2026, 6, 15)


def test_every_interface_language_has_a_word_list() -> None:
    assert set(LANGS) <= set(word_files())


@pytest.mark.parametrize("lang", sorted(word_files()))
def test_option_words_name_real_questions_and_options(lang: str) -> None:
    groups = option_facts()["groups"]
    for question_id, lists in section(lang, "options").items():
        if not isinstance(lists, dict):
            continue
        options = set(QUESTIONS[question_id].option_values())
        weak = option_facts().get("weak", {}).get(question_id, {})
        assert set(weak.values()) <= options
        unknown = set(lists) - options - set(groups.get(question_id, {})) - set(weak)
        assert unknown == set(), f"{lang}: {question_id}"


def test_option_words_are_lists_of_phrases_without_lookalikes() -> None:
    """Every list is a list of words; no phrase stands for two options of one question in a language
    (it would always be asked back), except through a group."""
    for lang in word_files():
        for question_id, lists in section(lang, "options").items():
            if not isinstance(lists, dict):
                continue
            seen: dict[str, str] = {}
            for name, phrases in lists.items():
                assert isinstance(phrases, list), f"{lang}: {question_id}.{name}"
                for phrase in phrases:
                    key = " ".join(phrase.casefold().split())
                    assert seen.setdefault(key, name) == name, f"{lang}: {question_id}: {phrase!r}"


def test_groups_dont_know_and_place_options_exist() -> None:
    facts = option_facts()
    for question_id, groups in facts["groups"].items():
        for group in groups.values():
            assert set(group["values"]) <= set(QUESTIONS[question_id].option_values())
            assert all(group["ask"] in catalog(lang) for lang in LANGS)
    for question_id, option in facts["dont_know"].items():
        assert option in QUESTIONS[question_id].option_values()
    for question_id, options in facts["place"].items():
        assert set(options.values()) <= set(QUESTIONS[question_id].option_values())


def test_every_dont_know_option_is_listed() -> None:
    with_one = {qid for qid, q in QUESTIONS.items() if {"unknown", "unsure"} & set(q.option_values())}
    assert with_one == set(option_facts()["dont_know"])


@pytest.mark.parametrize(
    ("lang", "typed", "said"),
    [
        ("fr", "un an", "Compris : 12 mois."),
        ("nl", "een jaar", "Begrepen: 12 maanden."),
        ("en", "a year", "Understood: 12 months."),
        ("en", "a month", "Understood: 1 month."),
        ("fr", "CDI", "Compris : contrat à durée indéterminée."),
        ("nl", "onbepaalde duur", "Begrepen: contract van onbepaalde duur."),
    ],
)
def test_a_value_read_from_words_is_said_back(lang: Lang, typed: str, said: str) -> None:
    result = parse_int(typed, lang, minimum=0, maximum=600, unit="months", vocabulary="contract_duration")
    assert result.understood is not None and render(result.understood, lang) == said


def test_a_converted_duration_is_said_back_with_the_right_plural() -> None:
    result = parse_number("18 mois", "fr", minimum=0, maximum=70, unit="years")
    assert result.understood is not None and render(result.understood, "fr") == "Compris : 1,5 an."
    result = parse_number("18 months", "en", minimum=0, maximum=70, unit="years")
    assert result.understood is not None and render(result.understood, "en") == "Understood: 1.5 years."


def test_a_yearly_amount_at_a_monthly_question_is_converted_and_confirmed() -> None:
    result = parse_money("12 000 € pour l'année", "fr", period="month", other_period="confirm")
    assert result.value is not None and result.value.amount == 1000 and result.value.period == "month"
    assert result.confirm is not None
    assert render(result.confirm, "fr").startswith(
        "12\u202f000,00\xa0€ par an, soit 1\u202f000,00\xa0€ par mois ?"
    )


def test_a_converted_amount_must_still_be_plausible() -> None:
    result = parse_money("1 000 par an", "fr", period="month", minimum=100, other_period="confirm")
    assert result.error is not None and result.error.key == "parse.money.implausible"


def test_asap_is_today_and_said_back_with_the_date() -> None:
    result = parse_date("dès que possible", "fr", today=TODAY, asap=True)
    assert result.value == TODAY
    assert result.understood is not None
    assert render(result.understood, "fr") == "Compris : dès que possible, donc aujourd'hui, le 15 juin 2026."
    assert not parse_date("dès que possible", "fr", today=TODAY).ok


def test_a_month_alone_is_the_first_when_the_day_does_not_matter() -> None:
    result = parse_date("maart 2020", "nl", today=TODAY, day_optional=True)
    assert result.value == date(2020, 3, 1)
    assert result.understood is not None and "1 maart 2020" in render(result.understood, "nl")
    missing = parse_date("maart 2020", "nl", today=TODAY)
    assert missing.error is not None and missing.error.key == "parse.date.which_day"
    assert "maart 2020" in render(missing.error, "nl") and "15/03/2020" in render(missing.error, "nl")


def _example(**bounds: date) -> date:
    error = parse_date("n'importe quoi", "fr", today=TODAY, **bounds).error
    assert error is not None
    day, month, year = (int(part) for part in str(error.params["example"]).split("/"))
    return date(year, month, day)


def test_examples_fit_the_question() -> None:
    start = _example(earliest=date(2024, 6, 15), latest=date(2031, 6, 15))
    assert TODAY < start < date(2027, 1, 1), "a start date gets a future example"
    birth = _example(earliest=date(1926, 6, 15), latest=date(2011, 6, 15))
    assert birth <= date(2011, 6, 15), "a birth date gets an adult's"
    past = _example(earliest=date(1906, 6, 15), latest=TODAY)
    assert date(2020, 1, 1) < past < TODAY, "a past date gets a recent past example"


def test_a_date_after_the_limit_is_too_late_not_impossible() -> None:
    latest = date(2036, 6, 15)
    for typed in ("30/06/2037", "30/06/2200", "1 janvier 3000"):
        error = parse_date(typed, "fr", earliest=date(2025, 6, 15), latest=latest, today=TODAY).error
        assert error is not None and error.key == "parse.date.too_late", typed
    error = parse_date("31/02/2027", "fr", earliest=date(2025, 6, 15), latest=latest, today=TODAY).error
    assert error is not None and error.key == "parse.date.impossible"


@pytest.mark.parametrize("lang", LANGS)
def test_contract_errors_give_an_example_in_months(lang: Lang) -> None:
    for typed in ("CDD", "un contrat", "CDI 6 mois"):
        error = parse_int(
            typed, lang, minimum=0, maximum=600, unit="months", vocabulary="contract_duration"
        ).error
        assert error is not None
        rendered = render(error, lang)
        assert rendered.endswith(text(lang, "parse.unit.months.other")), rendered


def test_ambiguous_relation_asks_once_which_one() -> None:
    result = parse_option_words("member_relation", "ma copine", "fr")
    assert result.value is None and len(result.alternatives) == 3
    assert result.error is not None and "enregistrés" in render(result.error, "fr")


def test_words_of_another_language_are_read_when_the_own_gives_nothing() -> None:
    assert parse_option_words("member_relation", "my wife", "fr").value == "spouse"
    assert parse_option_words("qualification", "master", "nl").value == "higher_ed_3y_plus"


@pytest.mark.parametrize(
    ("typed", "unit", "key"),
    [
        ("2 ou 3", "count", "parse.int.several"),
        ("3 (trois)", "count", "parse.int.several"),
        ("12 ou 24 mois", "months", "parse.months.several"),
        ("CDI, 6 mois d'essai", "months", "parse.contract_duration.unclear"),
        ("3 mois", "count", "parse.int.wrong_unit"),
        ("3 fois", "months", "parse.months.wrong_unit"),
        ("javascript:alert(3)", "months", "parse.contract_duration.invalid"),
    ],
)
def test_a_refused_number_says_why(typed: str, unit: str, key: str) -> None:
    vocabulary = "contract_duration" if unit == "months" else None
    error = parse_int(typed, "fr", minimum=0, maximum=600, unit=unit, vocabulary=vocabulary).error  # type: ignore[arg-type]
    assert error is not None and error.key == key


def test_several_amounts_are_named_as_such() -> None:
    error = parse_money("3 000 ou 3 500 €", "fr", period="month").error
    assert error is not None and error.key == "parse.money.several"
