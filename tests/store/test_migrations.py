"""Schema migrations: a fresh database, an upgrade from version 1, refusals and rollback."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.engine import Assessment, FamilyResult, RouteResult
from bot.store import LATEST_VERSION, MIGRATIONS, SchemaTooNewError, SessionStore, schema_version
from bot.store.schema import Migration, migrate

# The version-1 schema exactly as released: a database written by that version looks like this.
# Never edit it - it is the fixture that proves old databases still open.
RELEASED_V1_SCHEMA = """
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    user_key TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('in_progress', 'completed', 'abandoned', 'needs_review')),
    lang TEXT NOT NULL,
    state_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE INDEX sessions_by_user ON sessions (channel, user_key, id);
CREATE INDEX sessions_by_updated_at ON sessions (updated_at);
CREATE TABLE answers (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    seq INTEGER NOT NULL,
    field TEXT NOT NULL,
    value_json TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE transcript (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    seq INTEGER NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    update_id INTEGER,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE processed_updates (
    update_id INTEGER PRIMARY KEY,
    processed_at TEXT NOT NULL
);
CREATE INDEX processed_updates_by_time ON processed_updates (processed_at);
INSERT INTO schema_migrations VALUES (1, 'core', '2025-01-01T00:00:00.000000+00:00');
"""

V1_DATA = """
INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at)
VALUES ('telegram', '42', 'in_progress', 'nl', '{"question":"salary"}',
        '2025-01-02T10:00:00.000000+00:00', '2025-01-02T10:05:00.000000+00:00');
INSERT INTO answers VALUES (1, 1, 'nationality', '"IN"', '2025-01-02T10:01:00.000000+00:00');
INSERT INTO transcript VALUES (1, 1, 'in', 'India', '2025-01-02T10:01:00.000000+00:00', 900);
INSERT INTO processed_updates VALUES (900, '2025-01-02T10:01:00.000000+00:00');
"""


def _schema(path: Path) -> dict[str, str]:
    """Table and index definitions, whitespace-normalised, by name."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    conn.close()
    return {name: re.sub(r"\s+", " ", re.sub(r"\s*([(),])\s*", r"\1", sql)).strip() for name, sql in rows}


def _write_v1_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(RELEASED_V1_SCHEMA + V1_DATA)
    conn.close()


def _assessment() -> Assessment:
    route = RouteResult(code="SHORTAGE", rule="R-SHORT", status="eligible")
    return Assessment(
        rules_version="t",
        reference_date=date(2025, 3, 1),
        routes=[route],
        route_code="SHORTAGE",
        family=FamilyResult(),
    )


def test_fresh_database_gets_every_migration_in_order(tmp_path: Path) -> None:
    path = tmp_path / "new" / "g.sqlite3"
    SessionStore(path).close()
    with sqlite3.connect(path) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations ORDER BY rowid")]
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST_VERSION == len(MIGRATIONS) >= 2
    assert {"sessions", "answers", "transcript", "assessments", "processed_updates", "invites"} <= tables


def test_migration_1_still_builds_the_released_schema(tmp_path: Path) -> None:
    released, built = tmp_path / "released.sqlite3", tmp_path / "built.sqlite3"
    conn = sqlite3.connect(released)
    conn.executescript(RELEASED_V1_SCHEMA)
    conn.close()
    db = Database(built)
    assert migrate(db, upto=1) == 1
    db.close()
    assert _schema(built) == _schema(released)


def test_upgrade_from_version_1_keeps_the_data_and_adds_the_new_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _write_v1_database(path)
    store = SessionStore(path)
    try:
        assert schema_version(store._db) == LATEST_VERSION
        session = store.load_state("telegram", "42")
        assert session is not None
        assert (session.status, session.lang, session.state) == ("in_progress", "nl", {"question": "salary"})
        assert session.invite_token is None  # column added by a later migration
        assert [(a.field, a.value) for a in store.get_answers(session.id)] == [("nationality", "IN")]
        assert store.is_processed(900)
        store.save_assessment(session.id, _assessment())
        assert store.load_state("telegram", "42").status == "completed"  # type: ignore[union-attr]
        assert store.get_invite(store.create_invite("ACME", {})) is not None
        # and the next turn continues the old session's logs
        store.save_turn(
            "telegram", "42", {}, lang="nl", answers=[("salary", 1)], incoming="1", status="completed"
        )
        assert [a.seq for a in store.get_answers(session.id)] == [1, 2]
    finally:
        store.close()


def test_reopening_runs_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite3"
    for _ in range(3):
        SessionStore(path).close()
    with sqlite3.connect(path) as conn:
        count = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    conn.close()
    assert count == LATEST_VERSION


def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite3"
    SessionStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')", [LATEST_VERSION + 1])
    conn.close()
    with pytest.raises(SchemaTooNewError):
        SessionStore(path)


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _write_v1_database(path)

    def broken(db: Database) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("migration bug")

    db = Database(path)
    with pytest.raises(RuntimeError, match="migration bug"):
        migrate(db, migrations=[MIGRATIONS[0], MIGRATIONS[1], Migration(3, "broken", broken)])
    assert schema_version(db) == 1
    assert "half_done" not in db.table_names()
    assert "assessments" not in db.table_names()
    db.close()


@pytest.mark.parametrize("numbers", [[2, 3], [1, 3], [1, 1], [2, 1]])
def test_migrations_must_be_numbered_in_order(tmp_path: Path, numbers: list[int]) -> None:
    migrations = [Migration(n, f"m{n}", lambda db: None) for n in numbers]
    with pytest.raises(ValueError, match="numbered"):
        migrate(Database(tmp_path / "g.sqlite3"), migrations=migrations)


def test_migration_11_keys_old_sessions_erasures_and_audit_entries(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite3"
    _write_v1_database(path)
    db = Database(path)
    migrate(db, upto=10)
    db.execute("INSERT INTO erasures (session_id, erased_at) VALUES (5, '2026-01-01T00:00:00+00:00')")
    db.execute("INSERT INTO audit_log (at, operator, action) VALUES ('2026-01-01T00:00Z', 'a', 'view')")
    db.conn.commit()
    assert migrate(db) == LATEST_VERSION
    assert db.execute("SELECT erasure_key FROM sessions").fetchall() == [("legacy-1",)]
    assert db.execute("SELECT erasure_key, session_id FROM erasures").fetchall() == [("legacy-5", 5)]
    assert db.execute("SELECT entry_key FROM audit_log").fetchall() == [("legacy-1",)]
    db.execute(
        "INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at) "
        "VALUES ('telegram', '43', 'in_progress', 'en', '{}', 'x', 'x')"
    )
    key = db.execute("SELECT erasure_key FROM sessions WHERE user_key = '43'").fetchone()[0]
    assert len(key) == 32 and not key.startswith("legacy")  # a raw insert gets a random key too
    db.close()
