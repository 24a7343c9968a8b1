"""Next steps (rules.md §5): steps per route and family outcome, due dates, fees, wording, sources."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import (
    Answers,
    Context,
    FamilyOutcome,
    FamilyResult,
    Member,
    MemberResult,
    NextStep,
    RouteCode,
    RouteResult,
    assess,
    catalogue,
    catalogue_problems,
    plan_next_steps,
    source_register,
)
from bot.i18n import LANGS, catalog, placeholders, render
from tests.engine.strategies import answers as any_answers

CAT = catalogue()


def ctx(on: date, ref: date | None = None) -> Context:
    return Context.for_day(on, ref)


def plan(
    answers: Answers,
    route: str = "HQ",
    *,
    on: date = date(2026, 3, 2),
    ref: date | None = None,
    status: str = "eligible",
    family: FamilyResult | None = None,
) -> list[NextStep]:
    best = RouteResult(code=route, rule="TEST", status=status)
    return plan_next_steps(answers, ctx(on, ref), [best], family or FamilyResult())


def step(steps: list[NextStep], code: str) -> NextStep:
    found = [s for s in steps if s.code == code]
    assert len(found) == 1, [s.code for s in steps]
    return found[0]


def codes(steps: list[NextStep]) -> list[str]:
    return [s.code for s in steps]


ABROAD = {"nationalities": ["IN"], "current_location": "abroad", "region": "BXL"}
ARRIVAL = [
    "VISA_D",
    "COMMUNE_REGISTRATION",
    "POLICE_CHECK",
    "CARD_BIOMETRICS",
    "HEALTH_INSURANCE",
    "CHANGE_NOTIFY",
]
SP_HEAD = ["OE_FEE", "SINGLE_PERMIT_FILE", "SINGLE_PERMIT_DECISION"]
SP_TAIL = ["SINGLE_PERMIT_RENEWAL", "CARD_RENEWAL", "APPEAL_CCE"]

# Every route code of contract.md with the steps §5 gives it, in order (a person abroad, Brussels).
ROUTE_STEPS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("BELGIAN", {"nationalities": ["BE"]}, []),
    (
        "EU_REG",
        {"nationalities": ["FR"], "current_location": "abroad"},
        ["EU_SHORT_STAY_REPORT", "EU_REGISTER", "EU_CARD", "CHANGE_NOTIFY", "EU_PERMANENT_RESIDENCE"],
    ),
    (
        "UNLIMITED_STAY",
        {"nationalities": ["IN"], "current_location": "belgium", "card_type": "B"},
        ["RESIDENCE_WORK_ACCESS", "CHANGE_NOTIFY"],
    ),
    (
        "SEARCH_YEAR_WORK",
        {"nationalities": ["IN"], "current_location": "belgium", "card_type": "A-search-year"},
        [
            "SEARCH_YEAR_WORK_NOW",
            "OE_FEE",
            "SEARCH_YEAR_SINGLE_PERMIT",
            "STATUS_CHANGE_COMMUNE",  # change of status from Belgium (issue 22)
            "SINGLE_PERMIT_DECISION",
            "CHANGE_NOTIFY",
            "APPEAL_CCE",
        ],
    ),
    (
        "BLUE_CARD",
        ABROAD,
        ["OE_FEE", "SINGLE_PERMIT_FILE", "BLUE_CARD_DECISION", *ARRIVAL, "ANNUAL_THRESHOLD_CHECK", *SP_TAIL],
    ),
    ("HQ", ABROAD, [*SP_HEAD, *ARRIVAL, "ANNUAL_THRESHOLD_CHECK", *SP_TAIL]),
    ("HQ_REDUCED", ABROAD, [*SP_HEAD, *ARRIVAL, "ANNUAL_THRESHOLD_CHECK", *SP_TAIL]),
    ("EXEC", ABROAD, [*SP_HEAD, *ARRIVAL, "ANNUAL_THRESHOLD_CHECK", *SP_TAIL]),
    ("MEDIUM_SHORTAGE", {**ABROAD, "region": "FL"}, [*SP_HEAD, *ARRIVAL, *SP_TAIL]),
    ("SHORTAGE", ABROAD, [*SP_HEAD, *ARRIVAL, *SP_TAIL]),
    ("LABOUR_MARKET_TEST", ABROAD, [*SP_HEAD, *ARRIVAL, *SP_TAIL]),
    ("ICT", ABROAD, [*SP_HEAD, *ARRIVAL, "ANNUAL_THRESHOLD_CHECK", *SP_TAIL]),
    (
        "UNLIMITED",
        {"nationalities": ["MA"], "current_location": "belgium", "card_type": "A-single-permit"},
        ["UNLIMITED_FILE", "UNLIMITED_DECISION", "CHANGE_NOTIFY", "CARD_RENEWAL"],
    ),
    (
        "LTR",
        {"nationalities": ["IN"], "current_location": "belgium", "card_type": "A-single-permit"},
        ["LTR_APPLY", "LTR_DECISION", "CHANGE_NOTIFY"],
    ),
    (
        "PROFESSIONAL_CARD",
        {"nationalities": ["US"], "current_location": "abroad", "se_region": "WAL"},
        [
            "OE_FEE",
            "PROFCARD_APPLY",
            "PROFCARD_EXAMINATION",
            *ARRIVAL,
            "PROFCARD_RENEWAL",
            "CARD_RENEWAL",
            "APPEAL_CCE",
        ],
    ),
    (
        "STUDENT",
        {"nationalities": ["NG"], "current_location": "abroad"},
        ["OE_FEE", "STUDENT_VISA", *ARRIVAL[1:], "CARD_RENEWAL", "APPEAL_CCE"],
    ),
    ("RESEARCHER", ABROAD, [*SP_HEAD, *ARRIVAL, *SP_TAIL]),
    (
        "SEARCH_YEAR",
        {"nationalities": ["CN"], "current_location": "belgium", "card_type": "A-student"},
        [
            "SEARCH_YEAR_APPLY",
            "SEARCH_YEAR_DECISION",
            "CARD_BIOMETRICS",
            "SEARCH_YEAR_CARD",
            "CHANGE_NOTIFY",
            "APPEAL_CCE",
        ],
    ),
    (
        "DG_REVIEW",
        {**ABROAD, "region": "DG"},
        ["DG_CONTACT", "OE_FEE", *ARRIVAL, "CARD_RENEWAL", "APPEAL_CCE"],
    ),
    ("NO_ROUTE", ABROAD, ["ADVISER_CHECK"]),
]


def test_every_route_code_and_family_outcome_has_a_plan() -> None:
    assert set(get_args(RouteCode)) == {code for code, _, _ in ROUTE_STEPS}
    assert set(get_args(RouteCode)) <= CAT.plans.routes.keys()
    assert set(get_args(FamilyOutcome)) <= CAT.plans.family.keys()


@pytest.mark.parametrize(("route", "given", "expected"), ROUTE_STEPS, ids=[r for r, _, _ in ROUTE_STEPS])
def test_steps_per_route_in_order(route: str, given: dict[str, Any], expected: list[str]) -> None:
    assert codes(plan(Answers(**given), route)) == expected


@pytest.mark.parametrize(
    ("given", "route", "present", "absent"),
    [
        # Flanders, highly qualified: fast lane instead of the 4-month decision; under-30 rate ends at 30.
        ({**ABROAD, "region": "FL"}, "HQ", ["SINGLE_PERMIT_FAST_LANE"], ["SINGLE_PERMIT_DECISION"]),
        ({**ABROAD, "region": "FL"}, "HQ_REDUCED", ["REDUCED_RATE_END"], ["SINGLE_PERMIT_DECISION"]),
        ({**ABROAD, "region": "FL", "special": ["nurse"]}, "HQ_REDUCED", [], ["REDUCED_RATE_END"]),
        ({**ABROAD, "region": "FL"}, "EXEC", ["SINGLE_PERMIT_DECISION"], ["SINGLE_PERMIT_FAST_LANE"]),
        # Already in Belgium with a residence card: no visa, no first registration.
        (
            {
                "nationalities": ["IN"],
                "current_location": "belgium",
                "card_type": "A-student",
                "region": "BXL",
            },
            "HQ",
            ["OE_FEE", "CARD_BIOMETRICS"],
            ["VISA_D", "COMMUNE_REGISTRATION", "POLICE_CHECK", "HEALTH_INSURANCE"],
        ),
        # In Belgium on a short stay: a visa D is still needed.
        ({"nationalities": ["IN"], "current_location": "belgium", "card_type": "none"}, "HQ", ["VISA_D"], []),
        # Student renewing: no new OE fee.
        (
            {"nationalities": ["IN"], "current_location": "belgium", "card_type": "A-student"},
            "STUDENT",
            [],
            ["OE_FEE"],
        ),
        # Graduated abroad after a mobility programme: embassy within 3 months, not the commune.
        (
            {
                "nationalities": ["CN"],
                "current_location": "abroad",
                "mobility_programme": True,
                "graduated_be": False,
            },
            "SEARCH_YEAR",
            ["SEARCH_YEAR_ABROAD", "COMMUNE_REGISTRATION"],
            ["SEARCH_YEAR_APPLY", "SEARCH_YEAR_DECISION"],
        ),
    ],
)
def test_conditional_steps(given: dict[str, Any], route: str, present: list[str], absent: list[str]) -> None:
    found = codes(plan(Answers(**given), route, ref=date(2026, 9, 1)))
    assert set(present) <= set(found)
    assert not set(absent) & set(found)


def test_route_under_review_starts_with_an_adviser_and_not_met_gives_only_that() -> None:
    review = codes(plan(Answers(**ABROAD), "HQ", status="review"))
    assert review[0] == "ADVISER_CHECK"
    assert review[1:] == codes(plan(Answers(**ABROAD), "HQ"))
    assert codes(plan(Answers(**ABROAD), "HQ", status="not_met")) == ["ADVISER_CHECK"]


@pytest.mark.parametrize(
    ("outcome", "family_steps"),
    [
        (
            "FAM_EXOFFICIO",
            [
                "FAMILY_OE_FEE",
                "FAMILY_VISA",
                "FAMILY_EXOFFICIO",
                "FAMILY_COMMUNE_REGISTRATION",
                "FAMILY_RENEWAL",
            ],
        ),
        (
            "FAM_OE",
            [
                "FAMILY_OE_FEE",
                "FAMILY_VISA",
                "FAMILY_OE_DECISION",
                "FAMILY_COMMUNE_REGISTRATION",
                "FAMILY_RENEWAL",
            ],
        ),
        ("FAM_NOT_YET", ["FAMILY_NOT_YET"]),
        ("FAM_REVIEW", ["FAMILY_ADVISER"]),
        ("FAM_NOT_ELIGIBLE", ["FAMILY_ALTERNATIVES"]),
        ("FAM_NONE", []),
    ],
)
def test_family_steps_follow_the_route_steps_without_duplicates(
    outcome: str, family_steps: list[str]
) -> None:
    route_only = codes(plan(Answers(**ABROAD), "HQ"))
    both = codes(plan(Answers(**ABROAD), "HQ", family=FamilyResult(outcome=outcome)))
    assert both == route_only + family_steps  # APPEAL_CCE appears once, with the route's steps
    assert len(both) == len(set(both))


def test_family_member_without_own_route_gets_only_family_steps() -> None:
    found = codes(plan(Answers(**ABROAD), "NO_ROUTE", status="review", family=FamilyResult(outcome="FAM_OE")))
    assert found[0] == "FAMILY_OE_FEE"
    assert "ADVISER_CHECK" not in found


# ---------------------------------------------------------------------------------------------
# Due dates


@pytest.mark.parametrize(
    ("given", "route", "code", "on", "due", "timing_suffix"),
    [
        # 8 working days after arrival (example: the start date), across Easter Monday.
        (
            {**ABROAD, "start_date": date(2026, 3, 31)},
            "HQ",
            "COMMUNE_REGISTRATION",
            date(2026, 1, 5),
            date(2026, 4, 13),
            "dated",
        ),
        # ... across Christmas and New Year (both on a Friday in 2026).
        (
            {**ABROAD, "start_date": date(2026, 12, 23)},
            "HQ",
            "COMMUNE_REGISTRATION",
            date(2026, 1, 5),
            date(2027, 1, 6),
            "dated",
        ),
        (
            {**ABROAD, "start_date": date(2026, 3, 31)},
            "HQ",
            "COMMUNE_REGISTRATION",
            date(2026, 4, 14),
            date(2026, 4, 13),
            "passed",
        ),
        # EU registration: 3 months after arrival, last day of a shorter month.
        (
            {"nationalities": ["FR"], "start_date": date(2026, 8, 31)},
            "EU_REG",
            "EU_REGISTER",
            date(2026, 3, 2),
            date(2026, 11, 30),
            "dated",
        ),
        # Search year: 15 days before the student card expires.
        (
            {
                "nationalities": ["CN"],
                "current_location": "belgium",
                "card_type": "A-student",
                "card_expiry": date(2026, 10, 31),
            },
            "SEARCH_YEAR",
            "SEARCH_YEAR_APPLY",
            date(2026, 10, 16),
            date(2026, 10, 16),
            "dated",
        ),
        (
            {
                "nationalities": ["CN"],
                "current_location": "belgium",
                "card_type": "A-student",
                "card_expiry": date(2026, 10, 31),
            },
            "SEARCH_YEAR",
            "SEARCH_YEAR_APPLY",
            date(2026, 10, 17),
            date(2026, 10, 16),
            "passed",
        ),
        # Search year after a mobility programme: 3 months after graduation.
        (
            {"nationalities": ["CN"], "mobility_programme": True, "graduation_date": date(2026, 6, 30)},
            "SEARCH_YEAR",
            "SEARCH_YEAR_ABROAD",
            date(2026, 7, 1),
            date(2026, 9, 30),
            "dated",
        ),
        # Card renewal: window from the 60th to the 30th day before expiry; due = the 30th day (K-7).
        (
            {
                "nationalities": ["IN"],
                "current_location": "belgium",
                "card_type": "A-single-permit",
                "card_expiry": date(2027, 3, 31),
                "region": "BXL",
            },
            "HQ",
            "CARD_RENEWAL",
            date(2026, 6, 1),
            date(2027, 3, 1),
            "dated",
        ),
        # Single-permit renewal: at least 2 months before the card expires.
        (
            {
                "nationalities": ["IN"],
                "current_location": "belgium",
                "card_type": "A-single-permit",
                "card_expiry": date(2027, 3, 31),
                "region": "BXL",
            },
            "HQ",
            "SINGLE_PERMIT_RENEWAL",
            date(2026, 6, 1),
            date(2027, 1, 31),
            "dated",
        ),
        # Professional card: at least 3 months before expiry.
        (
            {
                "nationalities": ["US"],
                "current_location": "belgium",
                "card_type": "other",
                "card_expiry": date(2027, 6, 30),
            },
            "PROFESSIONAL_CARD",
            "PROFCARD_RENEWAL",
            date(2026, 6, 1),
            date(2027, 3, 30),
            "dated",
        ),
        # Single-permit decision: 4 months after a complete file.
        (
            {**ABROAD, "application_date": date(2026, 10, 31)},
            "HQ",
            "SINGLE_PERMIT_DECISION",
            date(2026, 3, 2),
            date(2027, 2, 28),
            "dated",
        ),
        # Flanders fast lane: 15 days.
        (
            {**ABROAD, "region": "FL", "application_date": date(2026, 5, 1)},
            "HQ",
            "SINGLE_PERMIT_FAST_LANE",
            date(2026, 3, 2),
            date(2026, 5, 16),
            "dated",
        ),
        # File early enough for a decision by the start date (4 months before).
        (
            {**ABROAD, "start_date": date(2026, 9, 1)},
            "HQ",
            "SINGLE_PERMIT_FILE",
            date(2026, 3, 2),
            date(2026, 5, 1),
            "dated",
        ),
        # Long-term residence: decision within 5 months.
        (
            {
                "nationalities": ["IN"],
                "current_location": "belgium",
                "card_type": "A-single-permit",
                "application_date": date(2026, 1, 31),
            },
            "LTR",
            "LTR_DECISION",
            date(2026, 3, 2),
            date(2026, 6, 30),
            "dated",
        ),
        # Flanders under-30 rate ends on the 30th birthday (29 February → 1 March).
        (
            {**ABROAD, "region": "FL", "dob": date(2000, 2, 29)},
            "HQ_REDUCED",
            "REDUCED_RATE_END",
            date(2026, 3, 2),
            date(2030, 3, 1),
            "dated",
        ),
    ],
)
def test_due_dates(
    given: dict[str, Any], route: str, code: str, on: date, due: date, timing_suffix: str
) -> None:
    found = step(plan(Answers(**given), route, on=on), code)
    assert found.due == due
    assert found.timing is not None
    assert found.timing.key == f"step.{code}.timing_{timing_suffix}"
    assert found.timing.params["due_date"] == due.isoformat()


@pytest.mark.parametrize(
    ("ref", "on", "expected"),
    [
        (date(2026, 9, 1), date(2026, 3, 2), date(2027, 1, 1)),
        (date(2026, 12, 31), date(2026, 3, 2), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2026, 3, 2), date(2028, 1, 1)),
        (
            date(2025, 3, 1),
            date(2026, 6, 1),
            date(2027, 1, 1),
        ),  # application in the past: the next one to come
    ],
)
def test_annual_threshold_check_is_the_next_first_of_january(ref: date, on: date, expected: date) -> None:
    found = step(plan(Answers(**ABROAD), "HQ", on=on, ref=ref), "ANNUAL_THRESHOLD_CHECK")
    assert found.due == expected
    assert found.timing_kind == "indicative"


def test_card_renewal_timing_names_the_sixtieth_and_the_thirtieth_day() -> None:
    given = Answers(
        nationalities=["IN"],
        current_location="belgium",
        card_type="H-Blue-Card",
        card_expiry=date(2026, 12, 31),
    )
    found = step(plan(given, "BLUE_CARD", on=date(2026, 6, 1)), "CARD_RENEWAL")
    assert found.due == date(2026, 12, 1)
    assert found.timing_kind == "deadline"
    assert found.timing is not None
    assert found.timing.params["window_start_date"] == "2026-11-01"
    assert "1 November 2026" in render(found.timing, "en") and "1 December 2026" in render(found.timing, "en")


def test_no_card_dates_when_the_card_is_of_another_kind_or_the_person_abroad() -> None:
    in_belgium = Answers(
        nationalities=["IN"], current_location="belgium", card_type="A-student", card_expiry=date(2027, 3, 31)
    )
    assert (
        step(plan(in_belgium, "HQ"), "SINGLE_PERMIT_RENEWAL").due is None
    )  # a student card is not a single permit
    abroad = Answers(
        nationalities=["IN"],
        current_location="abroad",
        card_type="A-single-permit",
        card_expiry=date(2027, 3, 31),
    )
    assert step(plan(abroad, "HQ"), "CARD_RENEWAL").due is None


@pytest.mark.parametrize(
    ("visa", "outcome", "on", "due", "suffix", "kind"),
    [
        (date(2026, 3, 15), "FAM_EXOFFICIO", date(2026, 4, 1), date(2026, 9, 15), "dated", "deadline"),
        (
            date(2026, 8, 31),
            "FAM_EXOFFICIO",
            date(2026, 9, 1),
            date(2027, 2, 28),
            "dated",
            "deadline",
        ),  # 31 Aug → end Feb
        (
            date(2027, 8, 31),
            "FAM_EXOFFICIO",
            date(2027, 9, 1),
            date(2028, 2, 29),
            "dated",
            "deadline",
        ),  # leap year
        (
            date(2026, 8, 31),
            "FAM_EXOFFICIO",
            date(2027, 2, 28),
            date(2027, 2, 28),
            "dated",
            "deadline",
        ),  # last day included
        (date(2026, 8, 31), "FAM_EXOFFICIO", date(2027, 3, 1), date(2027, 2, 28), "passed", "deadline"),
        (date(2026, 8, 31), "FAM_OE", date(2026, 9, 1), date(2027, 2, 28), "dated_oe", "indicative"),
    ],
)
def test_ex_officio_window_ends_six_months_after_the_worker_visa(
    visa: date, outcome: str, on: date, due: date, suffix: str, kind: str
) -> None:
    given = Answers(**ABROAD, worker_visa_date=visa)
    found = step(plan(given, "HQ", on=on, family=FamilyResult(outcome=outcome)), "FAMILY_VISA")
    assert found.due == due
    assert found.timing is not None and found.timing.key == f"step.FAMILY_VISA.timing_{suffix}"
    assert found.timing_kind == kind


def test_family_oe_decision_nine_months_extendable_twice_by_three() -> None:
    given = Answers(**ABROAD, family_application_date=date(2026, 5, 31))
    found = step(plan(given, "HQ", family=FamilyResult(outcome="FAM_OE")), "FAMILY_OE_DECISION")
    assert found.due == date(2027, 2, 28)
    assert found.timing is not None and found.timing.params["max_date"] == "2027-08-31"


def test_family_not_yet_gives_the_date_everyone_can_apply() -> None:
    family = FamilyResult(
        outcome="FAM_NOT_YET",
        members=[
            MemberResult(relation="spouse", outcome="FAM_NOT_YET", eligible_from=date(2026, 9, 15)),
            MemberResult(relation="child_minor", outcome="FAM_OE"),
        ],
    )
    found = step(plan(Answers(**ABROAD), "HQ", family=family), "FAMILY_NOT_YET")
    assert found.due == date(2026, 9, 15)


# ---------------------------------------------------------------------------------------------
# Fees by date and exemptions


@pytest.mark.parametrize(
    ("region", "on", "fee"),
    [
        ("FL", date(2026, 8, 31), None),
        ("FL", date(2026, 9, 1), 180.0),
        ("BXL", date(2026, 9, 1), None),
        ("WAL", date(2027, 1, 4), None),
    ],
)
def test_flemish_regional_fee_from_1_september_2026_only(region: str, on: date, fee: float | None) -> None:
    found = step(plan(Answers(**{**ABROAD, "region": region}), "HQ", on=on), "SINGLE_PERMIT_FILE")
    assert found.fee_eur == fee
    assert (found.fee is None) is (fee is None)


@pytest.mark.parametrize(
    ("application", "fee"),
    [(date(2026, 8, 31), None), (date(2026, 9, 1), 180.0)],
)
def test_regional_fee_uses_the_filing_date_when_known(application: date, fee: float | None) -> None:
    given = Answers(**{**ABROAD, "region": "FL", "application_date": application})
    assert step(plan(given, "LABOUR_MARKET_TEST", on=date(2026, 3, 2)), "SINGLE_PERMIT_FILE").fee_eur == fee


@pytest.mark.parametrize(
    ("expiry", "fee"),
    [(date(2026, 10, 31), None), (date(2026, 11, 1), 180.0)],  # renewal due 31 Aug vs 1 Sep 2026
)
def test_renewal_fee_is_looked_up_on_the_renewal_date(expiry: date, fee: float | None) -> None:
    given = Answers(
        nationalities=["IN"],
        current_location="belgium",
        card_type="A-single-permit",
        card_expiry=expiry,
        region="FL",
    )
    assert step(plan(given, "SHORTAGE", on=date(2026, 3, 2)), "SINGLE_PERMIT_RENEWAL").fee_eur == fee


@pytest.mark.parametrize(
    ("on", "key", "amount"),
    [
        (date(2024, 6, 1), "step.fee.single", 144.0),
        (date(2025, 12, 31), "step.fee.single", 148.0),
        (date(2026, 1, 1), "step.fee.single_stale", 148.0),  # 2025 amount, indexed each 1 January (K-13)
    ],
)
def test_oe_fee_by_date_and_stale_from_2026(on: date, key: str, amount: float) -> None:
    found = step(plan(Answers(**ABROAD), "HQ", on=on), "OE_FEE")
    assert found.fee is not None and found.fee.key == key
    assert found.fee_eur == amount
    if key.endswith("_stale"):
        assert found.fee.params["year"] == 2025
        assert "2025 amount, indexed each 1 January" in render(found.fee, "en")
        assert "montant 2025, indexé chaque 1er janvier" in render(found.fee, "fr")
        assert "bedrag 2025, elk jaar op 1 januari geïndexeerd" in render(found.fee, "nl")


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"dob": date(2008, 6, 2)}, "step.exempt.minor"),  # 17 on 1 June 2026
        ({"nationalities": ["TR"]}, "step.exempt.turkey"),
        ({"nationalities": ["IN", "TR"]}, "step.exempt.turkey"),
    ],
)
def test_oe_fee_exemptions(given: dict[str, Any], reason: str) -> None:
    found = step(plan(Answers(**{**ABROAD, **given}), "HQ", on=date(2026, 6, 1)), "OE_FEE")
    assert found.fee_eur == 0.0
    assert found.fee is not None and found.fee.params["reason_key"] == reason


def test_applicant_who_turned_18_pays_the_oe_fee() -> None:
    found = step(plan(Answers(**ABROAD, dob=date(2008, 6, 1)), "HQ", on=date(2026, 6, 1)), "OE_FEE")
    assert found.fee_eur == 148.0


def test_student_fee_shows_public_and_private_amounts() -> None:
    found = step(plan(Answers(nationalities=["NG"]), "STUDENT", on=date(2025, 6, 1)), "OE_FEE")
    assert found.fee is not None and found.fee.key == "step.fee.oe_choice"
    assert (found.fee_eur, found.fee.params["other_eur"]) == (245.0, 236.0)


SPOUSE = {"relation": "spouse", "dob": date(1990, 1, 1), "nationality": "IN"}
CHILD = {"relation": "child_minor", "dob": date(2015, 1, 1), "nationality": "IN"}


@pytest.mark.parametrize(
    ("members", "sponsor", "fee", "exempt_reason"),
    [
        ([SPOUSE, CHILD], None, 213.0, None),  # the child under 18 does not pay
        (
            [SPOUSE, {**SPOUSE, "relation": "child_adult_disabled", "dob": date(2004, 1, 1)}],
            None,
            426.0,
            None,
        ),
        ([SPOUSE, {**CHILD, "dob": date(2008, 6, 1)}], None, 426.0, None),  # 18 on the application day
        ([{**SPOUSE, "nationality": "TR"}, CHILD], None, 0.0, "step.exempt.family_all"),
        ([{**SPOUSE, "nationality": "FR"}], None, 0.0, "step.exempt.family_all"),  # EU national
        ([SPOUSE], "eu_eea_ch", 0.0, "step.exempt.eu_family"),
        (
            [
                {**SPOUSE, "resident_with_sponsor": True},
                CHILD,
                {**SPOUSE, "relation": "child_adult_disabled"},
            ],
            None,
            213.0,
            None,
        ),
        (
            [{"relation": "child_minor"}],
            None,
            0.0,
            "step.exempt.family_all",
        ),  # no date of birth: a minor child
    ],
)
def test_family_fee_per_paying_adult(
    members: list[dict[str, Any]], sponsor: str | None, fee: float, exempt_reason: str | None
) -> None:
    given = Answers(
        **ABROAD,
        members=[Member(**m) for m in members],
        sponsor_type=sponsor,
        family_application_date=date(2026, 6, 1),
    )
    fee_step = "EU_FAMILY_APPLY" if sponsor == "eu_eea_ch" else "FAMILY_OE_FEE"
    found = step(plan(given, "HQ", on=date(2025, 6, 1), family=FamilyResult(outcome="FAM_OE")), fee_step)
    assert found.fee_eur == fee
    assert found.fee is not None
    assert found.fee.params.get("reason_key") == exempt_reason
    if exempt_reason is None:
        assert found.fee.key == "step.fee.family_stale"  # family application on 1 June 2026: 2025 amount


def test_family_members_not_eligible_do_not_pay() -> None:
    given = Answers(
        **ABROAD, members=[Member(**SPOUSE), Member(relation="child_adult", dob=date(2000, 1, 1))]
    )
    family = FamilyResult(
        outcome="FAM_OE",
        members=[
            MemberResult(relation="spouse", outcome="FAM_OE"),
            MemberResult(relation="child_adult", outcome="FAM_NOT_ELIGIBLE"),
        ],
    )
    assert step(plan(given, "HQ", on=date(2025, 6, 1), family=family), "FAMILY_OE_FEE").fee_eur == 213.0


def test_eu_registration_shows_the_late_fine_and_no_oe_fee() -> None:
    found = step(plan(Answers(nationalities=["DE"]), "EU_REG"), "EU_REGISTER")
    assert found.fee_eur is None
    assert found.fee is not None and found.fee.params["fine_eur"] == 200.0


# ---------------------------------------------------------------------------------------------
# Data integrity: the catalogue, the wording and the sources


def test_catalogue_references_resolve() -> None:
    assert catalogue_problems() == []


def test_catalogue_problems_are_found() -> None:
    broken_step = CAT.steps["OE_FEE"].model_copy(
        update={"when": "no_such_predicate", "due": "no_such_rule", "params": {"n": "NO_SUCH.count"}}
    )
    broken = CAT.model_copy(
        update={
            "steps": {**CAT.steps, "OE_FEE": broken_step},
            "plans": CAT.plans.model_copy(update={"family": {"FAM_OE": ["NO_SUCH_STEP"]}}),
        }
    )
    problems = catalogue_problems(broken, table_ids=set())
    assert "plan FAM_OE: unknown step NO_SUCH_STEP" in problems
    assert "step OE_FEE: unknown when no_such_predicate" in problems
    assert "step OE_FEE: unknown due no_such_rule" in problems
    assert "step OE_FEE: parameter n = NO_SUCH.count is not an integer constant" in problems
    assert "fee FEE_OE_SINGLE_PERMIT: not in the thresholds table" in problems


def test_every_source_cited_by_the_catalogue_exists() -> None:
    register = source_register().keys()
    for code, spec in CAT.steps.items():
        assert set(spec.sources) <= register, code
    for name, constant in CAT.constants.items():
        assert constant.sources and set(constant.sources) <= register, name


def _keys_a_step_may_use(code: str) -> set[str]:
    spec = CAT.steps[code]
    keys = {f"step.{code}.title", f"step.{code}.timing"}
    keys |= {f"step.{code}.{variant}" for variant in spec.title_variants.values()}
    if spec.due:
        keys |= {f"step.{code}.timing_dated", f"step.{code}.timing_passed"}
    if spec.due == "exofficio_window":
        keys.add(f"step.{code}.timing_dated_oe")
    if spec.timing_exempt:
        keys.add(f"step.{code}.timing_exempt")
    keys |= {f"step.doc.{name}" for name in spec.documents}
    keys |= {f"step.doc.{doc.name}" for doc in spec.conditional_documents}
    return keys


@pytest.mark.parametrize("lang", LANGS)
def test_every_step_has_its_wording(lang: str) -> None:
    known = catalog(lang)
    for code in CAT.steps:
        assert sorted(_keys_a_step_may_use(code) - known.keys()) == [], code
    fee_ids = {entry.id for entry in CAT.oe_fees.values()} | {
        CAT.fee_ids[k] for k in ("region", "visa", "family", "profcard_year")
    }
    assert {f"step.fee_name.{fee_id}" for fee_id in fee_ids} <= known.keys()


def _messages(steps: list[NextStep]) -> list[Any]:
    found = []
    for s in steps:
        found += [s.title, *s.documents, *(m for m in (s.timing, s.fee) if m is not None)]
    return found


def _check_steps(steps: list[NextStep]) -> None:
    register = source_register().keys()
    for s in steps:
        assert set(s.sources) <= register, s.code
        assert s.timing_kind in ("deadline", "indicative")
    for message in _messages(steps):
        for lang in LANGS:
            template = catalog(lang).get(message.key)
            assert template is not None, (lang, message.key)
            assert placeholders(template) <= message.params.keys(), (lang, message.key)
            for name, value in message.params.items():
                if name.endswith("_key"):
                    assert value in catalog(lang), (lang, value)


@pytest.mark.parametrize(("route", "given", "expected"), ROUTE_STEPS, ids=[r for r, _, _ in ROUTE_STEPS])
@pytest.mark.parametrize("outcome", ["FAM_EXOFFICIO", "FAM_OE", "FAM_NOT_YET"])
def test_every_message_is_complete_in_every_language(
    route: str, given: dict[str, Any], expected: list[str], outcome: str
) -> None:
    full = Answers(
        **given,
        start_date=date(2026, 9, 1),
        application_date=date(2026, 4, 1),
        card_expiry=date(2027, 3, 31) if given.get("current_location") == "belgium" else None,
        worker_visa_date=date(2026, 8, 31),
        family_application_date=date(2026, 10, 1),
        dob=date(1999, 5, 5),
        members=[Member(**SPOUSE), Member(**CHILD)],
    )
    for on in (date(2026, 3, 2), date(2028, 6, 1)):  # before and after every computed date
        _check_steps(plan(full, route, on=on, family=FamilyResult(outcome=outcome)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    any_answers,
    st.sampled_from(get_args(RouteCode)),
    st.sampled_from(["eligible", "review", "not_met"]),
    st.sampled_from(get_args(FamilyOutcome)),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)),
)
def test_any_answers_give_well_formed_steps(
    answers: Answers, route: str, status: str, outcome: str, on: date
) -> None:
    steps = plan(answers, route, on=on, status=status, family=FamilyResult(outcome=outcome))
    assert len({s.code for s in steps}) == len(steps)
    _check_steps(steps)
    for s in steps:
        if s.due is not None and s.due < on:
            assert s.timing is not None and s.timing.key.endswith("timing_passed"), s.code


# ---------------------------------------------------------------------------------------------
# People who are not employees (issue 14): researchers, the family of EU citizens, unmarried partners


def test_researcher_with_hosting_agreement_gets_no_employer_steps() -> None:
    """RS-1: the host research organisation files on the basis of the hosting agreement (P75);
    no employment contract and no sworn translation of a diploma are asked for."""
    researcher = Answers(**ABROAD, purposes=["research"], hosting_agreement=True, card_type="A-researcher")
    steps = plan(researcher, "RESEARCHER")
    filing = step(steps, "SINGLE_PERMIT_FILE")
    assert filing.title.key == "step.SINGLE_PERMIT_FILE.title_researcher"
    documents = {d.key for d in filing.documents}
    assert "step.doc.hosting_agreement" in documents
    assert not {"step.doc.contract_salary", "step.doc.diploma_legalised"} & documents
    titles = {s.title.key for s in steps}
    assert "step.SINGLE_PERMIT_FILE.title" not in titles
    assert "step.SINGLE_PERMIT_RENEWAL.title" not in titles
    employee = step(plan(Answers(**ABROAD, purposes=["employee"]), "HQ"), "SINGLE_PERMIT_FILE")
    assert {"step.doc.contract_salary", "step.doc.diploma_legalised"} <= {d.key for d in employee.documents}


def _eu_spouse(location: str) -> Answers:
    return Answers(
        nationalities=["IN"],
        current_location=location,
        card_type="none",
        purposes=["join_family"],
        dob=date(2004, 3, 1),  # 22 on the application date: old enough for no rule, young for some
        sponsor_type="eu_eea_ch",
        sponsor_dob=date(2006, 1, 1),  # the EU citizen is 20
        sponsor_right_date=date(2024, 5, 1),
        family_application_date=date(2026, 12, 10),
        members=[Member(relation="spouse", dob=date(2004, 3, 1), nationality="IN", location=location)],
        sponsor_net_income=3000.0,
        income_source="employment",
        housing_ok="yes",
        insurance_ok="yes",
        red_flags=False,
    )


@pytest.mark.parametrize("location", ["belgium", "abroad"])
def test_non_eu_spouse_of_an_eu_citizen_gets_annex_19ter_and_the_f_card(location: str) -> None:
    result = assess(_eu_spouse(location), on=date(2026, 12, 3))
    codes = [s.code for s in result.next_steps]
    assert {"EU_FAMILY_APPLY", "EU_FAMILY_CARD"} <= set(codes)
    assert ("EU_FAMILY_VISA" in codes) == (location == "abroad")
    assert not {"FAMILY_OE_FEE", "FAMILY_VISA", "FAMILY_OE_DECISION"} & set(codes)
    apply = step(result.next_steps, "EU_FAMILY_APPLY")
    assert apply.fee is not None and apply.fee.key == "step.fee.exempt"
    assert apply.fee.params["reason_key"] == "step.exempt.eu_family"
    spouse = {m.key for m in result.family.members[0].reasons}
    assert "family.member.eu_spouse_age" in spouse
    assert not {"family.member.age_old_ok", "family.member.age_old_not_yet"} & spouse
    assert result.family.members[0].outcome != "FAM_NOT_YET", "no minimum age for an EU citizen's spouse"


def test_no_refund_warning_next_to_a_fee_nobody_pays() -> None:
    """A step whose fee is waived must not also say the fee is not refunded."""
    minors = Answers(**ABROAD, members=[Member(relation="child_minor", dob=date(2015, 1, 1))])
    fee_step = step(plan(minors, "HQ", family=FamilyResult(outcome="FAM_OE")), "FAMILY_OE_FEE")
    assert fee_step.fee_eur == 0.0
    assert fee_step.timing is not None and fee_step.timing.key == "step.FAMILY_OE_FEE.timing_exempt"
    for lang in LANGS:
        assert "refund" not in render(fee_step.timing, lang).lower()
    adviser = step(plan(minors, "HQ", family=FamilyResult(outcome="FAM_REVIEW")), "FAMILY_ADVISER")
    assert adviser.timing is not None and "refund" not in render(adviser.timing, "en").lower()


@pytest.mark.parametrize("sponsor", ["tcn_limited", "belgian"])
def test_unmarried_partner_is_told_to_register_the_cohabitation(sponsor: str) -> None:
    """The unmarried partner of a single-permit holder (or of a Belgian) is not closed out: the step
    is to register the legal cohabitation and show a durable relationship (P59)."""
    answers = Answers(
        nationalities=["MA"],
        current_location="abroad",
        purposes=["join_family"],
        dob=date(1995, 1, 1),
        sponsor_type=sponsor,
        sponsor_category="other" if sponsor == "tcn_limited" else None,
        sponsor_dob=date(1993, 1, 1),
        sponsor_right_date=date(2025, 10, 1),
        family_application_date=date(2026, 12, 10),
        members=[Member(relation="partner_unregistered", dob=date(1995, 1, 1), nationality="MA")],
        sponsor_net_income=3000.0,
        income_source="employment",
        housing_ok="yes",
        insurance_ok="yes",
        red_flags=False,
    )
    result = assess(answers, on=date(2026, 12, 3))
    assert result.family.outcome == "FAM_REVIEW"
    assert "RV-11" in {item.code for item in result.review}
    register = step(result.next_steps, "REGISTER_COHABITATION")
    assert register.timing is not None
    assert register.timing.params == {
        "cohabitation_months": 12,
        "known_years": 2,
        "meetings": 3,
        "meeting_days": 45,
    }
    assert "step.doc.cohabitation_declaration" in {d.key for d in register.documents}
