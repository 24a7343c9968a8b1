"""Shared pieces of the route tests: named case objects, base answers and small helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.engine import Answers, Assessment, RouteResult, assess

TCN_WORKER: dict[str, Any] = {
    "nationalities": ["IN"],
    "purposes": ["employee"],
    "qualification": "higher_ed_3y_plus",
    "contract_months": 0,
    "employer_type": "belgian_employer",
    "dob": "1980-05-05",
}
D2025 = date(2025, 6, 1)  # no amount stale yet
D2026 = date(2026, 6, 1)  # Flemish, LTR amounts stale; Brussels/Wallonia not

STUDENT_2025: dict[str, Any] = {
    "nationalities": ["CN"],
    "purposes": ["study"],
    "study_admitted": True,
    "academic_year": "2025-2026",
    "means_month": 900.0,
}
SEARCH: dict[str, Any] = {
    "nationalities": ["CN"],
    "purposes": ["job_search_after_graduation"],
    "card_type": "A-student",
    "card_expiry": "2026-10-31",
    "graduated_be": True,
    "graduation_date": "2026-06-30",
}
LONG_TERM: dict[str, Any] = {
    "nationalities": ["IN"],
    "purposes": ["long_term_status"],
    "legal_residence_since": "2019-01-01",
    "years_worked_be": 4.5,
    "longest_absence_months": 2,
    "total_absence_months": 4,
    "net_income_month": 2500.0,
    "dependants": 1,
    "insurance_ok": "yes",
    "red_flags": False,
}
NO_SOURCE_RULES = {"R0-1", "R0-12"}  # rules.md §2.2 gives no source for these


@dataclass(frozen=True)
class RouteCase:
    """Answers assessed on a day must show the route ``code`` under ``rule`` with ``status``."""

    name: str
    on: date
    answers: dict[str, Any]
    code: str
    rule: str
    status: str


@dataclass(frozen=True)
class SalaryCase:
    """A salary threshold: the route's status at ``amount`` (just below it, the route is not met)."""

    name: str
    amount: float
    on: date
    code: str
    status_at_amount: str
    answers: dict[str, Any]


@dataclass(frozen=True)
class ReviewCase:
    """Answers for which the review ``code`` must be listed."""

    code: str
    on: date
    answers: dict[str, Any]


def run(on: date, **fields: Any) -> Assessment:
    return assess(Answers(**fields), on=on)


def worker(on: date, **fields: Any) -> Assessment:
    return run(on, **{**TCN_WORKER, **fields})


def route(assessment: Assessment, code: str) -> RouteResult:
    found = [r for r in assessment.routes if r.code == code]
    assert found, f"{code} not in {[(r.code, r.rule, r.status) for r in assessment.routes]}"
    return found[0]


def codes(assessment: Assessment) -> set[str]:
    return {r.code for r in assessment.routes}


def reviews(assessment: Assessment) -> set[str]:
    return {r.code for r in assessment.review}


def check_rule(case: RouteCase) -> None:
    """The case's route has the expected rule and status, and cites the spec's sources."""
    result = route(run(case.on, **case.answers), case.code)
    assert (result.rule, result.status) == (case.rule, case.status)
    assert bool(result.sources) == (case.rule not in NO_SOURCE_RULES), "routes cite the spec's sources"
