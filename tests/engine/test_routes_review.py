"""Review codes of the permit routes (rules.md §6.3): each one emitted where the spec asks for it."""

from __future__ import annotations

import pytest

from tests.engine.route_cases import (
    D2025,
    D2026,
    LONG_TERM,
    SEARCH,
    STUDENT_2025,
    TCN_WORKER,
    ReviewCase,
    reviews,
    route,
    run,
    worker,
)

REVIEW_CASES: list[ReviewCase] = [
    ReviewCase(code="RV-01", on=D2026, answers={**TCN_WORKER, "region": "DG"}),
    ReviewCase(
        code="RV-02",
        on=D2026,
        answers={**TCN_WORKER, "region": "FL", "job_is_highly_qualified": "yes", "salary_year": 50000.0},
    ),
    ReviewCase(
        code="RV-03",
        on=D2026,
        answers={
            **TCN_WORKER,
            "region": "WAL",
            "employer_type": "foreign_employer_secondment",
            "salary_year": 60000.0,
        },
    ),
    ReviewCase(
        code="RV-04",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "BXL",
            "salary_month_base": 2500.0,
        },
    ),
    ReviewCase(code="RV-05", on=D2025, answers={**LONG_TERM, "region": "BXL", "worked_in_region_months": 36}),
    ReviewCase(
        code="RV-06",
        on=D2026,
        answers={"nationalities": ["BR"], "purposes": ["research"], "hosting_agreement": False},
    ),
    ReviewCase(code="RV-12", on=D2025, answers={**LONG_TERM, "income_source": "unemployment"}),
    ReviewCase(code="RV-13", on=D2025, answers={**LONG_TERM, "red_flags": True}),
    ReviewCase(code="RV-15", on=D2026, answers={**SEARCH, "application_date": "2026-10-14"}),
    ReviewCase(code="RV-16", on=D2026, answers={**STUDENT_2025, "academic_year": "2027-2028"}),
]


@pytest.mark.parametrize("case", REVIEW_CASES, ids=lambda case: case.code)
def test_review_code_emitted(case: ReviewCase) -> None:
    result = run(case.on, **case.answers)
    assert case.code in reviews(result)
    assert any(r.status == "review" for r in result.routes)


def test_dg_figures_only_as_historical_reason() -> None:
    dg = route(worker(D2026, region="DG", salary_year=90000.0), "DG_REVIEW")
    assert dg.thresholds == []
    assert {m.params.get("hq_eur") for m in dg.reasons} >= {49830.0}
