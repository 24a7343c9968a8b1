"""`guichet rules apply | list | rollback | export`: a pack is stored with its version and who
applied it; a bad pack, or a version already used, is refused and nothing changes."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Answers, active_table, assess, threshold_table, use_table
from bot.rules.live import refresh
from bot.rules.pack import THRESHOLDS, default_pack, read_pack_files
from bot.rules.registry import pack_in_force
from bot.store.packs import PackStore
from tests.rules.conftest import NEW_VERSION, PackWriter, pack_files, raised_blue_card

PACKAGED_VERSION = default_pack().version
BRUSSELS_5000 = Answers.model_validate(
    {
        "nationalities": ["IN"],
        "current_location": "abroad",
        "purposes": ["employee"],
        "work_postcode": "1000",
        "employer_type": "belgian_employer",
        "qualification": "higher_ed_3y_plus",
        "salary_month_base": 5000,
        "contract_months": 0,
        "job_is_highly_qualified": "yes",
        "special": ["none"],
        "dob": "1990-05-01",
    }
)


def rules(db: Path, *args: str) -> int:
    return main(["rules", *args, "--db", str(db)])


def dump(db: Path) -> list[tuple[object, ...]]:
    """Everything the packs tables hold."""
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT 'pack', version, applied_by, digest FROM rules_packs UNION ALL "
            "SELECT 'event', version, by, action FROM rules_events ORDER BY 1, 2, 3, 4"
        ).fetchall()


def in_force(db: Path) -> str:
    store = PackStore(db)
    try:
        return pack_in_force(store).version
    finally:
        store.close()


def test_apply_stores_the_pack_with_its_version_and_who_applied_it(
    tmp_path: Path, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "guichet.db"
    folder = write_pack(pack_files(thresholds=raised_blue_card()))
    assert rules(db, "apply", str(folder), "--by", "alice") == 0
    assert f"pack {NEW_VERSION} stored and in force (applied by alice)" in capsys.readouterr().out
    store = PackStore(db)
    stored = store.get(NEW_VERSION)
    assert stored is not None and (stored.applied_by, stored.author, stored.pack_date) == (
        "alice",
        "Test Adviser",
        date(2026, 12, 3),
    )
    assert stored.files == read_pack_files(folder)  # kept verbatim
    assert pack_in_force(store).table.find("BXL_BC", date(2026, 12, 3)).amount == 5500  # type: ignore[union-attr]
    store.close()


def test_a_bad_pack_is_refused_and_nothing_changes(
    tmp_path: Path, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "guichet.db"
    assert (
        rules(db, "apply", str(write_pack(pack_files(thresholds=raised_blue_card()))), "--by", "alice") == 0
    )
    before = dump(db)
    bad = write_pack(pack_files("2027.01-v1", thresholds=raised_blue_card("-5500")))
    assert rules(db, "apply", str(bad), "--by", "bob") == 2
    err = capsys.readouterr().err
    assert "thresholds.csv:" in err and "BXL_BC: amount -5500 must be positive" in err
    assert dump(db) == before
    assert in_force(db) == NEW_VERSION


def test_a_version_is_never_reused(
    tmp_path: Path, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "guichet.db"
    assert rules(db, "apply", str(write_pack(pack_files())), "--by", "alice") == 0
    before = dump(db)
    assert rules(db, "apply", str(write_pack(pack_files(thresholds=raised_blue_card()))), "--by", "bob") == 2
    assert f"version {NEW_VERSION} is already stored" in capsys.readouterr().err
    packaged_again = write_pack(pack_files(PACKAGED_VERSION))
    assert rules(db, "apply", str(packaged_again), "--by", "bob") == 2
    assert "the packaged tables' own" in capsys.readouterr().err
    assert dump(db) == before


def test_list_and_rollback(
    tmp_path: Path, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "guichet.db"
    assert rules(db, "list") == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"* {PACKAGED_VERSION}")  # nothing applied yet
    assert rules(db, "apply", str(write_pack(pack_files())), "--by", "alice") == 0
    assert rules(db, "apply", str(write_pack(pack_files("2027.01-v1"))), "--by", "bob") == 0
    assert in_force(db) == "2027.01-v1"
    capsys.readouterr()
    assert rules(db, "rollback", NEW_VERSION, "--by", "carol") == 0
    assert in_force(db) == NEW_VERSION
    assert rules(db, "list") == 0
    out = capsys.readouterr().out
    assert f"* {NEW_VERSION}" in out and "  2027.01-v1" in out
    history = out.split("history (latest first):")[1].splitlines()[1:]
    assert [line.split()[2:] for line in history] == [
        ["rollback", NEW_VERSION, "by", "carol"],
        ["apply", "2027.01-v1", "by", "bob"],
        ["apply", NEW_VERSION, "by", "alice"],
    ]
    assert rules(db, "rollback", "default", "--by", "carol") == 0
    assert in_force(db) == PACKAGED_VERSION


def test_rollback_refuses_an_unknown_version_or_the_one_in_force(
    tmp_path: Path, write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "guichet.db"
    assert rules(db, "apply", str(write_pack(pack_files())), "--by", "alice") == 0
    before = dump(db)
    assert rules(db, "rollback", "2019.01-v1") == 2
    assert f"no pack 2019.01-v1 in the store (stored: {NEW_VERSION}" in capsys.readouterr().err
    assert rules(db, "rollback", NEW_VERSION) == 2
    assert "is already in force" in capsys.readouterr().err
    assert dump(db) == before


def test_export_writes_the_pack_in_force_for_editing(tmp_path: Path, write_pack: PackWriter) -> None:
    db = tmp_path / "guichet.db"
    assert rules(db, "export", str(tmp_path / "out")) == 0
    assert read_pack_files(tmp_path / "out")[THRESHOLDS] == default_pack().files[THRESHOLDS]
    assert rules(db, "apply", str(write_pack(pack_files(thresholds=raised_blue_card()))), "--by", "a") == 0
    assert rules(db, "export", str(tmp_path / "now")) == 0
    assert read_pack_files(tmp_path / "now")[THRESHOLDS] == raised_blue_card()


def test_an_assessment_records_the_pack_it_used(tmp_path: Path, write_pack: PackWriter) -> None:
    db = tmp_path / "guichet.db"
    day = date(2026, 12, 3)
    assert assess(BRUSSELS_5000, day).route_code == "BLUE_CARD"
    assert rules(db, "apply", str(write_pack(pack_files(thresholds=raised_blue_card()))), "--by", "a") == 0
    try:
        assert refresh(db) == NEW_VERSION
        after = assess(BRUSSELS_5000, day)
        assert (after.route_code, after.rules_version) == ("HQ", NEW_VERSION)
        assert rules(db, "rollback", "default") == 0
        assert refresh(db) == PACKAGED_VERSION
        assert active_table() is threshold_table()
        assert assess(BRUSSELS_5000, day).rules_version == PACKAGED_VERSION
    finally:
        use_table(None)
