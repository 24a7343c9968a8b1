"""Benchmark: the real guichet bot, in a process of its own, against the Bot API emulator on 127.0.0.1.

``.venv/bin/python -m bench.run [--quick] [--prefill N] [--halfway N] [--profile]`` prints a table and
writes ``bench/results.json``. In polling and webhook mode it measures: updates/s at saturation (a
burst of ``/start`` from fresh users, each a full committed turn), complete interviews (the crash
test's script, every user answering in rounds), reply latency p50/p90/p99 at a fixed offered rate,
and a bare python-telegram-bot echo bot on the same emulator for comparison. Then, in polling mode:
many sessions half-way through each sending their next answer (the bot's peak memory), the ``/start``
burst against a store pre-filled with past sessions, and the burst with the real rate limiter.

The bot (``bench.serve_bot``) runs as its own process; this process runs the emulator and the
simulated users. Each figure comes with both CPU shares (1.0 = one core busy), so a saturated
emulator is not mistaken for a slow bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import json
import logging
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from bench import reminders, rules_diff
from bench.process import BotProcess, bot_process
from bench.serve_bot import BENCH_DAY
from bot.settings import DB_FILE_NAME
from bot.store import SessionStore
from bot.store.records import to_iso
from bot.telegram.callback import decode
from flows.dialogue import Dialogue, TextInput
from flows.session import RESULT, SessionState
from tests.robustness.bot_thread import fresh_token
from tests.telegram import test_crash_restart
from tests.telegram.emulator import BotApiEmulator, FakeUser
from tests.telegram.test_bot_conversations import BRUSSELS_FAMILY

Mode = Literal["polling", "webhook"]
RESULTS = Path(__file__).with_name("results.json")
# Past sessions are a day old: within the retention period, so the bot's purge keeps them.
NOW = to_iso(datetime.now(UTC) - timedelta(days=1))
HALFWAY_ANSWERS = 6  # of the script's 12 questions before the summary
_user_ids = iter(range(10_000_000, 99_000_000))
_first_update_ids = iter(range(10_000, 2**31, 10_000_000))


def emulator() -> BotApiEmulator:
    """A fresh emulator whose update ids never repeat an earlier one's (stores are reused); like
    Telegram, it opens as many webhook connections as the bot's ``max_connections`` allows."""
    return BotApiEmulator(
        token=fresh_token(), first_update_id=next(_first_update_ids), webhook_concurrency=100
    )


def new_users(count: int) -> list[FakeUser]:
    return [FakeUser(next(_user_ids), language_code="en") for _ in range(count)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def sent(emu: BotApiEmulator) -> int:
    """Messages the bot has sent so far (a counter: the emulator's own cost stays flat)."""
    return emu.answered["sendMessage"]


async def wait_sent(emu: BotApiEmulator, count: int, timeout: float = 300.0) -> None:
    await emu.wait_for(lambda: sent(emu) >= count, timeout, "replies")


async def start_burst(emu: BotApiEmulator, users: int, replies_per_start: int) -> int:
    """``users`` fresh users send /start at once; done when every reply was sent."""
    base = sent(emu)
    for user in new_users(users):
        emu.user_sends_command(user, "/start")
    await wait_sent(emu, base + users * replies_per_start)
    await emu.wait_until_idle(timeout=60)
    return users


async def replies_per_start(emu: BotApiEmulator) -> int:
    """How many messages the bot sends for one /start (measured, not assumed)."""
    before = sent(emu)
    (user,) = new_users(1)
    emu.user_sends_command(user, "/start")
    await emu.wait_for(lambda: len(emu.sent_messages(user.id)) > 0, 10, "first reply")
    await asyncio.sleep(0.5)
    return sent(emu) - before


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


async def latency(emu: BotApiEmulator, rate: float, seconds: float, per_start: int) -> dict[str, float]:
    """Fresh users send /start at ``rate`` per second; latency to the first reply of each."""
    with frozen_heap():
        return await _latency(emu, rate, seconds, per_start)


async def _latency(emu: BotApiEmulator, rate: float, seconds: float, per_start: int) -> dict[str, float]:
    users = new_users(int(rate * seconds))
    base = sent(emu)
    injected: dict[int, float] = {}
    t0 = time.perf_counter()
    for index, user in enumerate(users):
        delay = t0 + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        injected[user.id] = time.monotonic()
        emu.user_sends_command(user, "/start")
    await wait_sent(emu, base + len(users) * per_start, timeout=120)
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
    state = json.dumps({"format": 1, "lang": "en", "current": RESULT, "answers": {"nationalities": ["IN"]}})
    insert_sessions(db, ((str(100_000_000 + i), "completed", state) for i in range(sessions)))
    con = sqlite3.connect(db)
    with con:
        con.executemany(
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
            ((1_000_000_000 + i, NOW) for i in range(sessions)),
        )
    con.close()


def insert_sessions(db: Path, rows: Iterable[tuple[str, str, str]]) -> None:
    """Sessions (user key, status, state JSON) written by direct SQL into a migrated store."""
    SessionStore(db).close()  # schema
    con = sqlite3.connect(db)
    with con:
        con.executemany(
            "INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at, "
            "completed_at) VALUES ('telegram', ?, ?, 'en', ?, ?, ?, "
            "CASE WHEN ? = 'completed' THEN ? END)",
            ((key, status, state, NOW, NOW, status, NOW) for key, status, state in rows),
        )
    con.close()


def halfway_state(answers: int) -> SessionState:
    """The state after the scripted answers to the first ``answers`` questions (in-process dialogue)."""
    complete_script()
    dialogue = Dialogue(today=BENCH_DAY)
    state = dialogue.start("en").state
    for _ in range(answers):
        state = dialogue.handle(state, TextInput(test_crash_restart.SCRIPT[state.current])).state
    return state


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep this process's garbage collector out of a measurement.

    After the first scenarios the emulator holds every call it answered; a full collection of that
    heap paused the emulator (not the bot) for 100-300 ms, which alone made the reply latency's
    p99 and slowed the webhook runs. Objects alive now are frozen for the block (``gc.freeze``), so
    collections only scan what the measurement itself creates.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def cpu_meter(bot: BotProcess) -> Iterator[dict[str, float]]:
    """CPU seconds of the bot process and of this one (emulator + load) over the block."""
    figures: dict[str, float] = {}
    bot0, own0, t0 = bot.cpu_seconds(), time.process_time(), time.perf_counter()
    yield figures
    wall = time.perf_counter() - t0
    figures["bot_cpu_seconds"] = round(bot.cpu_seconds() - bot0, 3)
    figures["bot_cpu_share"] = round(figures["bot_cpu_seconds"] / wall, 2)
    figures["emulator_cpu_share"] = round((time.process_time() - own0) / wall, 2)


async def measure(bot: BotProcess, run: Callable[[], Awaitable[int]]) -> dict[str, float]:
    """Wall time, units of work per second of ``run``, and the CPU shares of bot and emulator."""
    t0 = time.perf_counter()
    with frozen_heap(), cpu_meter(bot) as cpu:
        units = await run()
    wall = time.perf_counter() - t0
    cpu_ms = cpu["bot_cpu_seconds"] / units * 1000 if units else float("nan")
    return {
        "units": units,
        "seconds": round(wall, 3),
        "per_s": round(units / wall, 1),
        "bot_cpu_ms_per_unit": round(cpu_ms, 2),
        **cpu,
    }


async def guichet(mode: Mode, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Saturation, whole interviews and latency with the overall rate limit lifted (CPU-bound)."""
    out: dict[str, Any] = {}
    print(f"guichet {mode}…", file=sys.stderr, flush=True)
    profile = workdir / "profile.pstats" if args.profile else None
    async with (
        emulator() as emu,
        bot_process(emu, workdir, "guichet", mode, profile=profile) as bot,
    ):
        per_start = await replies_per_start(emu)
        out["replies_per_start"] = per_start
        out["saturation_start"] = await measure(bot, lambda: start_burst(emu, args.burst, per_start))
        try:
            out["interviews"] = await measure(
                bot, lambda: interviews(emu, workdir / DB_FILE_NAME, args.interviews)
            )
            out["interviews"]["interviews"] = args.interviews
        except (RuntimeError, TimeoutError) as error:
            out["interviews"] = {"error": str(error)}
        out["latency"] = await latency(emu, args.rate, args.seconds, per_start)
        out["peak_rss_mib"] = bot.peak_rss_mib()
    if profile is not None:
        show_profile(profile)
    return out


def show_profile(path: Path) -> None:
    """The 25 functions with the most time of their own in the bot process (on stderr)."""
    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(25)


async def halfway(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """``args.halfway`` users whose sessions are half-way through each send their next answer."""
    state = halfway_state(HALFWAY_ANSWERS)
    users = new_users(args.halfway)
    t0 = time.perf_counter()
    raw = json.dumps(state.to_dict())
    insert_sessions(workdir / DB_FILE_NAME, ((str(u.id), "in_progress", raw) for u in users))
    out: dict[str, Any] = {
        "sessions": args.halfway,
        "answers_given": HALFWAY_ANSWERS,
        "question": state.current,
        "prefill_seconds": round(time.perf_counter() - t0, 1),
    }
    print(f"guichet polling, {args.halfway} sessions half-way…", file=sys.stderr, flush=True)
    answer = test_crash_restart.SCRIPT[state.current]
    async with (
        emulator() as emu,
        bot_process(emu, workdir, "guichet", "polling") as bot,
    ):
        rss_before = bot.peak_rss_mib()

        async def every_user_answers() -> int:
            for user in users:
                emu.user_sends_text(user, answer)
            await wait_sent(emu, len(users), timeout=900)
            await emu.wait_until_idle(timeout=60)
            return len(users)

        out["answers"] = await measure(bot, every_user_answers)
        out["peak_rss_mib_before"] = rss_before
        out["peak_rss_mib"] = bot.peak_rss_mib()
    store = SessionStore(workdir / DB_FILE_NAME)
    try:
        moved = sum(
            1
            for u in users
            if (s := store.load_state("telegram", str(u.id)))
            and s.state
            and s.state["current"] != state.current
        )
    finally:
        store.close()
    out["sessions_moved_on"] = moved
    return out


async def limited(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The /start burst with the bot's real rate limiter (Telegram's 30 messages/s overall)."""
    print("guichet polling, rate-limited…", file=sys.stderr, flush=True)
    async with (
        emulator() as emu,
        bot_process(emu, workdir, "guichet", "polling", unlimited=False) as bot,
    ):
        per_start = await replies_per_start(emu)
        return {
            "saturation_start": await measure(bot, lambda: start_burst(emu, args.limited_burst, per_start))
        }


async def prefilled(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The /start burst on an empty store, then on one holding ``args.prefill`` past sessions
    (alternated ``args.repeats`` times, so the machine's drift affects both alike)."""
    big, empty = workdir / "big", workdir / "empty"
    big.mkdir()
    t0 = time.perf_counter()
    prefill(big / DB_FILE_NAME, args.prefill)
    out: dict[str, Any] = {"sessions": args.prefill, "prefill_seconds": round(time.perf_counter() - t0, 1)}
    print(f"guichet polling, empty store and {args.prefill} past sessions…", file=sys.stderr, flush=True)
    runs: dict[str, list[float]] = {"empty": [], "prefilled": []}
    for _ in range(args.repeats):
        for name, folder in (("empty", empty), ("prefilled", big)):
            folder.mkdir(exist_ok=True)
            async with (
                emulator() as emu,
                bot_process(emu, folder, "guichet", "polling") as bot,
            ):
                per_start = await replies_per_start(emu)
                runs[name].append(
                    (await measure(bot, functools.partial(start_burst, emu, args.burst, per_start)))["per_s"]
                )
    out |= {f"{name}_per_s": statistics.median(values) for name, values in runs.items()}
    out["runs"] = runs
    out["ratio"] = round(out["prefilled_per_s"] / out["empty_per_s"], 2)
    out["store_turn_ms"] = {
        name: store_turn_ms(folder / DB_FILE_NAME) for name, folder in (("empty", empty), ("prefilled", big))
    }
    return out


def store_turn_ms(db: Path, turns: int = 3000) -> float:
    """The store's share of a turn, without network or emulator: a new user's update checked, the
    turn saved (one committed transaction) and its reply marked sent; mean milliseconds per turn."""
    state = halfway_state(0).to_dict()
    store = SessionStore(db)
    try:
        first = 2_000_000_000 + next(_first_update_ids)
        t0 = time.perf_counter()
        for n in range(first, first + turns):
            store.check_update("telegram", f"bench-{n}", n)
            store.save_turn("telegram", f"bench-{n}", state, lang="en", incoming="/start", update_id=n)
            store.mark_delivered(n)
        return round((time.perf_counter() - t0) / turns * 1000, 3)
    finally:
        store.close()


async def echo(mode: Mode, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Bare python-telegram-bot echo bots on the same emulator (PTB's own poller / webhook): one
    echoing the text, one answering with guichet's first question (same message sizes), and the
    echo on guichet's HTTP client (aiohttp) instead of PTB's default (httpx)."""
    out: dict[str, Any] = {}
    kinds: tuple[tuple[Literal["echo", "echo-guichet-reply", "echo-aiohttp"], str], ...] = (
        ("echo", "saturation_echo"),
        ("echo-guichet-reply", "saturation_echo_guichet_reply"),
        ("echo-aiohttp", "saturation_echo_aiohttp"),
    )
    for kind, key in kinds:
        print(f"{kind} {mode}…", file=sys.stderr, flush=True)
        async with emulator() as emu, bot_process(emu, workdir, kind, mode) as bot:

            async def burst() -> int:
                users = new_users(args.burst)
                for user in users:
                    emu.user_sends_text(user, "hello")
                await wait_sent(emu, len(users))
                return len(users)

            out[key] = await measure(bot, burst)
            out[f"{key}_peak_rss_mib"] = bot.peak_rss_mib()
    return out


def interview_ratio(results: dict[str, Any], mode: str) -> str:
    """Whole-interview updates/s over the bare echo's, both measured in this run (issue 20)."""
    run = results["guichet"][mode]["interviews"]
    if "error" in run:
        return "stalled"
    return f"{run['per_s'] / results['echo'][mode]['saturation_echo']['per_s']:.2f}"


def table(results: dict[str, Any]) -> str:
    """The results as a plain-text table (guichet and echo side by side per mode)."""
    g, e = results["guichet"], results["echo"]
    modes = ("polling", "webhook")
    rows: list[tuple[str, ...]] = [("measure", *modes)]

    def row(label: str, value: Callable[[str], Any]) -> None:
        rows.append((label, *(str(value(m)) for m in modes)))

    row("guichet /start burst, updates/s", lambda m: g[m]["saturation_start"]["per_s"])
    row("  bot process CPU share", lambda m: g[m]["saturation_start"]["bot_cpu_share"])
    row("  emulator+load CPU share", lambda m: g[m]["saturation_start"]["emulator_cpu_share"])
    row("bare PTB echo, updates/s", lambda m: e[m]["saturation_echo"]["per_s"])
    row("  echo process CPU share", lambda m: e[m]["saturation_echo"]["bot_cpu_share"])
    row("  emulator+load CPU share", lambda m: e[m]["saturation_echo"]["emulator_cpu_share"])
    row(
        "bot CPU ms per update, guichet / bare echo",
        lambda m: (
            f"{g[m]['saturation_start']['bot_cpu_ms_per_unit']} / "
            f"{e[m]['saturation_echo']['bot_cpu_ms_per_unit']}"
        ),
    )
    row(
        "guichet / echo ratio",
        lambda m: f"{g[m]['saturation_start']['per_s'] / e[m]['saturation_echo']['per_s']:.2f}",
    )
    row("bare PTB echo on aiohttp (guichet's client)", lambda m: e[m]["saturation_echo_aiohttp"]["per_s"])
    row(
        "guichet / that echo ratio",
        lambda m: f"{g[m]['saturation_start']['per_s'] / e[m]['saturation_echo_aiohttp']['per_s']:.2f}",
    )
    row(
        "PTB echo sending guichet's reply, updates/s",
        lambda m: e[m]["saturation_echo_guichet_reply"]["per_s"],
    )
    row(
        "  its ratio to the bare echo",
        lambda m: f"{e[m]['saturation_echo_guichet_reply']['per_s'] / e[m]['saturation_echo']['per_s']:.2f}",
    )

    def full(mode: str, per_interview: bool) -> str:
        run = g[mode]["interviews"]
        if "error" in run:
            return "stalled"
        return str(round(run["interviews"] / run["seconds"], 2) if per_interview else run["per_s"])

    row("full interviews, updates/s", lambda m: full(m, False))
    row("full interviews, interviews/s", lambda m: full(m, True))
    row("full interviews / bare echo, same run (target >= 0.7)", lambda m: interview_ratio(results, m))
    rate = g["polling"]["latency"]["offered_per_s"]
    for p in ("p50", "p90", "p99"):
        rows.append(
            (
                f"reply latency {p} ms at {rate:.0f} updates/s",
                *(str(g[m]["latency"][f"{p}_ms"]) for m in modes),
            )
        )
    row("guichet peak RSS MiB", lambda m: g[m]["peak_rss_mib"])
    half = results["halfway"]
    rows.append(
        (f"{half['sessions']} half-way sessions answer, updates/s", str(half["answers"]["per_s"]), "-")
    )
    rows.append(("  bot peak RSS MiB during that", str(half["peak_rss_mib"]), "-"))
    pre = results["prefilled"]
    rows.append(("/start burst, empty store (median)", str(pre["empty_per_s"]), "-"))
    rows.append((f"/start burst, store with {pre['sessions']} sessions", str(pre["prefilled_per_s"]), "-"))
    rows.append(("  ratio (1.0 = no slowdown)", str(pre["ratio"]), "-"))
    cost = pre["store_turn_ms"]
    label = f"store work per turn ms, empty / {pre['sessions']} sessions"
    rows.append((label, f"{cost['empty']} / {cost['prefilled']}", "-"))
    limited_run = results["limited"]["saturation_start"]
    rows.append(("/start burst, real rate limiter (30 msg/s)", str(limited_run["per_s"]), "-"))
    diff = results["rules_diff"]
    rows.append((f"rules diff, {diff['sessions']} sessions, s (target < 60)", str(diff["diff_seconds"]), "-"))
    due = results["reminders"]["find_due_batch"]
    label = f"reminders due, {results['reminders']['reminders']} scheduled: ms per tick p99 (target < 5)"
    rows.append((label, str(due["p99_ms"]), "-"))
    sending = results["reminders"]["sending"]
    rows.append(("  reminders sent, most in one second (limit 30)", str(sending["max_in_1s"]), "-"))
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)) for row in rows)


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Every scenario in turn, each with a fresh emulator, bot process and store."""
    results: dict[str, Any] = {
        "args": vars(args),
        "python": sys.version.split()[0],
        "guichet": {},
        "echo": {},
    }
    for mode in ("polling", "webhook"):
        with tempfile.TemporaryDirectory() as tmp:
            results["guichet"][mode] = await guichet(mode, args, Path(tmp))
        with tempfile.TemporaryDirectory() as tmp:
            results["echo"][mode] = await echo(mode, args, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        results["halfway"] = await halfway(args, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        results["prefilled"] = await prefilled(args, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        results["limited"] = await limited(args, Path(tmp))
    print("rules diff on a store of finished sessions…", file=sys.stderr, flush=True)
    results["rules_diff"] = rules_diff.run(args.diff_sessions)
    print("reminder scheduler on 100 000 scheduled reminders…", file=sys.stderr, flush=True)
    results["reminders"] = await asyncio.to_thread(reminders.run, 100_000)  # it runs its own event loop
    return results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; ``--quick`` shrinks every scenario."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller runs (about 2 minutes)")
    parser.add_argument("--prefill", type=int, default=None, help="past sessions in the pre-filled store")
    parser.add_argument("--halfway", type=int, default=None, help="sessions half-way through")
    parser.add_argument("--profile", action="store_true", help="cProfile the guichet bot process")
    args = parser.parse_args(argv)
    args.burst = 500 if args.quick else 2000
    args.limited_burst = 100 if args.quick else 300
    args.interviews = 20 if args.quick else 1000
    args.rate = 300.0
    args.repeats = 1 if args.quick else 3
    args.seconds = 3.0 if args.quick else 10.0
    if args.prefill is None:
        args.prefill = 50_000 if args.quick else 1_000_000
    args.diff_sessions = 10_000  # the figure, also with --quick
    if args.halfway is None:
        args.halfway = 2_000 if args.quick else 20_000
    return args


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    arguments = parse()
    started = time.perf_counter()
    outcome = asyncio.run(main(arguments))
    outcome["wall_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(outcome, indent=2))
    print(table(outcome))
    print(f"\nwall time {outcome['wall_seconds']} s; written to {RESULTS}")
