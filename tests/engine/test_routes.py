"""Permit-route rules (rules.md §2): every rule ID, every salary threshold at / below / above its
amount, the date boundaries, the review codes, missing answers, and a monotonicity property.

Expected amounts are written out from rules.md §4, not read from the table under test.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import ROUTE_STATUSES, Answers, Assessment, RouteResult, assess, match_functions

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


# --- every rule ID of §2 -------------------------------------------------------------------------

STUDENT_2025 = {
    "nationalities": ["CN"],
    "purposes": ["study"],
    "study_admitted": True,
    "academic_year": "2025-2026",
    "means_month": 900.0,
}
SEARCH = {
    "nationalities": ["CN"],
    "purposes": ["job_search_after_graduation"],
    "card_type": "A-student",
    "card_expiry": "2026-10-31",
    "graduated_be": True,
    "graduation_date": "2026-06-30",
}
LONG_TERM = {
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

RULE_CASES: list[tuple[str, date, dict[str, Any], str, str, str]] = [
    ("R0-1", D2026, {"nationalities": ["BE", "MA"], "purposes": ["employee"]}, "BELGIAN", "R0-1", "eligible"),
    ("R0-2", D2026, {"nationalities": ["PL"], "purposes": ["employee"]}, "EU_REG", "R0-2", "eligible"),
    (
        "R0-3",
        D2026,
        {"nationalities": ["MA"], "card_type": "C", "purposes": ["employee"]},
        "UNLIMITED_STAY",
        "R0-3",
        "eligible",
    ),
    (
        "R0-4",
        D2026,
        {"nationalities": ["MA"], "card_type": "A-search-year", "purposes": []},
        "SEARCH_YEAR_WORK",
        "R0-4",
        "eligible",
    ),
    (
        "R0-5",
        D2026,
        {"nationalities": ["MA"], "card_type": "A-family-reunification", "purposes": []},
        "NO_ROUTE",
        "R0-5",
        "review",
    ),
    (
        "R0-6/E-4/BXL-HQ",
        D2026,
        {**TCN_WORKER, "region": "BXL", "salary_month_base": 4000.0},
        "HQ",
        "BXL-HQ",
        "eligible",
    ),
    (
        "R0-7/SE-1",
        D2026,
        {"nationalities": ["US"], "purposes": ["self_employed"], "se_region": "FL", "se_access_ok": "yes"},
        "PROFESSIONAL_CARD",
        "SE-1",
        "eligible",
    ),
    (
        "SE-1-access-unsure",
        D2026,
        {"nationalities": ["US"], "purposes": ["self_employed"], "se_region": "FL", "se_access_ok": "unsure"},
        "PROFESSIONAL_CARD",
        "SE-1",
        "review",
    ),
    (
        "SE-EX",
        D2026,
        {"nationalities": ["US"], "card_type": "F", "purposes": ["self_employed"], "se_region": "BXL"},
        "PROFESSIONAL_CARD",
        "SE-EX",
        "review",
    ),
    ("R0-8/ST-1", D2025, STUDENT_2025, "STUDENT", "ST-1", "eligible"),
    ("ST-2", D2026, {**STUDENT_2025, "academic_year": "2026-2027"}, "STUDENT", "ST-2", "review"),
    (
        "R0-9/RS-1",
        D2026,
        {"nationalities": ["BR"], "purposes": ["research"], "hosting_agreement": True},
        "RESEARCHER",
        "RS-1",
        "eligible",
    ),
    (
        "RS-2",
        D2026,
        {"nationalities": ["BR"], "purposes": ["research"], "hosting_agreement": False, "postdoc": True},
        "RESEARCHER",
        "RS-2",
        "review",
    ),
    ("R0-10/SY-1", D2026, {**SEARCH, "application_date": "2026-08-20"}, "SEARCH_YEAR", "SY-1", "eligible"),
    (
        "SY-2",
        D2026,
        {**SEARCH, "card_type": "A-researcher", "graduated_be": None, "application_date": "2026-08-20"},
        "SEARCH_YEAR",
        "SY-2",
        "eligible",
    ),
    (
        "SY-3",
        D2026,
        {
            **SEARCH,
            "graduated_be": False,
            "mobility_programme": True,
            "graduation_date": "2026-05-20",
            "application_date": "2026-07-01",
        },
        "SEARCH_YEAR",
        "SY-3",
        "eligible",
    ),
    (
        "SY-3-late",
        D2026,
        {
            **SEARCH,
            "graduated_be": False,
            "mobility_programme": True,
            "graduation_date": "2026-01-20",
            "application_date": "2026-07-01",
        },
        "SEARCH_YEAR",
        "SY-3",
        "not_met",
    ),
    ("SY-4", D2026, {**SEARCH, "application_date": "2026-10-25"}, "SEARCH_YEAR", "SY-4", "review"),
    ("SY-4-expired", D2026, {**SEARCH, "application_date": "2026-11-02"}, "SEARCH_YEAR", "SY-4", "not_met"),
    ("R0-11/UNL-FL", D2025, {**LONG_TERM, "region": "FL"}, "UNLIMITED", "UNL-FL", "eligible"),
    (
        "UNL-FL-short",
        D2025,
        {**LONG_TERM, "region": "FL", "years_worked_be": 3.9},
        "UNLIMITED",
        "UNL-FL",
        "not_met",
    ),
    (
        "UNL-FL-TR",
        D2025,
        {**LONG_TERM, "nationalities": ["TR"], "region": "FL", "years_worked_be": 3.0},
        "UNLIMITED",
        "UNL-FL-TR",
        "eligible",
    ),
    (
        "UNL-FL-TR-family",
        D2025,
        {
            **LONG_TERM,
            "nationalities": ["TR"],
            "region": "FL",
            "years_worked_be": 2.0,
            "family_legally_resident": True,
        },
        "UNLIMITED",
        "UNL-FL-TR",
        "eligible",
    ),
    (
        "UNL-FL-LTR",
        D2025,
        {**LONG_TERM, "region": "FL", "years_worked_be": 1.0, "eu_long_term_resident_elsewhere": True},
        "UNLIMITED",
        "UNL-FL-LTR",
        "eligible",
    ),
    (
        "UNL-WAL-agreement",
        D2025,
        {**LONG_TERM, "nationalities": ["MA"], "region": "WAL", "years_worked_be": 3.0},
        "UNLIMITED",
        "UNL-WAL",
        "eligible",
    ),
    (
        "UNL-WAL-general-short",
        D2025,
        {**LONG_TERM, "region": "WAL", "years_worked_be": 3.0},
        "UNLIMITED",
        "UNL-WAL",
        "not_met",
    ),
    (
        "UNL-BXL",
        D2025,
        {**LONG_TERM, "region": "BXL", "worked_in_region_months": 30},
        "UNLIMITED",
        "UNL-BXL",
        "review",
    ),
    (
        "UNL-BXL-short",
        D2025,
        {**LONG_TERM, "region": "BXL", "years_worked_be": 2.0, "worked_in_region_months": 24},
        "UNLIMITED",
        "UNL-BXL",
        "not_met",
    ),
    ("UNL-DG", D2025, {**LONG_TERM, "region": "DG"}, "UNLIMITED", "UNL-DG", "review"),
    ("LTR-1", D2025, LONG_TERM, "LTR", "LTR-1", "eligible"),
    ("LTR-1-not-yet", D2025, {**LONG_TERM, "legal_residence_since": "2020-06-02"}, "LTR", "LTR-1", "not_met"),
    ("LTR-1-absences", D2025, {**LONG_TERM, "longest_absence_months": 7}, "LTR", "LTR-1", "not_met"),
    ("R0-12", D2026, {"nationalities": ["US"], "purposes": ["join_family"]}, "NO_ROUTE", "R0-12", "review"),
    ("E-0", D2026, {**TCN_WORKER, "region": "DG", "salary_year": 90000.0}, "DG_REVIEW", "E-0", "review"),
    (
        "E-1/ICT-BXL",
        D2026,
        {
            **TCN_WORKER,
            "region": "BXL",
            "employer_type": "group_transfer_from_non_EU_entity",
            "ict_role": "manager",
            "salary_month_base": 6000.0,
        },
        "ICT",
        "ICT-BXL",
        "eligible",
    ),
    (
        "E-1/ICT-FL",
        D2025,
        {
            **TCN_WORKER,
            "region": "FL",
            "employer_type": "group_transfer_from_non_EU_entity",
            "ict_role": "specialist",
            "salary_year": 50000.0,
        },
        "ICT",
        "ICT-FL",
        "eligible",
    ),
    (
        "E-1/ICT-WAL",
        D2026,
        {
            **TCN_WORKER,
            "region": "WAL",
            "employer_type": "group_transfer_from_non_EU_entity",
            "ict_role": "trainee",
            "salary_year": 34408.0,
        },
        "ICT",
        "ICT-WAL",
        "eligible",
    ),
    (
        "E-2",
        D2026,
        {
            **TCN_WORKER,
            "region": "BXL",
            "employer_type": "foreign_employer_secondment",
            "salary_month_base": 5000.0,
        },
        "BLUE_CARD",
        "BXL-BC",
        "review",
    ),
    (
        "E-3",
        D2025,
        {
            **TCN_WORKER,
            "region": "FL",
            "salary_year": 20000.0,
            "years_worked_be": 4.0,
            "legal_residence_since": "2020-01-01",
        },
        "UNLIMITED",
        "UNL-FL",
        "eligible",
    ),
    (
        "BXL-BC",
        D2026,
        {**TCN_WORKER, "region": "BXL", "salary_month_base": 5000.0},
        "BLUE_CARD",
        "BXL-BC",
        "eligible",
    ),
    (
        "BXL-EXEC",
        D2026,
        {**TCN_WORKER, "region": "BXL", "special": ["executive_director"], "salary_month_base": 7000.0},
        "EXEC",
        "BXL-EXEC",
        "review",
    ),
    (
        "BXL-SHORT",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "BXL",
            "on_list": {"ACTIRIS": "yes"},
            "salary_month_base": 2500.0,
        },
        "SHORTAGE",
        "BXL-SHORT",
        "eligible",
    ),
    (
        "BXL-SHORT-expired",
        date(2026, 7, 1),
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "BXL",
            "on_list": {"ACTIRIS": "yes"},
            "salary_month_base": 2500.0,
        },
        "SHORTAGE",
        "BXL-SHORT",
        "review",
    ),
    (
        "BXL-LMT",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "BXL",
            "on_list": {"ACTIRIS": "no"},
            "salary_month_base": 2500.0,
        },
        "LABOUR_MARKET_TEST",
        "BXL-LMT",
        "review",
    ),
    (
        "FL-BC",
        D2025,
        {**TCN_WORKER, "region": "FL", "salary_year": 64000.0},
        "BLUE_CARD",
        "FL-BC",
        "eligible",
    ),
    (
        "FL-BC-ict-experience",
        D2025,
        {
            **TCN_WORKER,
            "qualification": "ict_experience_3y_in_last_7y",
            "region": "FL",
            "salary_year": 64000.0,
        },
        "BLUE_CARD",
        "FL-BC",
        "eligible",
    ),
    (
        "BXL-BC-ict-experience",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "ict_experience_3y_in_last_7y",
            "region": "BXL",
            "salary_month_base": 5000.0,
        },
        "BLUE_CARD",
        "BXL-BC",
        "review",
    ),
    ("FL-HQ", D2025, {**TCN_WORKER, "region": "FL", "salary_year": 50000.0}, "HQ", "FL-HQ", "eligible"),
    (
        "FL-HQ-U30",
        D2025,
        {**TCN_WORKER, "region": "FL", "dob": "2000-01-01", "salary_year": 40000.0},
        "HQ_REDUCED",
        "FL-HQ-U30",
        "eligible",
    ),
    (
        "FL-HQ-U30-nurse",
        D2025,
        {**TCN_WORKER, "region": "FL", "special": ["nurse"], "salary_year": 40000.0},
        "HQ_REDUCED",
        "FL-HQ-U30",
        "eligible",
    ),
    (
        "FL-HQ-U30-posted",
        D2025,
        {
            **TCN_WORKER,
            "region": "FL",
            "dob": "2000-01-01",
            "employer_type": "foreign_employer_secondment",
            "salary_year": 40000.0,
        },
        "HQ_REDUCED",
        "FL-HQ-U30",
        "not_met",
    ),
    (
        "FL-HQ-?",
        D2026,
        {**TCN_WORKER, "region": "FL", "job_is_highly_qualified": "unsure", "salary_year": 60000.0},
        "HQ",
        "FL-HQ-?",
        "review",
    ),
    (
        "FL-EXEC",
        D2025,
        {**TCN_WORKER, "region": "FL", "special": ["executive_director"], "salary_year": 80000.0},
        "EXEC",
        "FL-EXEC",
        "review",
    ),
    (
        "FL-MED",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "FL",
            "on_list": {"FL_MEDIUM": "yes"},
            "salary_year": 30000.0,
        },
        "MEDIUM_SHORTAGE",
        "FL-MED",
        "eligible",
    ),
    (
        "FL-MED-unknown",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "FL",
            "occupation": "welder",
            "salary_year": 30000.0,
        },
        "MEDIUM_SHORTAGE",
        "FL-MED",
        "review",
    ),
    (
        "FL-OTHER",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "FL",
            "on_list": {"FL_MEDIUM": "no", "FL_VDAB": "yes"},
            "salary_year": 30000.0,
        },
        "LABOUR_MARKET_TEST",
        "FL-OTHER",
        "review",
    ),
    (
        "FL-NONE",
        D2026,
        {**TCN_WORKER, "qualification": "vocational_level_2", "region": "FL", "salary_year": 30000.0},
        "NO_ROUTE",
        "FL-NONE",
        "review",
    ),
    (
        "WAL-BC",
        D2026,
        {**TCN_WORKER, "region": "WAL", "salary_year": 70000.0},
        "BLUE_CARD",
        "WAL-BC",
        "eligible",
    ),
    (
        "WAL-BC-JR",
        D2026,
        {**TCN_WORKER, "region": "WAL", "work_experience_years": 1.0, "salary_year": 56000.0},
        "BLUE_CARD",
        "WAL-BC-JR",
        "review",
    ),
    ("WAL-HQ", D2026, {**TCN_WORKER, "region": "WAL", "salary_year": 54000.0}, "HQ", "WAL-HQ", "eligible"),
    (
        "WAL-HQ-U30",
        D2026,
        {**TCN_WORKER, "region": "WAL", "dob": "2000-01-01", "salary_year": 43000.0},
        "HQ_REDUCED",
        "WAL-HQ-U30",
        "eligible",
    ),
    (
        "WAL-EXEC",
        D2026,
        {**TCN_WORKER, "region": "WAL", "special": ["executive_director"], "salary_year": 90000.0},
        "EXEC",
        "WAL-EXEC",
        "review",
    ),
    (
        "WAL-SHORT",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "WAL",
            "on_list": {"FOREM": "yes"},
            "salary_year": 30000.0,
        },
        "SHORTAGE",
        "WAL-SHORT",
        "eligible",
    ),
    (
        "WAL-LMT",
        D2026,
        {
            **TCN_WORKER,
            "qualification": "vocational_level_3_4",
            "region": "WAL",
            "on_list": {"FOREM": "no"},
            "salary_year": 30000.0,
        },
        "LABOUR_MARKET_TEST",
        "WAL-LMT",
        "review",
    ),
]


NO_SOURCE_RULES = {"R0-1", "R0-12"}  # rules.md §2.2 gives no source for these


@pytest.mark.parametrize(
    ("on", "fields", "code", "rule", "status"),
    [case[1:] for case in RULE_CASES],
    ids=[case[0] for case in RULE_CASES],
)
def test_rule(on: date, fields: dict[str, Any], code: str, rule: str, status: str) -> None:
    result = route(run(on, **fields), code)
    assert (result.rule, result.status) == (rule, status)
    assert bool(result.sources) == (rule not in NO_SOURCE_RULES), "routes cite the spec's sources"


def test_ltr_2_language_is_only_a_note() -> None:
    ltr = route(run(D2025, **LONG_TERM), "LTR")
    assert ltr.status == "eligible"
    assert "route.reason.ltr_language" in {m.key for m in ltr.reasons}


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


# --- salary thresholds at, 0.01 below and 0.01 above ---------------------------------------------

# (threshold ID, amount per rules.md §4, day, route code, status at the amount, answers)
THRESHOLDS: list[tuple[str, float, date, str, str, dict[str, Any]]] = [
    ("BXL_BC", 4748.00, D2026, "BLUE_CARD", "eligible", {"region": "BXL"}),
    ("BXL_HQ", 3703.44, D2026, "HQ", "eligible", {"region": "BXL"}),
    ("BXL_EXEC", 6647.20, D2026, "EXEC", "review", {"region": "BXL", "special": ["executive_director"]}),
    ("BXL_ICT_MGR", 5460.20, D2026, "ICT", "eligible", {"region": "BXL", "ict_role": "manager"}),
    ("BXL_ICT_SPEC", 4510.60, D2026, "ICT", "eligible", {"region": "BXL", "ict_role": "specialist"}),
    ("BXL_ICT_TRAINEE", 2611.40, D2026, "ICT", "eligible", {"region": "BXL", "ict_role": "trainee"}),
    (
        "BXL_ATHLETE",
        88320.00,
        date(2025, 3, 1),
        "HQ",
        "eligible",
        {"region": "BXL", "special": ["professional_athlete_or_coach"], "qualification": "none"},
    ),
    ("FL_BC", 63586.00, D2025, "BLUE_CARD", "eligible", {"region": "FL"}),
    ("FL_HQ", 48912.00, D2025, "HQ", "eligible", {"region": "FL"}),
    ("FL_HQ_RED", 39129.60, D2025, "HQ_REDUCED", "eligible", {"region": "FL", "dob": "1999-01-01"}),
    ("FL_EXEC", 78259.20, D2025, "EXEC", "review", {"region": "FL", "special": ["executive_director"]}),
    ("FL_ICT_MGR", 78259.00, D2025, "ICT", "eligible", {"region": "FL", "ict_role": "manager"}),
    ("FL_ICT_SPEC", 48912.00, D2025, "ICT", "eligible", {"region": "FL", "ict_role": "specialist"}),
    ("FL_ICT_TRAINEE", 48912.00, D2025, "ICT", "eligible", {"region": "FL", "ict_role": "trainee"}),
    (
        "FL_ATHLETE",
        101019.00,
        D2025,
        "HQ",
        "eligible",
        {"region": "FL", "special": ["professional_athlete_or_coach"], "qualification": "none"},
    ),
    (
        "WAL_BC-2025",
        66738.00,
        D2025,
        "BLUE_CARD",
        "eligible",
        {"region": "WAL", "work_experience_years": 5.0},
    ),
    (
        "WAL_BC_JR-2025",
        53390.00,
        D2025,
        "BLUE_CARD",
        "review",
        {"region": "WAL", "work_experience_years": 2.0},
    ),
    ("WAL_HQ-2025", 51613.00, D2025, "HQ", "eligible", {"region": "WAL"}),
    ("WAL_HQ_U30-2025", 41290.00, D2025, "HQ_REDUCED", "eligible", {"region": "WAL", "dob": "1999-01-01"}),
    (
        "WAL_EXEC-2025",
        86110.00,
        D2025,
        "EXEC",
        "review",
        {"region": "WAL", "special": ["executive_director"]},
    ),
    ("WAL_ICT_MGR-2025", 66738.00, D2025, "ICT", "eligible", {"region": "WAL", "ict_role": "manager"}),
    ("WAL_ICT_EXP-2025", 53390.00, D2025, "ICT", "eligible", {"region": "WAL", "ict_role": "specialist"}),
    ("WAL_ICT_TRAINEE-2025", 33370.00, D2025, "ICT", "eligible", {"region": "WAL", "ict_role": "trainee"}),
    (
        "WAL_BC-2026",
        68815.00,
        D2026,
        "BLUE_CARD",
        "eligible",
        {"region": "WAL", "work_experience_years": 5.0},
    ),
    (
        "WAL_BC_JR-2026",
        55052.00,
        D2026,
        "BLUE_CARD",
        "review",
        {"region": "WAL", "work_experience_years": 2.0},
    ),
    ("WAL_HQ-2026", 53220.00, D2026, "HQ", "eligible", {"region": "WAL"}),
    ("WAL_HQ_U30-2026", 42576.00, D2026, "HQ_REDUCED", "eligible", {"region": "WAL", "dob": "1999-01-01"}),
    (
        "WAL_EXEC-2026",
        88790.00,
        D2026,
        "EXEC",
        "review",
        {"region": "WAL", "special": ["executive_director"]},
    ),
    ("WAL_ICT_MGR-2026", 68815.00, D2026, "ICT", "eligible", {"region": "WAL", "ict_role": "manager"}),
    ("WAL_ICT_EXP-2026", 55053.00, D2026, "ICT", "eligible", {"region": "WAL", "ict_role": "specialist"}),
    ("WAL_ICT_TRAINEE-2026", 34408.00, D2026, "ICT", "eligible", {"region": "WAL", "ict_role": "trainee"}),
]


def _salary_fields(extra: dict[str, Any], value: float) -> dict[str, Any]:
    fields = {**TCN_WORKER, **extra}
    if "ict_role" in extra:
        fields["employer_type"] = "group_transfer_from_non_EU_entity"
    monthly = extra["region"] == "BXL" and "professional_athlete_or_coach" not in extra.get("special", [])
    fields["salary_month_base" if monthly else "salary_year"] = value
    return fields


@pytest.mark.parametrize(
    ("amount", "on", "code", "status_at", "extra"),
    [case[1:] for case in THRESHOLDS],
    ids=[case[0] for case in THRESHOLDS],
)
@pytest.mark.parametrize("delta", [-0.01, 0.0, 0.01], ids=["below", "at", "above"])
def test_salary_threshold(
    amount: float, on: date, code: str, status_at: str, extra: dict[str, Any], delta: float
) -> None:
    result = route(run(on, **_salary_fields(extra, round(amount + delta, 2))), code)
    expected = "not_met" if delta < 0 else status_at
    assert result.status == expected
    used = {(use.id, use.amount) for use in result.thresholds}
    assert any(amount_used == amount for _, amount_used in used), used
    assert ("JUST_BELOW" in result.warnings) == (delta < 0)
    assert ("AT_THRESHOLD" in result.warnings) == (delta >= 0)


@pytest.mark.parametrize(
    ("means", "academic_year", "status"),
    [
        (802.99, "2024-2025", "not_met"),
        (803.00, "2024-2025", "eligible"),
        (803.01, "2024-2025", "eligible"),
        (834.99, "2025-2026", "not_met"),
        (835.00, "2025-2026", "eligible"),
        (835.01, "2025-2026", "eligible"),
    ],
)
def test_student_means_threshold(means: float, academic_year: str, status: str) -> None:
    result = run(D2025, **{**STUDENT_2025, "means_month": means, "academic_year": academic_year})
    assert route(result, "STUDENT").status == status


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


# --- dates, ages, contracts -----------------------------------------------------------------------


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
    assert ("RV-04" in reviews(result)) == (answer == "unsure" and on.year == 2026)


@pytest.mark.parametrize(("on", "reviewed"), [(date(2025, 12, 31), True), (date(2026, 1, 5), False)])
def test_rv15_near_the_flemish_function_cutoff(on: date, reviewed: bool) -> None:
    result = worker(on, region="FL", job_is_highly_qualified="no", salary_year=60000.0)
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


# --- occupation lists (K-24) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("occupation", "filed", "status"),
    [
        ("Dakdekker", "2026-02-01", "eligible"),
        ("couvreur", "2025-11-01", None),  # added only from 2026
        ("Truck driver", "2025-12-20", "eligible"),  # removed, but filed in time (P08)
        ("vrachtwagenchauffeur", "2026-01-10", None),
        ("Boulanger-pâtissier", "2026-03-01", None),
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


# --- review codes ---------------------------------------------------------------------------------

REVIEW_CASES: list[tuple[str, date, dict[str, Any]]] = [
    ("RV-01", D2026, {**TCN_WORKER, "region": "DG"}),
    (
        "RV-02",
        D2026,
        {**TCN_WORKER, "region": "FL", "job_is_highly_qualified": "yes", "salary_year": 50000.0},
    ),
    (
        "RV-03",
        D2026,
        {
            **TCN_WORKER,
            "region": "WAL",
            "employer_type": "foreign_employer_secondment",
            "salary_year": 60000.0,
        },
    ),
    (
        "RV-04",
        D2026,
        {**TCN_WORKER, "qualification": "vocational_level_3_4", "region": "BXL", "salary_month_base": 2500.0},
    ),
    ("RV-05", D2025, {**LONG_TERM, "region": "BXL", "worked_in_region_months": 36}),
    ("RV-06", D2026, {"nationalities": ["BR"], "purposes": ["research"], "hosting_agreement": False}),
    ("RV-12", D2025, {**LONG_TERM, "income_source": "unemployment"}),
    ("RV-13", D2025, {**LONG_TERM, "red_flags": True}),
    ("RV-15", D2026, {**SEARCH, "application_date": "2026-10-14"}),
    ("RV-16", D2026, {**STUDENT_2025, "academic_year": "2026-2027"}),
]


@pytest.mark.parametrize(("on", "fields"), [c[1:] for c in REVIEW_CASES], ids=[c[0] for c in REVIEW_CASES])
def test_review_code_emitted(request: pytest.FixtureRequest, on: date, fields: dict[str, Any]) -> None:
    code = request.node.callspec.id
    result = run(on, **fields)
    assert code in reviews(result)
    assert any(r.status == "review" for r in result.routes)


def test_clear_case_needs_no_review() -> None:
    result = worker(D2026, region="BXL", salary_month_base=5000.0, work_postcode="1000")
    assert result.review == []
    assert [r.code for r in result.routes] == ["BLUE_CARD", "HQ"]


def test_student_2026_2027_shows_the_last_official_amount_never_s003() -> None:
    result = run(D2026, **{**STUDENT_2025, "academic_year": "2026-2027", "means_month": 1100.0})
    student = route(result, "STUDENT")
    assert [(u.id, u.amount) for u in student.thresholds] == [("STUDENT_MEANS", 835.0)]
    assert all(value != 1062 for m in student.reasons for value in m.params.values())


def test_dg_figures_only_as_historical_reason() -> None:
    dg = route(worker(D2026, region="DG", salary_year=90000.0), "DG_REVIEW")
    assert dg.thresholds == []
    assert {m.params.get("hq_eur") for m in dg.reasons} >= {49830.0}


# --- missing answers and order --------------------------------------------------------------------


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


# --- property: more salary never hurts ------------------------------------------------------------

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


def test_family_card_holder_wanting_to_work_is_not_asked_for_salary_facts() -> None:
    """R0-5: work is allowed through the family card (review of its labour-market mention)."""
    from datetime import date as _date

    from bot.engine import Answers as _Answers
    from bot.engine import assess as _assess

    result = _assess(
        _Answers(
            nationalities=["MA"],
            current_location="belgium",
            card_type="A-family-reunification",
            purposes=["employee"],
            work_postcode="1000",
        ),
        on=_date(2026, 11, 23),
    )
    assert result.routes[0].rule == "R0-5"
    assert not {"salary_month_base", "salary_year", "employer_type", "qualification"} & set(result.missing)
