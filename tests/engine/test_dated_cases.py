"""Dated acceptance cases (issue 14): typical situations assessed on a given day — most of them on
3 December 2026 — each with its route, family outcome and review codes.

The expectations were checked by hand against rules.md and the thresholds table: in December 2026
the Flemish amounts are still the 2025 ones and stale (a figure within 5 % needs RV-02), the
Brussels and Walloon amounts are due for renewal on 1 January 2027 (a start date in 2027 makes
them stale too), the family amounts are stale since 1 April 2026, and the student means for
2026-2027 are the confirmed 1 062 EUR while 2027-2028 is not published (RV-16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from bot.engine import Answers, assess


@dataclass(frozen=True)
class DatedCase:
    """Answers assessed on ``on``: best route (code, rule, status), family outcome, review codes."""

    name: str
    on: date
    answers: dict[str, Any]
    route: tuple[str, str, str]
    family: str
    reviews: set[str]


DEC = date(2026, 12, 3)
W: dict[str, Any] = {
    "nationalities": ["IN"],
    "purposes": ["employee"],
    "qualification": "higher_ed_3y_plus",
    "contract_months": 0,
    "employer_type": "belgian_employer",
    "dob": date(1988, 5, 5),
    "current_location": "abroad",
    "application_date": date(2026, 12, 10),
    "start_date": date(2027, 3, 1),
}


def w(**fields: Any) -> dict[str, Any]:
    """A non-EU employee with a degree, abroad, hired by a Belgian employer, starting in March 2027."""
    return {**W, **fields}


FAM: dict[str, Any] = {
    "purposes": ["employee", "bring_family"],
    "worker_visa_date": date(2026, 10, 1),
    "sponsor_right_date": date(2026, 9, 15),
    "family_application_date": date(2026, 12, 10),
    "income_source": "employment",
    "housing_ok": "yes",
    "insurance_ok": "yes",
    "red_flags": False,
}
SPOUSE: dict[str, Any] = {
    "relation": "spouse",
    "dob": date(1990, 2, 1),
    "nationality": "IN",
    "relation_start_date": date(2018, 6, 1),
    "location": "abroad",
}
CHILD: dict[str, Any] = {
    "relation": "child_minor",
    "dob": date(2016, 4, 1),
    "nationality": "IN",
    "location": "abroad",
}


def fam(**fields: Any) -> dict[str, Any]:
    """The worker of :func:`w` bringing family members."""
    return w(**{**FAM, **fields})


JOIN: dict[str, Any] = {
    "nationalities": ["MA"],
    "current_location": "abroad",
    "purposes": ["join_family"],
    "dob": date(1995, 1, 1),
    "sponsor_dob": date(1993, 1, 1),
    "sponsor_right_date": date(2025, 10, 1),
    "family_application_date": date(2026, 12, 10),
    "sponsor_net_income": 3000.0,
    "income_source": "employment",
    "housing_ok": "yes",
    "insurance_ok": "yes",
    "red_flags": False,
}
STUDENT: dict[str, Any] = {
    "nationalities": ["CN"],
    "purposes": ["study"],
    "study_admitted": True,
    "current_location": "abroad",
}
LT: dict[str, Any] = {
    "nationalities": ["IN"],
    "purposes": ["long_term_status"],
    "legal_residence_since": date(2019, 1, 1),
    "current_location": "belgium",
    "card_type": "A-single-permit",
    "longest_absence_months": 2,
    "total_absence_months": 4,
    "dependants": 0,
    "insurance_ok": "yes",
    "red_flags": False,
    "region": "WAL",
    "years_worked_be": 2.0,
    "income_source": "employment",
}


CASES: list[DatedCase] = [
    DatedCase(
        name="Brussels highly qualified, December 2026",
        on=DEC,
        answers=w(region="BXL", salary_month_base=4000.0),
        route=("HQ", "BXL-HQ", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Brussels Blue Card",
        on=DEC,
        answers=w(region="BXL", salary_month_base=5000.0),
        route=("BLUE_CARD", "BXL-BC", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Brussels pay below the highly qualified amount: labour-market test",
        on=DEC,
        answers=w(region="BXL", salary_month_base=3500.0),
        route=("SHORTAGE", "BXL-SHORT", "review"),
        family="FAM_NONE",
        reviews={"RV-04"},
    ),
    DatedCase(
        name="Brussels executive paid above the Blue Card amount",
        on=DEC,
        answers=w(region="BXL", salary_month_base=7000.0, special=["executive_director"]),
        route=("BLUE_CARD", "BXL-BC", "eligible"),
        family="FAM_NONE",
        reviews={"RV-06"},
    ),
    DatedCase(
        name="Brussels posted worker",
        on=DEC,
        answers=w(region="BXL", salary_month_base=5000.0, employer_type="foreign_employer_secondment"),
        route=("BLUE_CARD", "BXL-BC", "review"),
        family="FAM_NONE",
        reviews={"RV-03"},
    ),
    DatedCase(
        name="Brussels intra-corporate transfer, manager",
        on=DEC,
        answers=w(
            region="BXL",
            salary_month_base=6000.0,
            employer_type="group_transfer_from_non_EU_entity",
            ict_role="manager",
        ),
        route=("ICT", "ICT-BXL", "eligible"),
        family="FAM_NONE",
        reviews={"RV-03"},
    ),
    DatedCase(
        name="Brussels performing artist starting in March 2027, amount due for renewal on 1 January",
        on=DEC,
        answers=w(
            region="BXL", salary_month_base=3100.0, qualification="none", special=["performing_artist"]
        ),
        route=("HQ", "BXL-ART", "review"),
        family="FAM_NONE",
        reviews={"RV-02", "RV-04"},
    ),
    DatedCase(
        name="Brussels Actiris shortage occupation: the loaded list ended in June 2026",
        on=DEC,
        answers=w(
            region="BXL",
            salary_month_base=2500.0,
            qualification="vocational_level_3_4",
            on_list={"ACTIRIS": "yes"},
        ),
        route=("SHORTAGE", "BXL-SHORT", "review"),
        family="FAM_NONE",
        reviews={"RV-04"},
    ),
    DatedCase(
        name="Flanders highly qualified, stale 2025 amount cleared with margin",
        on=DEC,
        answers=w(region="FL", salary_year=60000.0, job_is_highly_qualified="yes"),
        route=("HQ", "FL-HQ", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Flanders highly qualified within the stale margin",
        on=DEC,
        answers=w(region="FL", salary_year=50000.0, job_is_highly_qualified="yes"),
        route=("HQ", "FL-HQ", "review"),
        family="FAM_NONE",
        reviews={"RV-02"},
    ),
    DatedCase(
        name="Flanders reduced rate under 30 within the stale margin",
        on=DEC,
        answers=w(region="FL", salary_year=40000.0, job_is_highly_qualified="yes", dob=date(1999, 1, 1)),
        route=("HQ_REDUCED", "FL-HQ-U30", "review"),
        family="FAM_NONE",
        reviews={"RV-02"},
    ),
    DatedCase(
        name="Flanders Blue Card within the stale margin, highly qualified clears it",
        on=DEC,
        answers=w(region="FL", salary_year=65000.0, job_is_highly_qualified="yes"),
        route=("HQ", "FL-HQ", "eligible"),
        family="FAM_NONE",
        reviews={"RV-02"},
    ),
    DatedCase(
        name="Flanders Blue Card cleared with margin",
        on=DEC,
        answers=w(region="FL", salary_year=70000.0, job_is_highly_qualified="yes"),
        route=("BLUE_CARD", "FL-BC", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Flanders degree holder, shortage list unanswered",
        on=DEC,
        answers=w(region="FL", salary_year=40000.0, job_is_highly_qualified="yes"),
        route=("LABOUR_MARKET_TEST", "FL-OTHER", "review"),
        family="FAM_NONE",
        reviews={"RV-04"},
    ),
    DatedCase(
        name="Flanders roofer on the 2026 medium-skilled list",
        on=DEC,
        answers=w(
            region="FL", salary_year=32000.0, qualification="vocational_level_3_4", occupation="dakdekker"
        ),
        route=("MEDIUM_SHORTAGE", "FL-MED", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Flanders low-skilled job",
        on=DEC,
        answers=w(region="FL", salary_year=30000.0, qualification="vocational_level_2"),
        route=("NO_ROUTE", "FL-NONE", "review"),
        family="FAM_NONE",
        reviews={"RV-20"},
    ),
    DatedCase(
        name="Flanders degree holder in a job that is not highly qualified",
        on=DEC,
        answers=w(region="FL", salary_year=60000.0, job_is_highly_qualified="no"),
        route=("LABOUR_MARKET_TEST", "FL-OTHER", "review"),
        family="FAM_NONE",
        reviews={"RV-04"},
    ),
    DatedCase(
        name="Flanders monthly salary annualised with 13.92",
        on=DEC,
        answers=w(work_postcode="9000", salary_month_base=4000.0, job_is_highly_qualified="yes"),
        route=("HQ", "FL-HQ", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Wallonia highly qualified, 2026 amount",
        on=DEC,
        answers=w(region="WAL", salary_year=54000.0, start_date=date(2026, 12, 20)),
        route=("HQ", "WAL-HQ", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Wallonia highly qualified starting in March 2027, amount due for renewal",
        on=DEC,
        answers=w(region="WAL", salary_year=54000.0),
        route=("HQ", "WAL-HQ", "review"),
        family="FAM_NONE",
        reviews={"RV-02", "RV-04"},
    ),
    DatedCase(
        name="Wallonia highly qualified under 30",
        on=DEC,
        answers=w(region="WAL", salary_year=43000.0, dob=date(2000, 1, 1), start_date=date(2026, 12, 20)),
        route=("HQ_REDUCED", "WAL-HQ-U30", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Wallonia Blue Card",
        on=DEC,
        answers=w(region="WAL", salary_year=70000.0, start_date=date(2026, 12, 20)),
        route=("BLUE_CARD", "WAL-BC", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Wallonia Blue Card within the margin of the amount due for renewal; highly qualified holds",
        on=DEC,
        answers=w(region="WAL", salary_year=70000.0),
        route=("HQ", "WAL-HQ", "eligible"),
        family="FAM_NONE",
        reviews={"RV-02"},
    ),
    DatedCase(
        name="Wallonia junior Blue Card",
        on=DEC,
        answers=w(
            region="WAL", salary_year=56000.0, work_experience_years=1.0, start_date=date(2026, 12, 20)
        ),
        route=("HQ", "WAL-HQ", "eligible"),
        family="FAM_NONE",
        reviews={"RV-06"},
    ),
    DatedCase(
        name="Wallonia athlete, 2026 amount",
        on=DEC,
        answers=w(
            region="WAL",
            salary_year=53220.0,
            qualification="none",
            special=["professional_athlete_or_coach"],
            start_date=date(2026, 12, 20),
        ),
        route=("HQ", "WAL-ATH", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Wallonia performing artist, 2026 amount",
        on=DEC,
        answers=w(
            region="WAL",
            salary_year=45000.0,
            qualification="none",
            special=["performing_artist"],
            start_date=date(2026, 12, 20),
        ),
        route=("HQ", "WAL-ART", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Wallonia FOREM shortage occupation",
        on=DEC,
        answers=w(
            region="WAL", salary_year=30000.0, qualification="vocational_level_3_4", on_list={"FOREM": "yes"}
        ),
        route=("SHORTAGE", "WAL-SHORT", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="German-speaking Community",
        on=DEC,
        answers=w(work_postcode="4700", salary_year=60000.0),
        route=("DG_REVIEW", "E-0", "review"),
        family="FAM_NONE",
        reviews={"RV-01"},
    ),
    DatedCase(
        name="Student 2026-2027 with the confirmed 1 062 EUR",
        on=DEC,
        answers={**STUDENT, "academic_year": "2026-2027", "means_month": 1100.0},
        route=("STUDENT", "ST-1", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Student 2026-2027 below 1 062 EUR",
        on=DEC,
        answers={**STUDENT, "academic_year": "2026-2027", "means_month": 900.0},
        route=("NO_ROUTE", "R0-12", "review"),
        family="FAM_NONE",
        reviews={"RV-20"},
    ),
    DatedCase(
        name="Student 2027-2028: amount not published yet",
        on=DEC,
        answers={**STUDENT, "academic_year": "2027-2028", "means_month": 1100.0},
        route=("STUDENT", "ST-2", "review"),
        family="FAM_NONE",
        reviews={"RV-16"},
    ),
    DatedCase(
        name="Search year applied in time, means of 2026-2027",
        on=DEC,
        answers={
            "nationalities": ["CN"],
            "purposes": ["job_search_after_graduation"],
            "current_location": "belgium",
            "card_type": "A-student",
            "card_expiry": date(2027, 1, 31),
            "graduated_be": True,
            "graduation_date": date(2026, 6, 30),
            "application_date": date(2026, 12, 10),
            "means_month": 1100.0,
        },
        route=("SEARCH_YEAR", "SY-1", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Search year applied 3 days after the 15-day limit",
        on=DEC,
        answers={
            "nationalities": ["CN"],
            "purposes": ["job_search_after_graduation"],
            "current_location": "belgium",
            "card_type": "A-student",
            "card_expiry": date(2026, 12, 15),
            "graduated_be": True,
            "graduation_date": date(2026, 6, 30),
            "application_date": date(2026, 12, 3),
            "means_month": 1100.0,
        },
        route=("SEARCH_YEAR", "SY-4", "review"),
        family="FAM_NONE",
        reviews={"RV-15"},
    ),
    DatedCase(
        name="US postdoc with a hosting agreement",
        on=DEC,
        answers={
            "nationalities": ["US"],
            "purposes": ["research"],
            "hosting_agreement": True,
            "postdoc": True,
            "current_location": "abroad",
            "region": "BXL",
        },
        route=("RESEARCHER", "RS-1", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Postdoc without a hosting agreement",
        on=DEC,
        answers={
            "nationalities": ["US"],
            "purposes": ["research"],
            "hosting_agreement": False,
            "postdoc": True,
            "current_location": "abroad",
        },
        route=("RESEARCHER", "RS-2", "review"),
        family="FAM_NONE",
        reviews={"RV-06"},
    ),
    DatedCase(
        name="Self-employed in Flanders",
        on=DEC,
        answers={
            "nationalities": ["US"],
            "purposes": ["self_employed"],
            "se_region": "FL",
            "se_access_ok": "yes",
            "current_location": "abroad",
        },
        route=("PROFESSIONAL_CARD", "SE-1", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="French citizen taking a job",
        on=DEC,
        answers={"nationalities": ["FR"], "purposes": ["employee"], "current_location": "abroad"},
        route=("EU_REG", "R0-2", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Belgian-Moroccan dual national",
        on=DEC,
        answers={"nationalities": ["BE", "MA"], "purposes": ["employee"]},
        route=("BELGIAN", "R0-1", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Holder of a C card",
        on=DEC,
        answers={
            "nationalities": ["MA"],
            "current_location": "belgium",
            "card_type": "C",
            "purposes": ["employee"],
        },
        route=("UNLIMITED_STAY", "R0-3", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="EU long-term residence, stale 2025 resources cleared",
        on=DEC,
        answers={**LT, "net_income_month": 1500.0},
        route=("LTR", "LTR-1", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="EU long-term residence within the stale margin",
        on=DEC,
        answers={**LT, "net_income_month": 1050.0},
        route=("LTR", "LTR-1", "review"),
        family="FAM_NONE",
        reviews={"RV-02"},
    ),
    DatedCase(
        name="Refusal notified two weeks ago",
        on=DEC,
        answers={**w(region="BXL", salary_month_base=4000.0), "refusal_date": date(2026, 11, 20)},
        route=("HQ", "BXL-HQ", "eligible"),
        family="FAM_NONE",
        reviews={"RV-14"},
    ),
    DatedCase(
        name="Highly qualified worker bringing his wife, ex officio",
        on=DEC,
        answers=fam(region="BXL", salary_month_base=4000.0, sponsor_net_income=4000.0, members=[SPOUSE]),
        route=("HQ", "BXL-HQ", "eligible"),
        family="FAM_EXOFFICIO",
        reviews=set(),
    ),
    DatedCase(
        name="Family income for two within the stale margin",
        on=DEC,
        answers=fam(
            region="BXL",
            salary_month_base=2500.0,
            qualification="vocational_level_3_4",
            on_list={"ACTIRIS": "yes"},
            sponsor_net_income=2600.0,
            members=[SPOUSE, CHILD],
        ),
        route=("SHORTAGE", "BXL-SHORT", "review"),
        family="FAM_REVIEW",
        reviews={"RV-02", "RV-04"},
    ),
    DatedCase(
        name="Family income for two cleared with margin",
        on=DEC,
        answers=fam(
            region="BXL",
            salary_month_base=2900.0,
            qualification="vocational_level_3_4",
            on_list={"ACTIRIS": "yes"},
            sponsor_net_income=3000.0,
            members=[SPOUSE, CHILD],
        ),
        route=("SHORTAGE", "BXL-SHORT", "review"),
        family="FAM_EXOFFICIO",
        reviews={"RV-04"},
    ),
    DatedCase(
        name="Adult son of a single-permit holder",
        on=DEC,
        answers=fam(
            region="BXL",
            salary_month_base=4000.0,
            sponsor_net_income=4000.0,
            members=[
                {
                    "relation": "child_adult",
                    "dob": date(2004, 1, 1),
                    "nationality": "IN",
                    "location": "abroad",
                }
            ],
        ),
        route=("HQ", "BXL-HQ", "eligible"),
        family="FAM_NOT_ELIGIBLE",
        reviews={"RV-10"},
    ),
    DatedCase(
        name="Wife aged 20 under the new rules",
        on=DEC,
        answers=fam(
            region="BXL",
            salary_month_base=4000.0,
            sponsor_net_income=4000.0,
            members=[{**SPOUSE, "dob": date(2006, 6, 1)}],
        ),
        route=("HQ", "BXL-HQ", "eligible"),
        family="FAM_NOT_YET",
        reviews=set(),
    ),
    DatedCase(
        name="Non-EU spouse of an EU citizen, in Belgium",
        on=DEC,
        answers={
            **JOIN,
            "nationalities": ["IN"],
            "current_location": "belgium",
            "card_type": "none",
            "sponsor_type": "eu_eea_ch",
            "sponsor_right_date": date(2024, 5, 1),
            "members": [
                {"relation": "spouse", "dob": date(1995, 1, 1), "nationality": "IN", "location": "belgium"}
            ],
        },
        route=("NO_ROUTE", "R0-12", "review"),
        family="FAM_REVIEW",
        reviews={"RV-12"},
    ),
    DatedCase(
        name="Unmarried partner of a single-permit holder",
        on=DEC,
        answers={
            **JOIN,
            "sponsor_type": "tcn_limited",
            "sponsor_category": "other",
            "members": [
                {
                    "relation": "partner_unregistered",
                    "dob": date(1995, 1, 1),
                    "nationality": "MA",
                    "location": "abroad",
                }
            ],
        },
        route=("NO_ROUTE", "R0-12", "review"),
        family="FAM_REVIEW",
        reviews={"RV-11"},
    ),
    DatedCase(
        name="Refugee sponsor",
        on=DEC,
        answers={
            **JOIN,
            "sponsor_type": "international_protection",
            "members": [
                {"relation": "spouse", "dob": date(1995, 1, 1), "nationality": "MA", "location": "abroad"}
            ],
        },
        route=("NO_ROUTE", "R0-12", "review"),
        family="FAM_REVIEW",
        reviews={"RV-08"},
    ),
    DatedCase(
        name="Spouse of a Belgian filing two days before 18 August 2027",
        on=date(2027, 8, 1),
        answers={
            **JOIN,
            "sponsor_type": "belgian",
            "family_application_date": date(2027, 8, 16),
            "members": [
                {"relation": "spouse", "dob": date(1995, 1, 1), "nationality": "MA", "location": "abroad"}
            ],
        },
        route=("NO_ROUTE", "R0-12", "review"),
        family="FAM_OE",
        reviews={"RV-15"},
    ),
    DatedCase(
        name="Brussels Actiris shortage occupation, June 2026",
        on=date(2026, 6, 15),
        answers=w(
            region="BXL",
            salary_month_base=2500.0,
            qualification="vocational_level_3_4",
            on_list={"ACTIRIS": "yes"},
            application_date=date(2026, 6, 20),
            start_date=date(2026, 6, 29),
        ),
        route=("SHORTAGE", "BXL-SHORT", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Brussels highly qualified, June 2026",
        on=date(2026, 6, 15),
        answers=w(
            region="BXL",
            salary_month_base=4000.0,
            application_date=date(2026, 6, 20),
            start_date=date(2026, 9, 1),
        ),
        route=("HQ", "BXL-HQ", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Flanders highly qualified on 2 January 2026, 2025 amount just stale",
        on=date(2026, 1, 2),
        answers=w(
            region="FL",
            salary_year=50000.0,
            job_is_highly_qualified="yes",
            application_date=date(2026, 1, 2),
            start_date=date(2026, 1, 2),
        ),
        route=("HQ", "FL-HQ", "review"),
        family="FAM_NONE",
        reviews={"RV-02"},
    ),
]


def check_dated_case(case: DatedCase) -> None:
    """The case's best route (code, rule, status), family outcome and review codes."""
    result = assess(Answers(**case.answers), on=case.on)
    best = result.routes[0]
    assert (best.code, best.rule, best.status) == case.route
    assert result.family.outcome == case.family
    assert {item.code for item in result.review} == case.reviews


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_dated_case(case: DatedCase) -> None:
    check_dated_case(case)


def test_enough_cases_and_december_2026_is_covered() -> None:
    assert len(CASES) >= 40
    assert sum(case.on == date(2026, 12, 3) for case in CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)
