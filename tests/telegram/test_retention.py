"""The bot purges sessions older than the retention period by itself."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import AsyncSessionStore, SessionStore
from bot.telegram.app import purge_daily


async def test_purge_daily_deletes_old_sessions_and_keeps_recent_ones(tmp_path: Path) -> None:
    db = tmp_path / "guichet.sqlite3"
    old_clock = datetime.now(UTC) - timedelta(days=200)
    old = SessionStore(db, clock=lambda: old_clock)
    old.save_turn("telegram", "1", {"current": "dob"}, lang="en", incoming="old answer")
    old.close()
    recent = SessionStore(db)
    recent.save_turn("telegram", "2", {"current": "dob"}, lang="en", incoming="recent answer")
    recent.close()

    store = AsyncSessionStore(db)
    stop = asyncio.Event()
    task = asyncio.create_task(purge_daily(store, 180, stop, every_s=0.05))
    await asyncio.sleep(0.2)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    await store.close()

    check = SessionStore(db)
    assert check.load_state("telegram", "1") is None
    assert check.load_state("telegram", "2") is not None
    check.close()
