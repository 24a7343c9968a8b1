"""Routes of the other purposes (rules.md §2.8–2.11): self-employed, student, researcher and search year."""

from __future__ import annotations

import pytest

from tests.engine.route_cases import (
    D2025,
    D2026,
    SEARCH,
    STUDENT_2025,
    RouteCase,
    check_rule,
    reviews,
    route,
    run,
)

CASES: list[RouteCase] = [
    RouteCase(
        name="R0-7/SE-1",
        on=D2026,
        answers={
            "nationalities": ["US"],
            "purposes": ["self_employed"],
            "se_region": "FL",
            "se_access_ok": "yes",
        },
        code="PROFESSIONAL_CARD",
        rule="SE-1",
        status="eligible",
    ),
    RouteCase(
        name="SE-1-access-unsure",
        on=D2026,
        answers={
            "nationalities": ["US"],
            "purposes": ["self_employed"],
            "se_region": "FL",
            "se_access_ok": "unsure",
        },
        code="PROFESSIONAL_CARD",
        rule="SE-1",
        status="review",
    ),
    RouteCase(
        name="SE-EX",
        on=D2026,
        answers={
            "nationalities": ["US"],
            "card_type": "F",
            "purposes": ["self_employed"],
            "se_region": "BXL",
        },
        code="PROFESSIONAL_CARD",
        rule="SE-EX",
        status="review",
    ),
    RouteCase(
        name="R0-8/ST-1",
        on=D2025,
        answers=STUDENT_2025,
        code="STUDENT",
        rule="ST-1",
        status="eligible",
    ),
    RouteCase(
        name="ST-1-2026-2027",
        on=D2026,
        answers={**STUDENT_2025, "academic_year": "2026-2027", "means_month": 1062.0},
        code="STUDENT",
        rule="ST-1",
        status="eligible",
    ),
    RouteCase(
        name="ST-2",
        on=D2026,
        answers={**STUDENT_2025, "academic_year": "2027-2028"},
        code="STUDENT",
        rule="ST-2",
        status="review",
    ),
    RouteCase(
        name="R0-9/RS-1",
        on=D2026,
        answers={"nationalities": ["BR"], "purposes": ["research"], "hosting_agreement": True},
        code="RESEARCHER",
        rule="RS-1",
        status="eligible",
    ),
    RouteCase(
        name="RS-2",
        on=D2026,
        answers={
            "nationalities": ["BR"],
            "purposes": ["research"],
            "hosting_agreement": False,
            "postdoc": True,
        },
        code="RESEARCHER",
        rule="RS-2",
        status="review",
    ),
    RouteCase(
        name="R0-10/SY-1",
        on=D2026,
        answers={**SEARCH, "application_date": "2026-08-20"},
        code="SEARCH_YEAR",
        rule="SY-1",
        status="eligible",
    ),
    RouteCase(
        name="SY-2",
        on=D2026,
        answers={
            **SEARCH,
            "card_type": "A-researcher",
            "graduated_be": None,
            "application_date": "2026-08-20",
        },
        code="SEARCH_YEAR",
        rule="SY-2",
        status="eligible",
    ),
    RouteCase(
        name="SY-3",
        on=D2026,
        answers={
            **SEARCH,
            "graduated_be": False,
            "mobility_programme": True,
            "graduation_date": "2026-05-20",
            "application_date": "2026-07-01",
        },
        code="SEARCH_YEAR",
        rule="SY-3",
        status="eligible",
    ),
    RouteCase(
        name="SY-3-late",
        on=D2026,
        answers={
            **SEARCH,
            "graduated_be": False,
            "mobility_programme": True,
            "graduation_date": "2026-01-20",
            "application_date": "2026-07-01",
        },
        code="SEARCH_YEAR",
        rule="SY-3",
        status="not_met",
    ),
    RouteCase(
        name="SY-4",
        on=D2026,
        answers={**SEARCH, "application_date": "2026-10-25"},
        code="SEARCH_YEAR",
        rule="SY-4",
        status="review",
    ),
    RouteCase(
        name="SY-4-expired",
        on=D2026,
        answers={**SEARCH, "application_date": "2026-11-02"},
        code="SEARCH_YEAR",
        rule="SY-4",
        status="not_met",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rule(case: RouteCase) -> None:
    check_rule(case)


@pytest.mark.parametrize(
    ("means", "academic_year", "status"),
    [
        (802.99, "2024-2025", "not_met"),
        (803.00, "2024-2025", "eligible"),
        (803.01, "2024-2025", "eligible"),
        (834.99, "2025-2026", "not_met"),
        (835.00, "2025-2026", "eligible"),
        (835.01, "2025-2026", "eligible"),
        (1061.99, "2026-2027", "not_met"),
        (1062.00, "2026-2027", "eligible"),
        (1062.01, "2026-2027", "eligible"),
    ],
)
def test_student_means_threshold(means: float, academic_year: str, status: str) -> None:
    result = run(D2025, **{**STUDENT_2025, "means_month": means, "academic_year": academic_year})
    assert route(result, "STUDENT").status == status


def test_student_2027_2028_shows_the_last_official_amount() -> None:
    result = run(D2026, **{**STUDENT_2025, "academic_year": "2027-2028", "means_month": 1100.0})
    student = route(result, "STUDENT")
    assert [(u.id, u.amount) for u in student.thresholds] == [("STUDENT_MEANS", 1062.0)]
    assert (student.rule, student.status) == ("ST-2", "review")
    assert "RV-16" in reviews(result)
