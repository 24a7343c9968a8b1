"""AsyncSessionStore: every call on one DB thread, concurrent callers from asyncio, clean shutdown."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.engine import Assessment, FamilyResult, RouteResult
from bot.store import AsyncSessionStore, DuplicateUpdateError, SessionStore
from bot.store.records import InboxBatch, TurnRecord

USERS = 20
TURNS = 15


async def _conversation(store: AsyncSessionStore, user: int) -> int:
    """One user's turns, one after the other, as a Telegram handler would save them."""
    session_id = 0
    for turn in range(TURNS):
        update_id = user * 1000 + turn
        assert not await store.is_processed(update_id)
        session_id = await store.save_turn(
            "telegram",
            str(user),
            {"turn": turn},
            lang="fr",
            answers=[(f"field_{turn}", user)],
            incoming=f"u{user} t{turn}",
            outgoing=[f"reply u{user} t{turn}"],
            update_id=update_id,
        )
        await asyncio.sleep(0)
    return session_id


async def test_concurrent_users_from_asyncio(tmp_path: Path) -> None:
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        session_ids = await asyncio.gather(*(_conversation(store, user) for user in range(USERS)))
        assert len(set(session_ids)) == USERS
        for user, session_id in enumerate(session_ids):
            loaded = await store.load_state("telegram", str(user))
            assert loaded is not None and (loaded.id, loaded.state) == (session_id, {"turn": TURNS - 1})
            answers = await store.get_answers(session_id)
            assert [(a.seq, a.field, a.value) for a in answers] == [
                (turn + 1, f"field_{turn}", user) for turn in range(TURNS)
            ]
            lines = await store.get_transcript(session_id)
            assert [line.text for line in lines] == [
                text for turn in range(TURNS) for text in (f"u{user} t{turn}", f"reply u{user} t{turn}")
            ]


async def test_the_same_update_delivered_twice_at_once_is_saved_once(tmp_path: Path) -> None:
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        results = await asyncio.gather(
            *(
                store.save_turn("telegram", "1", {}, lang="nl", incoming="hallo", update_id=555)
                for _ in range(5)
            ),
            return_exceptions=True,
        )
        assert sum(isinstance(r, int) for r in results) == 1
        assert sum(isinstance(r, DuplicateUpdateError) for r in results) == 4
        session = await store.load_state("telegram", "1")
        assert session is not None
        assert [line.text for line in await store.get_transcript(session.id)] == ["hallo"]


async def test_all_calls_run_on_one_thread_that_is_not_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[int] = set()
    original = SessionStore.save_turns

    def spying_save_turns(self: SessionStore, *args: object, **kwargs: object) -> list[int | Exception]:
        threads.add(threading.get_ident())
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SessionStore, "save_turns", spying_save_turns)
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        await asyncio.gather(*(store.save_turn("console", f"u{i}", {}, lang="en") for i in range(30)))
    assert len(threads) == 1
    assert threading.get_ident() not in threads


async def test_every_method_is_available(tmp_path: Path) -> None:
    store = AsyncSessionStore(tmp_path / "g.sqlite3")
    try:
        sid = await store.new_session("telegram", "9", lang="en", invite_token=None)
        await store.save_turn("telegram", "9", {"q": 1}, lang="en", answers=[("a", 1)])
        assessment = Assessment(
            rules_version="v",
            reference_date=date(2025, 1, 1),
            routes=[RouteResult(code="NO_ROUTE", rule="R-NONE", status="not_met")],
            route_code="NO_ROUTE",
            family=FamilyResult(),
        )
        await store.save_assessment(sid, assessment)
        assert await store.latest_assessment(sid) == assessment
        token = await store.create_invite("ACME", {"region": "wallonia"})
        assert (await store.get_invite(token)) is not None
        assert [i.token for i in await store.list_invites()] == [token]
        assert await store.revoke_invite(token)
        assert await store.purge_older_than(365) == 0
        assert await store.erase_user("telegram", "9") == 3  # the session, its answer and its assessment
    finally:
        await store.close()


async def test_a_cancelled_caller_does_not_tear_a_turn(tmp_path: Path) -> None:
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        task = asyncio.create_task(
            store.save_turn("telegram", "1", {}, lang="fr", answers=[("a", 1), ("b", 2)], incoming="x")
        )
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        session = await store.load_state("telegram", "1")
        if session is not None:  # the call had started: it finished whole
            assert len(await store.get_answers(session.id)) == 2
            assert len(await store.get_transcript(session.id)) == 1


def test_opening_errors_surface_at_once(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        AsyncSessionStore(blocker / "g.sqlite3")


async def test_a_large_purge_goes_in_batches_with_turns_served_between(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.async_store.PURGE_BATCH", 50)
    old, recent = datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    path = tmp_path / "g.sqlite3"
    for clock, users in ((old, range(0, 420)), (recent, range(1000, 1005))):
        sync = SessionStore(path, clock=lambda clock=clock: clock)
        try:
            for user in users:
                sync.save_turn("telegram", str(user), {}, lang="en", incoming="hi", update_id=user)
        finally:
            sync.close()
    async with AsyncSessionStore(path, clock=lambda: datetime(2026, 11, 23, tzinfo=UTC)) as store:
        purge = asyncio.create_task(store.purge_older_than(180))
        await asyncio.sleep(0)  # the purge has sent its first batch to the DB thread
        await store.save_turn("telegram", "2000", {}, lang="en", update_id=2000)
        assert not purge.done(), "a turn waited for the whole purge"
        deleted = await purge
    # Each old session: its row, its transcript line and its processed-update record.
    assert deleted == 420 * 3
    check = SessionStore(path)
    try:
        assert check.load_state("telegram", "0") is None
        assert all(check.load_state("telegram", str(u)) is not None for u in (*range(1000, 1005), 2000))
        assert check.is_processed(1000) and not check.is_processed(0)
    finally:
        check.close()


async def test_check_update_follows_an_update_from_new_to_delivered(tmp_path: Path) -> None:
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        fresh = await store.check_update("telegram", "5", 77)
        assert (fresh.processed, fresh.undelivered, fresh.session) == (False, False, None)
        await store.save_turn("telegram", "5", {"current": "dob"}, lang="nl", update_id=77)
        saved = await store.check_update("telegram", "5", 77)
        assert (saved.processed, saved.undelivered) == (True, True)
        assert saved.session is not None and saved.session.state == {"current": "dob"}
        for update_id in (77, 78):  # 78 was never processed: marking it changes nothing
            await store.mark_delivered(update_id)
        # Marks are not awaited, but every later call sees them.
        sent = await store.check_update("telegram", "5", 77)
        assert (sent.processed, sent.undelivered) == (True, False)
        assert not (await store.check_update("telegram", "5", 78)).processed
        await store.mark_delivered(79)  # queued last: written before the store closes
    check = SessionStore(tmp_path / "g.sqlite3")
    try:
        assert check.check_update("telegram", "6", 77).session is None  # another user
    finally:
        check.close()


async def _hold_db_thread(store: AsyncSessionStore, gate: threading.Event) -> asyncio.Future[bool]:
    """Keep the DB thread busy until ``gate`` is set, so that calls made meanwhile queue up."""
    held = asyncio.ensure_future(store._call(gate.wait))
    await asyncio.sleep(0.05)
    return held


async def test_turns_queued_together_are_committed_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    groups: list[int] = []
    original = SessionStore.save_turns

    def counting_save_turns(
        self: SessionStore, turns: list[object], **kwargs: object
    ) -> list[int | Exception]:
        groups.append(len(turns))
        return original(self, turns, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SessionStore, "save_turns", counting_save_turns)
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        gate = threading.Event()
        held = await _hold_db_thread(store, gate)
        saves = [
            asyncio.create_task(
                store.save_turn("telegram", str(user), {"n": user}, lang="en", update_id=user)
            )
            for user in range(30)
        ]
        duplicate = asyncio.create_task(store.save_turn("telegram", "99", {}, lang="en", update_id=7))
        cancelled = asyncio.create_task(store.save_turn("telegram", "98", {}, lang="en", update_id=98))
        await asyncio.sleep(0.05)
        cancelled.cancel()
        gate.set()
        await held
        session_ids = await asyncio.gather(*saves)
        with pytest.raises(DuplicateUpdateError):
            await duplicate
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        assert groups == [31]  # the cancelled turn was left out before the group started
        assert len(set(session_ids)) == 30
        for user in range(30):
            stored = await store.load_state("telegram", str(user))
            assert stored is not None and stored.state == {"n": user}
        assert await store.load_state("telegram", "99") is None  # the duplicate wrote nothing
        assert await store.load_state("telegram", "98") is None


async def test_a_failed_group_fails_every_turn_in_it_and_the_next_group_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SessionStore.save_turns
    failures = iter([True])

    def failing_once(self: SessionStore, *args: object, **kwargs: object) -> list[int | Exception]:
        if next(failures, False):
            raise sqlite3.OperationalError("disk I/O error")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SessionStore, "save_turns", failing_once)
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        gate = threading.Event()
        held = await _hold_db_thread(store, gate)
        saves = [
            asyncio.create_task(store.save_turn("telegram", str(user), {}, lang="en", update_id=user))
            for user in range(3)
        ]
        await asyncio.sleep(0.05)
        gate.set()
        await held
        outcomes = await asyncio.gather(*saves, return_exceptions=True)
        assert all(isinstance(outcome, sqlite3.OperationalError) for outcome in outcomes)
        assert await store.save_turn("telegram", "0", {}, lang="en", update_id=0) > 0


def test_save_turns_keeps_each_turn_whole_and_reports_each_error_in_place(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "g.sqlite3")
    try:
        store.save_turn("telegram", "1", {"v": 0}, lang="en", incoming="old", update_id=10)
        results = store.save_turns(
            [
                TurnRecord("telegram", "1", {"v": 1}, "en", answers=[("a", 1)], incoming="x", update_id=11),
                TurnRecord("telegram", "2", {"v": 2}, "en", answers=[("b", 2)], incoming="y", update_id=10),
                TurnRecord("telegram", "3", {"v": 3}, "en", status="bogus", incoming="z", update_id=12),
                TurnRecord("telegram", "4", {"v": 4}, "en", incoming="w", update_id=13),
            ],
            delivered=[10],
        )
        assert isinstance(results[0], int) and isinstance(results[3], int)
        assert isinstance(results[1], DuplicateUpdateError)
        assert isinstance(results[2], ValueError)
        first = store.load_state("telegram", "1")
        assert first is not None and first.state == {"v": 1}
        assert [line.text for line in store.get_transcript(first.id)] == ["old", "x"]
        assert [(a.field, a.value) for a in store.get_answers(first.id)] == [("a", 1)]
        assert store.load_state("telegram", "2") is None and store.load_state("telegram", "3") is None
        assert not store.is_processed(12)
        assert store.is_processed(13)
        assert not store.check_update("telegram", "1", 10).undelivered  # the mark went in too
        assert store.check_update("telegram", "1", 11).undelivered
    finally:
        store.close()


def test_the_inbox_keeps_batches_until_they_are_handled(tmp_path: Path) -> None:
    first, second = InboxBatch(10, 10, '[{"update_id": 10}]'), InboxBatch(11, 12, '[{"update_id": 11}]')
    store = SessionStore(tmp_path / "g.sqlite3")
    try:
        store.add_to_inbox(second, first)
        store.add_to_inbox(first)  # the same batch again (Telegram sent it twice): kept once
        assert store.inbox() == [first, second]
        store.save_turns(
            [TurnRecord("telegram", "1", {}, "en", update_id=10)],
            inbox=[InboxBatch(13, 13, "[]")],
            handled=[first],
        )
        assert [batch.first_update_id for batch in store.inbox()] == [11, 13]
        store.remove_from_inbox(second)
        assert [batch.first_update_id for batch in store.inbox()] == [13]
    finally:
        store.close()


async def test_an_inbox_batch_is_committed_with_the_group_and_removed_later(tmp_path: Path) -> None:
    batch = InboxBatch(20, 21, "[]")
    async with AsyncSessionStore(tmp_path / "g.sqlite3") as store:
        gate = threading.Event()
        held = await _hold_db_thread(store, gate)
        written = store.add_to_inbox(batch)
        saved = asyncio.create_task(store.save_turn("telegram", "1", {}, lang="en", update_id=20))
        await asyncio.sleep(0.02)
        assert not written.done()  # not committed while the DB thread is busy
        gate.set()
        await held
        await written
        await saved
        assert await store.inbox() == [batch]
        store.remove_from_inbox(batch)
        assert await store.inbox() == []  # queued before this read: written first


def test_an_inbox_batch_older_than_the_retention_period_is_purged(tmp_path: Path) -> None:
    old = datetime(2025, 1, 1, tzinfo=UTC)
    store = SessionStore(tmp_path / "g.sqlite3", clock=lambda: old)
    try:
        store.add_to_inbox(InboxBatch(1, 1, '[{"update_id": 1, "message": {"text": "personal"}}]'))
        assert store.purge_older_than(180, now=datetime(2026, 11, 23, tzinfo=UTC)) == 1
        assert store.inbox() == []
    finally:
        store.close()
