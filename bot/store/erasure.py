"""Erasures that stay erased: recorded by session id, physically completed in the background, and
applied again to any restored backup.

An erased session's random ``erasure_key`` (with its id) is written to the ``erasures`` table (in the
same transaction as the deletion) and appended to a journal file beside the database. A backup taken
before the erasure holds the session under the same key: ``guichet restore`` deletes every recorded
key from the restored copy before it serves anyone. Keys, unlike ids, are never given twice, even
when a restore sets the id counter back, so an erasure can never match another person's session
(the restore also keeps the counter above every id ever erased). The record carries no personal
data. An erasure is *complete* once the WAL checkpoint succeeded (the erased text is then neither in
the database file, whose freed pages ``secure_delete`` zeroes, nor in the WAL); until then a reader
holding an old snapshot keeps it on disk, and :func:`complete_erasures` is retried.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from sqlite_utils import Database

from bot.store.connection import BUSY_TIMEOUT_MS, checkpoint_truncate, immediate_transaction, open_database
from bot.store.records import Clock, to_iso

log = logging.getLogger(__name__)

JOURNAL_SUFFIX: Final = ".erasures"
# A session's personal data, children before their parent.
SESSION_CHILD_TABLES: Final = (
    "answers",
    "transcript",
    "assessments",
    "handoffs",
    "session_notes",
    "session_flags",
    "result_shares",
    "reminders",
    "reminder_consents",
)


class Erasure(NamedTuple):
    """One recorded erasure: the session's id (for the id counter) and when."""

    session_id: int
    erased_at: str


def legacy_key(session_id: int) -> str:
    """The erasure key of a session written before keys existed (migration 11), in any copy."""
    return f"legacy-{session_id}"


def journal_path(db_path: str | Path) -> Path:
    """The append-only list of erased session ids kept beside the database file."""
    path = Path(db_path)
    return path.with_name(path.name + JOURNAL_SUFFIX)


def delete_sessions(db: Database, where: str, params: Sequence[Any]) -> tuple[dict[int, str], int]:
    """Inside a transaction: delete the sessions matching ``where`` with every child row; return
    their ids (with their erasure keys) and the number of rows deleted."""
    erased = {
        int(row[0]): str(row[1] or legacy_key(int(row[0])))
        for row in db.execute(f"SELECT id, erasure_key FROM sessions WHERE {where}", list(params)).fetchall()
    }
    if not erased:
        return {}, 0
    ids = list(erased)
    marks = ", ".join("?" for _ in ids)
    deleted = 0
    for table in SESSION_CHILD_TABLES:
        deleted += db.execute(f"DELETE FROM {table} WHERE session_id IN ({marks})", ids).rowcount
    deleted += db.execute(f"DELETE FROM sessions WHERE id IN ({marks})", ids).rowcount
    return erased, deleted


def record_erasures(db: Database, db_path: Path, erased: Mapping[int, str], now: str) -> None:
    """Inside the erasing transaction: remember the erased sessions, id → erasure key (table and
    journal file)."""
    if not erased:
        return
    rows = sorted((key, session_id, now) for session_id, key in erased.items())
    insert_erasures(db, rows)
    append_private(journal_path(db_path), "".join(f"{i}\t{when}\t{key}\n" for key, i, when in rows))


def insert_erasures(db: Database, rows: Iterable[tuple[str, int, str]]) -> None:
    """Inside a transaction: record ``(erasure key, session id, when)`` rows not yet recorded."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO erasures (erasure_key, session_id, erased_at) VALUES (?, ?, ?)", rows
    )


def append_private(path: Path, text: str) -> None:
    """Append ``text`` to an owner-only file (created if needed) and flush it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)  # owner-only from the start
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def finish_erasures(db: Database, now: str, *, wait: bool = False) -> bool:
    """Checkpoint the WAL; when it completed, mark every pending erasure complete. True if none is left.

    Without ``wait`` a reader holding an old snapshot makes it fail at once (instead of blocking the
    caller for the busy timeout): :func:`complete_in_background` retries it."""
    if not wait:
        db.execute("PRAGMA busy_timeout = 0")
    try:
        done = checkpoint_truncate(db)
    finally:
        if not wait:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not done:
        log.warning("WAL checkpoint blocked by a reader: erased data stays on disk until it is retried")
        return False
    with immediate_transaction(db):
        db.execute("UPDATE erasures SET completed_at = ? WHERE completed_at IS NULL", [now])
    return True


def pending_erasures(db: Database) -> list[int]:
    """The erased session ids whose text may still be on disk (checkpoint not yet completed)."""
    rows = db.execute("SELECT session_id FROM erasures WHERE completed_at IS NULL ORDER BY session_id")
    return [int(row[0]) for row in rows.fetchall()]


def complete_erasures(db_path: str | Path, now: str) -> bool:
    """On a connection of its own (any thread): try to complete the pending erasures; True when
    none is left."""
    db = open_database(db_path)
    try:
        if not pending_erasures(db):
            return True
        return finish_erasures(db, now)  # never waits: a waiting checkpoint would hold writers back
    finally:
        db.close()


async def complete_in_background(
    db_path: str | Path, clock: Clock, *, first_delay: float = 1.0, max_delay: float = 60.0
) -> None:
    """Retry :func:`complete_erasures` (on a worker thread, never the event loop), waiting longer each
    time up to ``max_delay`` seconds, until no erasure is pending."""
    delay = first_delay
    while not await asyncio.to_thread(complete_erasures, db_path, to_iso(clock())):
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay)


def read_journal(db_path: str | Path) -> dict[str, Erasure]:
    """Erasure key → erasure, from the journal beside ``db_path`` (empty when there is none). A line
    written before keys existed (``id<TAB>when``) stands for that id's legacy key."""
    journal = journal_path(db_path)
    if not journal.exists():
        return {}
    erased: dict[str, Erasure] = {}
    for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
        session_id, when, key, *_ = [*line.split("\t"), "", ""]
        if session_id.isdigit() and when:
            erased.setdefault(key or legacy_key(int(session_id)), Erasure(int(session_id), when))
    return erased


def erased_ids(db: Database) -> dict[str, Erasure]:
    """Erasure key → erasure, from the database's own ``erasures`` table."""
    rows = db.execute("SELECT erasure_key, session_id, erased_at FROM erasures").fetchall()
    return {str(key): Erasure(int(session_id), str(when)) for key, session_id, when in rows}
