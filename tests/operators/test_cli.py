"""`guichet operators|sessions|purge|review` through add_operator_commands / run_operator_command."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.operators.cli import add_operator_commands, cli_operator_name, run_operator_command
from bot.settings import get_settings
from bot.store import OperatorStore, SessionStore
from tests.operators.conftest import SettableClock


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="guichet")
    add_operator_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_operator_command(parse(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def ids_in(listing: str) -> set[int]:
    return {int(line.split("\t")[0]) for line in listing.splitlines()[1:]}


def audit_of(db_path: Path) -> list[tuple[str, str, int | None, str]]:
    ops = OperatorStore(db_path)
    try:
        return [(e.operator, e.action, e.session_id, e.detail) for e in reversed(ops.audit_entries())]
    finally:
        ops.close()


def test_operator_accounts(db_path: Path) -> None:
    db = ["--db", str(db_path)]
    assert run(["operators", "create", "alice", *db], "correct horse battery\n")[0] == 0
    code, _, err = run(["operators", "create", "alice", *db], "correct horse battery\n")
    assert code == 2 and "already exists" in err
    code, _, err = run(["operators", "create", "bob", *db], "short\n")
    assert code == 2 and "at least 12" in err
    code, out, _ = run(["operators", "list", *db])
    assert out.startswith("alice\tviewer\tactive")
    assert run(["operators", "password", "alice", *db], "another long password\n")[0] == 0
    assert run(["operators", "disable", "alice", *db])[0] == 0
    assert run(["operators", "disable", "alice", *db])[0] == 2
    assert "alice\tviewer\tdisabled" in run(["operators", "list", *db])[1]
    ops = OperatorStore(db_path)
    try:
        account = ops.get_operator("alice")
        assert account is not None and "correct horse" not in account.password_hash
        assert ops.get_operator("bob") is None
    finally:
        ops.close()
    assert [a for _, a, _, _ in audit_of(db_path)] == [
        "operator_created",
        "password_changed",
        "operator_disabled",
    ]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], {"brussels", "eupen", "ghent", "family", "progress", "gone"}),
        (["--route", "BLUE_CARD", "--region", "BXL"], {"brussels", "family"}),
        (["--status", "needs_review"], {"eupen"}),
        (["--lang", "nl", "--since", "2026-02-01"], {"ghent"}),
        (["--until", "2026-02-28"], {"ghent", "gone"}),
        (["--invite", "acme"], {"brussels", "ghent"}),
        (["--search", "Mumbai"], {"brussels"}),
        (["--family", "FAM_REVIEW"], {"family"}),
        (["--queue"], {"eupen"}),
    ],
)
def test_sessions_list_filters(
    db_path: Path, seeded: dict[str, int], flags: list[str], expected: set[str]
) -> None:
    code, out, err = run(["sessions", "list", "--db", str(db_path), *flags])
    assert code == 0 and f"{len(expected)} sessions" in err
    assert ids_in(out) == {seeded[name] for name in expected}


def test_sessions_list_rejects_bad_filters(db_path: Path, seeded: dict[str, int]) -> None:
    code, _, err = run(["sessions", "list", "--db", str(db_path), "--since", "10/03/2026"])
    assert code == 2 and "YYYY-MM-DD" in err
    with pytest.raises(SystemExit):
        parse(["sessions", "list", "--route", "NOT_A_ROUTE"])


def test_sessions_list_as_json_and_paginated(db_path: Path, seeded: dict[str, int]) -> None:
    _, out, _ = run(
        ["sessions", "list", "--db", str(db_path), "--format", "json", "--limit", "2", "--page", "2"]
    )
    assert [r["id"] for r in json.loads(out)] == [seeded["eupen"], seeded["brussels"]]


def test_sessions_show(db_path: Path, seeded: dict[str, int]) -> None:
    code, out, _ = run(["sessions", "show", str(seeded["eupen"]), "--db", str(db_path)])
    assert code == 0
    for expected in (
        "Je travaillerai à Eupen",
        "Place of work (postcode): 4700",
        "RV-01: German-speaking Community",
        "DG_REVIEW",
    ):
        assert expected in out
    code, out, _ = run(["sessions", "show", str(seeded["eupen"]), "--format", "json", "--db", str(db_path)])
    document = json.loads(out)
    assert document["assessment"]["route_code"] == "DG_REVIEW"
    assert [t["text"] for t in document["transcript"]] == ["Je travaillerai à Eupen", "Thanks (eupen)"]
    assert run(["sessions", "show", "9999", "--db", str(db_path)])[0] == 1
    views = [(a, s) for who, a, s, _ in audit_of(db_path) if who == cli_operator_name()]
    assert views == [("view", seeded["eupen"])] * 2


def test_sessions_export(db_path: Path, seeded: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, _, err = run(
        ["sessions", "export", "--db", str(db_path), "--route", "BLUE_CARD", "-o", str(target)]
    )
    assert code == 0 and "3 sessions written" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert {int(r["id"]) for r in rows} == {seeded["brussels"], seeded["ghent"], seeded["family"]}
    _, out, _ = run(["sessions", "export", "--db", str(db_path), "--format", "json", "--lang", "fr"])
    assert {r["id"] for r in json.loads(out)} == {seeded["eupen"], seeded["progress"]}
    exports = [d for _, a, _, d in audit_of(db_path) if a == "export"]
    assert exports == ["csv, 3 rows, route=BLUE_CARD", "json, 2 rows, lang=fr"]


def test_sessions_delete(db_path: Path, seeded: dict[str, int]) -> None:
    sid = seeded["ghent"]
    code, _, err = run(["sessions", "delete", str(sid), "--db", str(db_path)])  # no terminal, no --yes
    assert code == 2 and "--yes" in err
    code, out, _ = run(["sessions", "delete", str(sid), "--yes", "--db", str(db_path)])
    assert code == 0 and f"erased session {sid}" in out
    assert run(["sessions", "show", str(sid), "--db", str(db_path)])[0] == 1
    assert run(["sessions", "delete", str(sid), "--yes", "--db", str(db_path)])[0] == 1
    assert b"Gent" not in db_path.read_bytes()
    assert (cli_operator_name(), "erase", sid) in [(w, a, s) for w, a, s, _ in audit_of(db_path)]


def _sessions_aged(db_path: Path, days: list[int]) -> None:
    now = datetime.now(UTC)
    clock = SettableClock(now)
    store = SessionStore(db_path, clock=clock)
    try:
        for age in days:
            clock.now = now - timedelta(days=age)
            store.save_turn("telegram", f"user-{age}", {}, lang="en", incoming=f"aged {age} days")
    finally:
        store.close()


def test_purge_older_than(db_path: Path) -> None:
    _sessions_aged(db_path, [100, 10])
    code, out, _ = run(["purge", "--older-than", "50", "--db", str(db_path)])
    assert code == 0 and out.startswith("purged 2 rows")  # the old session and its transcript line
    _, listing, _ = run(["sessions", "list", "--db", str(db_path)])
    assert len(ids_in(listing)) == 1 and b"aged 100 days" not in db_path.read_bytes()
    assert [(a, d) for _, a, _, d in audit_of(db_path) if a == "purge"] == [
        ("purge", "older than 50 days: 2 rows; audit older than 730 days: 0")
    ]
    with pytest.raises(SystemExit):
        parse(["purge", "--older-than", "-1"])


def test_purge_defaults_to_the_configured_retention(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUICHET_DB_PATH", str(db_path))
    monkeypatch.setenv("GUICHET_RETENTION_DAYS", "30")
    get_settings.cache_clear()
    try:
        _sessions_aged(db_path, [45, 20])
        code, out, _ = run(["purge"])
        assert code == 0 and out.startswith("purged 2 rows older than 30 days\n")
    finally:
        get_settings.cache_clear()


def test_review_arguments() -> None:
    args = parse(["review", "--port", "8123"])
    assert (args.host, args.port, args.session_hours, args.secure_cookie) == ("127.0.0.1", 8123, 8.0, False)
