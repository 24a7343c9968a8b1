"""Console accounts (roles, languages, an HR account's employer) and the audit log: a part of
:class:`~bot.store.operators.OperatorStore`."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from bot.i18n import LANGS
from bot.store.audit_journal import AUDIT_COLUMNS, INSERT_AUDIT, append_audit, compact_audit_journal
from bot.store.connection import immediate_transaction
from bot.store.console import ConsoleRecords
from bot.store.records import (
    DEFAULT_PAGE_SIZE,
    Page,
    day_start_utc,
    from_iso,
    optional_from_iso,
    to_iso,
)

OPERATOR_NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
# Roles: a viewer reads sessions and writes notes and flags; an admin also erases, exports, reads the
# audit log and manages accounts; an HR account sees only its own employer's invite links.
VIEWER: Final = "viewer"
ADMIN: Final = "admin"
HR: Final = "hr"
ROLES: Final = (VIEWER, ADMIN, HR)
OPERATOR_LANGS: Final = LANGS
MAX_EMPLOYER_CHARS: Final = 200


class OperatorExistsError(ValueError):
    """An operator account with this name already exists."""


@dataclass(frozen=True)
class OperatorAccount:
    """An operator who may log in to the review console (``password_hash`` from bot.operators.auth)."""

    name: str
    password_hash: str
    created_at: datetime
    password_changed_at: datetime
    disabled_at: datetime | None = None
    role: str = VIEWER
    lang: str = "en"
    employer: str | None = None  # an HR account's employer

    @property
    def active(self) -> bool:
        """False once the account is disabled."""
        return self.disabled_at is None

    @property
    def is_admin(self) -> bool:
        """True for an administrator (erasure, exports, audit log, accounts)."""
        return self.role == ADMIN


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when, on which session (never the personal data itself)."""

    id: int
    at: datetime
    operator: str
    action: str
    session_id: int | None
    detail: str
    client: str | None = None


AuditPage = Page[AuditEntry]


class AccountStore(ConsoleRecords):
    """The ``operators`` and ``audit_log`` tables, with the accounts' log-ins (:class:`ConsoleRecords`)."""

    # -- accounts ---------------------------------------------------------------------------------

    def create_operator(
        self,
        name: str,
        password_hash: str,
        *,
        role: str = VIEWER,
        lang: str = "en",
        employer: str | None = None,
    ) -> OperatorAccount:
        """Add an account (a viewer unless ``role`` says otherwise; an HR account needs its
        ``employer``); raises OperatorExistsError, or ValueError for a bad name, role or language."""
        if not OPERATOR_NAME_PATTERN.fullmatch(name):
            raise ValueError("an operator name has 1–64 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'")
        if role not in ROLES:
            raise ValueError(f"a role is one of {', '.join(ROLES)}")
        if lang not in OPERATOR_LANGS:
            raise ValueError(f"a language is one of {', '.join(OPERATOR_LANGS)}")
        employer = (employer or "").strip() or None
        if (role == HR) != (employer is not None) or len(employer or "") > MAX_EMPLOYER_CHARS:
            raise ValueError("an HR account needs its employer's name (and only an HR account has one)")
        now = self._now()
        with immediate_transaction(self._db):
            if self._operator_row(name) is not None:
                raise OperatorExistsError(f"operator {name} already exists")
            self._db.execute(
                "INSERT INTO operators (name, password_hash, created_at, password_changed_at, role, lang, "
                "employer) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, password_hash, now, now, role, lang, employer],
            )
        account = self.get_operator(name)
        assert account is not None
        return account

    def get_operator(self, name: str) -> OperatorAccount | None:
        """The account (active or disabled), or None."""
        row = self._operator_row(name)
        return None if row is None else _operator_from_row(row)

    def list_operators(self) -> list[OperatorAccount]:
        """Every account, by name."""
        return [_operator_from_row(row) for row in self._db.query("SELECT * FROM operators ORDER BY name")]

    def disable_operator(self, name: str) -> bool:
        """Disable the account (its console sessions stop working at once); False if unknown or
        already disabled."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE operators SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL",
                [self._now(), name],
            )
        return cursor.rowcount > 0

    def set_password(self, name: str, password_hash: str) -> bool:
        """Replace the password hash (older console sessions are refused); False if unknown."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE operators SET password_hash = ?, password_changed_at = ? WHERE name = ?",
                [password_hash, self._now(), name],
            )
        return cursor.rowcount > 0

    def upgrade_password_hash(self, name: str, old_hash: str, new_hash: str) -> bool:
        """Replace an outdated hash of the same password (the next log-in after a change of
        algorithm): the password's date, and so the account's other log-ins, stay as they were.
        False if the hash changed meanwhile."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE operators SET password_hash = ? WHERE name = ? AND password_hash = ?",
                [new_hash, name, old_hash],
            )
        return cursor.rowcount > 0

    def set_operator_lang(self, name: str, lang: str) -> bool:
        """Set the language of the console for this account; False if unknown."""
        if lang not in OPERATOR_LANGS:
            raise ValueError(f"a language is one of {', '.join(OPERATOR_LANGS)}")
        with immediate_transaction(self._db):
            cursor = self._db.execute("UPDATE operators SET lang = ? WHERE name = ?", [lang, name])
        return cursor.rowcount > 0

    def _operator_row(self, name: str) -> dict[str, Any] | None:
        return next(self._db.query("SELECT * FROM operators WHERE name = ?", [name]), None)

    # -- audit --------------------------------------------------------------------------------------

    def audit(
        self,
        operator: str,
        action: str,
        *,
        session_id: int | None = None,
        detail: str = "",
        client: str | None = None,
    ) -> None:
        """Append one entry to the audit log (``client``: the address the request came from)."""
        with immediate_transaction(self._db):
            self._insert_audit(operator, action, session_id, detail, client)

    def audit_entries(
        self, *, session_id: int | None = None, operator: str | None = None, limit: int = 200
    ) -> list[AuditEntry]:
        """The latest entries first, optionally for one session or one operator."""
        return self.audit_page(session_id=session_id, operator=operator, page_size=limit).rows

    def audit_page(
        self,
        *,
        session_id: int | None = None,
        operator: str | None = None,
        action: str | None = None,
        since: date | None = None,
        until: date | None = None,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AuditPage:
        """One page of the audit log, latest first, filtered by session, operator, action and
        Belgian calendar days (inclusive)."""
        page, page_size = max(1, page), max(1, min(page_size, 1_000))
        clauses: list[str] = []
        params: list[Any] = []
        for condition, value in (
            ("session_id = ?", session_id),
            ("operator = ?", operator),
            ("action = ?", action),
            ("at >= ?", None if since is None else day_start_utc(since)),
            ("at < ?", None if until is None else day_start_utc(until + timedelta(days=1))),
        ):
            if value is not None:
                clauses.append(condition)
                params.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        total = int(self._db.execute(f"SELECT COUNT(*) FROM audit_log{where}", params).fetchone()[0])
        rows = self._db.query(
            f"SELECT * FROM audit_log{where} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, page_size, (page - 1) * page_size],
        )
        entries = [
            AuditEntry(
                id=row["id"],
                at=from_iso(row["at"]),
                operator=row["operator"],
                action=row["action"],
                session_id=row["session_id"],
                detail=row["detail"],
                client=row["client"],
            )
            for row in rows
        ]
        return AuditPage(rows=entries, total=total, page=page, page_size=page_size)

    def audit_actions(self) -> list[str]:
        """Every action the audit log holds (for its filter)."""
        return [row[0] for row in self._db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]

    def purge_audit_older_than(self, days: int, now: datetime | None = None) -> int:
        """Delete audit entries (and ended log-in sessions and old log-in failures) older than
        ``days`` days; return the number of rows deleted."""
        if days < 0:
            raise ValueError("days must be zero or more")
        cutoff = to_iso((now or self._clock()) - timedelta(days=days))
        with immediate_transaction(self._db):
            deleted = self._db.execute("DELETE FROM audit_log WHERE at < ?", [cutoff]).rowcount
            deleted += self._purge_console_records(cutoff)
            compact_audit_journal(self.path, cutoff)
        return deleted

    def _insert_audit(
        self, operator: str, action: str, session_id: int | None, detail: str, client: str | None = None
    ) -> None:
        """Inside a transaction: write the entry to the audit log, then to its journal beside the
        store (:mod:`bot.store.audit_journal`), under the same random key."""
        entry = {
            "entry_key": secrets.token_hex(16),
            "at": self._now(),
            "operator": operator,
            "action": action,
            "session_id": session_id,
            "detail": detail,
            "client": client,
        }
        self._db.execute(INSERT_AUDIT, [entry[name] for name in AUDIT_COLUMNS])
        append_audit(self.path, entry)


def _operator_from_row(row: Mapping[str, Any]) -> OperatorAccount:
    return OperatorAccount(
        name=row["name"],
        password_hash=row["password_hash"],
        created_at=from_iso(row["created_at"]),
        password_changed_at=from_iso(row["password_changed_at"]),
        disabled_at=optional_from_iso(row["disabled_at"]),
        role=row["role"],
        lang=row["lang"],
        employer=row["employer"],
    )
