"""The durable sessions store: one SQLite file, used from one thread (see AsyncSessionStore)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.store.base import StoreBase
from bot.store.connection import immediate_transaction, open_database
from bot.store.inbox import InboxStore
from bot.store.invites import InviteStore
from bot.store.outcomes import OutcomeStore
from bot.store.records import (
    ABANDONED,
    FINISHED_STATUSES,
    IN_PROGRESS,
    SESSION_STATUSES,
    Clock,
    DuplicateUpdateError,
    InboxBatch,
    StoredAnswer,
    StoredSession,
    TranscriptLine,
    TurnRecord,
    UpdateCheck,
    dump_json,
    from_iso,
    load_json,
    session_from_row,
    utc_now,
)
from bot.store.reminders import ReminderStore
from bot.store.retention import RetentionStore
from bot.store.schema import migrate

log = logging.getLogger(__name__)


class SessionStore(InboxStore, InviteStore, ReminderStore, OutcomeStore, RetentionStore, StoreBase):
    """Sessions, their append-only answers and transcript, assessments, update dedupe and hand-offs;
    with the inbox (:class:`InboxStore`), invites and result shares (:class:`InviteStore`),
    assessments and hand-offs (:class:`OutcomeStore`), reminders and settings (:class:`ReminderStore`),
    erasure and retention (:class:`RetentionStore`), each in its own module.

    Every public write is one transaction. The underlying sqlite3 connection refuses use from any
    thread but the one that opened the store: from asyncio, use :class:`AsyncSessionStore`.
    """

    def __init__(self, path: str | Path, *, clock: Clock = utc_now) -> None:
        """Open or create the database at ``path`` (and its folder) and bring its schema up to date."""
        self.path = Path(path)
        self._clock = clock
        self._db = open_database(self.path)
        self._closed = False
        try:
            migrate(self._db)
        except BaseException:
            self._db.close()
            raise

    # -- sessions -------------------------------------------------------------------------------

    def load_state(self, channel: str, user_key: str) -> StoredSession | None:
        """The user's latest session (whatever its status), or None if they have none."""
        row = self._latest_session_row(channel, user_key)
        return None if row is None else session_from_row(row)

    def save_turn(
        self,
        channel: str,
        user_key: str,
        state: dict[str, Any],
        *,
        lang: str,
        status: str = IN_PROGRESS,
        answers: Sequence[tuple[str, Any]] = (),
        incoming: str | None = None,
        outgoing: Sequence[str] = (),
        update_id: int | None = None,
        invite_token: str | None = None,
    ) -> int:
        """Save one dialogue turn in ONE transaction and return the session id.

        Upserts the user's latest session (a new one if they have none, or if the latest was
        abandoned): state, language, status (as given) and, when given, the invite token. Appends
        ``answers`` to the answer log, then ``incoming`` and ``outgoing`` to the transcript, and marks
        ``update_id`` processed. Raises DuplicateUpdateError (writing nothing) for an update already
        processed.
        """
        turn = TurnRecord(
            channel=channel,
            user_key=user_key,
            state=state,
            lang=lang,
            status=status,
            answers=answers,
            incoming=incoming,
            outgoing=outgoing,
            update_id=update_id,
            invite_token=invite_token,
        )
        _check_status(turn.status)
        with immediate_transaction(self._db):
            return self._write_turn(turn, self._now())

    def save_turns(
        self,
        turns: Sequence[TurnRecord],
        *,
        delivered: Sequence[int] = (),
        inbox: Sequence[InboxBatch] = (),
        handled: Sequence[InboxBatch] = (),
    ) -> list[int | Exception]:
        """Save several turns in ONE transaction (a group commit: one disk sync for all of them).

        Each turn is written whole or not at all (a savepoint each): the result at its position is
        its session id, or the error that turn alone raised (e.g. DuplicateUpdateError), exactly as
        :meth:`save_turn` would have. ``delivered`` update ids are marked as in :meth:`mark_delivered`,
        ``inbox`` batches added and ``handled`` ones removed as in :meth:`add_to_inbox` and
        :meth:`remove_from_inbox`, all in the same transaction. If the transaction itself fails,
        that error is raised and nothing is written.
        """
        now = self._now()
        results: list[int | Exception] = []
        with immediate_transaction(self._db):
            for turn in turns:
                self._db.conn.execute("SAVEPOINT turn")
                try:
                    _check_status(turn.status)
                    results.append(self._write_turn(turn, now))
                except Exception as error:
                    self._db.conn.execute("ROLLBACK TO turn")
                    results.append(error)
                self._db.conn.execute("RELEASE turn")
            if delivered:
                self._write_marks(delivered, now)
            self._write_inbox(inbox, handled, now)
        return results

    def _write_turn(self, turn: TurnRecord, now: str) -> int:
        """The body of :meth:`save_turn`, inside the caller's transaction."""
        if turn.update_id is not None and self._is_processed(turn.update_id):
            raise DuplicateUpdateError(turn.update_id)
        state_json = dump_json(turn.state)
        latest = self._latest_session_row(turn.channel, turn.user_key)
        if latest is None or latest["status"] == ABANDONED:
            session_id = self._insert_session(
                turn.channel,
                turn.user_key,
                lang=turn.lang,
                status=turn.status,
                state_json=state_json,
                invite_token=turn.invite_token,
                now=now,
            )
        else:
            session_id = int(latest["id"])
            self._update_session(
                latest,
                lang=turn.lang,
                status=turn.status,
                state_json=state_json,
                invite_token=turn.invite_token,
                now=now,
            )
        answer_rows = [(field, dump_json(value)) for field, value in turn.answers]
        self._append_answers(session_id, answer_rows, now)
        lines = [("in", turn.incoming)] if turn.incoming is not None else []
        lines += [("out", text) for text in turn.outgoing]
        self._append_transcript(session_id, lines, now, turn.update_id)
        if turn.update_id is not None:
            self._db.execute(
                "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)", [turn.update_id, now]
            )
        return session_id

    def is_processed(self, update_id: int) -> bool:
        """True when a turn for this Telegram update was already saved."""
        return self._is_processed(update_id)

    def check_update(self, channel: str, user_key: str, update_id: int) -> UpdateCheck:
        """Whether ``update_id`` was processed (and its replies sent), with the user's latest session."""
        row = self._db.execute(
            "SELECT delivered_at FROM processed_updates WHERE update_id = ?", [update_id]
        ).fetchone()
        latest = self._latest_session_row(channel, user_key)
        return UpdateCheck(
            processed=row is not None,
            undelivered=row is not None and row[0] is None,
            session=None if latest is None else session_from_row(latest),
        )

    def append_transcript(self, session_id: int, direction: str, text: str) -> None:
        """Add one line to a session's transcript (e.g. an adviser's message)."""
        if direction not in ("in", "out"):
            raise ValueError("direction is 'in' or 'out'")
        with immediate_transaction(self._db):
            self._append_transcript(session_id, [(direction, text)], self._now(), None)

    def record_update(self, update_id: int) -> bool:
        """Record an update that changes no session (e.g. an operator's reply); False if already seen."""
        with immediate_transaction(self._db):
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
                [update_id, self._now()],
            )
        return cursor.rowcount == 1

    def mark_delivered(self, *update_ids: int) -> None:
        """Record that the replies to these processed updates were sent (one transaction)."""
        with immediate_transaction(self._db):
            self._write_marks(update_ids, self._now())

    def _write_marks(self, update_ids: Sequence[int], now: str) -> None:
        self._db.conn.executemany(
            "UPDATE processed_updates SET delivered_at = ? WHERE update_id = ?",
            [(now, update_id) for update_id in update_ids],
        )

    def new_session(self, channel: str, user_key: str, *, lang: str, invite_token: str | None = None) -> int:
        """Start the user afresh with an empty state; their in-progress session becomes abandoned.

        A completed or needs_review session keeps its status. Returns the new session id.
        """
        now = self._now()
        with immediate_transaction(self._db):
            self._db.execute(
                "UPDATE sessions SET status = ?, updated_at = ? "
                "WHERE channel = ? AND user_key = ? AND status = ?",
                [ABANDONED, now, channel, user_key, IN_PROGRESS],
            )
            return self._insert_session(
                channel,
                user_key,
                lang=lang,
                status=IN_PROGRESS,
                state_json=dump_json({}),
                invite_token=invite_token,
                now=now,
            )

    def get_answers(self, session_id: int) -> list[StoredAnswer]:
        """The session's answer log in the order given (for "back" and audit replay)."""
        return [
            StoredAnswer(
                seq=row["seq"],
                field=row["field"],
                value=load_json(row["value_json"]),
                answered_at=from_iso(row["answered_at"]),
            )
            for row in self._db.query(
                "SELECT seq, field, value_json, answered_at FROM answers WHERE session_id = ? ORDER BY seq",
                [session_id],
            )
        ]

    def get_transcript(self, session_id: int) -> list[TranscriptLine]:
        """The session's messages in and out, in order."""
        return [
            TranscriptLine(
                seq=row["seq"],
                direction=row["direction"],
                text=row["text"],
                created_at=from_iso(row["created_at"]),
                update_id=row["update_id"],
            )
            for row in self._db.query(
                "SELECT seq, direction, text, created_at, update_id FROM transcript "
                "WHERE session_id = ? ORDER BY seq",
                [session_id],
            )
        ]

    def close(self) -> None:
        """Checkpoint the WAL and close the connection (a second call does nothing)."""
        if self._closed:
            return
        self._closed = True
        try:
            self.checkpoint()
        finally:
            self._db.close()

    # -- internals ------------------------------------------------------------------------------

    def _is_processed(self, update_id: int) -> bool:
        return (
            self._db.execute("SELECT 1 FROM processed_updates WHERE update_id = ?", [update_id]).fetchone()
            is not None
        )

    def _latest_session_row(self, channel: str, user_key: str) -> dict[str, Any] | None:
        return next(
            self._db.query(
                "SELECT * FROM sessions WHERE channel = ? AND user_key = ? ORDER BY id DESC LIMIT 1",
                [channel, user_key],
            ),
            None,
        )

    def _insert_session(
        self,
        channel: str,
        user_key: str,
        *,
        lang: str,
        status: str,
        state_json: str,
        invite_token: str | None,
        now: str,
    ) -> int:
        cursor = self._db.execute(
            "INSERT INTO sessions (channel, user_key, status, lang, state_json, invite_token, "
            "created_at, updated_at, completed_at, erasure_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                channel,
                user_key,
                status,
                lang,
                state_json,
                invite_token,
                now,
                now,
                now if status in FINISHED_STATUSES else None,
                secrets.token_hex(16),  # what an erasure is recorded by (bot/store/erasure.py)
            ],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update_session(
        self,
        row: dict[str, Any],
        *,
        lang: str,
        status: str,
        state_json: str,
        invite_token: str | None,
        now: str,
    ) -> None:
        if status in FINISHED_STATUSES:
            completed_at = row["completed_at"] if row["status"] in FINISHED_STATUSES else now
        else:
            completed_at = None
        self._db.execute(
            "UPDATE sessions SET lang = ?, status = ?, state_json = ?, invite_token = ?, "
            "updated_at = ?, completed_at = ? WHERE id = ?",
            [lang, status, state_json, invite_token or row["invite_token"], now, completed_at, row["id"]],
        )

    def _append_answers(self, session_id: int, rows: Sequence[tuple[str, str]], now: str) -> None:
        if not rows:
            return
        first = self._next_seq("answers", session_id)
        self._db.conn.executemany(  # plain executemany: this is on every turn's path
            "INSERT INTO answers (session_id, seq, field, value_json, answered_at) VALUES (?, ?, ?, ?, ?)",
            [
                (session_id, seq, field, value_json, now)
                for seq, (field, value_json) in enumerate(rows, start=first)
            ],
        )

    def _append_transcript(
        self, session_id: int, lines: Sequence[tuple[str, str]], now: str, update_id: int | None
    ) -> None:
        if not lines:
            return
        first = self._next_seq("transcript", session_id)
        self._db.conn.executemany(
            "INSERT INTO transcript (session_id, seq, direction, text, created_at, update_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (session_id, seq, direction, text, now, update_id)
                for seq, (direction, text) in enumerate(lines, start=first)
            ],
        )

    def _next_seq(self, table: str, session_id: int) -> int:
        row = self._db.execute(f"SELECT MAX(seq) FROM {table} WHERE session_id = ?", [session_id]).fetchone()
        return int(row[0] or 0) + 1


def _check_status(status: str) -> None:
    if status not in SESSION_STATUSES:
        raise ValueError(f"unknown session status {status!r}; expected one of {sorted(SESSION_STATUSES)}")
