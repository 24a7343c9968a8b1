"""Notices of a rules change: only results whose person agreed to reminders, only when the route,
family outcome or review points change, once per pack version; the bot's pack follower triggers them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Answers, ThresholdTable, active_table, assess, use_table
from bot.reminders.notices import notice_rules_change
from bot.rules.live import follow_rules
from bot.rules.pack import MANIFEST, THRESHOLDS, Manifest, default_pack, parse_pack
from bot.store import AsyncSessionStore, SessionStore
from tests.result.personas import PERSONAS, TODAY
from tests.rules.conftest import raised_blue_card

VERSION = "2026.12-bxl-bc-6000"
WORKER = PERSONAS["single worker with a job offer"]  # 5 200 € a month in Brussels: a Blue Card today


def raised_table() -> ThresholdTable:
    files = dict(default_pack().files, **{THRESHOLDS: raised_blue_card("6000")})
    files[MANIFEST] = Manifest(VERSION, None, "Test Adviser", "Brussels Blue Card at 6 000 €").to_toml()
    return parse_pack(files).table


@pytest.fixture
def packaged_table_after() -> Iterator[None]:
    yield
    use_table(None)


def session(db: Path, user: str, answers: dict[str, Any], *, agreed: bool) -> int:
    """A finished session (its answers in the dialogue state) assessed under the packaged rules."""
    store = SessionStore(db, clock=lambda: datetime(2026, 11, 23, 10, tzinfo=UTC))
    try:
        state = {
            "lang": "en",
            "answers": {k: v.isoformat() if isinstance(v, date) else v for k, v in answers.items()},
        }
        sid = store.save_turn("telegram", user, state, lang="en", status="completed")
        store.save_assessment(sid, assess(Answers(**answers), on=TODAY))
        if agreed:
            store.agree_to_reminders(sid, [])
        return sid
    finally:
        store.close()


def notices(db: Path) -> list[tuple[int, str, str]]:
    store = SessionStore(db)
    try:
        rows = store._db.execute("SELECT session_id, ref, params_json FROM reminders WHERE kind = 'rules'")
        return [(int(a), str(b), str(c)) for a, b, c in rows]
    finally:
        store.close()


async def test_only_changed_opted_in_results_are_noticed_once(
    tmp_path: Path, packaged_table_after: None
) -> None:
    db = tmp_path / "db.sqlite3"
    agreed = session(db, "41", WORKER, agreed=True)
    session(db, "42", WORKER, agreed=False)  # did not agree: never noticed
    unchanged = session(db, "43", {**WORKER, "salary_month_base": 7000.0}, agreed=True)  # still a Blue Card
    use_table(raised_table())
    async with AsyncSessionStore(db) as store:
        assert await notice_rules_change(store, VERSION, TODAY) == 1
        assert await notice_rules_change(store, VERSION, TODAY) == 0, "once per change"
        saved = await store.latest_assessment(agreed)
        assert saved is not None and saved.route_code == "HQ" and saved.rules_version == VERSION
        kept = await store.latest_assessment(unchanged)
        assert kept is not None and kept.route_code == "BLUE_CARD"
    assert notices(db) == [(agreed, VERSION, '{"changed":["route"]}')]


async def test_the_pack_follower_triggers_the_notices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packaged_table_after: None
) -> None:
    db = tmp_path / "db.sqlite3"
    agreed = session(db, "44", WORKER, agreed=True)
    table = raised_table()
    monkeypatch.setattr("bot.rules.live.load_table", lambda path, current: table)
    stop = asyncio.Event()
    async with AsyncSessionStore(db) as store:
        seen: list[str] = []

        async def on_change(version: str) -> None:
            seen.append(version)
            await notice_rules_change(store, version, TODAY)
            stop.set()

        await asyncio.wait_for(follow_rules(db, stop, every_s=0.01, on_change=on_change), timeout=10)
    assert seen == [VERSION] and [n[0] for n in notices(db)] == [agreed]
    assert active_table().version == default_pack().version, "the packaged table is back on the way out"
