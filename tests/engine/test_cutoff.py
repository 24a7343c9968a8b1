"""RV-15: one cut-off margin, the same on both sides of the cut-off (rules.md §6.3), for dates that
are planned or assumed; a recorded date (given, not after the day of the assessment) is exact."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.engine import Answers, assess, constants, near_cutoff

CUTOFF = date(2026, 1, 1)


def test_the_margin_is_data() -> None:
    assert constants()["CUTOFF_MARGIN"].count == 3


@pytest.mark.parametrize(
    ("offset", "near"),
    [(-4, False), (-3, True), (-1, True), (0, True), (1, True), (3, True), (4, False)],
)
def test_near_cutoff_both_sides(offset: int, near: bool) -> None:
    assert near_cutoff(CUTOFF + timedelta(days=offset), CUTOFF) is near


@pytest.mark.parametrize(
    ("filed", "near"),
    [("2025-08-14", False), ("2025-08-15", True), ("2025-08-21", True), ("2025-08-22", False)],
)
def test_family_reform_cutoff_uses_the_same_margin(filed: str, near: bool) -> None:
    """18 August 2025 (family reform): 3 days either side are flagged, the 4th is not."""
    answers = Answers(
        nationalities=["IN"],
        purposes=["bring_family"],
        sponsor_type="tcn_limited",
        sponsor_right_date="2020-01-01",
        family_application_date=filed,
        members=[{"relation": "spouse", "dob": "1990-01-01"}],
        dob="1988-01-01",
    )
    planned = {item.code for item in assess(answers, on=date(2025, 8, 1)).review}
    assert ("RV-15" in planned) is near
    recorded = {item.code for item in assess(answers, on=date(2025, 9, 1)).review}
    assert "RV-15" not in recorded


@pytest.mark.parametrize(
    ("filed", "near"),
    [("2025-12-28", False), ("2025-12-29", True), ("2026-01-04", True), ("2026-01-05", False)],
)
def test_flemish_list_change_uses_the_same_margin(filed: str, near: bool) -> None:
    """1 January 2026 (Flemish medium-skilled list): a removed function filed around the change."""
    answers = Answers(
        nationalities=["MA"],
        purposes=["employee"],
        region="FL",
        qualification="vocational_level_3_4",
        employer_type="belgian_employer",
        occupation="bakker",
        application_date=filed,
    )
    codes = {item.code for item in assess(answers, on=date(2025, 12, 1)).review}
    assert ("RV-15" in codes) is near
    recorded = assess(answers, on=date(2026, 2, 1))
    assert "RV-15" not in {item.code for item in recorded.review}
