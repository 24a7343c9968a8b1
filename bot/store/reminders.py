"""Reminders and the bot's settings (a part of :class:`~bot.store.SessionStore`).

A reminder goes ``scheduled`` → ``sending`` (claimed, committed, before the send) → ``sent``; a send
that may or may not have arrived (a reset, a timeout, a crash while ``sending``) ends ``uncertain``
and is never sent again; a send that surely failed goes back to ``scheduled`` for a later try. So a
reminder is delivered at most once, and when in doubt the doubt is recorded. The due ones are found
through a partial index on ``due_at`` of the scheduled rows; a reminder whose session was erased or
purged is deleted with it (see :mod:`bot.store.erasure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from bot.engine import Assessment
from bot.reminders.plan import PlannedReminder
from bot.store.base import StoreBase
from bot.store.connection import immediate_transaction
from bot.store.outcomes import OutcomeStore
from bot.store.records import dump_json, from_iso, load_json, to_iso

ReminderStatus = Literal["scheduled", "sending", "sent", "uncertain", "cancelled", "failed"]
REMINDER_STATUSES: Final[tuple[ReminderStatus, ...]] = (
    "scheduled",
    "sending",
    "sent",
    "uncertain",
    "cancelled",
    "failed",
)
REMINDERS_SETTING: Final = "reminders_enabled"
_COLUMNS: Final = (
    "r.id, r.session_id, r.channel, r.user_key, r.lang, r.kind, r.ref, r.event_date, r.due_at, r.params_json"
)


@dataclass(frozen=True)
class Reminder:
    """A stored reminder: whom (channel, user, language), what (kind, ref, params) and when."""

    id: int
    session_id: int
    channel: str
    user_key: str
    lang: str
    kind: str
    ref: str
    event_date: str
    due_at: datetime
    params: dict[str, Any]


@dataclass(frozen=True)
class ReminderCounts:
    """What operators see: people who agreed, and reminders by status."""

    people: int
    by_status: dict[str, int]
    enabled: bool


def _reminder(row: Sequence[Any]) -> Reminder:
    return Reminder(
        id=int(row[0]),
        session_id=int(row[1]),
        channel=str(row[2]),
        user_key=str(row[3]),
        lang=str(row[4]),
        kind=str(row[5]),
        ref=str(row[6]),
        event_date=str(row[7]),
        due_at=from_iso(str(row[8])),
        params=load_json(str(row[9])),
    )


class ReminderSettingsStore(StoreBase):
    """What operators see and switch: reminder counts and reminders on or off for everyone (also a
    part of :class:`~bot.store.OperatorStore`)."""

    def reminder_counts(self) -> ReminderCounts:
        """People who agreed to reminders, reminders by status, and whether reminders are on."""
        people = int(
            self._db.execute(
                "SELECT COUNT(DISTINCT s.channel || ':' || s.user_key) FROM reminder_consents c "
                "JOIN sessions s ON s.id = c.session_id"
            ).fetchone()[0]
        )
        by_status: dict[str, int] = dict.fromkeys(REMINDER_STATUSES, 0)
        for status, count in self._db.execute("SELECT status, COUNT(*) FROM reminders GROUP BY status"):
            by_status[str(status)] = int(count)
        return ReminderCounts(people, by_status, self.reminders_enabled())

    def reminders_enabled(self) -> bool:
        """False when an operator turned reminders off for everyone (on by default)."""
        row = self._db.execute(
            "SELECT value FROM bot_settings WHERE name = ?", [REMINDERS_SETTING]
        ).fetchone()
        return row is None or row[0] == "on"

    def set_reminders_enabled(self, enabled: bool, by: str) -> None:
        """Turn reminders on or off for everyone (none is sent while off; they wait, then go out)."""
        with immediate_transaction(self._db):
            self._db.execute(
                "INSERT INTO bot_settings (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
                "updated_by = excluded.updated_by",
                [REMINDERS_SETTING, "on" if enabled else "off", self._now(), by],
            )


class ReminderStore(OutcomeStore, ReminderSettingsStore):
    """The ``reminders``, ``reminder_consents`` and ``bot_settings`` tables."""

    # -- consent and scheduling ---------------------------------------------------------------------

    def agree_to_reminders(self, session_id: int, planned: Sequence[PlannedReminder]) -> int:
        """Record the consent to reminders for a session and schedule ``planned``; return how many
        reminders the session has scheduled. A reminder already scheduled for the same thing is
        replaced (a new date given), one already sent stays sent."""
        now = self._now()
        with immediate_transaction(self._db):
            row = self._db.execute(
                "SELECT channel, user_key, lang FROM sessions WHERE id = ?", [session_id]
            ).fetchone()
            if row is None:
                return 0
            self._db.execute(
                "INSERT OR IGNORE INTO reminder_consents (session_id, agreed_at) VALUES (?, ?)",
                [session_id, now],
            )
            self._write_reminders(session_id, (row[0], row[1], row[2]), planned, now)
            return self._scheduled_count(session_id)

    def schedule_reminders(
        self, session_id: int, planned: Sequence[PlannedReminder], *, replaces: Sequence[str] = ()
    ) -> bool:
        """Schedule ``planned`` for a session whose person agreed to reminders, cancelling its step
        reminders named in ``replaces`` (a date given replaces the result's estimate); False (nothing
        written) when they did not agree."""
        now = self._now()
        with immediate_transaction(self._db):
            row = self._db.execute(
                "SELECT s.channel, s.user_key, s.lang FROM reminder_consents c "
                "JOIN sessions s ON s.id = c.session_id WHERE c.session_id = ?",
                [session_id],
            ).fetchone()
            if row is None:
                return False
            self._db.conn.executemany(
                "UPDATE reminders SET status = 'cancelled' WHERE session_id = ? AND kind = 'step' "
                "AND ref = ? AND status = 'scheduled'",
                [(session_id, code) for code in replaces],
            )
            self._write_reminders(session_id, (row[0], row[1], row[2]), planned, now)
        return True

    def _write_reminders(
        self, session_id: int, who: tuple[str, str, str], planned: Sequence[PlannedReminder], now: str
    ) -> None:
        self._db.conn.executemany(
            "INSERT INTO reminders (session_id, channel, user_key, lang, kind, ref, event_date, due_at, "
            "params_json, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?) "
            "ON CONFLICT (session_id, kind, ref) DO UPDATE SET event_date = excluded.event_date, "
            "due_at = excluded.due_at, params_json = excluded.params_json, lang = excluded.lang, "
            "status = 'scheduled', attempts = 0 WHERE status IN ('scheduled', 'cancelled')",
            [
                (
                    session_id,
                    *who,
                    p.kind,
                    p.ref,
                    p.event_date.isoformat(),
                    to_iso(p.due_at),
                    dump_json(p.params),
                    now,
                )
                for p in planned
            ],
        )

    def _scheduled_count(self, session_id: int) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM reminders WHERE session_id = ? AND status = 'scheduled'", [session_id]
        ).fetchone()
        return int(row[0])

    def has_reminder_consent(self, session_id: int) -> bool:
        """True when the person agreed to reminders for this session (and has not withdrawn)."""
        row = self._db.execute("SELECT 1 FROM reminder_consents WHERE session_id = ?", [session_id])
        return row.fetchone() is not None

    def user_reminders(self, channel: str, user_key: str) -> list[Reminder]:
        """The person's scheduled reminders, soonest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM reminders r WHERE r.channel = ? AND r.user_key = ? "
            "AND r.status = 'scheduled' ORDER BY r.due_at, r.id",
            [channel, user_key],
        )
        return [_reminder(row) for row in rows.fetchall()]

    def cancel_reminder(self, channel: str, user_key: str, reminder_id: int) -> bool:
        """Cancel one of the person's scheduled reminders; False when it is not theirs or not
        scheduled any more."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE reminders SET status = 'cancelled' WHERE id = ? AND channel = ? AND user_key = ? "
                "AND status = 'scheduled'",
                [reminder_id, channel, user_key],
            )
        return cursor.rowcount == 1

    def withdraw_reminders(self, channel: str, user_key: str) -> int:
        """The person wants no more reminders: their consents are withdrawn and every scheduled
        reminder cancelled (also when Telegram says they blocked the bot). Returns how many."""
        with immediate_transaction(self._db):
            self._db.execute(
                "DELETE FROM reminder_consents WHERE session_id IN "
                "(SELECT id FROM sessions WHERE channel = ? AND user_key = ?)",
                [channel, user_key],
            )
            cursor = self._db.execute(
                "UPDATE reminders SET status = 'cancelled' WHERE channel = ? AND user_key = ? "
                "AND status = 'scheduled'",
                [channel, user_key],
            )
        return cursor.rowcount

    # -- the scheduler ------------------------------------------------------------------------------

    def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Up to ``limit`` scheduled reminders due by ``now``, oldest first (none while reminders are
        turned off for everyone); only those whose session still exists."""
        if not self.reminders_enabled():
            return []
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM reminders r INDEXED BY reminders_due "
            "JOIN sessions s ON s.id = r.session_id "
            "WHERE r.status = 'scheduled' AND r.due_at <= ? ORDER BY r.due_at LIMIT ?",
            [to_iso(now), limit],
        )
        return [_reminder(row) for row in rows.fetchall()]

    def claim_reminder(self, reminder_id: int) -> bool:
        """Mark a due reminder as being sent (committed before the send); False when it is no longer
        scheduled (cancelled, erased, claimed already)."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE reminders SET status = 'sending', attempts = attempts + 1 "
                "WHERE id = ? AND status = 'scheduled'",
                [reminder_id],
            )
        return cursor.rowcount == 1

    def finish_reminder(
        self, reminder_id: int, status: ReminderStatus, *, retry_at: datetime | None = None
    ) -> None:
        """Record how a claimed reminder's send ended: ``sent``, ``uncertain``, ``failed``, or
        ``scheduled`` again at ``retry_at`` (it surely did not go out)."""
        now = self._now()
        with immediate_transaction(self._db):
            if status == "scheduled":
                self._db.execute(
                    "UPDATE reminders SET status = 'scheduled', due_at = ? "
                    "WHERE id = ? AND status = 'sending'",
                    [to_iso(retry_at) if retry_at else now, reminder_id],
                )
            else:
                self._db.execute(
                    "UPDATE reminders SET status = ?, sent_at = ? WHERE id = ? AND status = 'sending'",
                    [status, now, reminder_id],
                )

    def recover_reminders(self) -> int:
        """At start-up: reminders left ``sending`` by a crash may have been delivered: they become
        ``uncertain`` and are never sent again. Returns how many."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "UPDATE reminders SET status = 'uncertain', sent_at = ? WHERE status = 'sending'",
                [self._now()],
            )
        return cursor.rowcount

    # -- rules changes ------------------------------------------------------------------------------

    def opted_in_results(self) -> list[tuple[int, dict[str, Any], Assessment | None]]:
        """(session id, dialogue state, latest assessment) of every session whose person agreed to
        reminders: the results a rules pack may change."""
        rows = self._db.execute(
            "SELECT s.id, s.state_json, (SELECT a.assessment_json FROM assessments a "
            "WHERE a.session_id = s.id ORDER BY a.id DESC LIMIT 1) "
            "FROM reminder_consents c JOIN sessions s ON s.id = c.session_id ORDER BY s.id"
        ).fetchall()
        return [
            (int(sid), load_json(state), None if saved is None else Assessment.model_validate_json(saved))
            for sid, state, saved in rows
        ]

    def notice_rules_change(self, session_id: int, notice: PlannedReminder, assessment: Assessment) -> bool:
        """Save the new result of a session a rules pack changed and schedule its notice, once per
        pack version (``notice.ref``); False when this change was already noticed."""
        with immediate_transaction(self._db):
            seen = self._db.execute(
                "SELECT 1 FROM reminders WHERE session_id = ? AND kind = 'rules' AND ref = ?",
                [session_id, notice.ref],
            ).fetchone()
            if seen is not None or not self.has_reminder_consent(session_id):
                return False
            row = self._db.execute(
                "SELECT channel, user_key, lang FROM sessions WHERE id = ?", [session_id]
            ).fetchone()
            self._write_reminders(session_id, (row[0], row[1], row[2]), [notice], self._now())
        self.save_assessment(session_id, assessment)
        return True
