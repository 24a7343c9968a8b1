"""Backups and restores of the store.

:func:`backup` copies the database with SQLite's online backup API: a consistent snapshot (every
transaction committed before the copy started, none half-written), taken while the bot and the
console keep running (WAL readers never block writers). :func:`restore` puts a copy back, refusing
a file that is not a guichet store or whose schema is newer than this code, and applies to it, before
it replaces the live file, every erasure ever recorded (see :mod:`bot.store.erasure`) and the
retention periods: a backup never brings back what /delete or an operator removed. It merges back
every audit entry written since the backup (:mod:`bot.store.audit_journal`) and keeps the sessions id
counter above every id the live store gave.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from sqlite_utils import Database

from bot.store.audit_journal import audit_rows, merge_audit, read_audit_journal
from bot.store.connection import immediate_transaction, open_database
from bot.store.erasure import (
    Erasure,
    delete_sessions,
    erased_ids,
    finish_erasures,
    insert_erasures,
    legacy_key,
    read_journal,
)
from bot.store.records import SchemaTooNewError, StoreError, to_iso, utc_now
from bot.store.schema import LATEST_VERSION, MIGRATIONS, migrate, schema_version

_FIRST_MIGRATION: Final = MIGRATIONS[0].name
_SIDE_FILES: Final = ("-wal", "-shm", "-journal")
_KEYED_VERSION: Final = 11  # erasures and audit entries recorded by key (bot/store/schema.py)


class NotAStoreError(StoreError):
    """The file is not a readable guichet store."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore copied, and (for a restore) what it removed again."""

    path: Path
    schema_version: int
    sessions: int
    erased_again: int = 0
    purged: int = 0


def _readonly(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise NotAStoreError(f"{path} is not a file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise NotAStoreError(f"{path} is not an SQLite database ({exc})") from exc
    return conn


def check_store(path: str | Path) -> int:
    """The schema version of the guichet store at ``path``; NotAStoreError for any other file,
    SchemaTooNewError for a store written by a newer guichet."""
    conn = _readonly(Path(path))
    try:
        try:
            rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
            conn.execute("SELECT id, channel, user_key, state_json FROM sessions LIMIT 0")
            healthy = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError as exc:
            raise NotAStoreError(f"{path} is not a guichet store ({exc})") from exc
    finally:
        conn.close()
    if not rows or rows[0] != (1, _FIRST_MIGRATION) or not healthy:
        raise NotAStoreError(f"{path} is not a guichet store, or it is damaged")
    version = int(rows[-1][0])
    if version > LATEST_VERSION:
        raise SchemaTooNewError(
            f"{path} has schema version {version}, newer than this code ({LATEST_VERSION})"
        )
    return version


def _copy(source: Path, target: Path) -> None:
    """Copy ``source`` into a new file ``target`` (owner-only) with the online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target.unlink(missing_ok=True)
    target.touch(mode=0o600)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # one step: a single consistent snapshot
        finally:
            dst.close()
    finally:
        src.close()


def _count_sessions(path: Path) -> int:
    conn = _readonly(path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])
    finally:
        conn.close()


def backup(db_path: str | Path, destination: str | Path) -> BackupReport:
    """Copy the live store to ``destination`` (a file, or a folder that receives a time-stamped
    ``guichet-YYYYmmdd-HHMMSS.sqlite3``); written beside it first, then renamed, so a partial copy
    never has the final name."""
    source = Path(db_path)
    check_store(source)
    target = Path(destination)
    if target.is_dir():
        target = target / f"guichet-{utc_now():%Y%m%d-%H%M%S}.sqlite3"
    partial = target.with_name(target.name + ".partial")
    _copy(source, partial)
    version = check_store(partial)
    os.replace(partial, target)
    return BackupReport(path=target, schema_version=version, sessions=_count_sessions(target))


@dataclass
class _LiveRecords:
    """What the live store (or, when it is lost, the journals beside it) knows that a backup may
    not: every erasure, every audit entry, and how far the sessions id counter has gone."""

    erasures: dict[str, Erasure]
    audit: list[dict[str, Any]]
    session_counter: int = 0


def _live_records(db_path: Path) -> _LiveRecords:
    """The erasures and audit entries recorded for the live store (its tables, if readable, and the
    journals beside it), and its id counter."""
    records = _LiveRecords(read_journal(db_path), read_audit_journal(db_path))
    if db_path.exists():
        try:
            check_store(db_path)
            db = open_database(db_path)
        except StoreError:
            return records
        try:
            if schema_version(db) >= _KEYED_VERSION:
                records.erasures.update(erased_ids(db))
                records.audit += audit_rows(db)
            elif db.table("erasures").exists():  # never opened by this code: keyed as migration 11 does
                rows = db.execute("SELECT session_id, erased_at FROM erasures").fetchall()
                records.erasures.update({legacy_key(int(i)): Erasure(int(i), str(when)) for i, when in rows})
                records.audit += audit_rows(db, legacy=True)
            records.session_counter = _session_counter(db)
        finally:
            db.close()
    return records


def _session_counter(db: Database) -> int:
    """The highest session id ever given (SQLite's AUTOINCREMENT counter)."""
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'sessions'").fetchone()
    return int(row[0]) if row else 0


def _keep_counter_above(db: Database, highest: int) -> None:
    """Inside a transaction: make the next session id greater than ``highest``."""
    if _session_counter(db) >= highest:
        return
    if db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'sessions'", [highest]).rowcount == 0:
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('sessions', ?)", [highest])


def restore(
    source: str | Path,
    db_path: str | Path,
    *,
    retention_days: int,
    audit_retention_days: int,
    now: datetime | None = None,
) -> BackupReport:
    """Replace the store at ``db_path`` with the backup ``source`` (stop the bot and the console
    first). The copy is brought to the current schema, every recorded erasure is applied to it
    again, sessions and audit entries beyond their retention are purged and every console log-in is
    ended — all before it takes the live file's place."""
    from bot.store.operators import OperatorStore
    from bot.store.sessions import SessionStore

    source, live = Path(source), Path(db_path)
    check_store(source)
    moment = now or utc_now()
    staging = live.with_name(live.name + ".restoring")
    _copy(source, staging)
    try:
        db = open_database(staging)
        try:
            migrate(db)
            known = _live_records(live)
            erased = known.erasures | erased_ids(db)
            db.execute("PRAGMA secure_delete = ON")
            with immediate_transaction(db):
                keys = sorted(erased)
                removed = 0
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ", ".join("?" for _ in chunk)
                    removed += delete_sessions(db, f"erasure_key IN ({marks})", chunk)[1]
                insert_erasures(db, sorted((key, e.session_id, e.erased_at) for key, e in erased.items()))
                # ids stay unique across restores: a new session never takes the id of one erased
                # or created after the backup (the audit log names sessions by id)
                erased_max = max((e.session_id for e in erased.values()), default=0)
                audited_max = max((int(e["session_id"] or 0) for e in known.audit), default=0)
                _keep_counter_above(db, max(known.session_counter, erased_max, audited_max))
                merge_audit(db, known.audit)
                db.execute(
                    "UPDATE console_sessions SET ended_at = ? WHERE ended_at IS NULL", [to_iso(moment)]
                )
            finish_erasures(db, to_iso(moment), wait=True)
            version = schema_version(db)
        finally:
            db.close()
        sessions = SessionStore(staging, clock=lambda: moment)
        try:
            purged = sessions.purge_older_than(retention_days)
        finally:
            sessions.close()
        operators = OperatorStore(staging, clock=lambda: moment)
        try:
            purged += operators.purge_audit_older_than(audit_retention_days)
        finally:
            operators.close()
        for suffix in _SIDE_FILES:
            Path(str(staging) + suffix).unlink(missing_ok=True)
            Path(str(live) + suffix).unlink(missing_ok=True)
        os.replace(staging, live)
    except BaseException:
        for suffix in ("", *_SIDE_FILES):
            Path(str(staging) + suffix).unlink(missing_ok=True)
        raise
    return BackupReport(
        path=live,
        schema_version=version,
        sessions=_count_sessions(live),
        erased_again=removed,
        purged=purged,
    )
