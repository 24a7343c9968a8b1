"""Properties of the answer parsers: they never raise, errors are complete locale messages, and
values formatted by bot.i18n in every language parse back to themselves."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.i18n import LANGS, Lang, catalog, long_date, money, number, render
from flows.parsing import (
    MoneyAmount,
    Parsed,
    parse_academic_year,
    parse_countries,
    parse_country,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_option_words,
    parse_postcode,
    parse_yes_no,
)
from flows.parsing.common import Unit, words
from flows.parsing.countries import country_key, country_name, known_codes, name_index
from flows.parsing.dates import numeric_example
from flows.parsing.numbers import number_words
from flows.questions import QUESTIONS

PARSERS: dict[str, Callable[[str, Lang], Parsed[Any]]] = {
    "money": lambda text, lang: parse_money(text, lang),
    "money_month": lambda text, lang: parse_money(text, lang, period="month", minimum=100, maximum=50_000),
    "date": lambda text, lang: parse_date(text, lang),
    "date_bounded": lambda text, lang: parse_date(
        text, lang, earliest=date(2025, 8, 18), latest=date(2027, 8, 18)
    ),
    "postcode": parse_postcode,
    "country": parse_country,
    "countries": parse_countries,
    "int": lambda text, lang: parse_int(text, lang, minimum=0, maximum=20),
    "number": lambda text, lang: parse_number(text, lang, minimum=0, maximum=60),
    "yes_no": lambda text, lang: parse_yes_no(text, lang),
    "yes_no_unsure": lambda text, lang: parse_yes_no(text, lang, allow_unsure=True),
    "academic_year": parse_academic_year,
}

ANY_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.text(alphabet="0123456789 .,'/-€k½", max_size=30),
    st.text(alphabet=st.sampled_from(["\x00", "\n", "\t", "\u202f", "\xa0", "🙂", "👍", "€", "é", "1", "a"])),
    st.text(min_size=4_500, max_size=5_000),
    st.just("9" * 5_000),
    st.just("1 " * 2_500),
    st.just("et " * 1_700),
)
ALL_KEYS = [set(catalog(lang)) for lang in LANGS]


def _check(result: Parsed[Any]) -> None:
    assert (result.value is None) != (result.error is None)
    assert result.ok == (result.error is None)
    if result.error is not None:
        assert result.error.key.startswith("parse.")
        for keys in ALL_KEYS:
            assert result.error.key in keys
        for lang in LANGS:
            rendered = render(result.error, lang)
            assert rendered and result.error.key not in rendered
        assert any(name.startswith("example") for name in result.error.params)


@pytest.mark.parametrize("kind", sorted(PARSERS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed=ANY_TEXT, lang=st.sampled_from(LANGS))
def test_any_text_gives_a_value_or_a_complete_error(kind: str, typed: str, lang: Lang) -> None:
    _check(PARSERS[kind](typed, lang))


AMOUNTS = st.integers(min_value=0, max_value=999_999_999).map(lambda cents: cents / 100)


@settings(max_examples=200, deadline=None)
@given(amount=AMOUNTS, lang=st.sampled_from(LANGS))
def test_money_formatted_by_i18n_parses_back(amount: float, lang: Lang) -> None:
    result = parse_money(money(amount, lang), lang)
    assert result.value == MoneyAmount(amount=amount, period=None)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), lang=st.sampled_from(LANGS))
def test_dates_formatted_by_i18n_parse_back(day: date, lang: Lang) -> None:
    assert parse_date(long_date(day, lang), lang).value == day
    assert parse_date(numeric_example(day), lang).value == day
    assert parse_date(day.isoformat(), lang).value == day


@settings(max_examples=200, deadline=None)
@given(
    value=st.integers(min_value=0, max_value=999_999_999).map(lambda thousandths: thousandths / 1000),
    lang=st.sampled_from(LANGS),
)
def test_numbers_formatted_by_i18n_parse_back(value: float, lang: Lang) -> None:
    result = parse_number(number(value, lang), lang, minimum=0, maximum=1_000_000)
    assert result.value == pytest.approx(value)


@settings(max_examples=200, deadline=None)
@given(postcode=st.integers(min_value=1000, max_value=9999), lang=st.sampled_from(LANGS))
def test_every_postcode_in_range_is_accepted(postcode: int, lang: Lang) -> None:
    assert parse_postcode(str(postcode), lang).value == str(postcode)


@settings(max_examples=200, deadline=None)
@given(start=st.integers(min_value=2000, max_value=2098), lang=st.sampled_from(LANGS))
def test_academic_years_in_every_spelling(start: int, lang: Lang) -> None:
    expected = f"{start}-{start + 1}"
    short = f"{start % 100:02d}-{(start + 1) % 100:02d}"
    for typed in (expected, f"{start}/{(start + 1) % 100:02d}", short):
        assert parse_academic_year(typed, lang).value == expected


@pytest.mark.parametrize("lang", LANGS)
def test_every_country_name_in_every_language_parses_back(lang: Lang) -> None:
    failures = {}
    for code in sorted(known_codes()):
        name = country_name(code, lang)
        result = parse_country(name, lang)
        shared = len(name_index().get(country_key(name), frozenset())) > 1  # 'Saint-Martin': MF or SX
        if result.value != code and not (shared and result.error and result.error.key.endswith("ambiguous")):
            failures[code] = name
    assert failures == {}


def _no_digit(char: str) -> bool:
    return unicodedata.numeric(char, None) is None and not unicodedata.normalize("NFKD", char).isdigit()


WORDS_WITHOUT_DIGITS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8").filter(_no_digit), max_size=60),
    st.lists(
        st.sampled_from(
            ["environ", "about", "ongeveer", "mois", "months", "maanden", "ans", "years", "jaar", "a", "an",
             "par", "per", "€", "euro", "k", "CDD", "contrat", "contract", "et", "and", "en", "demi", "half",
             "alert(", ")", "<img>", "🙂", "-", ",", ".", "/", "%", "plus", "de", "the", "de", "hour"]
        ),
        max_size=8,
    ).map(" ".join),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(typed=WORDS_WITHOUT_DIGITS, lang=st.sampled_from(LANGS), unit=st.sampled_from([None, *get_args(Unit)]))
def test_no_digit_and_no_number_word_never_gives_a_number(typed: str, lang: Lang, unit: Unit | None) -> None:
    assume(not number_words(lang) & set(words(typed).split()))
    assert not parse_int(typed, lang, minimum=-(10**9), maximum=10**9, unit=unit).ok
    assert not parse_number(typed, lang, minimum=-1e9, maximum=1e9, unit=unit).ok
    assert not parse_money(typed, lang).ok
    assert not parse_money(typed, lang, period="month", minimum=0, other_period="confirm").ok


OPTION_QUESTIONS = sorted(
    {"member_relation", "qualification", "employer_type", "current_location", "shortage_fl"}
)


@settings(max_examples=150, deadline=None)
@given(typed=ANY_TEXT, lang=st.sampled_from(LANGS), question_id=st.sampled_from(OPTION_QUESTIONS))
def test_option_words_give_an_option_a_choice_or_an_error(typed: str, lang: Lang, question_id: str) -> None:
    result = parse_option_words(question_id, typed, lang)
    options = set(QUESTIONS[question_id].option_values())
    assert (result.value is None) != (result.error is None)
    assert result.value is None or result.value in options
    assert set(result.alternatives) <= options
    assert result.error is None or all(result.error.key in keys for keys in ALL_KEYS)


@pytest.mark.parametrize("lang", LANGS)
def test_a_year_alone_at_the_academic_year_asks_with_an_example(lang: Lang) -> None:
    """'2001' may be 2000-2001 or 2001-2002: the question names both and gives an example."""
    result = parse_academic_year("2001", lang)
    _check(result)
    assert result.alternatives == ("2000-2001", "2001-2002")
