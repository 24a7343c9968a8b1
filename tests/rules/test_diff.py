"""`guichet rules diff`: every finished session assessed again under the pack in force and under
the new pack, on the same day; only the sessions whose route, family outcome or review codes
change are listed and exported, before → after."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import ThresholdTable
from bot.rules.diff import diff_sessions
from bot.rules.pack import THRESHOLDS, default_pack, parse_pack
from bot.store import SessionStore
from bot.store.packs import PackStore
from tests.rules.conftest import NEW_VERSION, PackWriter, edit_row, pack_files, raised_blue_card, save_session

DAY = date(2026, 12, 3)
EMPLOYEE = {
    "nationalities": ["IN"],
    "current_location": "abroad",
    "purposes": ["employee"],
    "employer_type": "belgian_employer",
    "qualification": "higher_ed_3y_plus",
    "contract_months": 0,
    "job_is_highly_qualified": "yes",
    "special": ["none"],
    "dob": "1990-05-01",
    "lang": "en",
}
BRUSSELS_5000 = {**EMPLOYEE, "work_postcode": "1000", "salary_month_base": 5000}
BRUSSELS_8000 = {**EMPLOYEE, "work_postcode": "1000", "salary_month_base": 8000}
GHENT_50000 = {**EMPLOYEE, "work_postcode": "9000", "salary_year": 50000, "salary_month_base": 3600}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "guichet.db"
    store = SessionStore(path)
    for user, answers in enumerate((BRUSSELS_5000, BRUSSELS_8000, GHENT_50000), 1):
        save_session(store, str(user), answers, DAY)
    store.new_session("telegram", "99", lang="en")  # in progress, no assessment: not re-assessed
    store.close()
    return path


def sessions(db: Path) -> list[tuple[int, str, dict[str, object]]]:
    store = PackStore(db)
    try:
        return store.finished_sessions()
    finally:
        store.close()


def test_only_the_sessions_whose_headlines_change_are_listed(db: Path) -> None:
    new = ThresholdTable(list(default_pack().table.rows), version="same-rows")  # same amounts, other name
    report = diff_sessions(sessions(db), default_pack().table, new, DAY)
    assert (report.checked, report.changes, report.unreadable) == (3, [], [])


def test_a_raised_blue_card_amount_moves_one_brussels_worker(db: Path) -> None:
    new = parse_pack(pack_files(thresholds=raised_blue_card()))
    report = diff_sessions(sessions(db), default_pack().table, new.table, DAY)
    [change] = report.changes
    assert (change.session_id, change.before.route, change.after.route) == (1, "BLUE_CARD", "HQ")
    assert change.changed == ("route",)


def test_an_updated_flemish_amount_clears_the_review(
    db: Path, write_pack: PackWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packaged = default_pack().files[THRESHOLDS]
    confirmed = edit_row(packaged, "FL_HQ", "2025-01-01", stale_from="")
    folder = write_pack(pack_files(thresholds=confirmed))
    export = tmp_path / "changes.csv"
    assert (
        main(["rules", "diff", str(folder), "--db", str(db), "--on", "2026-12-03", "--export", str(export)])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith(
        f"rules diff: {default_pack().version} (in force) → {NEW_VERSION}, as of 2026-12-03"
    )
    assert "3 sessions assessed again, 1 change" in out
    [record] = list(csv.DictReader(io.StringIO(export.read_text(encoding="utf-8"))))
    assert record["session_id"] == "3" and "review" in record["changed"].split()
    assert (record["route_before"], record["review_before"], record["review_after"]) == ("HQ", "RV-02", "")
    assert f"       3  needs_review  {record['route_before']}" in out
    as_json = tmp_path / "changes.json"
    assert (
        main(["rules", "diff", str(folder), "--db", str(db), "--on", "2026-12-03", "--export", str(as_json)])
        == 0
    )
    data = json.loads(as_json.read_text(encoding="utf-8"))
    assert (data["after_version"], data["checked"], data["changes"]) == (
        NEW_VERSION,
        3,
        [{**record, "session_id": 3}],
    )


def test_diff_refuses_a_bad_pack(
    db: Path, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_pack(pack_files(thresholds=raised_blue_card("0")))
    assert main(["rules", "diff", str(folder), "--db", str(db)]) == 2
    assert "BXL_BC: amount 0 must be positive" in capsys.readouterr().err
