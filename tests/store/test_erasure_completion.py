"""An erasure that a reader blocks is reported pending, then completed in the background (issue 16,
item 4): the bot's /delete through AsyncSessionStore never leaves the text on disk for good."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from bot.store import AsyncSessionStore, SessionStore

ERASED = "AXOLOTL-erase-me-9021"


def _on_disk(db_path: Path) -> bytes:
    parts = [Path(f"{db_path}{suffix}") for suffix in ("", "-wal")]
    return b"".join(part.read_bytes() for part in parts if part.exists())


def test_a_blocked_checkpoint_leaves_the_erasure_pending(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite3"
    store = SessionStore(path)
    try:
        store.save_turn("telegram", "1", {}, lang="en", incoming=ERASED)
        reader = sqlite3.connect(path)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM transcript").fetchone()
        assert store.erase_user("telegram", "1") > 0
        assert store.pending_erasures() == [1]  # the result of the checkpoint was looked at
        assert not store.complete_erasures()
        reader.rollback()
        reader.close()
        assert store.complete_erasures() and store.pending_erasures() == []
        assert ERASED.encode() not in _on_disk(path)
    finally:
        store.close()


async def test_the_async_store_completes_a_blocked_erasure_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite3"
    async with AsyncSessionStore(path) as store:
        await store.save_turn("telegram", "1", {}, lang="en", incoming=ERASED)
        reader = sqlite3.connect(path)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM transcript").fetchone()
        assert await store.erase_user("telegram", "1") > 0
        assert await store.pending_erasures() == [1]
        await store.save_turn("telegram", "2", {}, lang="en", incoming="the bot keeps serving")
        reader.rollback()
        reader.close()
        for _ in range(100):
            if not await store.pending_erasures():
                break
            await asyncio.sleep(0.1)
        assert await store.pending_erasures() == []
        assert ERASED.encode() not in _on_disk(path)
