"""The operator-side store: filters, full-text search, pagination, counts, flags, notes, audit, erasure."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.store import OperatorStore, SessionFilters, SessionStore, UnknownSessionError
from bot.store.operators import fts_query, region_from_state
from bot.store.schema import MIGRATIONS, migrate
from tests.operators.conftest import SEEDS, SettableClock

ALL = {seed.name for seed in SEEDS}


def names(ops: OperatorStore, seeded: dict[str, int], filters: SessionFilters) -> set[str]:
    by_id = {session_id: name for name, session_id in seeded.items()}
    return {by_id[row.id] for row in ops.list_sessions(filters, page_size=100).rows}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SessionFilters(), ALL),
        (SessionFilters(lang="fr"), {"eupen", "progress"}),
        (SessionFilters(lang="nl"), {"ghent", "gone"}),
        (SessionFilters(status="completed"), {"brussels", "ghent", "family"}),
        (SessionFilters(status="needs_review"), {"eupen"}),
        (SessionFilters(status="in_progress"), {"progress"}),
        (SessionFilters(status="abandoned"), {"gone"}),
        (SessionFilters(route="BLUE_CARD"), {"brussels", "ghent", "family"}),
        (SessionFilters(route="DG_REVIEW"), {"eupen"}),
        (SessionFilters(route="STUDENT"), set()),
        (SessionFilters(family="FAM_NONE"), {"brussels", "ghent", "eupen"}),
        (SessionFilters(region="BXL"), {"brussels", "family"}),  # 1000 and 1050
        (SessionFilters(region="FL"), {"ghent"}),
        (SessionFilters(region="DG"), {"eupen"}),
        (SessionFilters(invite="acme"), {"brussels", "ghent"}),  # part of the employer's name, any case
        (SessionFilters(invite="Globex NV"), {"family"}),
        (SessionFilters(invite="%"), set()),  # LIKE wildcards are taken literally
        (SessionFilters(since=date(2026, 3, 5)), {"eupen", "family", "progress"}),
        (SessionFilters(until=date(2026, 3, 2)), {"brussels", "ghent", "gone"}),
        (SessionFilters(since=date(2026, 3, 2), until=date(2026, 3, 5)), {"brussels", "eupen"}),
        (SessionFilters(lang="en", route="BLUE_CARD", region="BXL"), {"brussels", "family"}),
        (SessionFilters(queue=True), {"eupen"}),
    ],
)
def test_filters(
    ops: OperatorStore, seeded: dict[str, int], filters: SessionFilters, expected: set[str]
) -> None:
    assert names(ops, seeded, filters) == expected


def test_day_bounds_follow_brussels_time(
    ops: OperatorStore, seeded: dict[str, int], db_path: Path, clock: SettableClock
) -> None:
    # 23:30 UTC on 4 March is already 5 March in Brussels (UTC+1 in winter).
    store = SessionStore(db_path, clock=clock)
    clock.now = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    late = store.save_turn("telegram", "999", {}, lang="en", incoming="late")
    store.close()
    on_the_fifth = ops.list_sessions(SessionFilters(since=date(2026, 3, 5), until=date(2026, 3, 5)))
    assert late in {row.id for row in on_the_fifth.rows}
    on_the_fourth = ops.list_sessions(SessionFilters(since=date(2026, 3, 4), until=date(2026, 3, 4)))
    assert late not in {row.id for row in on_the_fourth.rows}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Mumbai", {"brussels"}),
        ("mumb", {"brussels"}),  # a beginning of a word
        ("liege", {"family"}),  # accents folded
        ("LIÈGE", {"family"}),
        ("Eupen", {"eupen"}),
        ("gent", {"ghent"}),
        ("spouse", {"family"}),  # an answer value
        ("MA", {"eupen"}),  # a nationality code in the answers
        ("Thanks", ALL),  # the bot's replies are in the transcript too
        ("wife visit", {"family"}),  # every word must appear
        ("wife Mumbai", set()),
        ("zanzibar", set()),
        ('"unbalanced quote AND OR NEAR(', set()),  # FTS syntax in the input is harmless
        ("* - ^", set()),
    ],
)
def test_full_text_search(ops: OperatorStore, seeded: dict[str, int], words: str, expected: set[str]) -> None:
    assert names(ops, seeded, SessionFilters(search=words)) == expected


def test_search_combines_with_filters_and_sees_new_turns(
    ops: OperatorStore, seeded: dict[str, int], db_path: Path, clock: SettableClock
) -> None:
    assert names(ops, seeded, SessionFilters(search="Thanks", lang="nl")) == {"ghent", "gone"}
    store = SessionStore(db_path, clock=clock)
    store.save_turn("telegram", "103", {}, lang="nl", incoming="Antwerpen misschien")
    store.close()
    assert names(ops, seeded, SessionFilters(search="antwerp")) == {"ghent"}


def test_search_index_is_not_kept_in_the_database(
    ops: OperatorStore, seeded: dict[str, int], db_path: Path
) -> None:
    ops.list_sessions(SessionFilters(search="Mumbai"))
    with sqlite3.connect(db_path) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not {name for name in tables if "search" in name or "fts" in name}


@pytest.mark.parametrize(
    ("words", "query"),
    [("", None), ("   ", None), ("Mumbai", '"Mumbai"*'), ('a "b', '"a"* "b"*'), ("x y", '"x"* "y"*')],
)
def test_fts_query(words: str, query: str | None) -> None:
    assert fts_query(words) == query


@pytest.mark.parametrize(
    ("state", "region"),
    [
        ('{"answers": {"region": "WAL"}}', "WAL"),
        ('{"answers": {"work_postcode": "4700"}}', "DG"),
        ('{"answers": {"work_postcode": "9000", "region": "BXL"}}', "BXL"),
        ('{"answers": {}}', None),
        ('{"answers": []}', None),
        ("not json", None),
        (None, None),
    ],
)
def test_region_from_state(state: str | None, region: str | None) -> None:
    assert region_from_state(state) == region


def test_newest_first_and_pagination(ops: OperatorStore, seeded: dict[str, int]) -> None:
    by_recency = [seed.name for seed in sorted(SEEDS, key=lambda s: s.updated, reverse=True)]
    by_id = {session_id: name for name, session_id in seeded.items()}
    pages = [ops.list_sessions(SessionFilters(), page=n, page_size=4) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [6, 6, 6] and pages[0].pages == 2
    assert [by_id[r.id] for r in pages[0].rows + pages[1].rows] == by_recency
    assert pages[2].rows == []
    assert [by_id[r.id] for r in ops.iter_sessions(SessionFilters())] == by_recency


def test_invite_counts(ops: OperatorStore, seeded: dict[str, int]) -> None:
    counts = {c.employer: c for c in ops.invite_counts()}
    acme, globex = counts["Acme Belgium SA"], counts["Globex NV"]
    assert (acme.started, acme.completed, acme.needs_review, acme.routes) == (2, 2, 0, {"BLUE_CARD": 2})
    assert (globex.started, globex.completed) == (1, 1)
    recent = {c.employer: c.started for c in ops.invite_counts(since=date(2026, 3, 1))}
    assert recent == {"Acme Belgium SA": 1, "Globex NV": 1}


def test_flags_notes_and_the_review_queue(ops: OperatorStore, seeded: dict[str, int]) -> None:
    brussels, eupen = seeded["brussels"], seeded["eupen"]
    assert ops.set_flag(brussels, "needs_review", "alice")
    assert not ops.set_flag(brussels, "needs_review", "alice")  # already set
    assert names(ops, seeded, SessionFilters(queue=True)) == {"brussels", "eupen"}
    ops.set_flag(eupen, "resolved", "bob")
    assert names(ops, seeded, SessionFilters(queue=True)) == {"brussels"}
    assert names(ops, seeded, SessionFilters(flag="resolved")) == {"eupen"}
    note = ops.add_note(brussels, "alice", "  advised to wait until 15 Sep  ")
    assert [(n.id, n.operator, n.text) for n in ops.notes(brussels)] == [
        (note, "alice", "advised to wait until 15 Sep")
    ]
    row = ops.summary(brussels)
    assert row is not None and (row.flags, row.note_count) == (("needs_review",), 1)
    assert ops.set_flag(brussels, "needs_review", "alice", on=False)
    actions = [(e.operator, e.action, e.session_id) for e in ops.audit_entries()]
    assert actions == [
        ("alice", "unflag", brussels),
        ("alice", "note", brussels),
        ("bob", "flag", eupen),
        ("alice", "flag", brussels),
    ]
    assert all("15 Sep" not in e.detail for e in ops.audit_entries())  # the note's text is not audited


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda ops, sid: ops.add_note(sid, "a", "   "), ValueError),
        (lambda ops, sid: ops.add_note(sid, "a", "x" * 2001), ValueError),
        (lambda ops, sid: ops.add_note(9999, "a", "text"), UnknownSessionError),
        (lambda ops, sid: ops.set_flag(sid, "urgent", "a"), ValueError),
        (lambda ops, sid: ops.set_flag(9999, "contacted", "a"), UnknownSessionError),
    ],
)
def test_refused_notes_and_flags(ops: OperatorStore, seeded: dict[str, int], call, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        call(ops, seeded["brussels"])
    assert ops.audit_entries() == []


def test_operator_accounts(ops: OperatorStore, clock: SettableClock) -> None:
    account = ops.create_operator("alice", "scrypt$hash")
    assert account.active and account.created_at == clock.now
    with pytest.raises(ValueError, match="already exists"):
        ops.create_operator("alice", "other")
    for bad in ("", "with space", "x" * 65, "-dash-first"):
        with pytest.raises(ValueError):
            ops.create_operator(bad, "h")
    assert ops.disable_operator("alice") and not ops.disable_operator("alice")
    assert not ops.disable_operator("nobody")
    assert [a.name for a in ops.list_operators()] == ["alice"]
    assert not ops.get_operator("alice").active  # type: ignore[union-attr]
    assert ops.set_password("alice", "new") and not ops.set_password("nobody", "new")


def _raw(db_path: Path) -> bytes:
    return b"".join(
        Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal", "-shm") if Path(f"{db_path}{s}").exists()
    )


def test_erase_session_leaves_no_trace(ops: OperatorStore, seeded: dict[str, int], db_path: Path) -> None:
    family = seeded["family"]
    ops.add_note(family, "alice", "called about QUOKKA-note-7f3a")
    ops.set_flag(family, "contacted", "alice")
    assert b"QUOKKA-note-7f3a" in _raw(db_path) and "Liège".encode() in _raw(db_path)

    deleted = ops.erase_session(family)

    # the session, its answers (8), transcript (2), assessment, note and flag
    assert deleted == 1 + 8 + 2 + 1 + 1 + 1
    raw = _raw(db_path)
    assert b"QUOKKA-note-7f3a" not in raw and "Liège".encode() not in raw and b"wife" not in raw
    assert b"Mumbai" in raw  # the others stay
    assert ops.get_session(family) is None and ops.summary(family) is None
    assert ops.erase_session(family) == 0
    assert len(ops.list_sessions(SessionFilters()).rows) == len(SEEDS) - 1


def test_store_erasure_and_purge_also_remove_notes_and_flags(
    ops: OperatorStore, seeded: dict[str, int], db_path: Path, clock: SettableClock
) -> None:
    ops.add_note(seeded["gone"], "alice", "WOMBAT-note-1")
    ops.add_note(seeded["progress"], "alice", "KOALA-note-2")
    ops.set_flag(seeded["progress"], "contacted", "alice")
    store = SessionStore(db_path, clock=clock)
    try:
        store.purge_older_than(40, now=datetime(2026, 3, 10, tzinfo=UTC))  # 'gone' was last active 20 January
        store.erase_user("telegram", "105")  # 'progress'
    finally:
        store.close()
    assert ops.notes(seeded["gone"]) == [] and ops.flags(seeded["progress"]) == []
    raw = _raw(db_path)
    assert b"WOMBAT-note-1" not in raw and b"KOALA-note-2" not in raw


def test_migration_4_upgrades_a_version_3_database(tmp_path: Path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "v3.sqlite3"
    db = Database(path)
    assert migrate(db, migrations=MIGRATIONS[:3]) == 3
    db.execute(
        "INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at) "
        "VALUES ('telegram', '1', 'in_progress', 'fr', '{}', '2026-01-01T00:00:00.000000+00:00', "
        "'2026-01-01T00:00:00.000000+00:00')"
    )
    db.close()
    ops = OperatorStore(path)
    try:
        assert ops.add_note(1, "alice", "kept after the upgrade") == 1
        assert [row.id for row in ops.list_sessions(SessionFilters()).rows] == [1]
    finally:
        ops.close()
