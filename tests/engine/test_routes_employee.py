"""Employee routes (rules.md §2.3–2.7): the Brussels, Flemish and Walloon salary rules at, just
below and just above each amount, dates, ages, contracts, occupation lists, ICT, and the property
that more salary never hurts.

Expected amounts are written out from rules.md §4, not read from the table under test."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import ROUTE_STATUSES, match_functions
from tests.engine.route_cases import (
    D2025,
    D2026,
    TCN_WORKER,
    RouteCase,
    SalaryCase,
    check_rule,
    codes,
    reviews,
    route,
    run,
    worker,
)

CASES: list[RouteCase] = [
    RouteCase(
        name="R0-6/E-4/BXL-HQ",
        on=D2026,
        answers={**TCN_WORKER, "region": "BXL", "salary_month_base": 4000.0},
        code="HQ",
        rule="BXL-HQ",
        status="eligible",
    ),
    RouteCase(
        name="E-0",
        on=D2026,
        answers={**TCN_WORKER, "region": "DG", "salary_year": 90000.0},
        code="DG_REVIEW",
        rule="E-0",
        status="review",
    ),
    RouteCase(
        name="E-1/ICT-BXL",
        on=D2026,
        answers={
            **TCN_WORKER,
            "region": "BXL",
            "employer_type": "group_transfer_from_non_EU_entity",
            "ict_role": "manager",
            "salary_month_base": 6000.0,
        },
        code="ICT",
        rule="ICT-BXL",
        status="eligible",
    ),
    RouteCase(
        name="E-1/ICT-FL",
        on=D2025,
        answers={
            **TCN_WORKER,
            "region": "FL",
            "employer_type": "group_transfer_from_non_EU_entity",
            "ict_role": "specialist",
            "salary_year": 50000.0,
        },
        code="ICT",
        rule="ICT-FL",
        status="eligible",
    ),
    RouteCase(
        name="E-1/ICT-WAL",
        on=D2026,
        answers={
            **TCN_WORKER,
            "region": "WAL",
            "employer_type": "group_transfer_from_non_EU_entity",
            "ict_role": "trainee",
            "salary_year": 34408.0,
        },
        code="ICT",
        rule="ICT-WAL",
        status="eligible",
    ),
    RouteCase(
        name="E-2",
        on=D2026,
        answers={
            **TCN_WORKER,
            "region": "BXL",
            "employer_type": "foreign_employer_secondment",
            "salary_month_base": 5000.0,
        },
        code="BLUE_CARD",
        rule="BXL-BC",
        status="review",
    ),
    RouteCase(
        name="BXL-BC",
        on=D2026,
        answers={**TCN_WORKER, "region": "BXL", "salary_month_base": 5000.0},
        code="BLUE_CARD",
        rule="BXL-BC",
        status="eligible",
    ),
    RouteCase(
        name="BXL-EXEC",
        on=D2026,
        answers={
            **TCN_WORKER,
            "region": "BXL",
            "special": ["executive_director"],
            "salary_month_base": 7000.0,
        },
        code="EXEC",
        rule="BXL-EXEC",
        status="review",
    ),
    RouteCase(
        name="BXL-SHORT",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "BXL",
            "on_list": {"ACTIRIS": "yes"},
            "salary_month_base": 2500.0,
        },
        code="SHORTAGE",
        rule="BXL-SHORT",
        status="eligible",
    ),
    RouteCase(
        name="BXL-SHORT-expired",
        on=date(2026, 7, 1),
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "BXL",
            "on_list": {"ACTIRIS": "yes"},
            "salary_month_base": 2500.0,
        },
        code="SHORTAGE",
        rule="BXL-SHORT",
        status="review",
    ),
    RouteCase(
        name="BXL-LMT",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "BXL",
            "on_list": {"ACTIRIS": "no"},
            "salary_month_base": 2500.0,
        },
        code="LABOUR_MARKET_TEST",
        rule="BXL-LMT",
        status="review",
    ),
    RouteCase(
        name="FL-BC",
        on=D2025,
        answers={**TCN_WORKER, "region": "FL", "salary_year": 64000.0},
        code="BLUE_CARD",
        rule="FL-BC",
        status="eligible",
    ),
    RouteCase(
        name="FL-BC-ict-experience",
        on=D2025,
        answers={
            **TCN_WORKER,
            "qualification": "ict_experience_3y_in_last_7y",
            "region": "FL",
            "salary_year": 64000.0,
        },
        code="BLUE_CARD",
        rule="FL-BC",
        status="eligible",
    ),
    RouteCase(
        name="BXL-BC-ict-experience",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "ict_experience_3y_in_last_7y",
            "region": "BXL",
            "salary_month_base": 5000.0,
        },
        code="BLUE_CARD",
        rule="BXL-BC",
        status="review",
    ),
    RouteCase(
        name="FL-HQ",
        on=D2025,
        answers={**TCN_WORKER, "region": "FL", "salary_year": 50000.0},
        code="HQ",
        rule="FL-HQ",
        status="eligible",
    ),
    RouteCase(
        name="FL-HQ-U30",
        on=D2025,
        answers={**TCN_WORKER, "region": "FL", "dob": "2000-01-01", "salary_year": 40000.0},
        code="HQ_REDUCED",
        rule="FL-HQ-U30",
        status="eligible",
    ),
    RouteCase(
        name="FL-HQ-U30-nurse",
        on=D2025,
        answers={**TCN_WORKER, "region": "FL", "special": ["nurse"], "salary_year": 40000.0},
        code="HQ_REDUCED",
        rule="FL-HQ-U30",
        status="eligible",
    ),
    RouteCase(
        name="FL-HQ-U30-posted",
        on=D2025,
        answers={
            **TCN_WORKER,
            "region": "FL",
            "dob": "2000-01-01",
            "employer_type": "foreign_employer_secondment",
            "salary_year": 40000.0,
        },
        code="HQ_REDUCED",
        rule="FL-HQ-U30",
        status="not_met",
    ),
    RouteCase(
        name="FL-HQ-?",
        on=D2026,
        answers={**TCN_WORKER, "region": "FL", "job_is_highly_qualified": "unsure", "salary_year": 60000.0},
        code="HQ",
        rule="FL-HQ-?",
        status="review",
    ),
    RouteCase(
        name="FL-EXEC",
        on=D2025,
        answers={**TCN_WORKER, "region": "FL", "special": ["executive_director"], "salary_year": 80000.0},
        code="EXEC",
        rule="FL-EXEC",
        status="review",
    ),
    RouteCase(
        name="FL-MED",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "FL",
            "on_list": {"FL_MEDIUM": "yes"},
            "salary_year": 30000.0,
        },
        code="MEDIUM_SHORTAGE",
        rule="FL-MED",
        status="eligible",
    ),
    RouteCase(
        name="FL-MED-unknown",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "FL",
            "occupation": "welder",
            "salary_year": 30000.0,
        },
        code="MEDIUM_SHORTAGE",
        rule="FL-MED",
        status="review",
    ),
    RouteCase(
        name="FL-OTHER",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "FL",
            "on_list": {"FL_MEDIUM": "no", "FL_VDAB": "yes"},
            "salary_year": 30000.0,
        },
        code="LABOUR_MARKET_TEST",
        rule="FL-OTHER",
        status="review",
    ),
    RouteCase(
        name="FL-NONE",
        on=D2026,
        answers={**TCN_WORKER, "qualification": "vocational_level_2", "region": "FL", "salary_year": 30000.0},
        code="NO_ROUTE",
        rule="FL-NONE",
        status="review",
    ),
    RouteCase(
        name="WAL-BC",
        on=D2026,
        answers={**TCN_WORKER, "region": "WAL", "salary_year": 70000.0},
        code="BLUE_CARD",
        rule="WAL-BC",
        status="eligible",
    ),
    RouteCase(
        name="WAL-BC-JR",
        on=D2026,
        answers={**TCN_WORKER, "region": "WAL", "work_experience_years": 1.0, "salary_year": 56000.0},
        code="BLUE_CARD",
        rule="WAL-BC-JR",
        status="review",
    ),
    RouteCase(
        name="WAL-HQ",
        on=D2026,
        answers={**TCN_WORKER, "region": "WAL", "salary_year": 54000.0},
        code="HQ",
        rule="WAL-HQ",
        status="eligible",
    ),
    RouteCase(
        name="WAL-HQ-U30",
        on=D2026,
        answers={**TCN_WORKER, "region": "WAL", "dob": "2000-01-01", "salary_year": 43000.0},
        code="HQ_REDUCED",
        rule="WAL-HQ-U30",
        status="eligible",
    ),
    RouteCase(
        name="WAL-EXEC",
        on=D2026,
        answers={**TCN_WORKER, "region": "WAL", "special": ["executive_director"], "salary_year": 90000.0},
        code="EXEC",
        rule="WAL-EXEC",
        status="review",
    ),
    RouteCase(
        name="WAL-SHORT",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "WAL",
            "on_list": {"FOREM": "yes"},
            "salary_year": 30000.0,
        },
        code="SHORTAGE",
        rule="WAL-SHORT",
        status="eligible",
    ),
    RouteCase(
        name="WAL-LMT",
        on=D2026,
        answers={
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "WAL",
            "on_list": {"FOREM": "no"},
            "salary_year": 30000.0,
        },
        code="LABOUR_MARKET_TEST",
        rule="WAL-LMT",
        status="review",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rule(case: RouteCase) -> None:
    check_rule(case)


# (threshold, amount per rules.md §4, day, route, status at the amount, answers)
SALARY_CASES: list[SalaryCase] = [
    SalaryCase(
        name="BXL_BC",
        amount=4748.00,
        on=D2026,
        code="BLUE_CARD",
        status_at_amount="eligible",
        answers={"region": "BXL"},
    ),
    SalaryCase(
        name="BXL_HQ",
        amount=3703.44,
        on=D2026,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "BXL"},
    ),
    SalaryCase(
        name="BXL_EXEC",
        amount=6647.20,
        on=D2026,
        code="EXEC",
        status_at_amount="review",
        answers={"region": "BXL", "special": ["executive_director"]},
    ),
    SalaryCase(
        name="BXL_ICT_MGR",
        amount=5460.20,
        on=D2026,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "BXL", "ict_role": "manager"},
    ),
    SalaryCase(
        name="BXL_ICT_SPEC",
        amount=4510.60,
        on=D2026,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "BXL", "ict_role": "specialist"},
    ),
    SalaryCase(
        name="BXL_ICT_TRAINEE",
        amount=2611.40,
        on=D2026,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "BXL", "ict_role": "trainee"},
    ),
    SalaryCase(
        name="BXL_ATHLETE",
        amount=88320.00,
        on=date(2025, 3, 1),
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "BXL", "special": ["professional_athlete_or_coach"], "qualification": "none"},
    ),
    SalaryCase(
        name="FL_BC",
        amount=63586.00,
        on=D2025,
        code="BLUE_CARD",
        status_at_amount="eligible",
        answers={"region": "FL"},
    ),
    SalaryCase(
        name="FL_HQ",
        amount=48912.00,
        on=D2025,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "FL"},
    ),
    SalaryCase(
        name="FL_HQ_RED",
        amount=39129.60,
        on=D2025,
        code="HQ_REDUCED",
        status_at_amount="eligible",
        answers={"region": "FL", "dob": "1999-01-01"},
    ),
    SalaryCase(
        name="FL_EXEC",
        amount=78259.20,
        on=D2025,
        code="EXEC",
        status_at_amount="review",
        answers={"region": "FL", "special": ["executive_director"]},
    ),
    SalaryCase(
        name="FL_ICT_MGR",
        amount=78259.00,
        on=D2025,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "FL", "ict_role": "manager"},
    ),
    SalaryCase(
        name="FL_ICT_SPEC",
        amount=48912.00,
        on=D2025,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "FL", "ict_role": "specialist"},
    ),
    SalaryCase(
        name="FL_ICT_TRAINEE",
        amount=48912.00,
        on=D2025,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "FL", "ict_role": "trainee"},
    ),
    SalaryCase(
        name="FL_ATHLETE",
        amount=101019.00,
        on=D2025,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "FL", "special": ["professional_athlete_or_coach"], "qualification": "none"},
    ),
    SalaryCase(
        name="FL_ARTIST",
        amount=42313.00,
        on=D2025,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "FL", "special": ["performing_artist"], "qualification": "none"},
    ),
    SalaryCase(
        name="BXL_ARTIST",
        amount=3086.20,
        on=D2026,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "BXL", "special": ["performing_artist"], "qualification": "none"},
    ),
    SalaryCase(
        name="WAL_ATHLETE-2026",
        amount=53220.00,
        on=D2026,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "WAL", "special": ["professional_athlete_or_coach"], "qualification": "none"},
    ),
    SalaryCase(
        name="WAL_ARTIST-2026",
        amount=44396.00,
        on=D2026,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "WAL", "special": ["performing_artist"], "qualification": "none"},
    ),
    SalaryCase(
        name="WAL_BC-2025",
        amount=66738.00,
        on=D2025,
        code="BLUE_CARD",
        status_at_amount="eligible",
        answers={"region": "WAL", "work_experience_years": 5.0},
    ),
    SalaryCase(
        name="WAL_BC_JR-2025",
        amount=53390.00,
        on=D2025,
        code="BLUE_CARD",
        status_at_amount="review",
        answers={"region": "WAL", "work_experience_years": 2.0},
    ),
    SalaryCase(
        name="WAL_HQ-2025",
        amount=51613.00,
        on=D2025,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "WAL"},
    ),
    SalaryCase(
        name="WAL_HQ_U30-2025",
        amount=41290.00,
        on=D2025,
        code="HQ_REDUCED",
        status_at_amount="eligible",
        answers={"region": "WAL", "dob": "1999-01-01"},
    ),
    SalaryCase(
        name="WAL_EXEC-2025",
        amount=86110.00,
        on=D2025,
        code="EXEC",
        status_at_amount="review",
        answers={"region": "WAL", "special": ["executive_director"]},
    ),
    SalaryCase(
        name="WAL_ICT_MGR-2025",
        amount=66738.00,
        on=D2025,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "WAL", "ict_role": "manager"},
    ),
    SalaryCase(
        name="WAL_ICT_EXP-2025",
        amount=53390.00,
        on=D2025,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "WAL", "ict_role": "specialist"},
    ),
    SalaryCase(
        name="WAL_ICT_TRAINEE-2025",
        amount=33370.00,
        on=D2025,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "WAL", "ict_role": "trainee"},
    ),
    SalaryCase(
        name="WAL_BC-2026",
        amount=68815.00,
        on=D2026,
        code="BLUE_CARD",
        status_at_amount="eligible",
        answers={"region": "WAL", "work_experience_years": 5.0},
    ),
    SalaryCase(
        name="WAL_BC_JR-2026",
        amount=55052.00,
        on=D2026,
        code="BLUE_CARD",
        status_at_amount="review",
        answers={"region": "WAL", "work_experience_years": 2.0},
    ),
    SalaryCase(
        name="WAL_HQ-2026",
        amount=53220.00,
        on=D2026,
        code="HQ",
        status_at_amount="eligible",
        answers={"region": "WAL"},
    ),
    SalaryCase(
        name="WAL_HQ_U30-2026",
        amount=42576.00,
        on=D2026,
        code="HQ_REDUCED",
        status_at_amount="eligible",
        answers={"region": "WAL", "dob": "1999-01-01"},
    ),
    SalaryCase(
        name="WAL_EXEC-2026",
        amount=88790.00,
        on=D2026,
        code="EXEC",
        status_at_amount="review",
        answers={"region": "WAL", "special": ["executive_director"]},
    ),
    SalaryCase(
        name="WAL_ICT_MGR-2026",
        amount=68815.00,
        on=D2026,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "WAL", "ict_role": "manager"},
    ),
    SalaryCase(
        name="WAL_ICT_EXP-2026",
        amount=55053.00,
        on=D2026,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "WAL", "ict_role": "specialist"},
    ),
    SalaryCase(
        name="WAL_ICT_TRAINEE-2026",
        amount=34408.00,
        on=D2026,
        code="ICT",
        status_at_amount="eligible",
        answers={"region": "WAL", "ict_role": "trainee"},
    ),
]


def test_ict_other_conditions_always_reviewed_ict_question_mark() -> None:
    result = worker(
        D2025,
        region="FL",
        employer_type="group_transfer_from_non_EU_entity",
        ict_role="manager",
        salary_year=80000.0,
    )
    assert codes(result) == {"ICT"}, "E-1: an ICT case is not assessed on the regional tables"
    assert "RV-03" in reviews(result)


def _salary_fields(extra: dict[str, Any], value: float) -> dict[str, Any]:
    fields = {**TCN_WORKER, **extra}
    if "ict_role" in extra:
        fields["employer_type"] = "group_transfer_from_non_EU_entity"
    monthly = extra["region"] == "BXL" and "professional_athlete_or_coach" not in extra.get("special", [])
    fields["salary_month_base" if monthly else "salary_year"] = value
    return fields


@pytest.mark.parametrize("case", SALARY_CASES, ids=lambda case: case.name)
@pytest.mark.parametrize("delta", [-0.01, 0.0, 0.01], ids=["below", "at", "above"])
def test_salary_threshold(case: SalaryCase, delta: float) -> None:
    result = route(run(case.on, **_salary_fields(case.answers, round(case.amount + delta, 2))), case.code)
    expected = "not_met" if delta < 0 else case.status_at_amount
    assert result.status == expected
    used = {(use.id, use.amount) for use in result.thresholds}
    assert any(amount_used == case.amount for _, amount_used in used), used
    assert ("JUST_BELOW" in result.warnings) == (delta < 0)
    assert ("AT_THRESHOLD" in result.warnings) == (delta >= 0)


@pytest.mark.parametrize(
    ("salary", "status", "warning"),
    [
        (48911.99, "not_met", "AMOUNT_TO_CONFIRM"),
        (48912.00, "review", "AMOUNT_TO_CONFIRM"),
        (51357.59, "review", "AMOUNT_TO_CONFIRM"),
        (51357.60, "eligible", "AMOUNT_TO_CONFIRM"),  # 48 912 × 1.05
    ],
)
def test_stale_flemish_amount_needs_the_margin(salary: float, status: str, warning: str) -> None:
    result = worker(D2026, region="FL", job_is_highly_qualified="yes", salary_year=salary)
    hq = route(result, "HQ")
    assert (hq.status, warning in hq.warnings) == (status, True)
    assert hq.thresholds[0].stale
    assert ("RV-02" in reviews(result)) == (status == "review")


def test_missing_threshold_row_is_reviewed_never_a_literal() -> None:
    result = worker(
        D2026,
        region="BXL",
        qualification="none",
        special=["professional_athlete_or_coach"],
        salary_year=99000.0,
    )
    athlete = route(result, "HQ")
    assert (athlete.rule, athlete.status, athlete.thresholds) == ("BXL-ATH", "review", [])
    assert "AMOUNT_NOT_FOUND" in athlete.warnings
    assert "RV-02" in reviews(result)


@pytest.mark.parametrize(
    ("on", "answer", "status", "rule"),
    [
        (date(2025, 12, 1), "no", "eligible", "FL-HQ"),
        (date(2025, 12, 1), "unsure", "eligible", "FL-HQ"),
        (date(2026, 2, 1), "yes", "eligible", "FL-HQ"),
        (date(2026, 2, 1), "no", "not_met", "FL-HQ"),
        (date(2026, 2, 1), "unsure", "review", "FL-HQ-?"),
    ],
)
def test_flemish_function_test_from_2026(on: date, answer: str, status: str, rule: str) -> None:
    result = worker(on, region="FL", job_is_highly_qualified=answer, salary_year=60000.0)
    hq = route(result, "HQ")
    assert (hq.status, hq.rule) == (status, rule)
    function_unsure = any(r.reason.key == "route.review.function_unsure" for r in result.review)
    assert function_unsure == (answer == "unsure" and on.year == 2026)


@pytest.mark.parametrize(
    ("on", "answer", "reviewed"),
    [
        (date(2025, 12, 28), "no", False),  # 4 days before the cut-off of 1 January 2026
        (date(2025, 12, 29), "no", True),  # 3 days before
        (date(2025, 12, 31), "no", True),
        (date(2026, 1, 4), "unsure", True),  # 3 days after: the margin is the same on both sides
        (date(2026, 1, 5), "unsure", False),  # 4 days after
    ],
)
def test_rv15_near_the_flemish_function_cutoff(on: date, answer: str, reviewed: bool) -> None:
    result = worker(on, region="FL", job_is_highly_qualified=answer, salary_year=60000.0)
    assert ("RV-15" in reviews(result)) == reviewed


@pytest.mark.parametrize(
    ("on", "status", "amount"),
    [(date(2025, 12, 31), "eligible", 51613.0), (date(2026, 1, 1), "not_met", 53220.0)],
)
def test_wallonia_2025_and_2026_rows(on: date, status: str, amount: float) -> None:
    hq = route(worker(on, region="WAL", salary_year=52000.0), "HQ")
    assert (hq.status, hq.thresholds[0].amount) == (status, amount)


@pytest.mark.parametrize(
    ("region", "on", "reduced"),
    [
        ("FL", date(2025, 6, 9), "eligible"),  # eve of the 30th birthday
        ("FL", date(2025, 6, 10), None),  # 30th birthday: full rate only
        ("WAL", date(2025, 6, 9), "eligible"),
        ("WAL", date(2025, 6, 10), None),
    ],
)
def test_age_30_boundary(region: str, on: date, reduced: str | None) -> None:
    salary = 45000.0 if region == "FL" else 42000.0
    result = worker(on, region=region, dob="1995-06-10", salary_year=salary)
    found = [r.status for r in result.routes if r.code == "HQ_REDUCED"]
    assert found == ([reduced] if reduced else [])
    assert route(result, "HQ").status == "not_met"


@pytest.mark.parametrize(
    ("months", "status"), [(5, "not_met"), (6, "eligible"), (0, "eligible"), (None, "review")]
)
def test_blue_card_contract_length(months: int | None, status: str) -> None:
    result = worker(D2026, region="BXL", contract_months=months, salary_month_base=5000.0)
    assert route(result, "BLUE_CARD").status == status
    assert ("contract_months" in result.missing) == (months is None)


def test_flemish_monthly_salary_is_annualised_with_13_92() -> None:
    hq = route(worker(D2025, region="FL", salary_month_base=3513.80), "HQ")  # × 13.92 = 48 912.10
    assert hq.status == "eligible"
    assert "route.reason.annualised" in {m.key for m in hq.reasons}
    assert "P27" in hq.sources


@pytest.mark.parametrize(
    ("occupation", "filed", "status"),
    [
        ("Dakdekker", "2026-02-01", "eligible"),
        ("couvreur", "2025-11-01", "not_met"),  # added only from 2026 (the reason is shown)
        ("Truck driver", "2025-12-20", "eligible"),  # removed, but filed in time (P08)
        ("vrachtwagenchauffeur", "2026-01-10", "not_met"),
        ("Boulanger-pâtissier", "2026-03-01", "not_met"),
    ],
)
def test_flemish_named_list_changes(occupation: str, filed: str, status: str | None) -> None:
    result = worker(
        date(2025, 11, 1),
        qualification="vocational_level_3_4",
        region="FL",
        occupation=occupation,
        on_list={"FL_MEDIUM": "unknown", "FL_VDAB": "no"},
        application_date=filed,
        salary_year=30000.0,
    )
    found = [r.status for r in result.routes if r.code == "MEDIUM_SHORTAGE"]
    assert found == ([status] if status else [])
    assert route(result, "MEDIUM_SHORTAGE" if status else "NO_ROUTE").thresholds == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chauffeur de bus", ["bus_driver"]),
        ("chauffeur", []),
        ("banketbakker", []),
        ("Mécanicien d’entretien", ["maintenance_mechanic"]),
        ("asbestos remover", ["asbestos_remover"]),
    ],
)
def test_occupation_keywords(text: str, expected: list[str]) -> None:
    assert [f.id for f in match_functions(text, "FL_MEDIUM")] == expected


def test_removed_function_near_cutoff_is_rv15() -> None:
    result = worker(
        date(2025, 12, 1),
        qualification="vocational_level_3_4",
        region="FL",
        occupation="baker",
        application_date="2025-12-30",
        salary_year=30000.0,
    )
    assert route(result, "MEDIUM_SHORTAGE").status == "eligible"
    assert "RV-15" in reviews(result)


def test_clear_case_needs_no_review() -> None:
    result = worker(D2026, region="BXL", salary_month_base=5000.0, work_postcode="1000")
    assert result.review == []
    assert [r.code for r in result.routes] == ["BLUE_CARD", "HQ"]


answers_strategy = st.fixed_dictionaries(
    {
        "nationalities": st.sampled_from([["IN"], ["TR"], ["MA"]]),
        "purposes": st.just(["employee"]),
        "region": st.sampled_from(["BXL", "FL", "WAL"]),
        "qualification": st.sampled_from(
            [
                "higher_ed_3y_plus",
                "ict_experience_3y_in_last_7y",
                "vocational_level_3_4",
                "vocational_level_2",
                None,
            ]
        ),
        "employer_type": st.sampled_from(
            ["belgian_employer", "foreign_employer_secondment", "group_transfer_from_non_EU_entity", None]
        ),
        "ict_role": st.sampled_from(["manager", "specialist", "trainee", None]),
        "dob": st.dates(date(1960, 1, 1), date(2005, 12, 31)),
        "contract_months": st.sampled_from([0, 3, 5, 6, 24, None]),
        "job_is_highly_qualified": st.sampled_from(["yes", "no", "unsure", None]),
        "work_experience_years": st.sampled_from([1.0, 5.0, None]),
        "special": st.sampled_from(
            [[], ["executive_director"], ["nurse"], ["professional_athlete_or_coach"]]
        ),
        "on_list": st.sampled_from([None, {"ACTIRIS": "yes", "FOREM": "yes", "FL_MEDIUM": "yes"}]),
        "salary_month_base": st.one_of(st.none(), st.floats(0, 12000).map(lambda x: round(x, 2))),
        "salary_year": st.one_of(st.none(), st.floats(0, 150000).map(lambda x: round(x, 2))),
    }
)


@settings(max_examples=150, deadline=None)
@given(
    fields=answers_strategy,
    on=st.dates(date(2025, 1, 1), date(2026, 12, 31)),
    raise_month=st.floats(0, 3000),
    raise_year=st.floats(0, 40000),
)
def test_raising_the_salary_never_worsens_the_result(
    fields: dict[str, Any], on: date, raise_month: float, raise_year: float
) -> None:
    before = run(on, **fields)
    raised = dict(fields)
    if fields["salary_month_base"] is not None:
        raised["salary_month_base"] = round(fields["salary_month_base"] + raise_month, 2)
    if fields["salary_year"] is not None:
        raised["salary_year"] = round(fields["salary_year"] + raise_year, 2)
    after = run(on, **raised)
    eligible_before = {r.code for r in before.routes if r.status == "eligible"}
    eligible_after = {r.code for r in after.routes if r.status == "eligible"}
    assert eligible_before <= eligible_after
    assert ROUTE_STATUSES.index(after.routes[0].status) <= ROUTE_STATUSES.index(before.routes[0].status)


def test_flemish_degree_holder_with_the_list_unanswered_is_reviewed_not_no_route() -> None:
    """FL-OTHER is open to higher-education holders (rules.md §2.5): when the VDAB list is not
    answered and no salary route holds, the case goes to an adviser with RV-04, not to NO_ROUTE."""
    result = worker(date(2026, 12, 3), region="FL", job_is_highly_qualified="yes", salary_year=40000.0)
    assert (result.routes[0].code, result.routes[0].rule, result.routes[0].status) == (
        "LABOUR_MARKET_TEST",
        "FL-OTHER",
        "review",
    )
    assert "RV-04" in reviews(result)
    answered_no = worker(
        date(2026, 12, 3),
        region="FL",
        job_is_highly_qualified="yes",
        salary_year=40000.0,
        on_list={"FL_MEDIUM": "no", "FL_VDAB": "no"},
    )
    assert answered_no.routes[0].rule == "FL-NONE"
    assert reviews(answered_no) == {"RV-20"}, "no route: an adviser looks for another category"
