"""The audit log's journal: every audit entry also appended, as one JSON line, to a file beside the
database (``guichet.sqlite3.audit``), so a restored backup gets back every entry written since it
was taken — the erasure's own entry, every view and export — instead of rolling the log back.

Each entry carries a random ``entry_key``: merging the journal into a restored copy adds exactly
the entries it lacks. The journal holds what the audit log holds (account names, actions, session
numbers, addresses), never personal data of the people using the bot; it is kept as long as the
audit log (``GUICHET_AUDIT_RETENTION_DAYS``) and rewritten without older entries by the audit purge.
Writes happen inside the store's write transaction, so two processes never interleave them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from sqlite_utils import Database

from bot.store.erasure import append_private

AUDIT_JOURNAL_SUFFIX: Final = ".audit"
AUDIT_COLUMNS: Final = ("entry_key", "at", "operator", "action", "session_id", "detail", "client")
INSERT_AUDIT: Final = (
    f"INSERT OR IGNORE INTO audit_log ({', '.join(AUDIT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})"
)


def audit_journal_path(db_path: str | Path) -> Path:
    """The append-only audit journal kept beside the database file."""
    path = Path(db_path)
    return path.with_name(path.name + AUDIT_JOURNAL_SUFFIX)


def _line(entry: Mapping[str, Any]) -> str:
    return json.dumps({name: entry.get(name) for name in AUDIT_COLUMNS}, ensure_ascii=False) + "\n"


def append_audit(db_path: str | Path, entry: Mapping[str, Any]) -> None:
    """Append one entry (a mapping of :data:`AUDIT_COLUMNS`) to the journal."""
    append_private(audit_journal_path(db_path), _line(entry))


def read_audit_journal(db_path: str | Path) -> list[dict[str, Any]]:
    """Every well-formed entry of the journal beside ``db_path`` (empty when there is none); a
    damaged line (a crash in the middle of a write) is skipped."""
    journal = audit_journal_path(db_path)
    if not journal.exists():
        return []
    entries: list[dict[str, Any]] = []
    for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if _well_formed(entry):
            entries.append(entry)
    return entries


def _well_formed(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    texts = ("entry_key", "at", "operator", "action", "detail")
    return all(isinstance(entry.get(name), str) for name in texts) and (
        entry.get("session_id") is None or isinstance(entry.get("session_id"), int)
    )


def audit_rows(db: Database, *, legacy: bool = False) -> list[dict[str, Any]]:
    """Every entry of the database's own audit log, as journal entries; ``legacy``: a store from
    before entry keys (schema 9 or 10), keyed as migration 11 keys them."""
    columns = ", ".join(("'legacy-' || id AS entry_key", *AUDIT_COLUMNS[1:]) if legacy else AUDIT_COLUMNS)
    return [dict(row) for row in db.query(f"SELECT {columns} FROM audit_log ORDER BY id")]


def merge_audit(db: Database, entries: Iterable[Mapping[str, Any]]) -> int:
    """Inside a transaction: add the entries ``db``'s audit log lacks (by key), oldest first;
    return how many were added."""
    known = {str(row[0]) for row in db.execute("SELECT entry_key FROM audit_log WHERE entry_key IS NOT NULL")}
    missing = {str(e["entry_key"]): e for e in entries if str(e["entry_key"]) not in known}
    rows = sorted(missing.values(), key=lambda e: (str(e["at"]), str(e["entry_key"])))
    db.conn.executemany(
        INSERT_AUDIT,
        [[row.get(name) for name in AUDIT_COLUMNS] for row in rows],
    )
    return len(rows)


def compact_audit_journal(db_path: str | Path, cutoff: str) -> int:
    """Rewrite the journal without the entries older than ``cutoff`` (an ISO time); return how many
    were dropped. Call inside the store's write transaction (no append can interleave)."""
    journal = audit_journal_path(db_path)
    if not journal.exists():
        return 0
    entries = read_audit_journal(db_path)
    kept = [entry for entry in entries if str(entry["at"]) >= cutoff]
    if len(kept) == len(entries):
        return 0
    partial = journal.with_name(journal.name + ".partial")
    partial.unlink(missing_ok=True)
    append_private(partial, "".join(_line(entry) for entry in kept))
    os.replace(partial, journal)
    return len(entries) - len(kept)
