"""The engine's public API (issue 11): one definition of the facts the dialogue, the store and the
channels share with the rules, importable from ``bot.engine``."""

from __future__ import annotations

from typing import get_args

import pytest

import bot.engine as engine
from bot.engine import (
    CARD_CLASS,
    CARD_GROUP,
    EU_FAMILY_CARDS,
    LIMITED_STAY_CARDS,
    ROUTE_CODES,
    SALARY_FIELD,
    SALARY_PERIOD,
    UNLIMITED_STAY_CARDS,
    CardType,
    Lang,
    RouteCode,
    region_from,
)


def test_every_public_name_exists() -> None:
    assert engine.__all__, "bot.engine declares its public names"
    for name in engine.__all__:
        assert hasattr(engine, name), name


def test_languages_are_defined_once_in_the_engine() -> None:
    from bot.i18n import Lang as I18nLang

    assert I18nLang is Lang
    assert get_args(Lang) == ("fr", "nl", "en")


@pytest.mark.parametrize(
    ("region", "postcode", "expected"),
    [
        ("BXL", "9000", "BXL"),  # the region given wins over the postcode
        (None, "9000", "FL"),
        ("", 4700, "DG"),  # an empty region and a numeric postcode (as stored)
        (None, " 5000 ", "WAL"),
        ("XX", "1000", "BXL"),  # an unknown region is ignored
        (None, None, None),
        (None, "", None),
    ],
)
def test_region_given_else_from_the_postcode(
    region: str | None, postcode: str | int | None, expected: str
) -> None:
    assert region_from(region, postcode) == expected


def test_salary_period_by_region() -> None:
    assert SALARY_PERIOD == {"BXL": "month", "FL": "year", "WAL": "year"}
    assert SALARY_FIELD == {"month": "salary_month_base", "year": "salary_year"}


def test_card_groupings() -> None:
    assert set(CARD_GROUP) == set(get_args(CardType)), "every card type has a group"
    assert {"B", "C", "D", "K", "L"} == UNLIMITED_STAY_CARDS
    assert {"F", "F+"} == EU_FAMILY_CARDS
    assert {
        "A-student",
        "A-researcher",
        "A-single-permit",
        "A-search-year",
        "A-family-reunification",
        "H-Blue-Card",
    } == LIMITED_STAY_CARDS
    assert {card for card, kind in CARD_CLASS.items() if kind == "free"} == {
        "B", "C", "D", "K", "L", "EU", "EU+", "F", "F+"
    }  # fmt: skip
    assert CARD_CLASS["H-Blue-Card"] == "limited_work"


def test_route_codes_listed_once_in_preference_order() -> None:
    assert get_args(RouteCode) == ROUTE_CODES
    assert ROUTE_CODES.index("UNLIMITED") < ROUTE_CODES.index("BLUE_CARD") < ROUTE_CODES.index("HQ")
    assert ROUTE_CODES[-1] == "NO_ROUTE"
