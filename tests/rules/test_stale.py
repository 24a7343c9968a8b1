"""`guichet rules stale`: amounts whose update is pending, or will be within the window, and
amounts whose validity ends with nothing to follow."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import ThresholdRow
from bot.rules.pack import default_pack
from bot.rules.stale import stale_amounts
from tests.rules.conftest import PackWriter, edit_row, pack_files


def row(
    threshold_id: str, start: str | None, end: str | None, stale: str | None = None, status: str = "active"
) -> ThresholdRow:
    day = lambda text: date.fromisoformat(text) if text else None  # noqa: E731
    return ThresholdRow(
        id=threshold_id, name=threshold_id, amount=100.0, amount_max=None, unit="EUR", basis="",
        period="month", region="BXL", valid_from=day(start), valid_to=day(end), stale_from=day(stale),
        sources=("P01",), origin="public", confidence="H", status=status, note="",
    )  # fmt: skip


ROWS = [
    row("PENDING", "2025-01-01", None, stale="2026-01-01"),
    row("SOON", "2025-01-01", None, stale="2027-01-01"),
    row("LATER", "2025-01-01", None, stale="2027-04-01"),
    row("ENDS", "2025-01-01", "2026-12-31"),
    row("ENDS_FOLLOWED", "2025-01-01", "2026-12-31"),
    row("ENDS_FOLLOWED", "2027-01-01", None),
    row("ENDED", "2024-01-01", "2025-06-30"),
    row("QUIET", "2025-01-01", None),
    row("REJECTED", "2025-01-01", None, stale="2026-01-01", status="rejected"),
]


def test_due_and_soon_due_within_the_window() -> None:
    found = stale_amounts(ROWS, date(2026, 12, 3), timedelta(days=60))
    assert [(item.row.id, item.kind, item.due.isoformat(), item.overdue) for item in found] == [
        ("ENDED", "ended", "2025-07-01", True),
        ("PENDING", "stale", "2026-01-01", True),
        ("ENDS", "ends_soon", "2027-01-01", False),
        ("SOON", "stale_soon", "2027-01-01", False),
    ]


@pytest.mark.parametrize(
    ("days", "ids"), [(28, {"PENDING", "ENDED"}), (29, {"PENDING", "ENDED", "SOON", "ENDS"})]
)
def test_the_window_bound_is_inclusive(days: int, ids: set[str]) -> None:
    assert {item.row.id for item in stale_amounts(ROWS, date(2026, 12, 3), timedelta(days=days))} == ids


def test_the_december_2026_cases_see_the_flemish_amounts_as_due() -> None:
    due = {item.row.id: item for item in stale_amounts(default_pack().table.rows, date(2026, 12, 3))}
    for threshold_id in ("FL_HQ", "FL_HQ_RED", "FL_BC"):
        assert due[threshold_id].kind == "stale" and due[threshold_id].due == date(2026, 1, 1)


def test_stale_command_on_the_pack_in_force_and_on_a_candidate(
    tmp_path: Path, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "guichet.db")
    assert main(["rules", "stale", "--on", "2026-12-03", "--within", "0d", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "looking 0 days ahead" in out and "DUE  FL_HQ " in out and "BXL_HQ" not in out
    assert main(["rules", "stale", "--on", "2026-12-03", "--within", "60d", "--db", db]) == 0
    assert "SOON BXL_HQ " in capsys.readouterr().out
    packaged = default_pack().files["thresholds.csv"]
    fresh = write_pack(pack_files(thresholds=edit_row(packaged, "FL_HQ", "2025-01-01", stale_from="")))
    assert main(["rules", "stale", str(fresh), "--on", "2026-12-03", "--within", "8w", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "looking 56 days ahead" in out and " FL_HQ " not in out and "FL_BC" in out


def test_within_must_be_a_number_of_days(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["rules", "stale", "--within", "two months", "--db", str(tmp_path / "g.db")])
    assert exit_info.value.code == 2
