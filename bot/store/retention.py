"""Erasure on request and the retention purge (a part of :class:`~bot.store.SessionStore`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.base import StoreBase
from bot.store.connection import checkpoint_truncate, immediate_transaction
from bot.store.erasure import delete_sessions, finish_erasures, pending_erasures, record_erasures
from bot.store.records import to_iso


class RetentionStore(StoreBase):
    """Deleting a user's sessions for good, and everything older than the retention period."""

    def erase_user(self, channel: str, user_key: str) -> int:
        """Delete every session of the user with all its rows (answers, transcript, assessments,
        notes, flags, hand-offs, shares), zeroing the freed content; record the erased session ids
        (see :mod:`bot.store.erasure`) and truncate the WAL. Return the number of rows deleted.

        When a reader blocks the checkpoint, the erasure stays pending (:meth:`pending_erasures`)
        until :meth:`complete_erasures` succeeds."""
        self._db.execute("PRAGMA secure_delete = ON")
        now = self._now()
        with immediate_transaction(self._db):
            ids, deleted = delete_sessions(self._db, "channel = ? AND user_key = ?", [channel, user_key])
            record_erasures(self._db, self.path, ids, now)
        finish_erasures(self._db, now)
        return deleted

    def pending_erasures(self) -> list[int]:
        """Erased session ids whose text may still be on disk (the checkpoint was blocked)."""
        return pending_erasures(self._db)

    def complete_erasures(self) -> bool:
        """Retry the checkpoint of pending erasures; True when none is left."""
        return not self.pending_erasures() or finish_erasures(self._db, self._now())

    def purge_older_than(self, days: int, now: datetime | None = None, *, batch: int | None = None) -> int:
        """Delete sessions untouched for ``days`` days (with all their rows, reminders included; a
        session keeps until its last scheduled reminder has gone out, as the person was told when
        agreeing to reminders), dedupe records and
        polling-inbox batches older than that (a batch that kept failing), and invites expired or
        revoked before then; return the number of rows deleted.

        With ``batch``, one transaction deletes at most ``batch`` sessions and ``batch`` dedupe
        records and the WAL is not checkpointed: call again until it returns 0, then
        :meth:`checkpoint` (so a long purge never holds the store for long).
        """
        if days < 0:
            raise ValueError("days must be zero or more")
        cutoff = to_iso((now or self._clock()) - timedelta(days=days))
        limit = "" if batch is None else f" LIMIT {int(batch)}"
        self._db.execute("PRAGMA secure_delete = ON")
        with immediate_transaction(self._db):
            _ids, deleted = delete_sessions(
                self._db,
                "id IN (SELECT id FROM sessions WHERE updated_at < ? AND id NOT IN "  # reminders still due
                f"(SELECT session_id FROM reminders WHERE status = 'scheduled'){limit})",
                [cutoff],
            )
            deleted += self._db.execute(
                "DELETE FROM processed_updates WHERE update_id IN "
                f"(SELECT update_id FROM processed_updates WHERE processed_at < ?{limit})",
                [cutoff],
            ).rowcount
            deleted += self._db.execute(
                "DELETE FROM invites WHERE expires_at < ? OR revoked_at < ?", [cutoff, cutoff]
            ).rowcount
            deleted += self._db.execute("DELETE FROM inbox WHERE received_at < ?", [cutoff]).rowcount
        if batch is None:
            self.checkpoint()
        return deleted

    def checkpoint(self) -> None:
        """Copy the WAL into the database file and truncate it (erased data leaves the WAL); pending
        erasures are marked complete when it succeeds."""
        if self.pending_erasures():
            finish_erasures(self._db, self._now())
        else:
            checkpoint_truncate(self._db)
