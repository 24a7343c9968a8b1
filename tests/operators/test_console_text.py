"""The console's wording helpers: plurals by Babel's rules, labels for codes, audit details, source
titles and the log-in page's language."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from bot.i18n import LANGS, catalog, plural, plural_category
from bot.operators.labels import (
    audit_detail,
    confidence_label,
    plain_title,
    rule_set_label,
    value_label,
    worded_error,
)
from bot.operators.web import browser_lang


@pytest.mark.parametrize(
    ("lang", "count", "category", "wording"),
    [
        ("fr", 0, "one", "0 résultat"),
        ("fr", 1, "one", "1 résultat"),
        ("fr", 2, "other", "2 résultats"),
        ("fr", 1_000_000, "many", "1\u202f000\u202f000 résultats"),  # no 'many' form: the 'other' one
        ("nl", 0, "other", "0 resultaten"),
        ("nl", 1, "one", "1 resultaat"),
        ("en", 1, "one", "1 result"),
        ("en", 0, "other", "0 results"),
        ("en", 1500, "other", "1,500 results"),
    ],
)
def test_counts_follow_each_languages_plural_rules(
    lang: str, count: int, category: str, wording: str
) -> None:
    assert plural_category(count, lang) == category  # type: ignore[arg-type]
    assert plural(lang, "console.found", count) == wording  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
def test_every_plural_message_has_its_other_form(lang: str) -> None:
    messages = catalog(lang)  # type: ignore[arg-type]
    plurals = {key.rsplit(".", 1)[0] for key in messages if key.endswith((".one", ".many", ".few"))}
    assert plurals and [key for key in plurals if f"{key}.other" not in messages] == []
    console = [m for key, m in messages.items() if key.startswith("console.")]
    assert [m for m in console if "(s)" in m or "(en)" in m] == []  # no hand-made plural left


def test_audit_details_are_worded_in_the_operators_language() -> None:
    assert audit_detail("csv, 4 rows, no filter", "fr") == "CSV, 4 lignes, sans filtre"
    assert audit_detail("json, 1 rows, route=BLUE_CARD, region=BXL", "nl") == (
        "JSON, 1 rij, Route: Europese blauwe kaart, Gewest: Brussels Hoofdstedelijk Gewest"
    )
    assert audit_detail("search=(5 characters), page=2", "en") == "search: 5 characters, page: 2"
    assert audit_detail("alice: 1 sessions", "fr") == "alice: 1 session"
    assert audit_detail("failure 3", "fr") == "échec n° 3" and audit_detail("contacted", "fr") == "Contacté"
    assert audit_detail("bob (admin)", "nl") == "bob (beheerder)"
    assert audit_detail("something new", "fr") == "something new"  # unknown: as written (and in the tooltip)


def test_codes_and_values_get_words() -> None:
    assert rule_set_label("NEW", "fr") == "nouvelles règles"
    assert confidence_label("H (2025) / M (2026)", "nl") == "hoog (2025) / middel (2026)"
    assert value_label("salary_month_base", 5200, "fr") == "5\u202f200,00\xa0€"
    assert value_label("housing_ok", "unsure", "fr") == "incertain"
    assert value_label("member_dob", "1990-03-01", "fr") == "1er mars 1990"
    assert value_label("region", "WAL", "nl") == "Wallonië"


def test_source_titles_lose_their_markdown() -> None:
    assert plain_title("DG page — **undated** `HQ` [grid](https://x.be)") == "DG page — undated HQ grid"
    assert plain_title("## Fee per person") == "Fee per person"


def _request(query: str = "", accept: str | None = None) -> Request:
    headers = [(b"accept-language", accept.encode())] if accept is not None else []
    return Request({"type": "http", "query_string": query.encode(), "headers": headers})


@pytest.mark.parametrize(
    ("accept", "query", "lang"),
    [
        ("fr-BE,fr;q=0.9,en;q=0.5", "", "fr"),
        ("en;q=0.3, nl-BE;q=0.9", "", "nl"),
        ("de-DE, fr;q=0.5", "", "fr"),
        ("de-DE", "", "en"),
        ("fr;q=0", "", "en"),
        ("*", "", "en"),
        ("fr;q=bogus, nl", "", "nl"),
        (None, "", "en"),
        ("fr-BE", "ui=nl", "nl"),  # the FR/NL/EN links win over the browser
    ],
)
def test_the_log_in_page_follows_the_browsers_language(accept: str | None, query: str, lang: str) -> None:
    assert browser_lang(_request(query, accept)) == lang


def test_a_refused_filter_is_named_as_the_page_names_it() -> None:
    assert worded_error("fr", "console.error.date", {"name": "since", "value": "2026-13-01"}) == (
        "Active du : une date écrite AAAA-MM-JJ, pas « 2026-13-01 »."
    )
    refused = worded_error(
        "nl", "console.error.choice", {"name": "region", "value": "X", "choices": "BXL, FL"}
    )
    assert refused == "Gewest: “X” is niet een van Brussels Hoofdstedelijk Gewest, Vlaanderen."
