"""Opening the SQLite file with the store's pragmas, and write transactions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5_000


def open_database(path: str | Path) -> Database:
    """Open (creating it and its folder, owner-only) the database at ``path`` in WAL mode.

    The connection is bound to the calling thread (sqlite3's ``check_same_thread``). Pragmas:
    ``secure_delete=ON`` (deleted content is zeroed), ``foreign_keys=ON``, ``synchronous=FULL``
    (a committed turn survives a power cut, not only a process crash).
    """
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    is_new = not file.exists()
    db = Database(file, execute_plugins=False)
    if is_new:
        os.chmod(file, 0o600)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.enable_wal()
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA secure_delete = ON")
    db.execute("PRAGMA foreign_keys = ON")
    return db


@contextmanager
def immediate_transaction(db: Database) -> Iterator[None]:
    """One write transaction (``BEGIN IMMEDIATE``: the write lock is taken at once, so a second
    process writing at the same time waits for ``busy_timeout`` instead of failing mid-way).
    Commits on success, rolls everything back on any exception."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.conn.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def checkpoint_truncate(db: Database) -> bool:
    """Copy the WAL into the main file and truncate it to zero bytes; False if a reader blocked it."""
    busy, _log_frames, _checkpointed = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0
