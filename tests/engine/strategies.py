"""Hypothesis strategies that build random but well-typed answers (every §1 field may be absent)."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

from hypothesis import strategies as st

import bot.engine as model

DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))
RECENT = st.dates(min_value=date(2023, 1, 1), max_value=date(2029, 12, 31))
MONEY = st.one_of(
    st.integers(0, 150_000).map(float), st.floats(0, 150_000, allow_nan=False).map(lambda x: round(x, 2))
)
NATIONALITIES = st.sampled_from(
    ["IN", "BE", "FR", "NL", "US", "MA", "TR", "SY", "AF", "PS", "XK", "BR", "CN", "NG", "CH"]
)


def _literal(alias: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(get_args(alias))


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


members = st.builds(
    model.Member,
    relation=_literal(model.Relation),
    dob=_optional(DATES),
    nationality=_optional(NATIONALITIES),
    resident_with_sponsor=st.booleans(),
    dependent=st.booleans(),
    relation_start_date=_optional(DATES),
    cohabitation_months=_optional(st.integers(0, 60)),
    known_since=_optional(DATES),
    meetings_count=_optional(st.integers(0, 10)),
    meetings_days_total=_optional(st.integers(0, 200)),
    common_child=_optional(st.booleans()),
)

answers = st.builds(
    model.Answers,
    nationalities=_optional(st.lists(NATIONALITIES, min_size=1, max_size=2)),
    current_location=_optional(st.sampled_from(["abroad", "belgium"])),
    card_type=_optional(_literal(model.CardType)),
    card_expiry=_optional(RECENT),
    refusal_date=_optional(RECENT),
    purposes=_optional(st.lists(_literal(model.Purpose), min_size=1, max_size=3, unique=True)),
    dob=_optional(DATES),
    work_postcode=_optional(st.integers(1000, 9999).map(str)),
    region=_optional(_literal(model.Region)),
    employer_type=_optional(_literal(model.EmployerType)),
    ict_role=_optional(_literal(model.IctRole)),
    salary_month_base=_optional(MONEY),
    salary_year=_optional(MONEY),
    contract_months=_optional(st.integers(0, 60)),
    qualification=_optional(_literal(model.Qualification)),
    job_is_highly_qualified=_optional(_literal(model.YesNoUnsure)),
    work_experience_years=_optional(st.integers(0, 30).map(float)),
    on_list=_optional(st.dictionaries(_literal(model.ShortageList), _literal(model.ListAnswer), max_size=2)),
    special=_optional(st.lists(_literal(model.Special), max_size=2, unique=True)),
    years_worked_be=_optional(st.integers(0, 12).map(float)),
    legal_residence_since=_optional(DATES),
    worked_in_region_months=_optional(st.integers(0, 120)),
    family_legally_resident=_optional(st.booleans()),
    start_date=_optional(RECENT),
    application_date=_optional(RECENT),
    se_access_ok=_optional(_literal(model.YesNoUnsure)),
    study_admitted=_optional(st.booleans()),
    academic_year=_optional(st.sampled_from(["2024-2025", "2025-2026", "2026-2027"])),
    means_month=_optional(MONEY),
    hosting_agreement=_optional(st.booleans()),
    postdoc=_optional(st.booleans()),
    graduated_be=_optional(st.booleans()),
    graduation_date=_optional(RECENT),
    mobility_programme=_optional(st.booleans()),
    longest_absence_months=_optional(st.integers(0, 12).map(float)),
    total_absence_months=_optional(st.integers(0, 24).map(float)),
    net_income_month=_optional(MONEY),
    dependants=_optional(st.integers(0, 5)),
    sponsor_type=_optional(_literal(model.SponsorType)),
    sponsor_category=_optional(_literal(model.SponsorCategory)),
    sponsor_right_date=_optional(RECENT),
    worker_visa_date=_optional(RECENT),
    members=_optional(st.lists(members, max_size=4)),
    family_application_date=_optional(RECENT),
    sponsor_net_income=_optional(MONEY),
    income_source=_optional(_literal(model.IncomeSource)),
    housing_ok=_optional(_literal(model.YesNoUnsure)),
    insurance_ok=_optional(_literal(model.YesNoUnsure)),
    red_flags=_optional(st.booleans()),
)
