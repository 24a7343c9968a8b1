"""Employers' invitations (deep-link payloads with prefilled facts), who made them, and a person's
consent to share their result with the employer who invited them (a part of
:class:`~bot.store.SessionStore`)."""

from __future__ import annotations

import re
import secrets
import sqlite3
from datetime import datetime
from typing import Any

from bot.store.base import StoreBase
from bot.store.connection import immediate_transaction
from bot.store.records import (
    FINISHED_STATUSES,
    Invite,
    ResultShare,
    UnknownSessionError,
    dump_json,
    from_iso,
    load_json,
    optional_from_iso,
    to_iso,
)

INVITE_TOKEN_BYTES = 24  # secrets.token_urlsafe(24) → 32 characters of A-Za-z0-9_-
INVITE_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class InviteStore(StoreBase):
    """The ``invites`` and ``result_shares`` tables."""

    def create_invite(
        self,
        employer: str,
        prefill: dict[str, Any],
        *,
        expires_at: datetime | None = None,
        created_by: str | None = None,
    ) -> str:
        """Record an employer's invitation and return its random token (deep-link safe, 32 chars).

        Without ``expires_at`` the invite never expires (it can still be revoked). ``created_by``
        names the HR account that made it (None: an operator or the command line).
        """
        if not employer.strip():
            raise ValueError("an invite needs the employer's name")
        now = self._clock()
        expiry = None if expires_at is None else to_iso(expires_at)
        prefill_json = dump_json(prefill)
        while True:
            token = secrets.token_urlsafe(INVITE_TOKEN_BYTES)
            try:
                with immediate_transaction(self._db):
                    self._db.execute(
                        "INSERT INTO invites (token, employer, prefill_json, created_at, expires_at, "
                        "created_by) VALUES (?, ?, ?, ?, ?, ?)",
                        [token, employer.strip(), prefill_json, to_iso(now), expiry, created_by],
                    )
            except sqlite3.IntegrityError:  # pragma: no cover - a 192-bit collision
                continue
            return token

    def get_invite(self, token: str, now: datetime | None = None) -> Invite | None:
        """The invite, or None when the token is malformed, unknown, expired or revoked."""
        if not INVITE_TOKEN_PATTERN.fullmatch(token):
            return None
        row = next(self._db.query("SELECT * FROM invites WHERE token = ?", [token]), None)
        if row is None:
            return None
        invite = invite_from_row(row)
        moment = from_iso(to_iso(now or self._clock()))  # rejects a naive ``now``
        return invite if invite.is_usable(moment) else None

    def list_invites(self, employer: str | None = None) -> list[Invite]:
        """Every invite still stored (usable or not), oldest first; only one employer's if given."""
        where, params = ("WHERE employer = ? ", [employer]) if employer is not None else ("", [])
        return [
            invite_from_row(row)
            for row in self._db.query(f"SELECT * FROM invites {where}ORDER BY created_at, token", params)
        ]

    def revoke_invite(self, token: str) -> bool:
        """Revoke the invite; False when it is unknown or was already revoked."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE invites SET revoked_at = ? WHERE token = ? AND revoked_at IS NULL",
                [self._now(), token],
            )
        return cursor.rowcount > 0

    # -- consent to share the result ----------------------------------------------------------------

    def share_result(self, session_id: int) -> ResultShare:
        """Record that the person agreed, in the chat, to share this session's result with the employer
        whose invite opened it (the consent button at the result). Idempotent: a second call keeps the
        first agreement. Raises UnknownSessionError, or ValueError when the session was not opened
        through an invite or has no result yet."""
        with immediate_transaction(self._db):
            row = self._db.execute(
                "SELECT s.invite_token, s.status, i.employer FROM sessions s "
                "LEFT JOIN invites i ON i.token = s.invite_token WHERE s.id = ?",
                [session_id],
            ).fetchone()
            if row is None:
                raise UnknownSessionError(f"no session {session_id}")
            token, status, employer = row
            if token is None or employer is None:
                raise ValueError("this session was not opened through an employer's invite")
            if status not in FINISHED_STATUSES:
                raise ValueError("there is no result to share yet")
            self._db.execute(
                "INSERT OR IGNORE INTO result_shares (session_id, invite_token, employer, agreed_at) "
                "VALUES (?, ?, ?, ?)",
                [session_id, token, employer, self._now()],
            )
        share = self.result_share(session_id)
        assert share is not None
        return share

    def inviting_employer(self, session_id: int) -> str | None:
        """The employer whose invite opened this session (who would see its result if the person
        agrees), or None when it was not opened through an invite. Raises UnknownSessionError."""
        row = self._db.execute(
            "SELECT s.id, i.employer FROM sessions s LEFT JOIN invites i ON i.token = s.invite_token "
            "WHERE s.id = ?",
            [session_id],
        ).fetchone()
        if row is None:
            raise UnknownSessionError(f"no session {session_id}")
        return None if row[1] is None else str(row[1])

    def withdraw_result_share(self, session_id: int) -> bool:
        """Withdraw the consent (the employer no longer sees the result); False if there was none."""
        with immediate_transaction(self._db):
            cursor = self._db.execute("DELETE FROM result_shares WHERE session_id = ?", [session_id])
        return cursor.rowcount > 0

    def result_share(self, session_id: int) -> ResultShare | None:
        """The person's consent to share this session's result, if given."""
        row = self._db.execute(
            "SELECT session_id, invite_token, employer, agreed_at FROM result_shares WHERE session_id = ?",
            [session_id],
        ).fetchone()
        return None if row is None else ResultShare(row[0], row[1], row[2], from_iso(row[3]))


def invite_from_row(row: dict[str, Any]) -> Invite:
    """An :class:`Invite` from its table row."""
    return Invite(
        token=row["token"],
        employer=row["employer"],
        prefill=load_json(row["prefill_json"]),
        created_at=from_iso(row["created_at"]),
        expires_at=optional_from_iso(row["expires_at"]),
        revoked_at=optional_from_iso(row["revoked_at"]),
        created_by=row.get("created_by"),
    )
