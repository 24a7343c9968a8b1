"""The dated thresholds table: look-up by date, rejected rows, stale amounts, meets()."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from bot.engine import Comparison, EngineConfig, source_register, threshold_table

TABLE = threshold_table()


def test_every_row_cites_known_sources_and_a_confidence() -> None:
    register = source_register()
    for row in TABLE.rows:
        assert row.sources, row.id
        assert set(row.sources) <= register.keys(), row.id
        assert row.confidence, row.id
        assert row.unit == "EUR", row.id


def test_windows_of_one_id_never_overlap() -> None:
    by_id: dict[str, list[tuple[date, date]]] = {}
    for row in TABLE.rows:
        if row.status in ("active", "indicative"):
            by_id.setdefault(row.id, []).append((row.valid_from or date.min, row.valid_to or date.max))
    for threshold_id, windows in by_id.items():
        windows.sort()
        for (_, end), (start, _) in itertools.pairwise(windows):
            assert end < start, threshold_id


@pytest.mark.parametrize(
    ("threshold_id", "day", "amount"),
    [
        ("BXL_HQ", date(2024, 12, 31), 3591.12),
        ("BXL_HQ", date(2025, 1, 1), 3703.44),
        ("BXL_HQ", date(2026, 11, 23), 3703.44),
        ("WAL_HQ", date(2025, 12, 31), 51613),
        ("WAL_HQ", date(2026, 1, 1), 53220),
        ("WAL_BC", date(2026, 1, 1), 68815),
        ("FR_OLD", date(2025, 1, 31), 2048.53),
        ("FR_OLD", date(2025, 2, 1), 2131.28),
        ("FR_NEW_BASE", date(2025, 8, 18), 2323.079),
        ("RMMMG", date(2026, 3, 31), 2111.89),
        ("STUDENT_MEANS", date(2025, 9, 15), 835),
        ("STUDENT_MEANS", date(2024, 9, 15), 803),
        ("STUDENT_MEANS", date(2026, 9, 15), 1062),  # S003 + Royal Decree of 12 January 2026 (K-12)
        ("STUDENT_MEANS", date(2027, 8, 31), 1062),
        ("WAL_ATHLETE", date(2026, 1, 1), 53220),
        ("WAL_ARTIST", date(2026, 12, 3), 44396),
        ("BXL_ARTIST", date(2026, 12, 3), 3086.20),
        ("FL_ARTIST", date(2026, 12, 3), 42313),
        ("FEE_FL_REGION", date(2026, 9, 1), 180),
        ("BXL_ATHLETE", date(2025, 6, 30), 88320),
    ],
)
def test_row_valid_on_the_day(threshold_id: str, day: date, amount: float) -> None:
    row = TABLE.find(threshold_id, day)
    assert row is not None
    assert row.amount == amount


@pytest.mark.parametrize(
    ("threshold_id", "day"),
    [
        ("FR_NEW_BASE", date(2025, 8, 17)),  # the new rules start on 18 August 2025
        ("RMMMG", date(2026, 4, 1)),  # new value not found
        ("STUDENT_MEANS", date(2027, 9, 15)),  # 2027-2028 not published yet
        ("WAL_ATHLETE", date(2025, 12, 31)),  # no Walloon athlete amount before 2026
        ("FEE_FL_REGION", date(2026, 8, 31)),
        ("BXL_ATHLETE", date(2025, 7, 1)),
        ("BXL_HQ", date(2024, 9, 30)),
    ],
)
def test_no_row_means_no_amount(threshold_id: str, day: date) -> None:
    assert TABLE.find(threshold_id, day) is None
    assert TABLE.meets(1_000_000, threshold_id, day).result is Comparison.REVIEW


@pytest.mark.parametrize(
    "rejected_id",
    [
        "FL_MED_S000",
        "FR_S003_2026",
        "FEE_OE_RANGE_S003",
        "DG_HQ_UNDATED",
        "FEE_FL_REGION_P14",
    ],
)
def test_rejected_rows_are_kept_but_never_used(rejected_id: str) -> None:
    assert rejected_id in {row.id for row in TABLE.rejected()}
    for day in (date(2025, 6, 1), date(2026, 6, 1), date(2026, 11, 23), date(2027, 6, 1)):
        assert TABLE.find(rejected_id, day) is None


@pytest.mark.parametrize(
    ("value", "expected", "warning"),
    [
        (3703.44, Comparison.MEETS, "AT_THRESHOLD"),
        (3703.43, Comparison.FAILS, "JUST_BELOW"),
        (3703.45, Comparison.MEETS, "AT_THRESHOLD"),
        (5000.00, Comparison.MEETS, None),
        (1000.00, Comparison.FAILS, None),
    ],
)
def test_meets_at_below_and_above(value: float, expected: Comparison, warning: str | None) -> None:
    check = TABLE.meets(value, "BXL_HQ", date(2026, 6, 1))
    assert check.result is expected
    assert check.required == 3703.44
    if warning:
        assert warning in check.warnings
    else:
        assert not {"AT_THRESHOLD", "JUST_BELOW"} & set(check.warnings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (48911.99, Comparison.FAILS),
        (48912.00, Comparison.REVIEW),
        (48912 * 1.05 - 0.01, Comparison.REVIEW),
        (48912 * 1.05, Comparison.MEETS_TO_CONFIRM),
    ],
)
def test_stale_amount_needs_the_margin(value: float, expected: Comparison) -> None:
    # Flemish 2025 amounts are kept after 1 January 2026 while Statbel's update is pending.
    check = TABLE.meets(value, "FL_HQ", date(2026, 1, 1))
    assert check.result is expected
    assert "AMOUNT_TO_CONFIRM" in check.warnings


def test_same_amount_before_the_stale_date_is_a_plain_comparison() -> None:
    assert TABLE.meets(48912.00, "FL_HQ", date(2025, 12, 31)).result is Comparison.MEETS


def test_stale_margin_is_configurable() -> None:
    config = EngineConfig(stale_margin=0.0)
    assert (
        TABLE.meets(48912.00, "FL_HQ", date(2026, 2, 1), config=config).result is Comparison.MEETS_TO_CONFIRM
    )


def test_required_overrides_the_amount_but_keeps_the_row() -> None:
    check = TABLE.meets(3020.00, "FR_NEW_BASE", date(2026, 1, 15), required=3020.00)
    assert check.result is Comparison.MEETS
    assert check.row is not None and check.row.id == "FR_NEW_BASE"


def test_rules_version_names_the_table() -> None:
    assert TABLE.version.startswith("2026.06-v1+")
