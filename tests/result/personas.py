"""Scripted personas as the engine's answers (issue 12's six people), assessed on a fixed day.

They feed the result's tests: the first message's length, the detail views' size, the PDF, the
calendar and the scan for internal codes. Written as answers rather than conversations so that
they do not depend on the order or wording of the questions.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from bot.engine import Answers, Assessment, Member, assess

TODAY = date(2026, 11, 23)

WORKER: dict[str, Any] = {
    "nationalities": ["IN"],
    "current_location": "abroad",
    "purposes": ["employee"],
    "dob": date(1990, 5, 1),
    "work_postcode": "1000",
    "employer_type": "belgian_employer",
    "qualification": "higher_ed_3y_plus",
    "salary_month_base": 5200.0,
    "contract_months": 0,
    "job_is_highly_qualified": "yes",
    "special": ["none"],
    "start_date": date(2027, 3, 1),
}
FAMILY: dict[str, Any] = {
    **WORKER,
    "purposes": ["employee", "bring_family"],
    "sponsor_type": "tcn_limited",
    "sponsor_right_date": date(2027, 2, 1),
    "members": [
        Member(
            relation="spouse", dob=date(1991, 6, 15), nationality="IN", relation_start_date=date(2015, 10, 10)
        ),
        Member(relation="child_minor", dob=date(2018, 4, 3), nationality="IN"),
        Member(relation="child_minor", dob=date(2020, 9, 9), nationality="IN"),
    ],
    "family_application_date": date(2027, 4, 1),
    "sponsor_net_income": 3900.0,
    "income_source": "employment",
    "housing_ok": "yes",
    "insurance_ok": "yes",
    "red_flags": False,
}
PERSONAS: dict[str, dict[str, Any]] = {
    "single worker with a job offer": WORKER,
    "the same worker with a spouse and two children": FAMILY,
    "EU citizen with a non-EU spouse": {
        "nationalities": ["FR"],
        "current_location": "belgium",
        "purposes": ["employee", "bring_family"],
        "dob": date(1988, 2, 2),
        "work_postcode": "9000",
        "sponsor_type": "eu_eea_ch",
        "members": [Member(relation="spouse", dob=date(1989, 3, 3), nationality="MA")],
        "family_application_date": date(2027, 1, 15),
        "housing_ok": "yes",
        "insurance_ok": "yes",
        "red_flags": False,
    },
    "student": {
        "nationalities": ["CM"],
        "current_location": "abroad",
        "purposes": ["study"],
        "dob": date(2004, 1, 1),
        "study_admitted": True,
        "academic_year": "2027-2028",
        "means_type": "blocked_account",
        "means_month": 800.0,
    },
    "researcher with a hosting agreement": {
        "nationalities": ["BR"],
        "current_location": "abroad",
        "purposes": ["research"],
        "dob": date(1985, 7, 7),
        "hosting_agreement": True,
        "postdoc": False,
        "work_postcode": "3000",
        "start_date": date(2027, 2, 1),
    },
    "single-permit holder in Belgium bringing a partner": {
        "nationalities": ["MA"],
        "current_location": "belgium",
        "card_type": "A-single-permit",
        "card_expiry": date(2027, 9, 30),
        "purposes": ["bring_family"],
        "dob": date(1992, 8, 8),
        "sponsor_type": "tcn_limited",
        "sponsor_category": "other",
        "sponsor_right_date": date(2024, 5, 1),
        "members": [
            Member(
                relation="partner_unregistered",
                dob=date(1994, 4, 4),
                nationality="MA",
                known_since=date(2021, 1, 1),
                cohabitation_months=14,
            )
        ],
        "family_application_date": date(2027, 1, 10),
        "sponsor_net_income": 2600.0,
        "income_source": "employment",
        "housing_ok": "yes",
        "insurance_ok": "yes",
        "red_flags": False,
    },
}


@cache
def assessment(name: str) -> Assessment:
    """The persona's assessment on :data:`TODAY`."""
    return assess(Answers(**PERSONAS[name]), on=TODAY)
