"""Benchmark: the real guichet bot against the in-process Bot API emulator on 127.0.0.1.

``.venv/bin/python -m bench.run [--quick] [--prefill N]`` prints a table and writes
``bench/results.json``. Measures, in polling and webhook mode: updates/s at saturation (a burst of
``/start`` from fresh users, each a full committed turn), complete interviews (the crash test's
script, every user answering in rounds), reply latency p50/p90/p99 at a fixed offered rate, the same
burst against a store pre-filled with past sessions, and a bare python-telegram-bot echo bot for
comparison. Everything (emulator included) runs in one process: the CPU column is the whole process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

import bot.telegram.app as bot_app
from bot.store import SessionStore
from bot.telegram.callback import decode
from flows.session import RESULT, SessionState
from tests.robustness.bot_thread import fresh_token
from tests.telegram import test_crash_restart
from tests.telegram.bot_harness import running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser
from tests.telegram.test_bot_conversations import BRUSSELS_FAMILY

Mode = Literal["polling", "webhook"]
RESULTS = Path(__file__).with_name("results.json")
_user_ids = iter(range(10_000_000, 99_000_000))


def new_users(count: int) -> list[FakeUser]:
    return [FakeUser(next(_user_ids), language_code="en") for _ in range(count)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


async def wait_sent(emu: BotApiEmulator, count: int, timeout: float = 300.0) -> None:
    await emu.wait_for(lambda: sum(1 for c in emu.calls("sendMessage") if c.ok) >= count, timeout, "replies")


async def measure(run: Callable[[], Awaitable[int]]) -> dict[str, float]:
    """Wall time, CPU time and units of work per second of ``run``."""
    cpu0, t0 = time.process_time(), time.perf_counter()
    units = await run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return {
        "units": units,
        "seconds": round(wall, 3),
        "per_s": round(units / wall, 1),
        "cpu_share": round(cpu / wall, 2),
    }


async def start_burst(emu: BotApiEmulator, users: int, replies_per_start: int) -> int:
    """``users`` fresh users send /start at once; done when every reply was sent."""
    base = sum(1 for c in emu.calls("sendMessage") if c.ok)
    for user in new_users(users):
        emu.user_sends_command(user, "/start")
    await wait_sent(emu, base + users * replies_per_start)
    await emu.wait_until_idle(timeout=60)
    return users


async def replies_per_start(emu: BotApiEmulator) -> int:
    """How many messages the bot sends for one /start (measured, not assumed)."""
    before = sum(1 for c in emu.calls("sendMessage") if c.ok)
    (user,) = new_users(1)
    emu.user_sends_command(user, "/start")
    await emu.wait_for(lambda: len(emu.sent_messages(user.id)) > 0, 10, "first reply")
    await asyncio.sleep(0.5)
    return sum(1 for c in emu.calls("sendMessage") if c.ok) - before


def complete_script() -> None:
    """The crash test's script, with answers for the questions its path may also reach."""
    for key, value in BRUSSELS_FAMILY.items():
        if "@" not in key and isinstance(value, str):
            test_crash_restart.SCRIPT.setdefault(key, value)


def answer_next(emu: BotApiEmulator, user: FakeUser, state: SessionState) -> int | None:
    """The scripted answer; for a question off the script, the first option (or "0" typed)."""
    if state.current in test_crash_restart.SCRIPT or state.current in (RESULT, "summary"):
        return test_crash_restart.answer(emu, user, state)
    keyboards = [m for m in emu.sent_messages(user.id) if m.buttons]
    options = [data for _, data in keyboards[-1].buttons if data and "|!" not in data] if keyboards else []
    if options:
        return int(emu.user_presses(user, keyboards[-1], options[0])["update_id"])
    return int(emu.user_sends_text(user, "0")["update_id"])


async def interviews(emu: BotApiEmulator, db: Path, users: int) -> int:
    """``users`` users play the whole interview in rounds (all answer, then all wait); updates sent."""
    complete_script()
    people = new_users(users)
    sent = 0
    for user in people:
        emu.user_sends_command(user, "/start")
        sent += 1
    for _ in range(400):
        await asyncio.sleep(0)
        await emu.wait_until_idle(timeout=120)
        await asyncio.sleep(0.05)
        store = SessionStore(db)
        try:
            states = {u.id: store.load_state("telegram", str(u.id)) for u in people}
        finally:
            store.close()
        pending = [u for u in people if (s := states[u.id]) and s.state and s.state["current"] != RESULT]
        if not pending:
            return sent
        for user in pending:
            stored = states[user.id]
            assert stored is not None and stored.state
            state = SessionState.from_dict(stored.state)
            if not in_sync(emu, user, state):
                continue  # committed, reply still on its way (webhook mode): next round
            if answer_next(emu, user, state) is not None:
                sent += 1
    raise RuntimeError("interviews did not finish")


def in_sync(emu: BotApiEmulator, user: FakeUser, state: SessionState) -> bool:
    """True when the user's last keyboard belongs to the saved state (its reply has arrived)."""
    keyboards = [m for m in emu.sent_messages(user.id) if m.buttons]
    press = decode(keyboards[-1].buttons[0][1]) if keyboards else None
    return press is not None and press.state_version == state.version


async def latency(emu: BotApiEmulator, rate: float, seconds: float) -> dict[str, float]:
    """Fresh users send /start at ``rate`` per second; latency to the first reply of each."""
    users = new_users(int(rate * seconds))
    injected: dict[int, float] = {}
    t0 = time.perf_counter()
    for index, user in enumerate(users):
        delay = t0 + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        injected[user.id] = time.monotonic()
        emu.user_sends_command(user, "/start")
    await emu.wait_for(lambda: all(emu.sent_messages(u.id) for u in users), 120, "first replies")
    first: dict[int, float] = {}
    for call in emu.calls("sendMessage"):
        chat = int(call.params.get("chat_id", 0))
        if chat in injected and chat not in first and call.ok:
            first[chat] = call.at
    waits = [(first[u] - injected[u]) * 1000 for u in injected]
    return {
        "offered_per_s": rate,
        "updates": len(waits),
        "p50_ms": round(percentile(waits, 50), 1),
        "p90_ms": round(percentile(waits, 90), 1),
        "p99_ms": round(percentile(waits, 99), 1),
        "mean_ms": round(statistics.fmean(waits), 1),
    }


def prefill(db: Path, sessions: int) -> None:
    """``sessions`` completed past sessions (with processed update ids), by direct SQL."""
    SessionStore(db).close()  # schema
    state = json.dumps({"format": 1, "lang": "en", "current": RESULT, "answers": {"nationalities": ["IN"]}})
    now = "2026-01-01T00:00:00+00:00"
    con = sqlite3.connect(db)
    with con:
        con.executemany(
            "INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at, "
            "completed_at) VALUES ('telegram', ?, 'completed', 'en', ?, ?, ?, ?)",
            ((str(100_000_000 + i), state, now, now, now) for i in range(sessions)),
        )
        con.executemany(
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
            ((1_000_000_000 + i, now) for i in range(sessions)),
        )
    con.close()


@contextlib.contextmanager
def rate_limiter(limited: bool) -> Iterator[None]:
    """The bot's AIORateLimiter as configured (30 messages/s overall), or without its overall limit."""
    original = getattr(bot_app, "AIORateLimiter")  # noqa: B009 - patched for the benchmark only
    if not limited:
        setattr(bot_app, "AIORateLimiter", functools.partial(original, overall_max_rate=0))  # noqa: B010
    try:
        yield
    finally:
        setattr(bot_app, "AIORateLimiter", original)  # noqa: B010


async def guichet(mode: Mode, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Saturation, whole interviews and latency with the overall rate limit lifted (CPU-bound)."""
    out: dict[str, Any] = {}
    print(f"guichet {mode}…", file=sys.stderr, flush=True)
    with rate_limiter(limited=False):
        async with BotApiEmulator(token=fresh_token()) as emu, running_bot(emu, workdir, mode) as settings:
            per_start = await replies_per_start(emu)
            out["replies_per_start"] = per_start
            out["saturation_start"] = await measure(lambda: start_burst(emu, args.burst, per_start))
            try:
                out["interviews"] = await measure(lambda: interviews(emu, settings.db_path, args.interviews))
                out["interviews"]["interviews"] = args.interviews
            except (RuntimeError, TimeoutError) as error:
                out["interviews"] = {"error": str(error)}
            out["latency"] = await latency(emu, args.rate, args.seconds)
    return out


async def limited(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The /start burst with the bot's real rate limiter (Telegram's 30 messages/s overall)."""
    print("guichet polling, rate-limited…", file=sys.stderr, flush=True)
    with rate_limiter(limited=True):
        async with BotApiEmulator(token=fresh_token()) as emu, running_bot(emu, workdir, "polling"):
            per_start = await replies_per_start(emu)
            return {
                "saturation_start": await measure(lambda: start_burst(emu, args.limited_burst, per_start))
            }


async def prefilled(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    prefill(workdir / "guichet.sqlite3", args.prefill)
    out: dict[str, Any] = {"sessions": args.prefill, "prefill_seconds": round(time.perf_counter() - t0, 1)}
    print(f"guichet polling, {args.prefill} past sessions…", file=sys.stderr, flush=True)
    with rate_limiter(limited=False):
        async with BotApiEmulator(token=fresh_token()) as emu, running_bot(emu, workdir, "polling"):
            per_start = await replies_per_start(emu)
            out["saturation_start"] = await measure(lambda: start_burst(emu, args.burst, per_start))
    return out


async def echo(mode: Mode, args: argparse.Namespace) -> dict[str, Any]:
    """A bare python-telegram-bot echo bot on the same emulator (PTB's own poller / webhook)."""
    async with BotApiEmulator(token=fresh_token()) as emu:

        async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.effective_message is not None and update.effective_message.text is not None
            await update.effective_message.reply_text(update.effective_message.text)

        app = (
            Application.builder()
            .token(emu.token)
            .base_url(emu.base_url)
            .base_file_url(emu.base_file_url)
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT, reply))
        async with app:
            await app.start()
            assert app.updater is not None
            if mode == "webhook":
                from tests.telegram.emulator import free_port

                port = free_port()
                await app.updater.start_webhook(
                    listen="127.0.0.1",
                    port=port,
                    url_path="hook",
                    webhook_url=f"http://127.0.0.1:{port}/hook",
                )
            else:
                await app.updater.start_polling(timeout=25)

            async def burst() -> int:
                users = new_users(args.burst)
                for user in users:
                    emu.user_sends_text(user, "hello")
                await wait_sent(emu, len(users))
                return len(users)

            result = await measure(burst)
            await app.updater.stop()
            await app.stop()
    return {"saturation_echo": result}


def table(results: dict[str, Any]) -> str:
    rows: list[tuple[str, ...]] = [("measure", "polling", "webhook")]
    g = results["guichet"]

    def both(path: Callable[[dict[str, Any]], Any]) -> tuple[str, str]:
        return str(path(g["polling"])), str(path(g["webhook"]))

    rows.append(("guichet /start burst, updates/s", *both(lambda r: r["saturation_start"]["per_s"])))
    rows.append(("  process CPU share (bot+emulator)", *both(lambda r: r["saturation_start"]["cpu_share"])))
    rows.append(
        (
            "bare PTB echo, updates/s",
            *(str(results["echo"][m]["saturation_echo"]["per_s"]) for m in ("polling", "webhook")),
        )
    )
    rows.append(
        (
            "guichet / echo ratio",
            *(
                f"{g[m]['saturation_start']['per_s'] / results['echo'][m]['saturation_echo']['per_s']:.2f}"
                for m in ("polling", "webhook")
            ),
        )
    )

    def full(mode: str, key: str) -> str:
        run = g[mode]["interviews"]
        if "error" in run:
            return "stalled"
        return str(run["per_s"] if key == "per_s" else round(run["interviews"] / run["seconds"], 2))

    rows.append(("full interviews, updates/s", full("polling", "per_s"), full("webhook", "per_s")))
    rows.append(("full interviews, interviews/s", full("polling", "n"), full("webhook", "n")))
    for p in ("p50", "p90", "p99"):
        rows.append(
            (
                f"latency {p} ms at {g['polling']['latency']['offered_per_s']:.0f}/s",
                *(str(g[m]["latency"][f"{p}_ms"]) for m in ("polling", "webhook")),
            )
        )
    pre = results["prefilled"]
    rows.append(
        (f"/start burst, store with {pre['sessions']} sessions", str(pre["saturation_start"]["per_s"]), "-")
    )
    rows.append(
        (
            "/start burst, real rate limiter (30 msg/s)",
            str(results["limited"]["saturation_start"]["per_s"]),
            "-",
        )
    )
    rows.append(("peak RSS MiB (whole run)", str(results["peak_rss_mib"]), ""))
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)) for row in rows)


async def main(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "args": vars(args),
        "python": sys.version.split()[0],
        "guichet": {},
        "echo": {},
    }
    for mode in ("polling", "webhook"):
        with tempfile.TemporaryDirectory() as tmp:
            results["guichet"][mode] = await guichet(mode, args, Path(tmp))
        results["echo"][mode] = await echo(mode, args)
    with tempfile.TemporaryDirectory() as tmp:
        results["prefilled"] = await prefilled(args, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        results["limited"] = await limited(args, Path(tmp))
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs (under 2 minutes)")
    parser.add_argument("--prefill", type=int, default=None, help="past sessions in the pre-filled store")
    args = parser.parse_args(argv)
    args.burst = 500 if args.quick else 2000
    args.limited_burst = 100 if args.quick else 300
    args.interviews = 20 if args.quick else 100
    args.rate = 300.0
    args.seconds = 3.0 if args.quick else 10.0
    if args.prefill is None:
        args.prefill = 50_000 if args.quick else 1_000_000
    return args


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    arguments = parse()
    outcome = asyncio.run(main(arguments))
    RESULTS.write_text(json.dumps(outcome, indent=2))
    print(table(outcome))
    print(f"\nwritten to {RESULTS}")
