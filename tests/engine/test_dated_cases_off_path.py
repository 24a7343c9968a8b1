"""Dated cases off the common path (issue 22): renewals of a family residence (RN-1…RN-4), cut-offs
applied exactly to recorded dates, changes of status inside Belgium, sources ranked by authority,
review codes of rules.md §6.3 and the caveat on fees not confirmed for the day.

Each case was worked out by hand from rules.md, the seeds (S001, S004) and the thresholds table;
the wording checks read the FR/NL/EN result text where the wording carries the rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.engine import Answers, Assessment, assess, renewal_questions_matter
from bot.i18n import render
from tests.engine.test_dated_cases import DEC, DatedCase, check_dated_case, w

LANGS = ("fr", "nl", "en")

# A spouse in Belgium on a family-reunification card, renewing it (join_family).
RENEWAL: dict[str, Any] = {
    "nationalities": ["MA"],
    "current_location": "belgium",
    "card_type": "A-family-reunification",
    "purposes": ["join_family"],
    "dob": date(1994, 5, 1),
    "sponsor_type": "tcn_limited",
    "sponsor_category": "other",
    "sponsor_dob": date(1990, 1, 1),
    "sponsor_right_date": date(2021, 3, 1),
    "sponsor_net_income": 2700.0,
    "income_source": "employment",
    "housing_ok": "yes",
    "insurance_ok": "yes",
    "red_flags": False,
    "members": [
        {
            "relation": "spouse",
            "dob": date(1994, 5, 1),
            "nationality": "MA",
            "location": "belgium",
            "relation_start_date": date(2019, 6, 1),
        }
    ],
}


def renewal(**fields: Any) -> dict[str, Any]:
    return {**RENEWAL, **fields}


FLEMISH_LIST: dict[str, Any] = {
    "nationalities": ["MA"],
    "purposes": ["employee"],
    "region": "FL",
    "qualification": "vocational_level_3_4",
    "employer_type": "belgian_employer",
    "salary_year": 32000.0,
    "contract_months": 0,
    "current_location": "abroad",
    "dob": date(1990, 1, 1),
    "on_list": {"FL_VDAB": "no"},
}


def flemish(occupation: str, filed: date) -> dict[str, Any]:
    return {**FLEMISH_LIST, "occupation": occupation, "application_date": filed}


CASES: list[DatedCase] = [
    # --- renewals (RN-1…RN-4, RV-17 as in §6.3) --------------------------------------------------
    DatedCase(
        name="RN-1: residence granted in 2024, renewed in December 2026 under the former rules",
        on=DEC,
        answers=renewal(residence_granted_on=date(2024, 3, 1), card_expiry=date(2027, 3, 1)),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_OE",
        reviews=set(),
    ),
    DatedCase(
        name="RN-1: renewed in September 2027, still the former rules (adviser checks the switch)",
        on=date(2027, 9, 1),
        answers=renewal(residence_granted_on=date(2024, 3, 1), card_expiry=date(2027, 10, 31)),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_OE",
        reviews={"RV-17"},
    ),
    DatedCase(
        name="RN-2: granted in October 2025 under the former rules, renewed before 18 August 2027",
        on=DEC,
        answers=renewal(
            residence_granted_on=date(2025, 10, 1), residence_rule_set="OLD", card_expiry=date(2027, 2, 1)
        ),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_OE",
        reviews={"RV-17"},
    ),
    DatedCase(
        name="RN-3: granted under the new rules, income below the new amount",
        on=DEC,
        answers=renewal(
            residence_granted_on=date(2025, 11, 1),
            residence_rule_set="NEW",
            card_expiry=date(2027, 2, 1),
            sponsor_net_income=2200.0,
        ),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_REVIEW",
        reviews={"RV-17", "RV-22"},
    ),
    DatedCase(
        name="Grant date unknown, sponsor admitted in 2021: the former rules either way (RN-1 or RN-2)",
        on=DEC,
        answers=renewal(card_expiry=date(2027, 2, 1)),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_OE",
        reviews=set(),
    ),
    DatedCase(
        name="Grant date and sponsor's date unknown: an adviser checks the first decision (RV-17)",
        on=DEC,
        answers=renewal(card_expiry=date(2027, 2, 1), sponsor_right_date=None),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_OE",
        reviews={"RV-17"},
    ),
    DatedCase(
        name="Grant date unknown, renewal in September 2027: the date decides (RV-17)",
        on=date(2027, 9, 1),
        answers=renewal(card_expiry=date(2027, 10, 31)),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_OE",
        reviews={"RV-17"},
    ),
    DatedCase(
        name="Sponsor admitted after the reform: the grant was under the new rules (RN-3), RV-17",
        on=DEC,
        answers=renewal(card_expiry=date(2027, 2, 1), sponsor_right_date=date(2025, 9, 1)),
        route=("NO_ROUTE", "R0-5", "review"),
        family="FAM_OE",
        reviews={"RV-17"},
    ),
    # --- cut-offs: recorded dates are exact (issue 22, item 2) -----------------------------------
    DatedCase(
        name="Flemish truck driver who filed on 1 January 2026: off the list, no RV-15",
        on=DEC,
        answers=flemish("truck driver", date(2026, 1, 1)),
        route=("NO_ROUTE", "FL-NONE", "review"),
        family="FAM_NONE",
        reviews={"RV-20"},
    ),
    DatedCase(
        name="Flemish roofer who filed on 31 December 2025: not yet on the list, no RV-15",
        on=DEC,
        answers=flemish("roofer", date(2025, 12, 31)),
        route=("NO_ROUTE", "FL-NONE", "review"),
        family="FAM_NONE",
        reviews={"RV-20"},
    ),
    DatedCase(
        name="Flemish truck driver who filed on 31 December 2025: still admissible",
        on=DEC,
        answers=flemish("vrachtwagenchauffeur", date(2025, 12, 31)),
        route=("MEDIUM_SHORTAGE", "FL-MED", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Flemish roofer who filed on 1 January 2026: on the new list",
        on=DEC,
        answers=flemish("dakdekker", date(2026, 1, 1)),
        route=("MEDIUM_SHORTAGE", "FL-MED", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    DatedCase(
        name="Truck driver planning to file on 2 January 2026: RV-15, but the route stays closed",
        on=date(2025, 12, 20),
        answers=flemish("truck driver", date(2026, 1, 2)),
        route=("NO_ROUTE", "FL-NONE", "review"),
        family="FAM_NONE",
        reviews={"RV-15"},
    ),
    DatedCase(
        name="Sponsor's permit granted on 17 August 2025 (recorded): former rules, no RV-15",
        on=DEC,
        answers=w(
            purposes=["employee", "bring_family"],
            region="BXL",
            salary_month_base=5200.0,
            card_type="A-single-permit",
            current_location="belgium",
            sponsor_right_date=date(2025, 8, 17),
            worker_visa_date=date(2025, 9, 1),
            family_application_date=date(2026, 11, 20),
            sponsor_net_income=3400.0,
            income_source="employment",
            housing_ok="yes",
            insurance_ok="yes",
            red_flags=False,
            application_date=date(2026, 11, 1),
            start_date=date(2026, 11, 1),
            members=[
                {
                    "relation": "spouse",
                    "dob": date(1990, 2, 1),
                    "nationality": "IN",
                    "location": "abroad",
                    "relation_start_date": date(2018, 6, 1),
                }
            ],
        ),
        route=("BLUE_CARD", "BXL-BC", "eligible"),
        family="FAM_OE",
        reviews=set(),
    ),
    # --- changes of status inside Belgium ---------------------------------------------------------
    DatedCase(
        name="Student in Belgium hired in Brussels: highly qualified single permit, filed from Belgium",
        on=DEC,
        answers=w(
            region="BXL",
            salary_month_base=4000.0,
            current_location="belgium",
            card_type="A-student",
            card_expiry=date(2027, 9, 30),
            dob=date(1999, 1, 1),
        ),
        route=("HQ", "BXL-HQ", "eligible"),
        family="FAM_NONE",
        reviews=set(),
    ),
    # --- review codes (§6.3) ----------------------------------------------------------------------
    DatedCase(
        name="Self-employed family member of an EEA national: exemption (RV-21), not RV-20",
        on=DEC,
        answers={
            "nationalities": ["IN"],
            "purposes": ["self_employed"],
            "current_location": "belgium",
            "card_type": "F",
            "se_region": "BXL",
            "se_access_ok": "yes",
        },
        route=("PROFESSIONAL_CARD", "SE-EX", "review"),
        family="FAM_NONE",
        reviews={"RV-21"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_dated_case(case: DatedCase) -> None:
    check_dated_case(case)


def run(answers: dict[str, Any], on: date = DEC) -> Assessment:
    return assess(Answers(**answers), on=on)


def codes(result: Assessment) -> list[str]:
    return [step.code for step in result.next_steps]


def step_text(result: Assessment, code: str, lang: str) -> str:
    step = next(step for step in result.next_steps if step.code == code)
    parts = [step.title, step.timing, step.fee]
    return " ".join(render(part, lang) for part in parts if part is not None)  # type: ignore[arg-type]


# --- renewals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("granted", "under", "on", "expiry", "rule", "rule_set"),
    [
        (date(2024, 3, 1), None, DEC, date(2027, 3, 1), "RN-1", "OLD"),
        (date(2025, 8, 17), None, date(2027, 9, 1), date(2027, 10, 31), "RN-1", "OLD"),
        (date(2025, 8, 18), "OLD", DEC, date(2027, 3, 1), "RN-2", "OLD"),
        (date(2025, 8, 18), "OLD", date(2027, 9, 1), date(2027, 10, 31), "RN-2", "NEW"),
        (date(2025, 10, 1), "NEW", DEC, date(2027, 3, 1), "RN-3", "NEW"),
        (date(2027, 8, 18), None, date(2028, 6, 1), date(2028, 8, 18), "RN-4", "NEW"),
    ],
)
def test_renewal_rule_set_and_window(
    granted: date, under: str | None, on: date, expiry: date, rule: str, rule_set: str
) -> None:
    result = run(renewal(residence_granted_on=granted, residence_rule_set=under, card_expiry=expiry), on)
    found = result.family.renewal
    assert found is not None
    assert (found.rule, found.rule_set, result.family.rule_set) == (rule, rule_set, rule_set)
    assert (found.window_opens, found.window_closes) == (
        date.fromordinal(expiry.toordinal() - 60),
        date.fromordinal(expiry.toordinal() - 30),
    )


def test_rule_set_of_a_grant_in_the_transition_is_implied_by_the_sponsor() -> None:
    """Granted after 18 Aug 2025 to the family of a sponsor admitted in 2021: the application came
    under the former rules (RS-T1), so the grant did too (RN-2)."""
    result = run(renewal(residence_granted_on=date(2025, 10, 1), card_expiry=date(2027, 2, 1)))
    assert result.family.renewal is not None and result.family.renewal.rule == "RN-2"
    assert "residence_rule_set" not in result.missing


def test_a_renewal_is_filed_at_the_commune_without_visa_fee_or_nine_months() -> None:
    result = run(renewal(residence_granted_on=date(2024, 3, 1), card_expiry=date(2027, 3, 1)))
    steps = codes(result)
    assert steps[0] == "FAMILY_RENEWAL_COMMUNE"
    assert not {"FAMILY_VISA", "FAMILY_OE_FEE", "FAMILY_OE_DECISION", "VISA_D"} & set(steps)
    step = result.next_steps[0]
    assert step.due == date(2027, 1, 30) and step.fee_eur == 0.0
    fr, nl, en = (step_text(result, "FAMILY_RENEWAL_COMMUNE", lang) for lang in LANGS)
    assert "31 décembre 2026" in fr and "30 janvier 2027" in fr and "Pas de redevance" in fr
    assert "31 december 2026" in nl and "30 januari 2027" in nl and "Geen retributie" in nl
    assert "31 December 2026" in en and "30 January 2027" in en and "No Immigration Office fee" in en
    for text in (fr, nl, en):
        assert "RN-" not in text and "RV-" not in text


def test_rn1_reason_in_three_languages() -> None:
    result = run(renewal(residence_granted_on=date(2024, 3, 1), card_expiry=date(2027, 3, 1)))
    assert result.family.renewal is not None
    reason = result.family.renewal.reasons[0]
    assert "anciennes règles" in render(reason, "fr")
    assert "oude regels" in render(reason, "nl")
    assert "former rules" in render(reason, "en")


def test_renewal_questions_matter_only_for_a_family_card_held_in_belgium() -> None:
    assert renewal_questions_matter(["join_family"], "belgium", "A-family-reunification")
    assert renewal_questions_matter(["join_family"], "belgium", "F")
    assert not renewal_questions_matter(["join_family"], "abroad", "A-family-reunification")
    assert not renewal_questions_matter(["employee"], "belgium", "A-family-reunification")
    assert not renewal_questions_matter(["join_family"], "belgium", "A-student")
    assert not renewal_questions_matter(None, None, None)


def test_a_first_application_from_abroad_is_not_a_renewal() -> None:
    first = {**RENEWAL, "current_location": "abroad", "card_type": None}
    first["members"] = [{**RENEWAL["members"][0], "location": "abroad"}]
    result = run(first)
    assert result.family.renewal is None
    assert "FAMILY_RENEWAL_COMMUNE" not in codes(result)


# --- cut-offs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("occupation", "filed"), [("truck driver", date(2026, 1, 1)), ("roofer", date(2025, 12, 31))]
)
def test_recorded_filing_date_decides_the_flemish_list_exactly(occupation: str, filed: date) -> None:
    result = run(flemish(occupation, filed))
    medium = next(route for route in result.routes if route.code == "MEDIUM_SHORTAGE")
    assert medium.status == "not_met"
    assert "RV-15" not in {item.code for item in result.review}
    reason = render(medium.reasons[0], "en")
    assert "1 January 2026" in reason


def test_a_planned_date_near_the_cutoff_never_raises_the_status() -> None:
    planned = run(flemish("truck driver", date(2026, 1, 2)), date(2025, 12, 20))
    medium = next(route for route in planned.routes if route.code == "MEDIUM_SHORTAGE")
    assert medium.status == "not_met"
    assert "RV-15" in {item.code for item in planned.review}


# --- changes of status ---------------------------------------------------------------------------

STUDENT_HIRED = w(
    region="BXL",
    salary_month_base=4000.0,
    current_location="belgium",
    card_type="A-student",
    card_expiry=date(2027, 9, 30),
    dob=date(1999, 1, 1),
)


def test_student_to_worker_steps_are_filed_from_belgium_with_the_change_of_status_fee() -> None:
    result = run(STUDENT_HIRED)
    steps = codes(result)
    assert {"STATUS_CHANGE_FILE", "STATUS_CHANGE_COMMUNE", "OE_FEE"} <= set(steps)
    assert not {"SINGLE_PERMIT_FILE", "VISA_D", "COMMUNE_REGISTRATION", "CARD_RENEWAL"} & set(steps)
    fee = next(step for step in result.next_steps if step.code == "OE_FEE")
    assert fee.fee_eur == 148.0 and "P65" in fee.sources
    assert "changement de statut" in step_text(result, "OE_FEE", "fr")
    assert "statuutwijziging" in step_text(result, "OE_FEE", "nl")
    assert "change of status" in step_text(result, "OE_FEE", "en")
    for lang, stay in (("fr", "restez en Belgique"), ("nl", "blijft in België"), ("en", "stay in Belgium")):
        assert stay in step_text(result, "STATUS_CHANGE_FILE", lang)
    assert "still abroad" not in " ".join(step_text(result, code, "en") for code in steps)
    commune = next(step for step in result.next_steps if step.code == "STATUS_CHANGE_COMMUNE")
    assert commune.due == date(2027, 9, 30)


def test_search_year_to_worker_goes_through_the_commune() -> None:
    result = run(
        w(
            region="BXL",
            salary_month_base=4000.0,
            current_location="belgium",
            card_type="A-search-year",
            card_expiry=date(2027, 6, 30),
        )
    )
    assert result.route_code == "SEARCH_YEAR_WORK"
    assert {"STATUS_CHANGE_COMMUNE", "SEARCH_YEAR_SINGLE_PERMIT"} <= set(codes(result))
    fee = next(step for step in result.next_steps if step.code == "OE_FEE")
    assert fee.fee is not None and fee.fee.params["name_key"] == "step.fee_name.FEE_OE_CHANGE_STATUS"


def test_a_student_renewing_studies_pays_no_new_fee() -> None:
    result = run(
        {
            "nationalities": ["CN"],
            "purposes": ["study"],
            "study_admitted": True,
            "current_location": "belgium",
            "card_type": "A-student",
            "card_expiry": date(2027, 9, 30),
            "academic_year": "2026-2027",
            "means_month": 1100.0,
        }
    )
    assert "OE_FEE" not in codes(result) and "STATUS_CHANGE_COMMUNE" not in codes(result)


# --- sources -------------------------------------------------------------------------------------

BXL_WORKER_WITH_SPOUSE = w(
    purposes=["employee", "bring_family"],
    region="BXL",
    salary_month_base=5200.0,
    family_application_date=date(2027, 3, 1),
    sponsor_net_income=3500.0,
    income_source="employment",
    housing_ok="yes",
    insurance_ok="yes",
    red_flags=False,
    members=[
        {
            "relation": "spouse",
            "dob": date(1991, 1, 1),
            "nationality": "IN",
            "location": "abroad",
            "relation_start_date": date(2015, 1, 1),
        }
    ],
)
OPERATOR_ONLY = {"blog", "agency", "party", "mirror"}


@pytest.mark.parametrize(
    ("answers", "region"),
    [
        (BXL_WORKER_WITH_SPOUSE, "BXL"),
        (flemish("truck driver", date(2026, 1, 1)), "FL"),
        (w(region="WAL", salary_year=60000.0), "WAL"),
        (STUDENT_HIRED, "BXL"),
        (
            {
                "nationalities": ["CN"],
                "purposes": ["study"],
                "study_admitted": True,
                "academic_year": "2026-2027",
                "means_month": 1100.0,
                "current_location": "abroad",
            },
            None,
        ),
    ],
    ids=["bxl-family", "fl-truck", "wal-hq", "student-hired", "student"],
)
def test_person_sources_are_few_official_first_titled_and_of_the_region(
    answers: dict[str, Any], region: str | None
) -> None:
    result = run(answers)
    person = result.person_sources
    assert 3 <= len(person) <= 5
    assert person[0].authority == "official"
    ranks = ["official", "law", "institution", "firm", "press"]
    assert [ranks.index(link.authority) for link in person] == sorted(
        ranks.index(other.authority) for other in person
    )
    assert not {link.authority for link in person} & OPERATOR_ONLY
    assert len({link.url for link in person}) == len(person)
    for link in person:
        assert link.url and link.url.startswith("https://")
        assert all(link.titles[lang] for lang in LANGS) and link.checked is not None
    others = {"BXL", "FL", "WAL", "DG"} - {region}
    from bot.engine import source_register

    register = source_register()
    for link in person:
        regions = {part.strip() for part in register[link.id].region.split(";")}
        assert "national" in regions or not regions & others


def test_the_immigration_office_page_behind_the_seeds_is_shown_first_with_its_address() -> None:
    result = run(BXL_WORKER_WITH_SPOUSE)
    first = result.person_sources[0]
    assert first.id == "S001" and first.url == "https://dofi.ibz.be/fr/themes/third-country-nationals/travail"
    assert first.titles["fr"].startswith("Office des étrangers")
    assert first.titles["nl"].startswith("Dienst Vreemdelingenzaken")
    assert first.titles["en"].startswith("Immigration Office")


def test_operators_still_see_blogs_and_mirrors_marked() -> None:
    result = run(BXL_WORKER_WITH_SPOUSE)
    hidden = [link for link in result.sources if link.authority in OPERATOR_ONLY]
    assert hidden and not any(link.shown_to_person for link in hidden)
    assert "S003" in {link.id for link in hidden}


def test_the_student_amount_cites_its_own_sources_not_the_older_pages() -> None:
    result = run(
        {
            "nationalities": ["CN"],
            "purposes": ["study"],
            "study_admitted": True,
            "academic_year": "2026-2027",
            "means_month": 1100.0,
            "current_location": "abroad",
        }
    )
    student = result.routes[0]
    assert student.code == "STUDENT" and "P88" in student.sources
    assert "P46" not in student.sources
    shown = {link.id for link in result.person_sources}
    assert "P88" in shown and "P46" not in shown  # the page stating 1 062 EUR, not the 835 EUR mirror


# --- review codes and fee caveats ----------------------------------------------------------------


def test_a_plain_income_shortfall_is_rv22_not_rv07() -> None:
    result = run({**BXL_WORKER_WITH_SPOUSE, "sponsor_net_income": 1800.0})
    found = {item.code for item in result.review}
    assert "RV-22" in found and "RV-07" not in found


def test_the_visa_fee_of_2019_carries_a_caveat_in_three_languages() -> None:
    result = run(w(region="BXL", salary_month_base=5000.0))
    visa = next(step for step in result.next_steps if step.code == "VISA_D")
    assert visa.fee_eur == 180.0
    fr, nl, en = (render(visa.fee, lang) for lang in LANGS)  # type: ignore[arg-type]
    assert "2019" in fr and "vérifiez le montant actuel" in fr
    assert "2019" in nl and "controleer het huidige bedrag" in nl
    assert "2019" in en and "check the current amount" in en


def test_an_undated_fee_says_its_date_is_not_known() -> None:
    result = run(
        {
            "nationalities": ["IN"],
            "purposes": ["self_employed"],
            "se_region": "FL",
            "se_access_ok": "yes",
            "current_location": "abroad",
        }
    )
    step = next(step for step in result.next_steps if step.code == "PROFCARD_APPLY")
    assert "date of this amount is not known" in render(step.fee, "en")  # type: ignore[arg-type]


def test_a_fee_confirmed_for_the_day_has_no_caveat() -> None:
    answers = w(
        region="BXL",
        salary_month_base=5000.0,
        application_date=date(2025, 6, 10),
        start_date=date(2025, 9, 1),
    )
    result = run(answers, date(2025, 6, 1))
    fee = next(step for step in result.next_steps if step.code == "OE_FEE")
    assert fee.fee is not None and fee.fee.key == "step.fee.single"


def test_a_fee_reported_by_one_source_says_so() -> None:
    """The Flemish fee of 180 EUR from 1 September 2026 rests on one source (P13, confidence M)."""
    result = run(w(region="FL", salary_year=70000.0, job_is_highly_qualified="yes"))
    step = next(step for step in result.next_steps if step.code == "SINGLE_PERMIT_FILE")
    assert step.fee_eur == 180.0
    assert "not confirmed by the authority" in render(step.fee, "en")  # type: ignore[arg-type]
    assert "pas confirmé par l’autorité" in render(step.fee, "fr")  # type: ignore[arg-type]
    assert "niet bevestigd door de overheid" in render(step.fee, "nl")  # type: ignore[arg-type]


def test_a_renewal_without_a_member_list_is_the_person_alone() -> None:
    answers = {key: value for key, value in RENEWAL.items() if key != "members"}
    result = run({**answers, "residence_granted_on": date(2024, 3, 1), "card_expiry": date(2027, 3, 1)})
    assert (result.family.outcome, result.family.rule_set) == ("FAM_OE", "OLD")
    assert result.family.income_required == 2131.28  # the former rules' flat amount
    assert {item.code for item in result.review} == set()
    assert codes(result)[0] == "FAMILY_RENEWAL_COMMUNE"


@pytest.mark.parametrize(
    ("on", "flagged"), [(date(2026, 8, 20), True), (date(2026, 12, 7), False)], ids=["planned", "recorded"]
)
def test_the_flemish_fee_start_is_a_cutoff_only_for_a_planned_date(on: date, flagged: bool) -> None:
    answers = w(
        region="FL",
        salary_year=70000.0,
        job_is_highly_qualified="yes",
        application_date=date(2026, 9, 2),
        start_date=date(2026, 11, 1),
    )
    result = run(answers, on)
    assert (result.routes[0].code, result.routes[0].status) == ("BLUE_CARD", "eligible")
    assert ("RV-15" in {item.code for item in result.review}) is flagged


def test_a_first_grant_says_which_rules_its_renewals_will_follow() -> None:
    """RN-3 for a family admitted under the new rules; RN-2 for one admitted under the former."""
    new = run(BXL_WORKER_WITH_SPOUSE)
    step = next(step for step in new.next_steps if step.code == "FAMILY_RENEWAL")
    assert new.family.rule_set == "NEW" and step.timing is not None
    assert step.timing.key == "step.FAMILY_RENEWAL.timing_new"
    assert "nouvelles règles" in render(step.timing, "fr")
    old_case = next(case for case in CASES if "17 August 2025 (recorded)" in case.name)
    old = run(old_case.answers)
    step = next(step for step in old.next_steps if step.code == "FAMILY_RENEWAL")
    assert old.family.rule_set == "OLD" and step.timing is not None
    assert "18 augustus 2027" in render(step.timing, "nl") and "oude regels" in render(step.timing, "nl")


SPONSOR_WITH_MEMBER_RENEWING = w(
    purposes=["employee", "bring_family"],
    region="BXL",
    salary_month_base=5200.0,
    current_location="belgium",
    card_type="A-single-permit",
    card_expiry=date(2027, 10, 1),
    sponsor_right_date=date(2023, 1, 10),
    sponsor_net_income=3600.0,
    income_source="employment",
    housing_ok="yes",
    insurance_ok="yes",
    red_flags=False,
    members=[
        {
            "relation": "spouse",
            "dob": date(1990, 1, 1),
            "nationality": "IN",
            "location": "belgium",
            "card_type": "A-family-reunification",
            "card_expiry": date(2027, 3, 1),
            "residence_granted_on": date(2024, 3, 1),
        }
    ],
)


def test_a_sponsor_renewing_a_members_card_gets_the_members_window_and_rules() -> None:
    result = run(SPONSOR_WITH_MEMBER_RENEWING)
    renewal = result.family.renewal
    assert renewal is not None and (renewal.who, renewal.rule, renewal.rule_set) == ("member", "RN-1", "OLD")
    assert "FAMILY_RENEWAL_COMMUNE_MEMBER" in codes(result) and "FAMILY_RENEWAL_COMMUNE" not in codes(result)
    assert not {"FAMILY_VISA", "FAMILY_OE_FEE", "FAMILY_OE_DECISION"} & set(codes(result))
    step = next(step for step in result.next_steps if step.code == "FAMILY_RENEWAL_COMMUNE_MEMBER")
    assert step.due == date(2027, 1, 30)
    assert "votre proche" in render(step.title, "fr").lower()
    assert "uw familielid" in render(step.title, "nl").lower()
    assert "your family member" in render(step.title, "en").lower()
    assert "votre proche" in render(renewal.reasons[0], "fr").lower()


def test_a_member_joining_from_abroad_beside_one_renewing_is_a_first_application() -> None:
    answers = dict(SPONSOR_WITH_MEMBER_RENEWING)
    answers["members"] = [
        *SPONSOR_WITH_MEMBER_RENEWING["members"],
        {"relation": "child_minor", "dob": date(2016, 1, 1), "nationality": "IN", "location": "abroad"},
    ]
    result = run(answers)
    assert result.family.renewal is None and "FAMILY_RENEWAL_COMMUNE_MEMBER" not in codes(result)
