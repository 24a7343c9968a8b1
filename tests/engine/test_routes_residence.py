"""Long-term routes (rules.md §2.12–2.13): the unlimited single permit and EU long-term residence."""

from __future__ import annotations

import pytest

from tests.engine.route_cases import (
    D2025,
    LONG_TERM,
    TCN_WORKER,
    RouteCase,
    check_rule,
    route,
    run,
)

CASES: list[RouteCase] = [
    RouteCase(
        name="R0-11/UNL-FL",
        on=D2025,
        answers={**LONG_TERM, "region": "FL"},
        code="UNLIMITED",
        rule="UNL-FL",
        status="eligible",
    ),
    RouteCase(
        name="UNL-FL-short",
        on=D2025,
        answers={**LONG_TERM, "region": "FL", "years_worked_be": 3.9},
        code="UNLIMITED",
        rule="UNL-FL",
        status="not_met",
    ),
    RouteCase(
        name="UNL-FL-TR",
        on=D2025,
        answers={**LONG_TERM, "nationalities": ["TR"], "region": "FL", "years_worked_be": 3.0},
        code="UNLIMITED",
        rule="UNL-FL-TR",
        status="eligible",
    ),
    RouteCase(
        name="UNL-FL-TR-family",
        on=D2025,
        answers={
            **LONG_TERM,
            "nationalities": ["TR"],
            "region": "FL",
            "years_worked_be": 2.0,
            "family_legally_resident": True,
        },
        code="UNLIMITED",
        rule="UNL-FL-TR",
        status="eligible",
    ),
    RouteCase(
        name="UNL-FL-LTR",
        on=D2025,
        answers={
            **LONG_TERM,
            "region": "FL",
            "years_worked_be": 1.0,
            "eu_long_term_resident_elsewhere": True,
        },
        code="UNLIMITED",
        rule="UNL-FL-LTR",
        status="eligible",
    ),
    RouteCase(
        name="UNL-WAL-agreement",
        on=D2025,
        answers={**LONG_TERM, "nationalities": ["MA"], "region": "WAL", "years_worked_be": 3.0},
        code="UNLIMITED",
        rule="UNL-WAL",
        status="eligible",
    ),
    RouteCase(
        name="UNL-WAL-general-short",
        on=D2025,
        answers={**LONG_TERM, "region": "WAL", "years_worked_be": 3.0},
        code="UNLIMITED",
        rule="UNL-WAL",
        status="not_met",
    ),
    RouteCase(
        name="UNL-BXL",
        on=D2025,
        answers={**LONG_TERM, "region": "BXL", "worked_in_region_months": 30},
        code="UNLIMITED",
        rule="UNL-BXL",
        status="review",
    ),
    RouteCase(
        name="UNL-BXL-short",
        on=D2025,
        answers={**LONG_TERM, "region": "BXL", "years_worked_be": 2.0, "worked_in_region_months": 24},
        code="UNLIMITED",
        rule="UNL-BXL",
        status="not_met",
    ),
    RouteCase(
        name="UNL-DG",
        on=D2025,
        answers={**LONG_TERM, "region": "DG"},
        code="UNLIMITED",
        rule="UNL-DG",
        status="review",
    ),
    RouteCase(
        name="LTR-1",
        on=D2025,
        answers=LONG_TERM,
        code="LTR",
        rule="LTR-1",
        status="eligible",
    ),
    RouteCase(
        name="LTR-1-not-yet",
        on=D2025,
        answers={**LONG_TERM, "legal_residence_since": "2020-06-02"},
        code="LTR",
        rule="LTR-1",
        status="not_met",
    ),
    RouteCase(
        name="LTR-1-absences",
        on=D2025,
        answers={**LONG_TERM, "longest_absence_months": 7},
        code="LTR",
        rule="LTR-1",
        status="not_met",
    ),
    RouteCase(
        name="E-3",
        on=D2025,
        answers={
            **TCN_WORKER,
            "region": "FL",
            "salary_year": 20000.0,
            "years_worked_be": 4.0,
            "legal_residence_since": "2020-01-01",
        },
        code="UNLIMITED",
        rule="UNL-FL",
        status="eligible",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rule(case: RouteCase) -> None:
    check_rule(case)


def test_ltr_2_language_is_only_a_note() -> None:
    ltr = route(run(D2025, **LONG_TERM), "LTR")
    assert ltr.status == "eligible"
    assert "route.reason.ltr_language" in {m.key for m in ltr.reasons}


@pytest.mark.parametrize(
    ("income", "dependants", "status"),
    [
        (1037.99, 0, "not_met"),
        (1038.00, 0, "eligible"),
        (1038.01, 0, "eligible"),
        (1729.99, 2, "not_met"),
        (1730.00, 2, "eligible"),  # 1 038 + 2 × 346
        (1730.01, 2, "eligible"),
    ],
)
def test_ltr_resources_threshold(income: float, dependants: int, status: str) -> None:
    result = run(D2025, **{**LONG_TERM, "net_income_month": income, "dependants": dependants})
    assert route(result, "LTR").status == status
