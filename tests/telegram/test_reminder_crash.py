"""SIGKILL the bot while it sends a reminder, restart it: that reminder is delivered once or recorded
as uncertain (never twice), and every other due reminder is delivered exactly once.

The bot runs as a real process (`python -m bot.cli run`) against the emulator, which holds the first
reminder's sendMessage for a few seconds (then delivers it: the message arrives although the bot
never learns it). The process is killed while the request is in flight.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import date, timedelta
from pathlib import Path

from bot.reminders.plan import PlannedReminder
from bot.store import SessionStore
from tests.telegram.bot_harness import start_bot_process, stop_bot_process
from tests.telegram.emulator import BotApiEmulator, FakeUser

PEOPLE = 6
HELD_S = 2.0


def schedule_due_reminders(db: Path, users: list[FakeUser]) -> None:
    """One reminder per person, due since yesterday, about a date still ahead."""
    yesterday = date.today() - timedelta(days=1)
    store = SessionStore(db)
    try:
        for user in users:
            sid = store.new_session("telegram", str(user.id), lang="en")
            planned = PlannedReminder(
                "arrival", "arrival", date(2030, 1, 10), yesterday, {"given_date": "2029-12-31"}
            )
            assert store.agree_to_reminders(sid, [planned]) == 1
    finally:
        store.close()


def statuses(db: Path) -> dict[str, str]:
    store = SessionStore(db)
    try:
        return {str(u): str(s) for u, s in store._db.execute("SELECT user_key, status FROM reminders")}
    finally:
        store.close()


async def wait_for(condition: object, what: str, timeout: float = 30.0) -> None:
    assert callable(condition)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def test_sigkill_while_sending_a_reminder_never_sends_it_twice(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    users = [FakeUser(5001 + n, language_code="en") for n in range(PEOPLE)]
    for user in users:
        emu.add_chat(user)
    db = tmp_path / "guichet.sqlite3"
    schedule_due_reminders(db, users)
    emu.inject_fault("sendMessage", "delay", seconds=HELD_S)  # the first reminder's send is held
    bot = start_bot_process(emu, tmp_path, GUICHET_REMINDER_EVERY_S="0.1")
    try:
        await wait_for(lambda: emu.calls("sendMessage"), "the first reminder's send")
        bot.send_signal(signal.SIGKILL)
        bot.wait(timeout=10)
        in_flight = [user for user, status in statuses(db).items() if status == "sending"]
        assert len(in_flight) == 1, f"killed around one send: {statuses(db)}"
        delivered = {user.id: len(emu.sent_messages(user.id)) for user in users}
        bot = start_bot_process(emu, tmp_path, GUICHET_REMINDER_EVERY_S="0.1")
        await wait_for(
            lambda: not {"scheduled", "sending"} & set(statuses(db).values()), "every reminder settled"
        )
        await wait_for(lambda: len(emu.sent_messages(int(in_flight[0]))) == 1, "the held send to arrive")
    finally:
        stop_bot_process(bot)
    final = statuses(db)
    assert final[in_flight[0]] == "uncertain", "a send cut by the crash is recorded as uncertain"
    assert delivered[int(in_flight[0])] == 0, "it was still in flight when the bot died"
    for user in users:
        count = len(emu.sent_messages(user.id))
        assert count == 1, f"person {user.id}: {count} deliveries (status {final[str(user.id)]})"
        if str(user.id) != in_flight[0]:
            assert final[str(user.id)] == "sent"
