"""Rules packs in the store: each applied pack (files verbatim, version, who applied it) and the
history of which pack is in force. The latest event of ``rules_events`` names the pack in force;
a version that has no row in ``rules_packs`` is the packaged default (rolled back to)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from bot.store.connection import BUSY_TIMEOUT_MS, checkpoint_truncate, immediate_transaction, open_database
from bot.store.records import Clock, StoreError, from_iso, to_iso, utc_now
from bot.store.schema import migrate

PackAction = Literal["apply", "rollback"]
_ACTIVE_SQL = "SELECT version FROM rules_events ORDER BY id DESC LIMIT 1"


class PackExistsError(StoreError):
    """A pack with this version is already stored (versions are never reused)."""


@dataclass(frozen=True)
class NewPack:
    """What the store keeps of a pack: its manifest fields, a digest of its files, the files."""

    version: str
    pack_date: date | None
    author: str
    note: str
    digest: str
    files: Mapping[str, str] = field(repr=False)


@dataclass(frozen=True)
class StoredPack(NewPack):
    """A pack as stored, with who applied it and when."""

    applied_by: str
    applied_at: datetime


@dataclass(frozen=True)
class PackEvent:
    """One change of the pack in force."""

    at: datetime
    action: str
    version: str
    by: str


class PackStore:
    """Read and write the packs of one database (opened and brought up to date on construction)."""

    def __init__(self, path: str | Path, *, clock: Clock = utc_now, migrate_schema: bool = True) -> None:
        """Open the database; ``migrate_schema=False`` when another store of this process already
        brought it up to date (no write lock is then taken)."""
        self.path = Path(path)
        self._clock = clock
        self._wrote = False
        self._db = open_database(self.path)
        try:
            if migrate_schema:
                migrate(self._db)
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        """Close the connection (after a checkpoint of the WAL when this store wrote)."""
        try:
            if self._wrote:
                checkpoint_truncate(self._db)
        finally:
            self._db.close()

    def add(self, pack: NewPack, by: str) -> None:
        """Store ``pack`` and make it the one in force, in one transaction; PackExistsError if its
        version is already stored (nothing is then changed)."""
        now = to_iso(self._clock())
        with immediate_transaction(self._db):
            if self._row(pack.version) is not None:
                raise PackExistsError(f"a pack with version {pack.version} is already stored")
            self._db.execute(
                "INSERT INTO rules_packs (version, pack_date, author, note, digest, files_json, applied_by, "
                "applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    pack.version,
                    pack.pack_date.isoformat() if pack.pack_date else None,
                    pack.author,
                    pack.note,
                    pack.digest,
                    json.dumps(dict(pack.files), ensure_ascii=False),
                    by,
                    now,
                ],
            )
            self._event("apply", pack.version, by, now)
        self._wrote = True

    def activate(self, version: str, by: str) -> None:
        """Record that ``version`` (a stored pack, or the packaged default) is in force again."""
        now = to_iso(self._clock())
        with immediate_transaction(self._db):
            self._event("rollback", version, by, now)
        self._wrote = True

    def _event(self, action: PackAction, version: str, by: str, now: str) -> None:
        self._db.execute(
            "INSERT INTO rules_events (at, action, version, by) VALUES (?, ?, ?, ?)",
            [now, action, version, by],
        )

    def _row(self, version: str) -> dict[str, Any] | None:
        cursor = self._db.execute("SELECT * FROM rules_packs WHERE version = ?", [version])
        row = cursor.fetchone()
        return None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))

    def get(self, version: str) -> StoredPack | None:
        """The stored pack of ``version``, or None."""
        row = self._row(version)
        return None if row is None else _stored(row)

    def packs(self) -> list[StoredPack]:
        """Every stored pack, the most recently applied first."""
        cursor = self._db.execute("SELECT * FROM rules_packs ORDER BY applied_at DESC, rowid DESC")
        names = [c[0] for c in cursor.description]
        return [_stored(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    def history(self) -> list[PackEvent]:
        """Every change of the pack in force, the latest first."""
        rows = self._db.execute(
            "SELECT at, action, version, by FROM rules_events ORDER BY id DESC"
        ).fetchall()
        return [PackEvent(from_iso(at), action, version, by) for at, action, version, by in rows]

    def active_version(self) -> str | None:
        """The version in force, or None when no pack was ever applied (the packaged default)."""
        row = self._db.execute(_ACTIVE_SQL).fetchone()
        return None if row is None else str(row[0])

    def finished_sessions(self) -> list[tuple[int, str, dict[str, Any]]]:
        """(id, status, dialogue state) of every session that has an assessment, oldest first."""
        rows = self._db.execute(
            "SELECT id, status, state_json FROM sessions s "
            "WHERE EXISTS (SELECT 1 FROM assessments a WHERE a.session_id = s.id) ORDER BY id"
        ).fetchall()
        return [(int(sid), str(status), json.loads(state)) for sid, status, state in rows]


def _stored(row: dict[str, Any]) -> StoredPack:
    return StoredPack(
        version=row["version"],
        pack_date=date.fromisoformat(row["pack_date"]) if row["pack_date"] else None,
        author=row["author"],
        note=row["note"],
        digest=row["digest"],
        applied_by=row["applied_by"],
        applied_at=from_iso(row["applied_at"]),
        files=json.loads(row["files_json"]),
    )


def _read_one(path: str | Path, sql: str, params: list[str]) -> Any:
    """The first column of the first row of ``sql`` on a short-lived connection of its own (usable
    from any thread), or None when there is no row or the packs tables do not exist yet."""
    uri = Path(path).resolve().as_uri() + "?mode=rw"  # never creates a database that is not there
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        row = connection.execute(sql, params).fetchone()
        return None if row is None else row[0]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    finally:
        connection.close()


def read_active_version(path: str | Path) -> str | None:
    """The version in force (None: no pack ever applied): the running bot's check every few seconds."""
    version = _read_one(path, _ACTIVE_SQL, [])
    return None if version is None else str(version)


def read_pack_files(path: str | Path, version: str) -> dict[str, str] | None:
    """The files of the stored pack ``version`` (None: not stored, i.e. the packaged default)."""
    files = _read_one(path, "SELECT files_json FROM rules_packs WHERE version = ?", [version])
    return None if files is None else dict(json.loads(files))
