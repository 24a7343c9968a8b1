"""`guichet backup` and `guichet restore`: a consistent copy taken under load, restores that refuse
what is not ours, and erasures and retention applied before a restored store serves anyone."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import SchemaTooNewError, SessionStore
from bot.store.audit_journal import audit_journal_path
from bot.store.backup import NotAStoreError, backup, check_store, restore
from bot.store.erasure import journal_path
from bot.store.operators import OperatorStore
from bot.store.schema import LATEST_VERSION

SECRET = "PANGOLIN-erase-me-4411"


def _processed(path: Path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {int(row[0]) for row in conn.execute("SELECT update_id FROM processed_updates")}
    finally:
        conn.close()


def _texts(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return " ".join(row[0] for row in conn.execute("SELECT text FROM transcript"))
    finally:
        conn.close()


def test_backup_under_load_holds_every_turn_committed_before_it(tmp_path: Path) -> None:
    live, copy, restored = tmp_path / "live.sqlite3", tmp_path / "backups", tmp_path / "restored.sqlite3"
    SessionStore(live).close()
    committed: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def converse(worker: int) -> None:
        store = SessionStore(live)
        try:
            update = worker * 1_000_000
            while not stop.is_set():
                update += 1
                store.save_turn(
                    "telegram",
                    f"user-{worker}-{update % 7}",
                    {"n": update},
                    lang="en",
                    incoming=f"message {update}",
                    outgoing=["reply"],
                    update_id=update,
                )
                with lock:
                    committed.append(update)  # only after the commit returned
        finally:
            store.close()

    workers = [threading.Thread(target=converse, args=(w,)) for w in (1, 2)]
    for thread in workers:
        thread.start()
    try:
        while len(committed) < 200:
            threading.Event().wait(0.01)
        with lock:
            before = set(committed)
        report = backup(live, copy.mkdir() or copy)
        while len(committed) < len(before) + 50:  # the bot kept working during and after the copy
            threading.Event().wait(0.01)
    finally:
        stop.set()
        for thread in workers:
            thread.join()
    assert report.path.parent == copy and report.schema_version == LATEST_VERSION
    assert before <= _processed(report.path)
    assert oct(report.path.stat().st_mode & 0o777) == "0o600"
    SessionStore(restored).close()
    restore(report.path, restored, retention_days=3650, audit_retention_days=3650)
    assert before <= _processed(restored) and _processed(restored) <= set(committed)
    check_store(restored)


def test_a_restore_never_brings_back_an_erasure(tmp_path: Path) -> None:
    live, saved = tmp_path / "guichet.sqlite3", tmp_path / "saved.sqlite3"
    store = SessionStore(live)
    store.save_turn("telegram", "7", {}, lang="en", incoming=SECRET)
    other = store.save_turn("telegram", "8", {}, lang="en", incoming="keep me")
    store.close()
    backup(live, saved)
    store = SessionStore(live)
    assert store.erase_user("telegram", "7") > 0
    store.close()
    ops = OperatorStore(live)
    ops.erase_session(other)  # an operator's erasure, too
    ops.close()
    assert SECRET in _texts(saved)  # the backup still holds it…
    report = restore(saved, live, retention_days=3650, audit_retention_days=3650)
    assert report.erased_again > 0 and report.sessions == 0
    assert SECRET not in _texts(live) and SECRET.encode() not in live.read_bytes()  # …the restore does not


def test_erasures_survive_the_loss_of_the_live_file(tmp_path: Path) -> None:
    live, saved = tmp_path / "guichet.sqlite3", tmp_path / "saved.sqlite3"
    store = SessionStore(live)
    store.save_turn("telegram", "7", {}, lang="en", incoming=SECRET)
    store.close()
    backup(live, saved)
    store = SessionStore(live)
    store.erase_user("telegram", "7")
    store.close()
    assert journal_path(live).read_text().strip()  # ids and times only
    assert SECRET not in journal_path(live).read_text() and "telegram" not in journal_path(live).read_text()
    live.unlink()  # the disk failed: only the journal beside it and the backup are left
    restore(saved, live, retention_days=3650, audit_retention_days=3650)
    assert SECRET not in _texts(live)


def test_restore_applies_retention_and_ends_every_log_in(tmp_path: Path) -> None:
    live, saved = tmp_path / "guichet.sqlite3", tmp_path / "saved.sqlite3"
    old = datetime.now(UTC) - timedelta(days=400)
    store = SessionStore(live, clock=lambda: old)
    store.save_turn("telegram", "1", {}, lang="en", incoming="an old conversation")
    store.close()
    store = SessionStore(live)
    store.save_turn("telegram", "2", {}, lang="en", incoming="a recent one")
    store.close()
    ops = OperatorStore(live)
    ops.start_console_session("alice", "token", "csrf", "127.0.0.1")
    ops.close()
    backup(live, saved)
    report = restore(saved, live, retention_days=180, audit_retention_days=730)
    assert report.sessions == 1 and report.purged > 0
    assert "old conversation" not in _texts(live) and "recent one" in _texts(live)
    ops = OperatorStore(live)
    try:
        assert ops.console_session("token", idle=timedelta(days=1), lifetime=timedelta(days=1)) is None
    finally:
        ops.close()


def test_restore_refuses_what_is_not_a_guichet_store(tmp_path: Path) -> None:
    live = tmp_path / "guichet.sqlite3"
    store = SessionStore(live)
    store.save_turn("telegram", "1", {}, lang="en", incoming="still here")
    store.close()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE sessions (id INTEGER)")
    conn.close()
    newer = tmp_path / "newer.sqlite3"
    backup(live, newer)
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')", [LATEST_VERSION + 1])
    conn.commit()
    conn.close()
    for bad, error in (
        (text_file, NotAStoreError),
        (foreign, NotAStoreError),
        (tmp_path / "missing", NotAStoreError),
        (newer, SchemaTooNewError),
    ):
        with pytest.raises(error):
            restore(bad, live, retention_days=30, audit_retention_days=30)
    assert "still here" in _texts(live)  # nothing was touched
    assert not list(tmp_path.glob("*.restoring*"))


def test_backup_and_restore_commands(tmp_path: Path) -> None:
    from tests.operators.test_cli import run

    live, saved = tmp_path / "guichet.sqlite3", tmp_path / "saved.sqlite3"
    store = SessionStore(live)
    store.save_turn("telegram", "1", {}, lang="en", incoming="hello")
    store.close()
    code, out, _ = run(["backup", str(saved), "--db", str(live)])
    assert code == 0 and "backed up 1 sessions" in out and saved.exists()
    assert "backup" in _actions(live)
    code, _, err = run(["restore", str(saved), "--db", str(live)])  # no terminal: needs --yes
    assert code == 2 and "--yes" in err
    code, out, _ = run(["restore", str(saved), "--yes", "--db", str(live)])
    assert code == 0 and "restored 1 sessions" in out
    code, _, err = run(["restore", str(tmp_path / "nothing"), "--yes", "--db", str(live)])
    assert code == 1 and "not restored" in err
    assert "restore" in _actions(live)


def _actions(path: Path) -> list[str]:
    ops = OperatorStore(path)
    try:
        return [entry.action for entry in ops.audit_entries()]
    finally:
        ops.close()


def _users(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {str(row[0]) for row in conn.execute("SELECT user_key FROM sessions")}
    finally:
        conn.close()


def _new_session(live: Path, user: str, said: str = "hello") -> int:
    store = SessionStore(live)
    try:
        return store.save_turn("telegram", user, {}, lang="en", incoming=said)
    finally:
        store.close()


def _erase(live: Path, user: str) -> None:
    store = SessionStore(live)
    try:
        assert store.erase_user("telegram", user) > 0
    finally:
        store.close()


def test_restores_around_new_sessions_never_erase_a_session_never_erased(tmp_path: Path) -> None:
    live, first, second, third = (tmp_path / name for name in ("guichet.sqlite3", "a", "b", "c"))
    _new_session(live, "anna")
    backup(live, first)  # the counter stands at 1 in this copy
    _new_session(live, "bert", SECRET)
    _erase(live, "bert")  # session 2 erased after the backup
    restore(first, live, retention_days=3650, audit_retention_days=3650)
    newcomer = _new_session(live, "carla")  # must not take the erased session's id…
    backup(live, second)
    report = restore(second, live, retention_days=3650, audit_retention_days=3650)
    assert report.erased_again == 0, "a recorded erasure matched a session that was never erased"
    assert _users(live) == {"anna", "carla"}
    _new_session(live, "dora")
    _erase(live, "anna")
    backup(live, third)
    for copy in (first, second, third, first):  # each restore keeps every never-erased session it holds
        restore(copy, live, retention_days=3650, audit_retention_days=3650)
        assert "bert" not in _users(live) and "anna" not in _users(live)
        assert SECRET not in _texts(live)
    assert _users(live) == {"carla"} or _users(live) == set()  # the first copy holds only anna
    restore(third, live, retention_days=3650, audit_retention_days=3650)
    assert _users(live) == {"carla", "dora"}
    assert _new_session(live, "emil") > max(newcomer, 4)  # ids are never given twice


def test_a_backup_taken_before_keys_existed_is_still_erased(tmp_path: Path) -> None:
    """A copy from schema 10 (erasures by id) restored by this code: its legacy keys match."""
    from sqlite_utils import Database

    from bot.store.schema import migrate

    old, live = tmp_path / "old.sqlite3", tmp_path / "guichet.sqlite3"
    db = Database(old)
    migrate(db, upto=10)
    for user, said in (("7", SECRET), ("8", "keep me")):
        db.execute(
            "INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at) "
            "VALUES ('telegram', ?, 'in_progress', 'en', '{}', '2026-12-01T00:00:00+00:00', "
            "'2026-12-01T00:00:00+00:00')",
            [user],
        )
        session = db.execute("SELECT MAX(id) FROM sessions").fetchone()[0]
        db.execute(
            "INSERT INTO transcript VALUES (?, 1, 'in', ?, '2026-12-01T00:00:00Z', NULL)", [session, said]
        )
    db.conn.commit()
    db.close()
    backup(old, live)
    _erase(live, "7")  # the live store is upgraded, then session 1 erased by its legacy key
    restore(old, live, retention_days=3650, audit_retention_days=3650)
    assert _users(live) == {"8"} and SECRET not in _texts(live)


def test_the_audit_log_survives_a_restore_and_is_merged_once(tmp_path: Path) -> None:
    live, saved = tmp_path / "guichet.sqlite3", tmp_path / "saved.sqlite3"
    session = _new_session(live, "anna", SECRET)
    ops = OperatorStore(live)
    ops.audit("alice", "view", session_id=session)
    ops.close()
    backup(live, saved)
    ops = OperatorStore(live)
    ops.audit("alice", "export", detail="csv, 1 rows")
    ops.erase_session(session)
    ops.audit("alice", "erase", session_id=session, client="198.51.100.7")
    ops.close()
    for _ in range(2):
        restore(saved, live, retention_days=3650, audit_retention_days=3650)
        assert _actions(live) == ["erase", "export", "view"]  # latest first, none rolled back or doubled
    live.unlink()  # the disk failed: the journal beside it still has them
    restore(saved, live, retention_days=3650, audit_retention_days=3650)
    assert _actions(live) == ["erase", "export", "view"]
    assert SECRET not in audit_journal_path(live).read_text()


def test_the_audit_journal_keeps_to_the_audit_retention(tmp_path: Path) -> None:
    live = tmp_path / "guichet.sqlite3"
    old = datetime.now(UTC) - timedelta(days=800)
    ops = OperatorStore(live, clock=lambda: old)
    ops.audit("alice", "view", session_id=1)
    ops.close()
    ops = OperatorStore(live)
    ops.audit("alice", "list")
    assert ops.purge_audit_older_than(730) == 1
    ops.close()
    assert [line.count('"list"') for line in audit_journal_path(live).read_text().splitlines()] == [1]
    saved = tmp_path / "saved.sqlite3"
    backup(live, saved)
    restore(saved, live, retention_days=3650, audit_retention_days=730)
    assert _actions(live) == ["list"]


def test_after_the_live_file_is_lost_new_sessions_never_take_an_audited_number(tmp_path: Path) -> None:
    live, saved = tmp_path / "guichet.sqlite3", tmp_path / "saved.sqlite3"
    _new_session(live, "anna")
    backup(live, saved)
    seen = _new_session(live, "bert")  # after the backup, viewed by an operator, never erased
    ops = OperatorStore(live)
    ops.audit("alice", "view", session_id=seen)
    ops.close()
    live.unlink()  # the disk failed: the journals beside it are left
    restore(saved, live, retention_days=3650, audit_retention_days=3650)
    assert _new_session(live, "carla") > seen  # the audit entry for session `seen` names bert only


def test_a_live_store_this_code_never_opened_gives_its_erasures_and_audit(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from bot.store.schema import migrate

    live, saved = tmp_path / "guichet.sqlite3", tmp_path / "saved.sqlite3"
    db = Database(live)
    migrate(db, upto=10)
    db.execute(
        "INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at) "
        "VALUES ('telegram', '7', 'in_progress', 'en', '{}', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')"
    )
    db.conn.commit()
    db.close()
    backup(live, saved)
    db = Database(live)  # what version 10 did on an erasure: by id, with its audit entry
    db.execute("DELETE FROM sessions WHERE id = 1")
    db.execute("INSERT INTO erasures (session_id, erased_at) VALUES (1, '2026-12-02T00:00:00Z')")
    db.execute(
        "INSERT INTO audit_log (at, operator, action, session_id) "
        "VALUES ('2026-12-02T00:00:00Z', 'a', 'erase', 1)"
    )
    db.conn.commit()
    db.close()
    restore(saved, live, retention_days=3650, audit_retention_days=3650)
    assert _users(live) == set() and _actions(live) == ["erase"]


def test_the_journals_are_owner_only(tmp_path: Path) -> None:
    live = tmp_path / "guichet.sqlite3"
    _new_session(live, "anna")
    _erase(live, "anna")
    ops = OperatorStore(live)
    ops.audit("alice", "list")
    ops.close()
    for journal in (journal_path(live), audit_journal_path(live)):
        assert oct(journal.stat().st_mode & 0o777) == "0o600", journal
