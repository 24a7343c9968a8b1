"""The answers a person gives: field names and values of rules.md §1 (the public contract).

Every field is optional: a missing field is listed in the assessment's ``missing`` and the
engine decides whatever it already can. Unknown fields are an error.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Annotated, Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator

Lang = Literal["fr", "nl", "en"]
Region = Literal["BXL", "FL", "WAL", "DG"]
YesNoUnsure = Literal["yes", "no", "unsure"]
Money = Annotated[float, Field(ge=0, le=100_000_000)]

CardType = Literal[
    "none",
    "A-student",
    "A-researcher",
    "A-single-permit",
    "A-search-year",
    "A-family-reunification",
    "H-Blue-Card",
    "B",
    "C",
    "D",
    "K",
    "L",
    "EU",
    "EU+",
    "F",
    "F+",
    "other",
]
Purpose = Literal[
    "employee",
    "self_employed",
    "study",
    "research",
    "job_search_after_graduation",
    "join_family",
    "bring_family",
    "long_term_status",
]
EmployerType = Literal["belgian_employer", "foreign_employer_secondment", "group_transfer_from_non_EU_entity"]
Qualification = Literal[
    "higher_ed_3y_plus",
    "ict_experience_3y_in_last_7y",
    "vocational_level_3_4",
    "vocational_level_2",
    "none",
]
Special = Literal[
    "researcher_hosting_agreement",
    "postdoc",
    "professional_athlete_or_coach",
    "performing_artist",
    "executive_director",
    "international_agreement",
    "nurse",
    "teacher",
    "seasonal",
    "none",
]
IctRole = Literal["manager", "specialist", "trainee"]
# Under which family-reunification rules a residence was granted (RN-2 / RN-3); unsure = not known
GrantedUnder = Literal["OLD", "NEW", "unsure"]
ShortageList = Literal["FL_MEDIUM", "FL_VDAB", "ACTIRIS", "FOREM"]
ListAnswer = Literal["yes", "no", "unknown"]
MeansType = Literal["blocked_account", "annex32_sponsor", "scholarship", "own_income"]
SponsorType = Literal[
    "belgian",
    "eu_eea_ch",
    "tcn_limited",
    "tcn_unlimited",
    "international_protection",
    "temporary_protection",
    "other",
]
SponsorCategory = Literal[
    "highly_qualified",
    "blue_card",
    "ict_long_term_mobility",
    "researcher",
    "postdoc",
    "professional_athlete_or_coach",
    "international_agreement",
    "other",
]
Relation = Literal[
    "spouse",
    "partner_registered_equivalent",
    "partner_registered_other",
    "partner_unregistered",
    "child_minor",
    "child_adult",
    "child_adult_disabled",
    "parent",
    "other",
]
IncomeSource = Literal[
    "employment", "self_employed", "pension", "unemployment", "social_assistance", "child_benefit", "other"
]

_ISO_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ACADEMIC_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


@cache
def _country_codes() -> frozenset[str]:
    # Kosovo (XK) is user-assigned in ISO 3166 but used by Belgian authorities.
    return frozenset(country.alpha_2 for country in pycountry.countries) | {"XK"}


def _check_country(code: str) -> str:
    code = code.strip().upper()
    if not _ISO_COUNTRY.match(code) or code not in _country_codes():
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code such as 'IN', 'BE' or 'XK'")
    return code


class Member(BaseModel):
    """One family member who is to join (or already lives with) the sponsor (rules.md §1 F4–F6)."""

    model_config = ConfigDict(extra="forbid")

    relation: Relation
    dob: date | None = None
    nationality: str | None = None
    location: Literal["abroad", "belgium"] | None = None
    resident_with_sponsor: bool = False
    dependent: bool = True
    relation_start_date: date | None = None
    cohabitation_months: int | None = Field(default=None, ge=0, le=1200)
    known_since: date | None = None
    meetings_count: int | None = Field(default=None, ge=0, le=10_000)
    meetings_days_total: int | None = Field(default=None, ge=0, le=100_000)
    common_child: bool | None = None
    # Renewals (RN-1…RN-4): a member already in Belgium on a family card, described by the sponsor
    card_type: CardType | None = None
    card_expiry: date | None = None
    residence_granted_on: date | None = None
    residence_rule_set: GrantedUnder | None = None

    @field_validator("nationality")
    @classmethod
    def _nationality(cls, value: str | None) -> str | None:
        return None if value is None else _check_country(value)


class Answers(BaseModel):
    """Everything the interview can learn (rules.md §1); every field optional."""

    model_config = ConfigDict(extra="forbid")

    # Block A
    lang: Lang | None = None
    nationalities: list[str] | None = None
    current_location: Literal["abroad", "belgium"] | None = None
    card_type: CardType | None = None
    card_expiry: date | None = None
    refusal_date: date | None = None  # notification of a residence or visa refusal (appeal deadline)
    purposes: list[Purpose] | None = None
    dob: date | None = None
    # Block B — employee
    work_postcode: str | None = None
    region: Region | None = None
    employer_type: EmployerType | None = None
    ict_role: IctRole | None = None
    salary_month_base: Money | None = None
    salary_year: Money | None = None
    months_paid: float | None = Field(default=None, ge=12, le=15)
    contract_months: int | None = Field(default=None, ge=0, le=600)
    qualification: Qualification | None = None
    job_is_highly_qualified: YesNoUnsure | None = None
    work_experience_years: float | None = Field(default=None, ge=0, le=70)
    occupation: str | None = Field(default=None, max_length=200)
    on_list: dict[ShortageList, ListAnswer] | None = None
    special: list[Special] | None = None
    years_worked_be: float | None = Field(default=None, ge=0, le=70)
    legal_residence_since: date | None = None
    worked_in_region_months: int | None = Field(default=None, ge=0, le=840)
    family_legally_resident: bool | None = None
    eu_long_term_resident_elsewhere: bool | None = None
    start_date: date | None = None
    application_date: date | None = None
    # Block C
    se_region: Region | None = None
    se_activity: str | None = Field(default=None, max_length=200)
    se_access_ok: YesNoUnsure | None = None
    study_admitted: bool | None = None
    academic_year: str | None = None
    means_type: MeansType | None = None
    means_month: Money | None = None
    hosting_agreement: bool | None = None
    postdoc: bool | None = None
    graduated_be: bool | None = None
    graduation_date: date | None = None
    mobility_programme: bool | None = None
    # Block D
    longest_absence_months: float | None = Field(default=None, ge=0, le=600)
    total_absence_months: float | None = Field(default=None, ge=0, le=600)
    net_income_month: Money | None = None
    dependants: int | None = Field(default=None, ge=0, le=30)
    # Block F
    sponsor_type: SponsorType | None = None
    sponsor_category: SponsorCategory | None = None
    sponsor_dob: date | None = None
    sponsor_right_date: date | None = None
    worker_visa_date: date | None = None
    members: list[Member] | None = Field(default=None, max_length=20)
    family_application_date: date | None = None
    sponsor_net_income: Money | None = None
    income_source: IncomeSource | None = None
    housing_ok: YesNoUnsure | None = None
    insurance_ok: YesNoUnsure | None = None
    red_flags: bool | None = None
    # Renewals (RN-1…RN-4): the family member's residence already granted (the person's own card:
    # ``card_type`` and ``card_expiry``); since when, and under which rules it was granted
    residence_granted_on: date | None = None
    residence_rule_set: GrantedUnder | None = None

    @field_validator("nationalities")
    @classmethod
    def _nationalities(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        codes = [_check_country(code) for code in value]
        return list(dict.fromkeys(codes))

    @field_validator("work_postcode")
    @classmethod
    def _postcode(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not re.fullmatch(r"[1-9]\d{3}", value):
            raise ValueError("a Belgian postcode of four digits, 1000 to 9999")
        return value

    @field_validator("academic_year")
    @classmethod
    def _academic_year(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = _ACADEMIC_YEAR.match(value.strip())
        if not match or int(match[2]) != int(match[1]) + 1:
            raise ValueError("an academic year written like '2026-2027'")
        return value.strip()

    def has(self, purpose: Purpose) -> bool:
        """True when the person named this purpose."""
        return bool(self.purposes) and purpose in (self.purposes or [])

    def has_special(self, special: Special) -> bool:
        """True when the person declared this special category."""
        return bool(self.special) and special in (self.special or [])
