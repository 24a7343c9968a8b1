"""Benchmark: the reminder scheduler on a store of 100 000 scheduled reminders (figures, not a test).

``.venv/bin/python -m bench.reminders [--reminders N]`` fills a store with N reminders spread over two
years (5 per session), then measures:

- finding the due ones (one tick's query, through the partial index on ``due_at``), with a handful
  due and with none due — target < 5 ms per tick;
- a whole tick (find, claim, send to a no-op, record) per reminder;
- sending a backlog through the scheduler's loop and python-telegram-bot's AIORateLimiter (the bot's
  own limiter) to a fake Bot API: the most messages in any one-second window — target ≤ 30. For
  comparison, the limiter alone: aiolimiter's leaky bucket lets a burst of 30 through on top of
  30/s, so up to about 60 land in the first second; the scheduler's own pacing (20 a tick, a tick a
  second at most under a backlog) is what keeps reminders within the limit, with room to spare for
  the conversations' replies.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter

from bot.reminders.scheduler import BATCH, ReminderScheduler, SendOutcome
from bot.store import AsyncSessionStore, SessionStore
from bot.store.records import to_iso
from bot.store.reminders import Reminder

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
TARGET_MS = 5.0
TELEGRAM_PER_S = 30
PER_SESSION = 5
BACKLOG = 150


def fill(db: Path, reminders: int, due_now: int) -> None:
    """``reminders`` scheduled reminders over two years around :data:`NOW`; ``due_now`` of them due."""
    SessionStore(db).close()  # the schema
    rng = random.Random(15)
    sessions = reminders // PER_SESSION
    stamp = to_iso(NOW - timedelta(days=30))
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO sessions (id, channel, user_key, status, lang, state_json, created_at, updated_at) "
            "VALUES (?, 'telegram', ?, 'completed', 'fr', '{}', ?, ?)",
            [(sid, str(100_000 + sid), stamp, stamp) for sid in range(1, sessions + 1)],
        )
        conn.executemany(
            "INSERT INTO reminder_consents VALUES (?, ?)", [(s, stamp) for s in range(1, sessions + 1)]
        )
        rows = []
        for n in range(reminders):
            sid = n // PER_SESSION + 1
            due = (
                NOW - timedelta(minutes=1 + n)
                if n < due_now
                else NOW + timedelta(minutes=rng.randrange(1, 1_051_200))
            )
            rows.append(
                (
                    sid,
                    str(100_000 + sid),
                    "fr",
                    "arrival",
                    f"r{n}",
                    "2029-01-01",
                    to_iso(due),
                    '{"given_date": "2026-01-01"}',
                    stamp,
                )
            )
        conn.executemany(
            "INSERT INTO reminders (session_id, channel, user_key, lang, kind, ref, event_date, due_at, "
            "params_json, status, created_at) VALUES (?, 'telegram', ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?)",
            rows,
        )
    conn.close()


def query_plan(db: Path) -> str:
    """How SQLite finds the due reminders (it must use the ``reminders_due`` index)."""
    conn = sqlite3.connect(db)
    try:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT r.id FROM reminders r INDEXED BY reminders_due "
            "JOIN sessions s ON s.id = r.session_id "
            "WHERE r.status = 'scheduled' AND r.due_at <= ? ORDER BY r.due_at LIMIT ?",
            [to_iso(NOW), BATCH],
        ).fetchall()
        return "; ".join(str(row[-1]) for row in plan)
    finally:
        conn.close()


def find_due_ms(db: Path, now: datetime, repeats: int = 300) -> dict[str, float]:
    """One tick's query, timed ``repeats`` times: median and p99 in ms, and how many it found."""
    store = SessionStore(db)
    try:
        found = len(store.due_reminders(now, BATCH))
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            store.due_reminders(now, BATCH)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
    times.sort()
    return {
        "found": found,
        "median_ms": round(statistics.median(times), 3),
        "p99_ms": round(times[int(0.99 * len(times))], 3),
    }


async def tick_ms_per_reminder(db: Path) -> float:
    """A whole tick (find, claim, send to a no-op, record) per reminder sent, in ms."""

    async def send(reminder: Reminder) -> SendOutcome:
        return "sent"

    async with AsyncSessionStore(db) as store:
        scheduler = ReminderScheduler(store, send, channel="telegram", clock=lambda: NOW)
        started = time.perf_counter()
        sent = sum((await scheduler.tick()).values())
        return round((time.perf_counter() - started) * 1000 / max(sent, 1), 3)


async def sending_rate(db: Path, batch: int = BATCH) -> dict[str, Any]:
    """Send a backlog through the scheduler's own loop (``batch`` a tick) and PTB's AIORateLimiter to a
    fake Bot API."""
    limiter = AIORateLimiter()
    await limiter.initialize()
    stamps: list[float] = []

    async def api(**_: Any) -> bool:
        stamps.append(time.monotonic())
        return True

    async def send(reminder: Reminder) -> SendOutcome:
        await limiter.process_request(api, (), {}, "sendMessage", {"chat_id": int(reminder.user_key)}, None)
        return "sent"

    stop = asyncio.Event()
    later = NOW + timedelta(days=3)  # about 400 due: a backlog
    async with AsyncSessionStore(db) as store:
        scheduler = ReminderScheduler(store, send, channel="telegram", clock=lambda: later, batch=batch)
        task = asyncio.create_task(scheduler.run(stop, every_s=0.05))
        while len(stamps) < BACKLOG:
            await asyncio.sleep(0.05)
        stop.set()
        await task
    await limiter.shutdown()
    stamps = stamps[:BACKLOG]
    busiest = max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps)
    seconds = stamps[-1] - stamps[0]
    return {
        "messages": BACKLOG,
        "seconds": round(seconds, 2),
        "per_s": round((BACKLOG - 1) / seconds, 1),
        "max_in_1s": busiest,
    }


def run(reminders: int = 100_000) -> dict[str, Any]:
    """Fill a store and measure; the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "guichet.sqlite3"
        started = time.perf_counter()
        fill(db, reminders, due_now=BATCH)
        filled = time.perf_counter() - started
        idle = find_due_ms(db, NOW - timedelta(days=60))
        due = find_due_ms(db, NOW)
        tick = asyncio.run(tick_ms_per_reminder(db))
        rate = asyncio.run(sending_rate(db))
        unpaced = asyncio.run(sending_rate(db, batch=1000))  # the rate limiter alone
        plan = query_plan(db)
    return {
        "reminders": reminders,
        "fill_seconds": round(filled, 1),
        "query_plan": plan,
        "find_due_none": idle,
        "find_due_batch": due,
        "tick_ms_per_reminder": tick,
        "sending": rate,
        "sending_limiter_only": unpaced,
        "under_target": max(idle["p99_ms"], due["p99_ms"]) < TARGET_MS
        and rate["max_in_1s"] <= TELEGRAM_PER_S,
    }


def describe(figures: dict[str, Any]) -> str:
    """The figures as lines for the bench table."""
    due, idle, sending = figures["find_due_batch"], figures["find_due_none"], figures["sending"]
    unpaced = figures["sending_limiter_only"]
    return "\n".join(
        [
            f"reminders: {figures['reminders']} scheduled; finding the due ones per tick: "
            f"{due['median_ms']} ms median, {due['p99_ms']} ms p99 ({due['found']} due); "
            f"{idle['median_ms']} / {idle['p99_ms']} ms with none due (target < {TARGET_MS:.0f} ms)",
            f"  query plan: {figures['query_plan']}",
            f"  whole tick per reminder sent (no-op send): {figures['tick_ms_per_reminder']} ms",
            f"  backlog of {sending['messages']} through the scheduler and AIORateLimiter: "
            f"{sending['per_s']} msg/s, at most {sending['max_in_1s']} in any second "
            f"(limit {TELEGRAM_PER_S})",
            f"  the same without the scheduler's pacing (rate limiter alone): {unpaced['per_s']} msg/s, "
            f"at most {unpaced['max_in_1s']} in any second",
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reminders", type=int, default=100_000)
    print(describe(run(parser.parse_args().reminders)))
