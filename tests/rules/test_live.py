"""The running bot's follower: it takes up the pack put in force in the store, and a rollback,
without a restart, and leaves the packaged table in force when it stops."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import active_table, threshold_table
from bot.rules.live import follow_rules
from bot.store import SessionStore
from tests.rules.conftest import NEW_VERSION, PackWriter, pack_files, raised_blue_card


async def wait_for_version(version: str, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while active_table().version != version:
        assert loop.time() < deadline, f"still {active_table().version}, not {version}"
        await asyncio.sleep(0.01)


async def test_the_follower_takes_up_apply_and_rollback(tmp_path: Path, write_pack: PackWriter) -> None:
    db = tmp_path / "guichet.db"
    SessionStore(db).close()  # the bot's store exists (migrated) before the follower starts
    stop = asyncio.Event()
    follower = asyncio.create_task(follow_rules(db, stop, every_s=0.02))
    try:
        await asyncio.sleep(0.1)
        assert active_table() is threshold_table()
        folder = write_pack(pack_files(thresholds=raised_blue_card()))
        assert main(["rules", "apply", str(folder), "--db", str(db), "--by", "alice"]) == 0
        await wait_for_version(NEW_VERSION)
        row = active_table().find("BXL_BC", date(2026, 12, 3))
        assert row is not None and row.amount == 5500
        assert main(["rules", "rollback", "default", "--db", str(db)]) == 0
        await wait_for_version(threshold_table().version)
    finally:
        stop.set()
        await asyncio.wait_for(follower, 5)
    assert active_table() is threshold_table()


async def test_a_store_without_the_packs_tables_keeps_the_packaged_table(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    sqlite3.connect(db).close()  # an empty file: no tables at all
    stop = asyncio.Event()
    follower = asyncio.create_task(follow_rules(db, stop, every_s=0.02))
    await asyncio.sleep(0.1)
    assert active_table() is threshold_table() and not follower.done()
    stop.set()
    await asyncio.wait_for(follower, 5)


async def test_the_follower_never_creates_a_database(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    stop = asyncio.Event()
    follower = asyncio.create_task(follow_rules(db, stop, every_s=0.02))
    await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(follower, 5)
    assert not db.exists() and active_table() is threshold_table()


async def test_an_unreadable_pack_keeps_the_table_in_force_and_is_logged_once(
    tmp_path: Path, write_pack: PackWriter, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "guichet.db"
    assert main(["rules", "apply", str(write_pack(pack_files())), "--db", str(db), "--by", "alice"]) == 0
    stop = asyncio.Event()
    follower = asyncio.create_task(follow_rules(db, stop, every_s=0.01))
    try:
        await wait_for_version(NEW_VERSION)
        with sqlite3.connect(db) as connection:  # a pack damaged in the store (never through `apply`)
            connection.execute(
                "INSERT INTO rules_packs VALUES "
                "('broken', NULL, 'x', '', 'd', '{}', 'x', '2026-12-03T00:00:00.000000Z')"
            )
            connection.execute(
                "INSERT INTO rules_events (at, action, version, by) VALUES ('t', 'apply', 'broken', 'x')"
            )
        await asyncio.sleep(0.2)
        assert active_table().version == NEW_VERSION
        errors = [r for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1 and "manifest.toml: missing from the pack" in errors[0].getMessage()
    finally:
        stop.set()
        await asyncio.wait_for(follower, 5)
