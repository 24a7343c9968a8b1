"""The console's security records: server-side log-in sessions and the log-in throttle.

A mixin of :class:`~bot.store.operators.OperatorStore` (same connection, same conventions: one
``BEGIN IMMEDIATE`` transaction per write, UTC ISO times).
"""

from __future__ import annotations

import hashlib
import ipaddress
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
# Guesses spread over addresses: after this many failures on one name from addresses that never
# logged in to it, every such address waits (doubling the same way) before trying that name; an
# address that once logged in to the account is spared. Counted again from zero after a quiet day.
ACCOUNT_FREE_FAILURES: Final = 5
ACCOUNT_QUIET: Final = timedelta(hours=24)
# One address (or IPv6 /64) guessing many names: after this many failures, whatever the names.
CLIENT_FREE_FAILURES: Final = 20
ANY: Final = "*"  # the ``client`` of an account-wide row, the ``name`` of an address-wide one
MAX_CLIENT_CHARS: Final = 64
TOUCH_EVERY: Final = timedelta(minutes=1)  # how often a request moves a session's last-seen time


def token_hash(token: str) -> str:
    """What the store keeps of a console session token (a database copy logs nobody in)."""
    return hashlib.sha256(token.encode()).hexdigest()


def login_delay(failures: int, free: int = FREE_LOGIN_FAILURES) -> timedelta:
    """How long a client waits after its ``failures``-th consecutive failure for one name (the
    first ``free`` cost nothing)."""
    if failures < free:
        return timedelta(0)
    exponent = min(failures - free, 20)
    return min(timedelta(seconds=2**exponent), MAX_LOGIN_DELAY)


def client_group(address: str) -> str:
    """What the throttle counts by: an IPv4 address, or an IPv6 address's /64 network (one
    subscriber's whole range, so a new address from it is no new start)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address[:MAX_CLIENT_CHARS]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass(frozen=True)
class ConsoleLogin:
    """A live console session as the server keeps it."""

    operator: str
    csrf: str
    client: str
    created_at: datetime
    last_seen_at: datetime


class ConsoleRecords(StoreBase):
    """Server-side console sessions and the log-in throttle: per (client, name), per name across
    the addresses that never logged in to it, per client across names."""

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
        """When ``client`` may next try ``name``, if that is still in the future: its own wait for
        that name, the wait of every address that never logged in to it, its wait for any name."""
        group = client_group(client)
        keys = [(group, name), (group, ANY)]
        if not self._proven(group, name):
            keys.append((ANY, name))
        now = self._clock()
        waits = [self._blocked_until(key) for key in keys]
        until = max((w for w in waits if w is not None), default=None)
        return until if until is not None and until > now else None

    def record_login_failure(self, client: str, name: str) -> int:
        """Count one more failure of ``client`` for ``name`` (and for the name across addresses
        that never logged in to it, and for the address across names) and set the waits; return
        the address's count for the name."""
        now = self._clock()
        group = client_group(client)
        with immediate_transaction(self._db):
            failures = self._count_failure((group, name), now, FREE_LOGIN_FAILURES)
            self._count_failure((group, ANY), now, CLIENT_FREE_FAILURES, quiet=ACCOUNT_QUIET)
            if not self._proven(group, name):
                self._count_failure((ANY, name), now, ACCOUNT_FREE_FAILURES, quiet=ACCOUNT_QUIET)
        return failures

    def record_login_success(self, client: str, name: str) -> None:
        """Remember that ``client`` logged in to ``name`` (spared the account-wide wait from now on)
        and forget its failures for that name."""
        group = client_group(client)
        with immediate_transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO login_successes (client, name, at) VALUES (?, ?, ?)",
                [group, name, self._now()],
            )
            self._db.execute("DELETE FROM login_failures WHERE client = ? AND name = ?", [group, name])

    def clear_login_failures(self, name: str, client: str | None = None) -> int:
        """Forget the failures for ``name`` (from one client, or from all and across addresses:
        ``operators unlock``)."""
        with immediate_transaction(self._db):
            if client is None:
                cursor = self._db.execute("DELETE FROM login_failures WHERE name = ?", [name])
            else:
                cursor = self._db.execute(
                    "DELETE FROM login_failures WHERE name = ? AND client = ?", [name, client_group(client)]
                )
        return cursor.rowcount

    def _proven(self, group: str, name: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM login_successes WHERE name = ? AND client = ?", [name, group]
        ).fetchone()
        return row is not None

    def _blocked_until(self, key: tuple[str, str]) -> datetime | None:
        row = self._db.execute(
            "SELECT blocked_until FROM login_failures WHERE client = ? AND name = ?", list(key)
        ).fetchone()
        return None if row is None else from_iso(row[0])

    def _count_failure(
        self, key: tuple[str, str], now: datetime, free: int, *, quiet: timedelta | None = None
    ) -> int:
        """Inside a transaction: one more failure for ``key`` (counted afresh after ``quiet``)."""
        row = self._db.execute(
            "SELECT failures, last_failure_at FROM login_failures WHERE client = ? AND name = ?", list(key)
        ).fetchone()
        fresh = row is None or (quiet is not None and now - from_iso(row[1]) > quiet)
        failures = 1 if fresh else int(row[0]) + 1
        self._db.execute(
            "INSERT OR REPLACE INTO login_failures "
            "(client, name, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?, ?)",
            [*key, failures, to_iso(now), to_iso(now + login_delay(failures, free))],
        )
        return failures

    def _purge_console_records(self, cutoff: str) -> int:
        """Inside a transaction: ended or stale sessions and old failures before ``cutoff``."""
        deleted = self._db.execute(
            "DELETE FROM console_sessions WHERE last_seen_at < ? OR ended_at < ?", [cutoff, cutoff]
        ).rowcount
        deleted += self._db.execute("DELETE FROM login_failures WHERE last_failure_at < ?", [cutoff]).rowcount
        deleted += self._db.execute("DELETE FROM login_successes WHERE at < ?", [cutoff]).rowcount
        return deleted
