"""Every message exists in French, Dutch and English with the same placeholders."""

from __future__ import annotations

import pytest

from bot.i18n import LANGS, catalog, placeholders, text


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_same_keys_as_english(lang: str) -> None:
    english = set(catalog("en"))
    other = set(catalog(lang))  # type: ignore[arg-type]
    assert sorted(english - other) == [], f"missing in {lang}"
    assert sorted(other - english) == [], f"only in {lang}"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_same_placeholders_as_english(lang: str) -> None:
    english = catalog("en")
    other = catalog(lang)  # type: ignore[arg-type]
    differing = {
        key: (placeholders(english[key]), placeholders(other[key]))
        for key in english.keys() & other.keys()
        if placeholders(english[key]) != placeholders(other[key])
    }
    assert differing == {}


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_message(lang: str) -> None:
    assert [key for key, value in catalog(lang).items() if not value.strip()] == []


def test_unknown_key_falls_back_to_the_key_itself() -> None:
    assert text("fr", "no.such.key") == "no.such.key"


def test_money_and_dates_follow_the_locale() -> None:
    assert (
        text("fr", "outcome.income_required", required_eur=2323.08)
        == "Revenu net mensuel exigé : 2\u202f323,08\xa0€."
    )
    assert (
        text("nl", "outcome.income_required", required_eur=2323.08)
        == "Vereist netto maandinkomen: €\xa02.323,08."
    )
    assert text("en", "outcome.eligible_from", from_date="2025-08-18") == "(from 18 August 2025)"
    assert text("fr", "outcome.eligible_from", from_date="2025-08-18") == "(à partir du 18 août 2025)"
    assert text("fr", "outcome.eligible_from", from_date="2026-03-01") == "(à partir du 1er mars 2026)"
    assert text("nl", "outcome.eligible_from", from_date="2026-03-01") == "(vanaf 1 maart 2026)"


def test_country_codes_are_shown_as_names_in_each_language() -> None:
    assert text("en", "dialogue.value.countries", value_countries="IN,MA") == "India, Morocco"
    assert text("fr", "dialogue.value.countries", value_countries="IN,MA") == "Inde, Maroc"
    assert text("nl", "dialogue.value.countries", value_countries="XK") == "Kosovo"
