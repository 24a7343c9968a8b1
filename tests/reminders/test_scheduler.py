"""The durable scheduler on a real store with a fake clock and a fake sender: what is due goes out
once, a doubtful send is recorded and never repeated, a blocked person's reminders stop, a crash
while sending leaves "uncertain", and erasure, the purge, opting out and the global switch hold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.reminders.plan import PlannedReminder, plan_from_result, send_time
from bot.reminders.scheduler import ReminderScheduler, SendOutcome
from bot.store import AsyncSessionStore, SessionStore
from bot.store.reminders import Reminder
from tests.result.personas import TODAY, assessment

WORKER = "single worker with a job offer"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, hour: int = 12) -> None:
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class FakeSender:
    """Records every reminder it is asked to send; answers with the outcomes queued, else "sent"."""

    def __init__(self) -> None:
        self.sent: list[Reminder] = []
        self.outcomes: list[SendOutcome] = []

    async def __call__(self, reminder: Reminder) -> SendOutcome:
        self.sent.append(reminder)
        return self.outcomes.pop(0) if self.outcomes else "sent"


def scheduling(
    store: AsyncSessionStore, clock: FakeClock, *outcomes: SendOutcome
) -> tuple[ReminderScheduler, FakeSender]:
    """A scheduler on the test's clock, with a fake sender answering ``outcomes`` first."""
    sender = FakeSender()
    sender.outcomes = list(outcomes)
    return ReminderScheduler(store, sender, channel="telegram", clock=clock), sender


def opted_in_session(db: Path, user: str, clock: FakeClock, name: str = WORKER) -> int:
    """A finished session whose person agreed to the reminders of their result."""
    store = SessionStore(db, clock=clock)
    try:
        sid = store.new_session("telegram", user, lang="fr")
        store.save_assessment(sid, assessment(name))
        store.agree_to_reminders(sid, plan_from_result(assessment(name), TODAY))
        return sid
    finally:
        store.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 10, tzinfo=UTC))


@pytest.fixture
async def store(tmp_path: Path, clock: FakeClock) -> AsyncIterator[AsyncSessionStore]:
    async with AsyncSessionStore(tmp_path / "db.sqlite3", clock=clock) as opened:
        yield opened


def statuses(db: Path) -> dict[str, str]:
    store = SessionStore(db)
    try:
        return {
            str(ref): str(status) for ref, status in store._db.execute("SELECT ref, status FROM reminders")
        }
    finally:
        store.close()


async def test_each_due_reminder_is_sent_once_on_its_day(store: AsyncSessionStore, clock: FakeClock) -> None:
    opted_in_session(store.path, "11", clock)
    scheduler, sender = scheduling(store, clock)
    assert sum((await scheduler.tick()).values()) == 0  # nothing due today
    clock.at(date(2027, 3, 1), hour=7)  # 8:00 in Brussels: not yet 9:00
    assert sum((await scheduler.tick()).values()) == 0
    clock.at(date(2027, 3, 1), hour=8)  # 9:00 in Brussels
    assert (await scheduler.tick())["sent"] == 1
    assert [r.ref for r in sender.sent] == ["COMMUNE_REGISTRATION"] and sender.sent[0].lang == "fr"
    assert sum((await scheduler.tick()).values()) == 0  # sent once
    clock.at(date(2028, 1, 1))
    assert (await scheduler.tick())["sent"] == 1
    assert [r.ref for r in sender.sent] == ["COMMUNE_REGISTRATION", "ANNUAL_THRESHOLD_CHECK"]
    assert set(statuses(store.path).values()) == {"sent"}


async def test_a_doubtful_send_is_recorded_and_never_repeated(
    store: AsyncSessionStore, clock: FakeClock
) -> None:
    opted_in_session(store.path, "12", clock)
    scheduler, sender = scheduling(store, clock, "uncertain")
    clock.at(date(2027, 3, 10))
    assert (await scheduler.tick())["uncertain"] == 1
    clock.at(date(2027, 3, 11))
    assert sum((await scheduler.tick()).values()) == 0
    assert statuses(store.path)["COMMUNE_REGISTRATION"] == "uncertain" and len(sender.sent) == 1


async def test_a_send_that_surely_failed_is_tried_again_later(
    store: AsyncSessionStore, clock: FakeClock
) -> None:
    opted_in_session(store.path, "13", clock)
    scheduler, sender = scheduling(store, clock, "retry")
    clock.at(date(2027, 3, 6))
    assert (await scheduler.tick())["retry"] == 1
    assert sum((await scheduler.tick()).values()) == 0  # not at once
    clock.now += timedelta(minutes=11)
    assert (await scheduler.tick())["sent"] == 1
    assert [r.ref for r in sender.sent] == ["COMMUNE_REGISTRATION"] * 2


async def test_a_blocked_bot_cancels_all_the_persons_reminders(
    store: AsyncSessionStore, clock: FakeClock
) -> None:
    opted_in_session(store.path, "14", clock)
    scheduler, _sender = scheduling(store, clock, "blocked")
    clock.at(date(2027, 3, 6))
    assert (await scheduler.tick())["blocked"] == 1
    clock.at(date(2028, 1, 2))
    assert sum((await scheduler.tick()).values()) == 0
    assert statuses(store.path) == {"COMMUNE_REGISTRATION": "failed", "ANNUAL_THRESHOLD_CHECK": "cancelled"}
    assert not await store.has_reminder_consent(1)


async def test_a_crash_while_sending_leaves_it_uncertain(store: AsyncSessionStore, clock: FakeClock) -> None:
    opted_in_session(store.path, "15", clock)
    clock.at(date(2027, 3, 6))
    due = await store.due_reminders(clock(), 10)
    assert await store.claim_reminder(due[0].id)  # claimed; the process dies before it learns more
    scheduler, sender = scheduling(store, clock)
    assert await scheduler.recover() == 1
    assert sum((await scheduler.tick()).values()) == 0 and sender.sent == []
    assert statuses(store.path)["COMMUNE_REGISTRATION"] == "uncertain"


async def test_opting_out_and_cancelling_one(store: AsyncSessionStore, clock: FakeClock) -> None:
    opted_in_session(store.path, "16", clock)
    opted_in_session(store.path, "17", clock)
    first = await store.user_reminders("telegram", "16")
    assert [r.ref for r in first] == ["COMMUNE_REGISTRATION", "ANNUAL_THRESHOLD_CHECK"]
    assert not await store.cancel_reminder("telegram", "17", first[0].id), "not someone else's"
    assert await store.cancel_reminder("telegram", "16", first[0].id)
    assert await store.withdraw_reminders("telegram", "17") == 2
    scheduler, sender = scheduling(store, clock)
    clock.at(date(2028, 1, 1))
    await scheduler.tick()
    assert [(r.user_key, r.ref) for r in sender.sent] == [("16", "ANNUAL_THRESHOLD_CHECK")]


async def test_an_erased_session_is_never_reminded(store: AsyncSessionStore, clock: FakeClock) -> None:
    opted_in_session(store.path, "18", clock)
    assert await store.erase_user("telegram", "18") > 0
    assert statuses(store.path) == {}
    sender = FakeSender()
    clock.at(date(2028, 1, 1))
    await ReminderScheduler(store, sender, channel="telegram", clock=clock).tick()
    assert sender.sent == []


def test_the_purge_keeps_a_session_until_its_last_reminder(tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "db.sqlite3"
    sid = opted_in_session(db, "19", clock)
    store = SessionStore(db, clock=clock)
    try:
        later = datetime(2027, 12, 1, tzinfo=UTC)
        store.purge_older_than(180, now=later)
        assert store.has_reminder_consent(sid), "kept: reminders are still due"
        store._db.execute("UPDATE reminders SET status = 'sent'")
        store.purge_older_than(180, now=later)
        assert not store.has_reminder_consent(sid)
        assert store._db.execute("SELECT COUNT(*) FROM reminders").fetchone()[0] == 0
    finally:
        store.close()


async def test_reminders_turned_off_wait_and_an_expired_one_is_dropped(
    store: AsyncSessionStore, clock: FakeClock
) -> None:
    opted_in_session(store.path, "20", clock)
    await store._call(store._store.set_reminders_enabled, False, "admin")
    scheduler, sender = scheduling(store, clock)
    clock.at(date(2027, 3, 20))  # the commune deadline (11 March) went by while reminders were off
    assert sum((await scheduler.tick()).values()) == 0
    await store._call(store._store.set_reminders_enabled, True, "admin")
    assert (await scheduler.tick())["expired"] == 1 and sender.sent == []
    clock.at(date(2028, 1, 1))
    assert (await scheduler.tick())["sent"] == 1


async def test_a_rules_change_is_noticed_once_per_version(store: AsyncSessionStore, clock: FakeClock) -> None:
    sid = opted_in_session(store.path, "21", clock)
    new = assessment("student")
    notice = PlannedReminder("rules", "2027.01-v2", TODAY, TODAY, {"changed": ["route"]})
    assert await store.notice_rules_change(sid, notice, new)
    assert not await store.notice_rules_change(sid, notice, new)
    assert (await store.latest_assessment(sid)) == new
    sender = FakeSender()
    clock.now = send_time(TODAY)
    await ReminderScheduler(store, sender, channel="telegram", clock=clock).tick()
    assert [(r.kind, r.params["changed"]) for r in sender.sent] == [("rules", ["route"])]
