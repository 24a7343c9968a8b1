"""Sponsor income for family reunification (rules.md §3.4, FR-INC-1…8) and the property that
adding a family member never lowers the amount required."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import EngineConfig, Member
from tests.engine.test_family import SPOUSE, build, child, family, reason_keys, review_codes

# Worked values of rules.md §3.4 (NEW rules, 2025 amounts): N → (A1, A2).
WORKED = {
    1: (2323.08, 2323.08),
    2: (2555.39, 2534.27),
    3: (2787.69, 2745.46),
    4: (3020.00, 2956.65),
    5: (3252.31, 3167.84),
}
KIDS = [child(date(2012 + i, 1, 1)) for i in range(4)]


def spouse_and_children(n: int) -> list[dict[str, Any]]:
    """A spouse and n − 1 minor children."""
    return [SPOUSE, *KIDS[: n - 1]]


@pytest.mark.parametrize(("n", "a1", "a2"), [(n, *values) for n, values in WORKED.items()])
def test_worked_values_before_indexation(n: int, a1: float, a2: float) -> None:
    result, _ = family(build(spouse_and_children(n), sponsor_net_income=10_000.0))
    assert (result.income_required, result.income_required_alt) == (a1, a2)
    assert {use.id for use in result.thresholds} == {"FR_NEW_BASE", "FR_STEP_A1", "FR_STEP_A2"}
    assert not any(use.stale for use in result.thresholds)


def test_p14_spouse_and_three_children_with_3000() -> None:
    result, findings = family(build(spouse_and_children(4), sponsor_net_income=3000.0))
    assert result.outcome == "FAM_REVIEW"
    assert (result.income_required, result.income_required_alt) == (3020.00, 2956.65)
    assert "RV-07" in review_codes(findings)


@pytest.mark.parametrize(
    ("n", "income", "outcome"),
    [
        (1, 2323.08, "FAM_EXOFFICIO"),
        (1, 2323.07, "FAM_REVIEW"),
        (1, 2323.09, "FAM_EXOFFICIO"),
        (4, 3020.00, "FAM_EXOFFICIO"),
        (4, 3019.99, "FAM_REVIEW"),
        (4, 3020.01, "FAM_EXOFFICIO"),
        (4, 2956.65, "FAM_REVIEW"),
        (4, 2956.64, "FAM_REVIEW"),
    ],
)
def test_income_at_a1_and_a_cent_either_side(n: int, income: float, outcome: str) -> None:
    result, _ = family(build(spouse_and_children(n), sponsor_net_income=income))
    assert result.outcome == outcome


@pytest.mark.parametrize(
    ("income", "review_key", "code"),
    [
        (3019.99, "family.review.income_band", "RV-07"),
        (2956.65, "family.review.income_band", "RV-07"),
        (2956.64, "family.review.income_below", "RV-22"),
    ],
)
def test_band_between_a2_and_a1_versus_below_a2(income: float, review_key: str, code: str) -> None:
    """RV-07 is the disagreement between the two readings; a plain shortfall is RV-22 (issue 22)."""
    _, findings = family(build(spouse_and_children(4), sponsor_net_income=income))
    assert review_key in {r.reason.key for r in findings.reviews if r.code == code}
    assert ("RV-07" in {r.code for r in findings.reviews}) is (code == "RV-07")


def test_exactly_at_the_amount_is_flagged_k9() -> None:
    result, _ = family(build(sponsor_net_income=2323.08))
    assert "family.income.exactly" in reason_keys(result)
    result, _ = family(build(sponsor_net_income=2400.0))
    assert "family.income.exactly" not in reason_keys(result)


@pytest.mark.parametrize(
    ("applied", "income", "outcome", "code"),
    [
        (date(2026, 3, 31), 2400.0, "FAM_EXOFFICIO", None),
        (date(2026, 4, 1), 2400.0, "FAM_REVIEW", "RV-02"),  # within 5 % of a stale amount
        (date(2026, 4, 1), 2439.24, "FAM_EXOFFICIO", None),  # clears 1.05 × 2 323,08
        (date(2026, 4, 1), 2439.22, "FAM_REVIEW", "RV-02"),
        (date(2026, 4, 1), 2323.07, "FAM_REVIEW", "RV-22"),
    ],
)
def test_fr_inc_8_stale_amount_after_1_april_2026(
    applied: date, income: float, outcome: str, code: str | None
) -> None:
    answers = build(
        sponsor_net_income=income, family_application_date=applied, worker_visa_date=date(2026, 1, 1)
    )
    result, findings = family(answers, on=applied)
    assert result.outcome == outcome
    assert result.income_required == 2323.08
    assert any(use.stale for use in result.thresholds) is (applied >= date(2026, 4, 1))
    assert ("FR-INC-8" in result.members[0].rules) is (applied >= date(2026, 4, 1))
    if code:
        assert code in review_codes(findings)


@pytest.mark.parametrize(
    ("applied", "income", "outcome", "review_key"),
    [
        (date(2025, 12, 1), 2131.28, "FAM_EXOFFICIO", None),
        (date(2025, 12, 1), 2131.27, "FAM_REVIEW", "family.review.income_below_old"),
        (date(2026, 1, 15), 2131.28, "FAM_REVIEW", "family.review.income_stale"),  # FR_OLD stale from 2026
        (date(2026, 1, 15), 2237.85, "FAM_EXOFFICIO", None),  # ≥ 1.05 × 2 131,28
    ],
)
def test_fr_inc_1_old_flat_amount(applied: date, income: float, outcome: str, review_key: str | None) -> None:
    answers = build(
        spouse_and_children(3),
        sponsor_right_date=date(2025, 1, 1),
        sponsor_net_income=income,
        family_application_date=applied,
    )
    result, findings = family(answers, on=applied)
    assert result.rule_set == "OLD"
    assert result.income_required == 2131.28 and result.income_required_alt is None
    assert result.outcome == outcome
    assert "FR-INC-1" in result.members[0].rules
    if review_key:
        assert review_key in {r.reason.key for r in findings.reviews}


@pytest.mark.parametrize(
    ("source", "rule", "outcome"),
    [
        ("social_assistance", "FR-INC-3", "FAM_REVIEW"),
        ("child_benefit", "FR-INC-3", "FAM_REVIEW"),
        ("unemployment", "FR-INC-4", "FAM_REVIEW"),
        ("self_employed", "FR-INC-2", "FAM_REVIEW"),
        ("employment", "FR-INC-2", "FAM_EXOFFICIO"),
    ],
)
def test_fr_inc_3_4_income_sources(source: str, rule: str, outcome: str) -> None:
    result, findings = family(build(income_source=source, sponsor_net_income=5000.0))
    assert result.outcome == outcome
    assert rule in result.members[0].rules
    assert ("RV-12" in review_codes(findings)) is (source != "employment")


@pytest.mark.parametrize(
    ("members", "income", "review_key"),
    [
        ([child(date(2015, 1, 1))], 1000.0, "family.review.income_exemption"),
        ([SPOUSE], 1000.0, "family.review.income_below_old"),
    ],
    ids=["only-minor-child", "spouse"],
)
def test_fr_inc_5_minor_children_of_a_belgian(
    members: list[dict[str, Any]], income: float, review_key: str
) -> None:
    result, findings = family(build(members, nationalities=["BE"], sponsor_net_income=income))
    assert result.outcome == "FAM_REVIEW"
    assert review_key in {r.reason.key for r in findings.reviews}
    assert ("FR-INC-5" in result.members[0].rules) is (review_key == "family.review.income_exemption")


@pytest.mark.parametrize(
    ("right_date", "exempt"),
    [(date(2024, 1, 15), True), (date(2024, 1, 16), False)],
    ids=["12-months", "12-months-minus-1-day"],
)
def test_fr_inc_5_one_child_of_an_unlimited_stay_sponsor(right_date: date, exempt: bool) -> None:
    answers = build(
        [child(date(2015, 1, 1))],
        sponsor_type="tcn_unlimited",
        card_type="B",
        current_location="belgium",
        sponsor_right_date=right_date,
        family_application_date=date(2025, 1, 15),
        sponsor_net_income=1000.0,
    )
    result, _ = family(answers, on=date(2025, 1, 15))
    assert ("FR-INC-5" in result.members[0].rules) is exempt


@pytest.mark.parametrize(
    ("members", "income", "review_key"),
    [
        ([child(date(2015, 1, 1)), child(date(2017, 1, 1))], 2400.0, "family.review.income_band"),
        ([SPOUSE, child(date(2015, 1, 1))], 2400.0, "family.review.income_below"),
    ],
    ids=["only-children-b2-band", "spouse-and-child"],
)
def test_fr_inc_6_reading_b2_for_a_worker(
    members: list[dict[str, Any]], income: float, review_key: str
) -> None:
    result, findings = family(build(members, sponsor_net_income=income))
    assert result.outcome == "FAM_REVIEW"
    assert result.income_required == 2555.39
    code = "RV-07" if review_key == "family.review.income_band" else "RV-22"
    assert review_key in {r.reason.key for r in findings.reviews if r.code == code}
    assert ("FR-INC-6" in result.members[0].rules) is (review_key == "family.review.income_band")


def test_fr_inc_7_eu_sponsor() -> None:
    result, findings = family(build(nationalities=["FR"]))
    assert result.outcome == "FAM_REVIEW" and result.income_required is None
    assert "RV-12" in review_codes(findings)
    assert "FR-INC-7" in result.members[0].rules


@pytest.mark.parametrize(
    ("config", "n", "required", "alternative"),
    [
        (EngineConfig(fr_increment_basis="rmmmg"), 3, 2745.46, 2787.69),
        (EngineConfig(fr_count_minors=False), 3, 2323.08, 2323.08),
        (EngineConfig(fr_count_minors=False), 1, 2323.08, 2323.08),
    ],
    ids=["rmmmg-basis", "reading-b1", "reading-b1-spouse-only"],
)
def test_configurable_readings(config: EngineConfig, n: int, required: float, alternative: float) -> None:
    result, _ = family(build(spouse_and_children(n), sponsor_net_income=10_000.0), config=config)
    assert (result.income_required, result.income_required_alt) == (required, alternative)


def test_rmmmg_basis_still_reviews_the_band() -> None:
    answers = build(spouse_and_children(3), sponsor_net_income=2750.0)
    result, findings = family(answers, config=EngineConfig(fr_increment_basis="rmmmg"))
    assert result.outcome == "FAM_REVIEW" and "RV-07" in review_codes(findings)


@pytest.mark.parametrize(
    ("resident", "required"),
    [({"dependent": True}, 2555.39), ({"dependent": False}, 2323.08)],
    ids=["dependent-resident-counts", "independent-resident-does-not"],
)
def test_members_already_resident_count_when_dependent(resident: dict[str, Any], required: float) -> None:
    members = [SPOUSE, child(date(2015, 1, 1), resident_with_sponsor=True, **resident)]
    result, _ = family(build(members, sponsor_net_income=10_000.0))
    assert result.income_required == required
    assert [m.relation for m in result.members] == ["spouse"]  # the resident child is not joining
    assert "family.residents" in reason_keys(result)
    assert result.outcome == "FAM_EXOFFICIO"


def test_missing_income_is_asked() -> None:
    result, findings = family(build(sponsor_net_income=None))
    assert result.outcome == "FAM_REVIEW"
    assert "sponsor_net_income" in findings.missing
    assert result.income_required == 2323.08


# --- property -------------------------------------------------------------------------------------

RELATIONS = st.sampled_from(
    [
        "spouse",
        "partner_registered_other",
        "child_minor",
        "child_adult",
        "child_adult_disabled",
        "parent",
        "other",
    ]
)
MEMBER = st.builds(
    Member,
    relation=RELATIONS,
    dob=st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 12, 31))),
    nationality=st.sampled_from(["IN", "SY", "TR", "FR"]),
    resident_with_sponsor=st.booleans(),
    dependent=st.booleans(),
)
SPONSORS = st.sampled_from([["IN"], ["BE"]])
CONFIGS = st.builds(
    EngineConfig,
    fr_increment_basis=st.sampled_from(["base_amount", "rmmmg"]),
    fr_count_minors=st.booleans(),
)
DAYS = st.dates(min_value=date(2025, 8, 18), max_value=date(2028, 12, 31))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MEMBER, max_size=5), MEMBER, SPONSORS, CONFIGS, DAYS)
def test_adding_a_member_never_lowers_income_required(
    members: list[Member], extra: Member, nationalities: list[str], config: EngineConfig, applied: date
) -> None:
    def required(people: list[Member]) -> float | None:
        answers = build(nationalities=nationalities, family_application_date=applied).model_copy(
            update={"members": people}
        )
        result, _ = family(answers, on=applied, config=config)
        return result.income_required

    before, after = required(members), required([*members, extra])
    if before is not None:
        assert after is not None and after >= before
