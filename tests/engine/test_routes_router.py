"""Top-level router (rules.md §2.2, R0-1…R0-12): which block of routes each situation opens,
missing answers and the order of routes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.engine import Answers, assess
from tests.engine.route_cases import (
    D2025,
    D2026,
    TCN_WORKER,
    RouteCase,
    check_rule,
    codes,
    run,
    worker,
)

CASES: list[RouteCase] = [
    RouteCase(
        name="R0-1",
        on=D2026,
        answers={"nationalities": ["BE", "MA"], "purposes": ["employee"]},
        code="BELGIAN",
        rule="R0-1",
        status="eligible",
    ),
    RouteCase(
        name="R0-2",
        on=D2026,
        answers={"nationalities": ["PL"], "purposes": ["employee"]},
        code="EU_REG",
        rule="R0-2",
        status="eligible",
    ),
    RouteCase(
        name="R0-3",
        on=D2026,
        answers={"nationalities": ["MA"], "card_type": "C", "purposes": ["employee"]},
        code="UNLIMITED_STAY",
        rule="R0-3",
        status="eligible",
    ),
    RouteCase(
        name="R0-4",
        on=D2026,
        answers={"nationalities": ["MA"], "card_type": "A-search-year", "purposes": []},
        code="SEARCH_YEAR_WORK",
        rule="R0-4",
        status="eligible",
    ),
    RouteCase(
        name="R0-5",
        on=D2026,
        answers={"nationalities": ["MA"], "card_type": "A-family-reunification", "purposes": []},
        code="NO_ROUTE",
        rule="R0-5",
        status="review",
    ),
    RouteCase(
        name="R0-12",
        on=D2026,
        answers={"nationalities": ["US"], "purposes": ["join_family"]},
        code="NO_ROUTE",
        rule="R0-12",
        status="review",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rule(case: RouteCase) -> None:
    check_rule(case)


def test_search_year_holder_also_gets_the_employee_routes_r0_4() -> None:
    result = worker(D2026, card_type="A-search-year", region="BXL", salary_month_base=4000.0)
    assert [r.code for r in result.routes][:2] == ["SEARCH_YEAR_WORK", "HQ"]


def test_several_purposes_give_routes_of_every_block() -> None:
    result = worker(
        D2025,
        purposes=["employee", "study"],
        region="BXL",
        salary_month_base=4000.0,
        study_admitted=True,
        academic_year="2025-2026",
        means_month=850.0,
    )
    assert {"HQ", "STUDENT"} <= codes(result)
    assert result.route_code == "HQ", "employee routes come before the other purposes"


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"nationalities": ["IN"], "purposes": ["employee"]}, {"work_postcode"}),
        (
            {"nationalities": ["IN"], "purposes": ["employee"], "region": "BXL"},
            {"salary_month_base", "qualification", "employer_type", "contract_months"},
        ),
        ({**TCN_WORKER, "region": "FL", "salary_year": None}, {"salary_year"}),
        ({"nationalities": ["IN"]}, {"purposes"}),
        ({"purposes": ["study"]}, {"nationalities", "study_admitted", "means_month", "academic_year"}),
        (
            {"nationalities": ["IN"], "purposes": ["long_term_status"], "region": "FL"},
            {"legal_residence_since", "years_worked_be", "net_income_month", "dependants", "insurance_ok"},
        ),
    ],
)
def test_missing_fields_are_listed(fields: dict[str, Any], missing: set[str]) -> None:
    result = run(D2025, **fields)
    assert missing <= set(result.missing)


def test_no_route_first_when_nothing_holds() -> None:
    result = worker(D2025, region="FL", qualification="vocational_level_2", salary_year=30000.0)
    assert (result.routes[0].code, result.routes[0].rule) == ("NO_ROUTE", "FL-NONE")


def test_order_eligible_review_not_met_and_e4_preference() -> None:
    result = worker(
        D2026, region="BXL", salary_month_base=7000.0, special=["executive_director"], contract_months=3
    )
    assert [(r.code, r.status) for r in result.routes] == [
        ("HQ", "eligible"),
        ("EXEC", "review"),
        ("BLUE_CARD", "not_met"),
    ]


def test_family_card_holder_wanting_to_work_is_not_asked_for_salary_facts() -> None:
    """R0-5: work is allowed through the family card (review of its labour-market mention)."""
    result = assess(
        Answers(
            nationalities=["MA"],
            current_location="belgium",
            card_type="A-family-reunification",
            purposes=["employee"],
            work_postcode="1000",
        ),
        on=date(2026, 11, 23),
    )
    assert result.routes[0].rule == "R0-5"
    assert not {"salary_month_base", "salary_year", "employer_type", "qualification"} & set(result.missing)
