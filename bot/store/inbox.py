"""Polling's durable inbox: getUpdates batches kept until every update in them is handled."""

from __future__ import annotations

from collections.abc import Sequence

from bot.store.base import StoreBase
from bot.store.connection import immediate_transaction
from bot.store.records import InboxBatch


class InboxStore(StoreBase):
    """The ``inbox`` table (a part of :class:`~bot.store.SessionStore`)."""

    def add_to_inbox(self, *batches: InboxBatch) -> None:
        """Keep getUpdates batches (raw JSON) until they are handled: written before the batch is
        confirmed to Telegram, so an update confirmed but not yet handled survives a crash."""
        with immediate_transaction(self._db):
            self._write_inbox(batches, (), self._now())

    def remove_from_inbox(self, *batches: InboxBatch) -> None:
        """Forget batches whose every update has been handled (their turns are in the store)."""
        with immediate_transaction(self._db):
            self._write_inbox((), batches, self._now())

    def inbox(self) -> list[InboxBatch]:
        """The batches confirmed to Telegram but not all handled, oldest first."""
        rows = self._db.execute(
            "SELECT first_update_id, last_update_id, updates_json FROM inbox ORDER BY first_update_id"
        )
        return [InboxBatch(int(first), int(last), text) for first, last, text in rows.fetchall()]

    def _write_inbox(self, added: Sequence[InboxBatch], removed: Sequence[InboxBatch], now: str) -> None:
        if added:
            self._db.conn.executemany(
                "INSERT OR IGNORE INTO inbox (first_update_id, last_update_id, received_at, updates_json) "
                "VALUES (?, ?, ?, ?)",
                [(b.first_update_id, b.last_update_id, now, b.updates_json) for b in added],
            )
        if removed:
            self._db.conn.executemany(
                "DELETE FROM inbox WHERE first_update_id = ? AND last_update_id = ?",
                [(b.first_update_id, b.last_update_id) for b in removed],
            )
