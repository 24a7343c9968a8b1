"""Erasures that stay erased: recorded by session id, physically completed in the background, and
applied again to any restored backup.

An erased session's id is written to the ``erasures`` table (in the same transaction as the
deletion) and appended to a journal file beside the database. Session ids are never reused, so a
backup taken before the erasure holds the session under the same id: ``guichet restore`` deletes
every recorded id from the restored copy before it serves anyone. The record carries no personal
data. An erasure is *complete* once the WAL checkpoint succeeded (the erased text is then neither in
the database file, whose freed pages ``secure_delete`` zeroes, nor in the WAL); until then a reader
holding an old snapshot keeps it on disk, and :func:`complete_erasures` is retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

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


def journal_path(db_path: str | Path) -> Path:
    """The append-only list of erased session ids kept beside the database file."""
    path = Path(db_path)
    return path.with_name(path.name + JOURNAL_SUFFIX)


def delete_sessions(db: Database, where: str, params: Sequence[Any]) -> tuple[list[int], int]:
    """Inside a transaction: delete the sessions matching ``where`` with every child row; return
    their ids and the number of rows deleted."""
    ids = [
        int(row[0]) for row in db.execute(f"SELECT id FROM sessions WHERE {where}", list(params)).fetchall()
    ]
    if not ids:
        return [], 0
    marks = ", ".join("?" for _ in ids)
    deleted = 0
    for table in SESSION_CHILD_TABLES:
        deleted += db.execute(f"DELETE FROM {table} WHERE session_id IN ({marks})", ids).rowcount
    deleted += db.execute(f"DELETE FROM sessions WHERE id IN ({marks})", ids).rowcount
    return ids, deleted


def record_erasures(db: Database, db_path: Path, session_ids: Iterable[int], now: str) -> None:
    """Inside the erasing transaction: remember the erased ids (table and journal file)."""
    ids = sorted(set(session_ids))
    if not ids:
        return
    db.conn.executemany(
        "INSERT OR IGNORE INTO erasures (session_id, erased_at) VALUES (?, ?)", [(i, now) for i in ids]
    )
    journal = journal_path(db_path)
    is_new = not journal.exists()
    with journal.open("a", encoding="ascii") as handle:
        handle.writelines(f"{session_id}\t{now}\n" for session_id in ids)
    if is_new:
        journal.chmod(0o600)


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


def read_journal(db_path: str | Path) -> dict[int, str]:
    """Erased session id → when, from the journal beside ``db_path`` (empty when there is none)."""
    journal = journal_path(db_path)
    if not journal.exists():
        return {}
    erased: dict[int, str] = {}
    for line in journal.read_text(encoding="ascii").splitlines():
        session_id, _, when = line.partition("\t")
        if session_id.isdigit() and when:
            erased.setdefault(int(session_id), when)
    return erased


def erased_ids(db: Database) -> dict[int, str]:
    """Erased session id → when, from the database's own ``erasures`` table."""
    rows = db.execute("SELECT session_id, erased_at FROM erasures").fetchall()
    return {int(session_id): str(when) for session_id, when in rows}
