"""Family reunification (rules.md §3): sponsor, rule sets, who may join, ages, partners, children,
ex-officio visa and review codes. Income rules are in test_family_income.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.engine import (
    DEFAULT_CONFIG,
    Answers,
    Context,
    EngineConfig,
    FamilyResult,
    Findings,
    Member,
    RouteResult,
    evaluate_family,
    renewal_rule_set,
)
from bot.i18n import LANGS, catalog

ON = date(2026, 1, 15)
HQ = [RouteResult(code="HQ", rule="BXL-HQ", status="eligible")]

# A highly qualified worker abroad, permit granted after the reform, bringing his wife: ex-officio.
BASE: dict[str, Any] = {
    "purposes": ["employee", "bring_family"],
    "nationalities": ["IN"],
    "current_location": "abroad",
    "employer_type": "belgian_employer",
    "dob": date(1990, 5, 1),
    "sponsor_right_date": date(2025, 10, 1),
    "worker_visa_date": date(2025, 11, 3),
    "family_application_date": date(2026, 1, 15),
    "sponsor_net_income": 4000.0,
    "income_source": "employment",
    "housing_ok": "yes",
    "insurance_ok": "yes",
    "red_flags": False,
}
SPOUSE: dict[str, Any] = {
    "relation": "spouse",
    "dob": date(1992, 3, 1),
    "nationality": "IN",
    "relation_start_date": date(2020, 6, 1),
}


def child(born: date, **extra: Any) -> dict[str, Any]:
    """A child of the given birth date, Indian national, living abroad."""
    return {"relation": "child_minor", "dob": born, "nationality": "IN", **extra}


def build(members: list[dict[str, Any]] | None = None, **overrides: Any) -> Answers:
    """BASE answers with the members (default: the spouse) and the overrides."""
    fields = {**BASE, **overrides}
    fields["members"] = [Member(**m) for m in (members if members is not None else [SPOUSE])]
    return Answers(**fields)


def family(
    answers: Answers,
    routes: list[RouteResult] | None = None,
    on: date = ON,
    config: EngineConfig = DEFAULT_CONFIG,
) -> tuple[FamilyResult, Findings]:
    """Run the family rules with an explicit date and routes."""
    ctx = Context.for_day(on, config=config)
    findings = Findings()
    return evaluate_family(answers, ctx, findings, HQ if routes is None else routes), findings


def review_codes(findings: Findings) -> set[str]:
    return {r.code for r in findings.reviews}


def reason_keys(result: FamilyResult, member: int | None = None) -> set[str]:
    reasons = result.reasons if member is None else result.members[member].reasons
    return {m.key for m in reasons}


def test_base_case_is_exofficio() -> None:
    result, findings = family(build())
    assert result.outcome == "FAM_EXOFFICIO"
    assert result.rule_set == "NEW"
    assert result.income_required == 2323.08
    assert {"FR-AGE-N", "EX-2", "EX-3", "EX-4", "EX-6"} <= set(result.members[0].rules)
    assert findings.reviews == [] and findings.missing == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"purposes": ["employee"]},
        {"members": []},
        {"members": None},
    ],
    ids=["no-family-purpose", "empty-members", "no-members"],
)
def test_nobody_to_join_is_fam_none(overrides: dict[str, Any]) -> None:
    fields = {**BASE, "members": [Member(**SPOUSE)], **overrides}
    result, _ = family(Answers(**fields))
    assert result.outcome == "FAM_NONE" and result.members == []


# --- sponsor -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "routes", "expected"),
    [
        ({"nationalities": ["BE"]}, [RouteResult(code="BELGIAN", rule="R0-1", status="eligible")], "belgian"),
        (
            {"nationalities": ["FR"]},
            [RouteResult(code="EU_REG", rule="R0-2", status="eligible")],
            "eu_eea_ch",
        ),
        ({"card_type": "B", "current_location": "belgium"}, [], "tcn_unlimited"),
        ({}, HQ, "tcn_limited"),
        ({}, [RouteResult(code="STUDENT", rule="ST-1", status="eligible")], "tcn_limited"),
    ],
    ids=["belgian", "eu", "card-B", "work-permit", "student"],
)
def test_sponsor_type_is_derived_and_said(
    overrides: dict[str, Any], routes: list[RouteResult], expected: str
) -> None:
    result, _ = family(build(**overrides), routes=routes)
    derived = [m for m in result.reasons if m.key == "family.sponsor.derived"]
    assert derived and derived[0].params["type_key"] == f"family.sponsor_type.{expected}"


def test_sponsor_type_given_wins_over_derivation() -> None:
    result, _ = family(build(sponsor_type="tcn_unlimited"))
    assert "family.sponsor.derived" not in reason_keys(result)
    assert result.outcome == "FAM_OE"  # unlimited stay: no ex-officio visa


def test_missing_sponsor_type_is_asked() -> None:
    result, findings = family(build(nationalities=None), routes=[])
    assert "sponsor_type" in findings.missing
    assert result.outcome == "FAM_REVIEW" and result.rule_set is None


def test_join_family_uses_sponsor_fields() -> None:
    answers = build(
        purposes=["join_family"],
        sponsor_type="tcn_limited",
        sponsor_category="blue_card",
        sponsor_dob=date(1985, 1, 1),
        dob=None,
    )
    result, findings = family(answers, routes=[RouteResult(code="NO_ROUTE", rule="R0-12", status="review")])
    assert result.outcome == "FAM_EXOFFICIO"
    assert "EX-2" in result.members[0].rules
    assert findings.missing == []


# --- §3.2 rule sets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "rule", "rule_set"),
    [
        ({"sponsor_right_date": date(2025, 8, 17)}, "RS-T1", "OLD"),
        ({"sponsor_right_date": date(2025, 8, 18)}, "RS-T3", "NEW"),
        (
            {"sponsor_right_date": date(2024, 1, 1), "family_application_date": date(2027, 8, 17)},
            "RS-T1",
            "OLD",
        ),
        (
            {"sponsor_right_date": date(2024, 1, 1), "family_application_date": date(2027, 8, 18)},
            "RS-T2",
            "NEW",
        ),
        ({"sponsor_right_date": None}, "RS-T3", "NEW"),  # abroad, permit still to be granted
        ({"nationalities": ["FR"], "sponsor_right_date": date(2025, 8, 17)}, "RS-E1", "OLD"),
        ({"nationalities": ["FR"], "sponsor_right_date": date(2025, 8, 18)}, "RS-E3", "NEW"),
        (
            {
                "nationalities": ["FR"],
                "sponsor_right_date": date(2020, 1, 1),
                "family_application_date": date(2027, 8, 18),
            },
            "RS-E2",
            "NEW",
        ),
        ({"nationalities": ["BE"], "family_application_date": date(2027, 8, 17)}, "RS-B1", "OLD"),
        ({"nationalities": ["BE"], "family_application_date": date(2027, 8, 18)}, "RS-B2", "NEW"),
        ({"nationalities": ["BE"], "family_application_date": date(2025, 8, 17)}, "RS-0", "OLD"),
        (
            {"sponsor_type": "tcn_unlimited", "card_type": "B", "sponsor_right_date": date(2025, 8, 18)},
            "RS-T3",
            "NEW",
        ),
    ],
    ids=[
        "T1-right-17aug2025",
        "T3-right-18aug2025",
        "T1-apply-17aug2027",
        "T2-apply-18aug2027",
        "T3-future-permit",
        "E1",
        "E3",
        "E2",
        "B1-17aug2027",
        "B2-18aug2027",
        "RS0-pending-before-reform",
        "T3-unlimited",
    ],
)
def test_rule_set(overrides: dict[str, Any], rule: str, rule_set: str) -> None:
    result, _ = family(build(**overrides))
    assert result.rule_set == rule_set
    assert f"family.rule_set.{rule}" in reason_keys(
        result
    ) or f"family.rule_set.{rule}_future" in reason_keys(result)


@pytest.mark.parametrize("sponsor_type", ["international_protection", "temporary_protection", "other"])
def test_rs_x_protection_sponsors_go_to_review(sponsor_type: str) -> None:
    result, findings = family(
        build(purposes=["join_family"], sponsor_type=sponsor_type, sponsor_dob=date(1980, 1, 1))
    )
    assert result.outcome == "FAM_REVIEW" and result.rule_set is None
    assert "RV-08" in review_codes(findings)
    assert "RS-X" in result.members[0].rules


@pytest.mark.parametrize(
    ("overrides", "flagged"),
    [
        # a grant date in the past is a recorded fact: applied exactly, no RV-15 (issue 22)
        ({"sponsor_right_date": date(2025, 8, 15)}, False),
        ({"sponsor_right_date": date(2025, 8, 21)}, False),
        ({"sponsor_right_date": date(2025, 8, 14)}, False),
        ({"sponsor_right_date": date(2025, 8, 22)}, False),
        ({"nationalities": ["BE"], "family_application_date": date(2027, 8, 20)}, True),
        ({"nationalities": ["BE"], "family_application_date": date(2027, 8, 10)}, False),
    ],
)
def test_rv15_dates_near_the_reform_cutoffs(overrides: dict[str, Any], flagged: bool) -> None:
    _, findings = family(build(**overrides))
    assert ("RV-15" in review_codes(findings)) is flagged


def test_missing_right_date_of_an_admitted_sponsor_assumes_new_rules() -> None:
    answers = build(current_location="belgium", card_type="A-single-permit", sponsor_right_date=None)
    result, findings = family(answers)
    assert result.rule_set is None
    assert "family.rule_set.assumed_new" in reason_keys(result)
    assert result.income_required == 2323.08  # NEW amount, the stricter reading
    assert "sponsor_right_date" in findings.missing


@pytest.mark.parametrize(
    ("granted_on", "granted_under", "renewal_on", "rule", "rule_set"),
    [
        (date(2025, 8, 17), "OLD", date(2028, 1, 1), "RN-1", "OLD"),
        (date(2025, 9, 1), "OLD", date(2027, 8, 17), "RN-2", "OLD"),
        (date(2025, 9, 1), "OLD", date(2027, 8, 18), "RN-2", "NEW"),
        (date(2025, 9, 1), "NEW", date(2026, 9, 1), "RN-3", "NEW"),
        (date(2027, 8, 18), "OLD", date(2028, 8, 18), "RN-4", "NEW"),
    ],
)
def test_renewal_rule_sets(
    granted_on: date, granted_under: Any, renewal_on: date, rule: str, rule_set: str
) -> None:
    assert renewal_rule_set(granted_on, granted_under, renewal_on) == (rule, rule_set)


@pytest.mark.parametrize(
    ("granted_on", "rule", "rule_set", "rv17"),
    [
        (None, None, "OLD", False),  # grant date unknown, sponsor admitted in 2023: RN-1 or RN-2, OLD
        (date(2024, 3, 1), "RN-1", "OLD", False),
        (date(2025, 10, 1), "RN-2", "OLD", True),  # granted in the transition period (RV-17)
    ],
)
def test_rv17_for_a_family_member_holding_a_family_card(
    granted_on: date | None, rule: str | None, rule_set: str | None, rv17: bool
) -> None:
    answers = build(
        purposes=["join_family"],
        current_location="belgium",
        sponsor_type="tcn_limited",
        sponsor_category="blue_card",
        sponsor_dob=date(1985, 1, 1),
        sponsor_right_date=date(2023, 1, 1),
        card_type="A-family-reunification",
        card_expiry=date(2026, 9, 1),
        residence_granted_on=granted_on,
    )
    result, findings = family(answers)
    assert result.renewal is not None
    assert (result.renewal.rule, result.rule_set) == (rule, rule_set)
    assert ("RV-17" in review_codes(findings)) is rv17
    assert "residence_granted_on" not in findings.missing  # the rule set is settled either way


# --- §3.5 ages and partners --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("partner_dob", "sponsor_dob", "applied", "outcome", "eligible_from"),
    [
        (date(2005, 9, 15), date(1990, 5, 1), date(2026, 3, 1), "FAM_NOT_YET", date(2026, 9, 15)),
        (date(2005, 9, 15), date(1990, 5, 1), date(2026, 9, 14), "FAM_NOT_YET", date(2026, 9, 15)),
        (date(2005, 9, 15), date(1990, 5, 1), date(2026, 9, 15), "FAM_EXOFFICIO", None),
        (date(1990, 1, 1), date(2005, 12, 1), date(2026, 3, 1), "FAM_NOT_YET", date(2026, 12, 1)),
        (date(2008, 2, 29), date(1990, 5, 1), date(2029, 2, 28), "FAM_NOT_YET", date(2029, 3, 1)),
    ],
    ids=["P-09", "eve-of-21st-birthday", "21st-birthday", "young-sponsor", "leap-day-birthday"],
)
def test_fr_age_n_both_partners_21_on_application(
    partner_dob: date, sponsor_dob: date, applied: date, outcome: str, eligible_from: date | None
) -> None:
    answers = build(
        [{**SPOUSE, "dob": partner_dob}],
        dob=sponsor_dob,
        family_application_date=applied,
        sponsor_right_date=date(2025, 9, 1),
        worker_visa_date=None,
    )
    result, _ = family(answers, on=applied)
    member = result.members[0]
    assert result.rule_set == "NEW"
    assert member.outcome == outcome and member.eligible_from == eligible_from
    assert "FR-AGE-N" in member.rules


@pytest.mark.parametrize(
    ("relation_start", "outcome", "eligible_from", "key"),
    [
        (date(2024, 6, 1), "FAM_EXOFFICIO", None, "family.member.age_old_exception"),
        (date(2025, 6, 1), "FAM_NOT_YET", date(2027, 3, 1), "family.member.age_old_not_yet"),
    ],
    ids=["union-before-arrival", "union-after-arrival"],
)
def test_fr_age_o_eighteen_year_exception(
    relation_start: date, outcome: str, eligible_from: date | None, key: str
) -> None:
    answers = build(
        [{**SPOUSE, "dob": date(2006, 3, 1), "relation_start_date": relation_start}],
        sponsor_right_date=date(2025, 1, 1),
        worker_visa_date=date(2025, 11, 3),
    )
    result, _ = family(answers)
    member = result.members[0]
    assert result.rule_set == "OLD"
    assert (member.outcome, member.eligible_from) == (outcome, eligible_from)
    assert key in reason_keys(result, 0) and "FR-AGE-O" in member.rules


def test_fr_age_o_belgian_partner_eighteen_with_a_year_of_cohabitation() -> None:
    partner = {**SPOUSE, "dob": date(2006, 3, 1), "cohabitation_months": 12}
    result, _ = family(build([partner], nationalities=["BE"]), routes=[])
    assert result.members[0].outcome == "FAM_OE"
    without = {**partner, "cohabitation_months": 11}
    result, _ = family(build([without], nationalities=["BE"]), routes=[])
    assert result.members[0].outcome == "FAM_NOT_YET"


REGISTERED = {"relation": "partner_registered_other", "dob": date(1992, 3, 1), "nationality": "IN"}


@pytest.mark.parametrize(
    ("evidence", "outcome"),
    [
        ({"cohabitation_months": 12}, "FAM_OE"),
        ({"cohabitation_months": 11}, "FAM_REVIEW"),
        ({"known_since": date(2024, 1, 15), "meetings_count": 3, "meetings_days_total": 45}, "FAM_OE"),
        ({"known_since": date(2024, 1, 16), "meetings_count": 3, "meetings_days_total": 45}, "FAM_REVIEW"),
        ({"known_since": date(2024, 1, 15), "meetings_count": 2, "meetings_days_total": 45}, "FAM_REVIEW"),
        ({"known_since": date(2024, 1, 15), "meetings_count": 3, "meetings_days_total": 44}, "FAM_REVIEW"),
        ({"common_child": True}, "FAM_OE"),
        ({}, "FAM_REVIEW"),
    ],
    ids=[
        "cohab-12",
        "cohab-11",
        "known-2y",
        "known-2y-minus-1d",
        "2-meetings",
        "44-days",
        "common-child",
        "none",
    ],
)
def test_fr_part_1_durable_relationship_new_rules(evidence: dict[str, Any], outcome: str) -> None:
    result, findings = family(build([{**REGISTERED, **evidence}]))
    member = result.members[0]
    assert member.outcome == outcome
    assert "FR-PART-1" in member.rules
    assert ("RV-11" in review_codes(findings)) is (outcome == "FAM_REVIEW")


@pytest.mark.parametrize(
    ("right_date", "outcome", "rule"),
    [(date(2025, 1, 1), "FAM_OE", "FR-PART-2"), (date(2025, 10, 1), "FAM_REVIEW", "FR-PART-1")],
    ids=["old-treated-as-marriage", "new-proof-required"],
)
def test_fr_part_2_equivalent_partnership(right_date: date, outcome: str, rule: str) -> None:
    partner = {
        **REGISTERED,
        "relation": "partner_registered_equivalent",
        "relation_start_date": date(2020, 1, 1),
    }
    result, _ = family(build([partner], sponsor_right_date=right_date))
    assert result.members[0].outcome == outcome and rule in result.members[0].rules


@pytest.mark.parametrize(
    ("nationalities", "outcome"),
    [(["IN"], "FAM_REVIEW"), (["BE"], "FAM_REVIEW"), (["FR"], "FAM_REVIEW")],
    ids=["tcn", "belgian", "eu"],
)
def test_fr_part_3_unregistered_partner(nationalities: list[str], outcome: str) -> None:
    partner = {"relation": "partner_unregistered", "dob": date(1992, 3, 1), "nationality": "IN"}
    result, findings = family(build([partner], nationalities=nationalities))
    assert result.members[0].outcome == outcome
    assert "RV-11" in review_codes(findings)


def test_rv09_family_formed_after_the_permit_under_new_rules() -> None:
    result, findings = family(build([{**SPOUSE, "relation_start_date": date(2025, 10, 2)}]))
    assert result.members[0].outcome == "FAM_REVIEW"
    assert "RV-09" in review_codes(findings)


@pytest.mark.parametrize(
    ("extra", "applied", "outcome", "eligible_from"),
    [
        ({}, date(2026, 1, 15), "FAM_NOT_YET", date(2026, 3, 1)),
        ({}, date(2026, 3, 1), "FAM_OE", None),
        ({"common_child": True}, date(2026, 1, 15), "FAM_OE", None),
    ],
    ids=["waiting", "wait-over", "common-child"],
)
def test_old_rules_waiting_period_for_unlimited_stay_sponsor(
    extra: dict[str, Any], applied: date, outcome: str, eligible_from: date | None
) -> None:
    answers = build(
        [{**SPOUSE, "relation_start_date": date(2025, 6, 1), **extra}],
        card_type="B",
        current_location="belgium",
        sponsor_right_date=date(2025, 3, 1),
        family_application_date=applied,
    )
    result, _ = family(answers, routes=[RouteResult(code="UNLIMITED_STAY", rule="R0-3", status="eligible")])
    assert (result.members[0].outcome, result.members[0].eligible_from) == (outcome, eligible_from)


# --- §3.5 children ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "nationalities", "outcome", "rule"),
    [
        (child(date(2015, 1, 1)), ["IN"], "FAM_EXOFFICIO", "FR-CH-1"),
        (child(date(2008, 1, 16)), ["IN"], "FAM_EXOFFICIO", "FR-CH-1"),  # 18 tomorrow
        (child(date(2008, 1, 15)), ["IN"], "FAM_NOT_ELIGIBLE", "FR-CH-2"),  # 18 on the day
        (
            {"relation": "child_adult", "dob": date(2000, 1, 1), "nationality": "IN"},
            ["IN"],
            "FAM_NOT_ELIGIBLE",
            "FR-CH-2",
        ),
        (
            {"relation": "child_adult_disabled", "dob": date(2000, 1, 1), "nationality": "IN"},
            ["IN"],
            "FAM_OE",
            "FR-CH-3",
        ),
        (
            {"relation": "child_adult", "dob": date(2000, 1, 1), "dependent": True},
            ["BE"],
            "FAM_REVIEW",
            "FR-CH-4",
        ),
        (
            {"relation": "child_adult", "dob": date(2000, 1, 1), "dependent": False},
            ["BE"],
            "FAM_NOT_ELIGIBLE",
            "FR-CH-4",
        ),
        (
            {"relation": "child_adult", "dob": date(2005, 6, 1), "dependent": False},
            ["FR"],
            "FAM_REVIEW",
            "FR-CH-4",
        ),
        (
            {"relation": "child_adult", "dob": date(2004, 6, 1), "dependent": False},
            ["FR"],
            "FAM_NOT_ELIGIBLE",
            "FR-CH-4",
        ),
    ],
    ids=[
        "minor",
        "eve-of-18",
        "18th-birthday",
        "adult-tcn",
        "disabled-adult",
        "belgian-dependent-adult",
        "belgian-independent-adult",
        "eu-descendant-20",
        "eu-descendant-21",
    ],
)
def test_children(member: dict[str, Any], nationalities: list[str], outcome: str, rule: str) -> None:
    result, _ = family(build([member], nationalities=nationalities))
    assert result.members[0].outcome == outcome and rule in result.members[0].rules


@pytest.mark.parametrize(
    ("member", "code"),
    [
        ({"relation": "child_adult", "dob": date(2000, 1, 1)}, "RV-10"),
        ({"relation": "partner_unregistered", "dob": date(1992, 1, 1)}, "RV-11"),
    ],
)
def test_alternatives_are_sent_to_an_adviser(member: dict[str, Any], code: str) -> None:
    _, findings = family(build([member]))
    assert code in review_codes(findings)


@pytest.mark.parametrize(
    ("nationalities", "sponsor_dob", "outcome"),
    [
        (["BE"], date(2012, 1, 1), "FAM_OE"),
        (["BE"], date(1990, 1, 1), "FAM_NOT_ELIGIBLE"),
        (["IN"], date(1990, 1, 1), "FAM_NOT_ELIGIBLE"),
    ],
    ids=["parent-of-belgian-minor", "parent-of-belgian-adult", "parent-of-tcn"],
)
def test_parents(nationalities: list[str], sponsor_dob: date, outcome: str) -> None:
    parent = {"relation": "parent", "dob": date(1960, 1, 1), "nationality": "IN"}
    result, _ = family(build([parent], nationalities=nationalities, dob=sponsor_dob))
    assert result.members[0].outcome == outcome


def test_family_outcome_is_the_least_favourable_member() -> None:
    members = [SPOUSE, {"relation": "child_adult", "dob": date(2000, 1, 1), "nationality": "IN"}]
    result, _ = family(build(members))
    assert [m.outcome for m in result.members] == ["FAM_EXOFFICIO", "FAM_NOT_ELIGIBLE"]
    assert result.outcome == "FAM_NOT_ELIGIBLE"
    assert result.income_required == 2323.08  # the adult child will not join: N = 1


# --- §3.6 ex-officio visa ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "member", "routes", "outcome", "rule"),
    [
        ({}, {**REGISTERED, "cohabitation_months": 24}, HQ, "FAM_OE", "EX-1"),
        (
            {},
            SPOUSE,
            [RouteResult(code="BLUE_CARD", rule="BXL-BC", status="eligible")],
            "FAM_EXOFFICIO",
            "EX-2",
        ),
        (
            {},
            SPOUSE,
            [RouteResult(code="LABOUR_MARKET_TEST", rule="BXL-LMT", status="review")],
            "FAM_EXOFFICIO",
            "EX-2",
        ),
        (
            {"employer_type": "foreign_employer_secondment", "sponsor_net_income": 2000.0},
            SPOUSE,
            HQ,
            "FAM_REVIEW",
            "EX-2",
        ),
        (
            {"sponsor_right_date": date(2025, 1, 1)},
            {**SPOUSE, "relation_start_date": date(2025, 2, 1)},
            HQ,
            "FAM_OE",
            "EX-3",
        ),
        ({}, child(date(2025, 10, 1)), HQ, "FAM_EXOFFICIO", "EX-3"),
        ({}, child(date(2025, 10, 2)), HQ, "FAM_OE", "EX-3"),
        ({"worker_visa_date": date(2025, 7, 15)}, SPOUSE, HQ, "FAM_EXOFFICIO", "EX-4"),
        ({"worker_visa_date": date(2025, 7, 14)}, SPOUSE, HQ, "FAM_OE", "EX-4"),
        ({"insurance_ok": "unsure"}, SPOUSE, HQ, "FAM_OE", "EX-5"),
        ({}, {**SPOUSE, "nationality": "SY"}, HQ, "FAM_OE", "EX-6"),
        ({}, {**SPOUSE, "nationality": "AF"}, HQ, "FAM_OE", "EX-6"),
        ({"red_flags": True}, SPOUSE, HQ, "FAM_OE", "EX-6"),
        ({}, {**SPOUSE, "location": "belgium"}, HQ, "FAM_OE", "EX-1"),
    ],
    ids=[
        "registered-partner",
        "blue-card",
        "income-path",
        "posted-hq-low-income",
        "married-after-permit",
        "child-born-on-grant-day",
        "child-born-after-grant",
        "window-last-day",
        "window-day-after",
        "conditions-open",
        "syria",
        "afghanistan",
        "signalled",
        "applies-in-belgium",
    ],
)
def test_exofficio_rules(
    overrides: dict[str, Any], member: dict[str, Any], routes: list[RouteResult], outcome: str, rule: str
) -> None:
    result, _ = family(build([member], **overrides), routes=routes)
    assert result.members[0].outcome == outcome
    assert rule in result.members[0].rules
    if outcome == "FAM_OE":
        assert "EX-FAIL" in result.members[0].rules


def test_income_path_warns_about_the_5000_criterion() -> None:
    routes = [RouteResult(code="LABOUR_MARKET_TEST", rule="BXL-LMT", status="review")]
    result, _ = family(build(), routes=routes)
    assert "family.exofficio.income_path" in reason_keys(result, 0)


@pytest.mark.parametrize(
    ("gross", "probable"),
    [(5000.0, True), (4999.99, False)],
)
def test_ex_2b_gross_5000(gross: float, probable: bool) -> None:
    routes = [RouteResult(code="LABOUR_MARKET_TEST", rule="BXL-LMT", status="review")]
    result, _ = family(build(salary_month_base=gross, sponsor_net_income=2000.0), routes=routes)
    assert result.members[0].outcome == "FAM_REVIEW"
    assert ("EX-2b" in result.members[0].rules) is probable
    assert any(use.id == "EXOFF_GROSS" for use in result.thresholds)


def test_ex_2b_uses_a_twelfth_of_the_annual_salary() -> None:
    routes = [RouteResult(code="LABOUR_MARKET_TEST", rule="BXL-LMT", status="review")]
    result, _ = family(build(salary_year=60000.0, sponsor_net_income=2000.0), routes=routes)
    assert "EX-2b" in result.members[0].rules


@pytest.mark.parametrize(
    ("income", "outcome", "code"),
    [(4000.0, "FAM_EXOFFICIO", None), (2000.0, "FAM_REVIEW", "RV-03")],
    ids=["ict-income-path", "ict-ambiguous"],
)
def test_ict_is_ambiguous_k8(income: float, outcome: str, code: str | None) -> None:
    routes = [RouteResult(code="ICT", rule="ICT-BXL", status="eligible")]
    result, findings = family(
        build(sponsor_net_income=income, employer_type="group_transfer_from_non_EU_entity"), routes=routes
    )
    assert result.members[0].outcome == outcome
    assert code is None or code in review_codes(findings)


@pytest.mark.parametrize(
    ("visa", "applied", "outcome"),
    [
        (date(2025, 8, 31), date(2026, 2, 28), "FAM_EXOFFICIO"),
        (date(2025, 8, 31), date(2026, 3, 1), "FAM_OE"),
        (date(2027, 8, 31), date(2028, 2, 29), "FAM_EXOFFICIO"),
        (date(2027, 8, 31), date(2028, 3, 1), "FAM_OE"),
        (date(2025, 11, 3), date(2026, 5, 3), "FAM_EXOFFICIO"),
        (date(2025, 11, 3), date(2026, 5, 4), "FAM_OE"),
    ],
    ids=["31aug-28feb", "31aug-1mar", "31aug-29feb-leap", "31aug-1mar-leap", "3nov-3may", "3nov-4may"],
)
def test_ex_4_six_month_window(visa: date, applied: date, outcome: str) -> None:
    answers = build(
        sponsor_right_date=date(2025, 8, 25), worker_visa_date=visa, family_application_date=applied
    )
    result, findings = family(answers, on=applied)
    assert result.members[0].outcome == outcome
    assert "RV-15" not in review_codes(findings)  # filed (recorded) dates are applied exactly
    planned, planned_findings = family(answers, on=visa)
    assert planned.members[0].outcome == outcome  # RV-15 never changes the outcome
    assert "RV-15" in review_codes(planned_findings)  # a planned date within 3 days of the window's end


def test_ex_4_change_of_status_in_belgium() -> None:
    answers = build(current_location="belgium", card_type="A-student", worker_visa_date=None)
    result, findings = family(answers)
    assert result.members[0].outcome == "FAM_REVIEW"
    assert "RV-15" in review_codes(findings)


def test_red_flags_raise_rv13() -> None:
    _, findings = family(build(red_flags=True))
    assert "RV-13" in review_codes(findings)


@pytest.mark.parametrize(
    ("housing", "outcome"), [("no", "FAM_REVIEW"), ("unsure", "FAM_REVIEW"), ("yes", "FAM_EXOFFICIO")]
)
def test_rv18_housing(housing: str, outcome: str) -> None:
    result, findings = family(build(housing_ok=housing))
    assert result.outcome == outcome
    assert ("RV-18" in review_codes(findings)) is (housing != "yes")


@pytest.mark.parametrize(("nationality", "rule"), [("TR", "NAT-TR"), ("DE", "NAT-EU")])
def test_nationality_notes(nationality: str, rule: str) -> None:
    result, _ = family(build([{**SPOUSE, "nationality": nationality}]))
    assert rule in result.members[0].rules


def test_every_cited_source_and_message_exists() -> None:
    from bot.engine import source_register

    scenarios = [
        build(),
        build([REGISTERED, child(date(2000, 1, 1)), {"relation": "parent", "dob": date(1960, 1, 1)}]),
        build(nationalities=["FR"]),
        build(purposes=["join_family"], sponsor_type="international_protection"),
        build(income_source="child_benefit", housing_ok="unsure", red_flags=True),
    ]
    for answers in scenarios:
        result, findings = family(answers)
        cited = set(result.sources) | {s for m in result.members for s in m.sources}
        assert cited <= source_register().keys()
        messages = [
            *result.reasons,
            *(r for m in result.members for r in m.reasons),
            *(r.reason for r in findings.reviews),
        ]
        for lang in LANGS:
            assert {m.key for m in messages} <= catalog(lang).keys()


def test_performing_artist_is_not_a_listed_exofficio_category() -> None:
    """Artists get their permit on the HQ route code (BXL-ART), but S001 does not list them: the
    ex-officio visa can only come through the income path."""
    artist = [RouteResult(code="HQ", rule="BXL-ART", status="eligible")]
    result, _ = family(build(special=["performing_artist"]), routes=artist)
    keys = reason_keys(result, 0)
    assert "family.exofficio.category" not in keys
    assert "family.exofficio.income_path" in keys
    highly_qualified, _ = family(build())
    assert "family.exofficio.category" in reason_keys(highly_qualified, 0)


@pytest.mark.parametrize("given", [True, False], ids=["start-date-given", "no-start-date"])
def test_a_family_applying_with_a_worker_not_yet_admitted_is_formed_before_the_grant(given: bool) -> None:
    """EX-3: the permit is still to be granted (no right date, the worker abroad), so a spouse today
    is family before it, whether or not the wedding date was given."""
    spouse = SPOUSE if given else {k: v for k, v in SPOUSE.items() if k != "relation_start_date"}
    result, findings = family(build([spouse], sponsor_right_date=None, worker_visa_date=None))
    assert result.members[0].outcome == "FAM_EXOFFICIO"
    assert "family.exofficio.formed_before_grant" in reason_keys(result, 0)
    assert "members" not in findings.missing


def test_a_family_member_without_a_start_date_after_a_granted_permit_stays_unknown() -> None:
    spouse = {k: v for k, v in SPOUSE.items() if k != "relation_start_date"}
    result, _ = family(build([spouse]))
    assert result.members[0].outcome == "FAM_OE"
    assert "family.exofficio.start_unknown" in reason_keys(result, 0)
