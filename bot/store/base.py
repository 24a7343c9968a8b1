"""What every part of a store shares: its file, its connection and its clock."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from bot.store.records import Clock, to_iso


class StoreBase:
    """The attributes each store mixin relies on (set by the concrete store's ``__init__``)."""

    path: Path
    _db: Database
    _clock: Clock

    def _now(self) -> str:
        return to_iso(self._clock())
