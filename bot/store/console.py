"""The console's security records: server-side log-in sessions and the log-in throttle.

A mixin of :class:`~bot.store.operators.OperatorStore` (same connection, same conventions: one
``BEGIN IMMEDIATE`` transaction per write, UTC ISO times).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from bot.store.base import StoreBase
from bot.store.connection import immediate_transaction
from bot.store.records import from_iso, to_iso

# After this many failures from one client address for one name, each further failure doubles the
# wait before that address may try that name again: 1 s, 2 s, 4 s … up to MAX_LOGIN_DELAY.
FREE_LOGIN_FAILURES: Final = 3
MAX_LOGIN_DELAY: Final = timedelta(minutes=15)
MAX_CLIENT_CHARS: Final = 64
TOUCH_EVERY: Final = timedelta(minutes=1)  # how often a request moves a session's last-seen time


def token_hash(token: str) -> str:
    """What the store keeps of a console session token (a database copy logs nobody in)."""
    return hashlib.sha256(token.encode()).hexdigest()


def login_delay(failures: int) -> timedelta:
    """How long a client waits after its ``failures``-th consecutive failure for one name."""
    if failures < FREE_LOGIN_FAILURES:
        return timedelta(0)
    exponent = min(failures - FREE_LOGIN_FAILURES, 20)
    return min(timedelta(seconds=2**exponent), MAX_LOGIN_DELAY)


@dataclass(frozen=True)
class ConsoleLogin:
    """A live console session as the server keeps it."""

    operator: str
    csrf: str
    client: str
    created_at: datetime
    last_seen_at: datetime


class ConsoleRecords(StoreBase):
    """Server-side console sessions and the per-(client, name) log-in throttle."""

    # -- sessions -----------------------------------------------------------------------------------

    def start_console_session(self, operator: str, token: str, csrf: str, client: str) -> None:
        """Remember a new log-in (only the token's hash is kept)."""
        now = self._now()
        with immediate_transaction(self._db):
            self._db.execute(
                "INSERT INTO console_sessions (token_hash, operator, csrf, client, created_at, last_seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [token_hash(token), operator, csrf, client[:MAX_CLIENT_CHARS], now, now],
            )

    def console_session(self, token: str, *, idle: timedelta, lifetime: timedelta) -> ConsoleLogin | None:
        """The live session for ``token``, its last-seen time moved to now (at most once a minute);
        None when unknown, ended, idle for longer than ``idle`` or older than ``lifetime`` (such a
        session is ended)."""
        now = self._clock()
        key = token_hash(token)
        row = self._db.execute(
            "SELECT operator, csrf, client, created_at, last_seen_at, ended_at FROM console_sessions "
            "WHERE token_hash = ?",
            [key],
        ).fetchone()
        if row is None or row[5] is not None:
            return None
        created, seen = from_iso(row[3]), from_iso(row[4])
        expired = now - seen > idle or now - created > lifetime
        if expired or now - seen >= TOUCH_EVERY:  # not one write per request: once a minute is enough
            column = "ended_at" if expired else "last_seen_at"
            with immediate_transaction(self._db):
                self._db.execute(
                    f"UPDATE console_sessions SET {column} = ? WHERE token_hash = ?", [to_iso(now), key]
                )
        if expired:
            return None
        return ConsoleLogin(operator=row[0], csrf=row[1], client=row[2], created_at=created, last_seen_at=now)

    def end_console_session(self, token: str) -> bool:
        """Log this session out; False if it was unknown or already ended."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE console_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                [self._now(), token_hash(token)],
            )
        return cursor.rowcount > 0

    def end_all_console_sessions(self, operator: str) -> int:
        """Log ``operator`` out everywhere; return how many sessions were ended."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE console_sessions SET ended_at = ? WHERE operator = ? AND ended_at IS NULL",
                [self._now(), operator],
            )
        return cursor.rowcount

    def live_console_sessions(self, operator: str) -> int:
        """How many sessions of ``operator`` have not been ended (some may have timed out)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM console_sessions WHERE operator = ? AND ended_at IS NULL", [operator]
        ).fetchone()
        return int(row[0])

    # -- throttle -----------------------------------------------------------------------------------

    def login_blocked_until(self, client: str, name: str) -> datetime | None:
        """When ``client`` may next try ``name``, if that is still in the future."""
        row = self._db.execute(
            "SELECT blocked_until FROM login_failures WHERE client = ? AND name = ?",
            [client[:MAX_CLIENT_CHARS], name],
        ).fetchone()
        if row is None:
            return None
        until = from_iso(row[0])
        return until if until > self._clock() else None

    def record_login_failure(self, client: str, name: str) -> int:
        """Count one more failure of ``client`` for ``name`` and set its wait; return the count."""
        now = self._clock()
        client = client[:MAX_CLIENT_CHARS]
        with immediate_transaction(self._db):
            row = self._db.execute(
                "SELECT failures FROM login_failures WHERE client = ? AND name = ?", [client, name]
            ).fetchone()
            failures = 1 + (int(row[0]) if row else 0)
            self._db.execute(
                "INSERT OR REPLACE INTO login_failures "
                "(client, name, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?, ?)",
                [client, name, failures, to_iso(now), to_iso(now + login_delay(failures))],
            )
        return failures

    def clear_login_failures(self, name: str, client: str | None = None) -> int:
        """Forget the failures for ``name`` (from one client, or from all: ``operators unlock``)."""
        with immediate_transaction(self._db):
            if client is None:
                cursor = self._db.execute("DELETE FROM login_failures WHERE name = ?", [name])
            else:
                cursor = self._db.execute(
                    "DELETE FROM login_failures WHERE name = ? AND client = ?",
                    [name, client[:MAX_CLIENT_CHARS]],
                )
        return cursor.rowcount

    def _purge_console_records(self, cutoff: str) -> int:
        """Inside a transaction: ended or stale sessions and old failures before ``cutoff``."""
        deleted = self._db.execute(
            "DELETE FROM console_sessions WHERE last_seen_at < ? OR ended_at < ?", [cutoff, cutoff]
        ).rowcount
        deleted += self._db.execute("DELETE FROM login_failures WHERE last_failure_at < ?", [cutoff]).rowcount
        return deleted
