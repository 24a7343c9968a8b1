"""AsyncSessionStore: the same API for asyncio code, every call run on one dedicated DB thread."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.store.erasure import complete_in_background
from bot.store.records import (
    IN_PROGRESS,
    Clock,
    InboxBatch,
    TurnRecord,
    utc_now,
)
from bot.store.sessions import SessionStore

log = logging.getLogger(__name__)
PURGE_BATCH = 500
P = ParamSpec("P")
T = TypeVar("T")


def _on_db_thread(
    method: Callable[Concatenate[SessionStore, P], T],
) -> Callable[Concatenate[AsyncSessionStore, P], Coroutine[Any, Any, T]]:
    """The awaitable version of one :class:`SessionStore` method: same parameters, same result, run
    on the store's DB thread in the order of the calls."""

    async def call(self: AsyncSessionStore, /, *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(method, self._store, *args, **kwargs)
        )

    call.__name__ = method.__name__
    call.__qualname__ = f"AsyncSessionStore.{method.__name__}"
    call.__doc__ = f"See :meth:`SessionStore.{method.__name__}` (run on the DB thread)."
    return call


class AsyncSessionStore:
    """Awaitable wrapper of :class:`SessionStore`.

    The store is opened on, and only ever used from, a single-thread executor, so its sqlite3
    connection stays on its own thread and calls run one at a time in the order they were made.
    A call whose awaiting task is cancelled after it started still finishes (a turn is never torn).
    Turns, and "replies sent" marks (not awaited), are gathered and written together by the DB
    thread: one transaction for all those queued since its last group, in order with every other
    call.
    """

    def __init__(self, path: str | Path, *, clock: Clock = utc_now) -> None:
        """Open the store on its DB thread (blocks briefly while migrations run)."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guichet-db")
        try:
            self._store = self._executor.submit(SessionStore, path, clock=clock).result()
        except BaseException:
            self._executor.shutdown(wait=False)
            raise
        self.path = self._store.path
        self._queue_lock = threading.Lock()
        self._turns: list[tuple[TurnRecord, asyncio.Future[int]]] = []
        self._marks: list[int] = []
        self._inbox: list[tuple[InboxBatch, asyncio.Future[None]]] = []
        self._handled: list[InboxBatch] = []
        self._flush_scheduled = False
        self._clock = clock
        self._eraser: asyncio.Task[None] | None = None

    async def _call(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(method, *args, **kwargs))

    # Plain calls, each run on the DB thread in order (see _on_db_thread).
    load_state = _on_db_thread(SessionStore.load_state)
    is_processed = _on_db_thread(SessionStore.is_processed)
    check_update = _on_db_thread(SessionStore.check_update)
    create_handoff = _on_db_thread(SessionStore.create_handoff)
    find_handoff = _on_db_thread(SessionStore.find_handoff)
    append_transcript = _on_db_thread(SessionStore.append_transcript)
    record_update = _on_db_thread(SessionStore.record_update)
    inbox = _on_db_thread(SessionStore.inbox)
    new_session = _on_db_thread(SessionStore.new_session)
    save_assessment = _on_db_thread(SessionStore.save_assessment)
    latest_assessment = _on_db_thread(SessionStore.latest_assessment)
    get_answers = _on_db_thread(SessionStore.get_answers)
    get_transcript = _on_db_thread(SessionStore.get_transcript)
    create_invite = _on_db_thread(SessionStore.create_invite)
    get_invite = _on_db_thread(SessionStore.get_invite)
    list_invites = _on_db_thread(SessionStore.list_invites)
    revoke_invite = _on_db_thread(SessionStore.revoke_invite)
    share_result = _on_db_thread(SessionStore.share_result)
    inviting_employer = _on_db_thread(SessionStore.inviting_employer)
    withdraw_result_share = _on_db_thread(SessionStore.withdraw_result_share)
    result_share = _on_db_thread(SessionStore.result_share)
    pending_erasures = _on_db_thread(SessionStore.pending_erasures)
    agree_to_reminders = _on_db_thread(SessionStore.agree_to_reminders)
    schedule_reminders = _on_db_thread(SessionStore.schedule_reminders)
    has_reminder_consent = _on_db_thread(SessionStore.has_reminder_consent)
    user_reminders = _on_db_thread(SessionStore.user_reminders)
    cancel_reminder = _on_db_thread(SessionStore.cancel_reminder)
    withdraw_reminders = _on_db_thread(SessionStore.withdraw_reminders)
    due_reminders = _on_db_thread(SessionStore.due_reminders)
    claim_reminder = _on_db_thread(SessionStore.claim_reminder)
    finish_reminder = _on_db_thread(SessionStore.finish_reminder)
    recover_reminders = _on_db_thread(SessionStore.recover_reminders)
    opted_in_results = _on_db_thread(SessionStore.opted_in_results)
    notice_rules_change = _on_db_thread(SessionStore.notice_rules_change)

    async def erase_user(self, channel: str, user_key: str) -> int:
        """See :meth:`SessionStore.erase_user`. When a reader blocked the checkpoint, the erasure is
        completed in the background (retried on a connection of its own, never on the DB thread)."""
        deleted = await self._call(self._store.erase_user, channel, user_key)
        if await self._call(self._store.pending_erasures):
            self._complete_erasures_later()
        return deleted

    def _complete_erasures_later(self) -> None:
        if self._eraser is None or self._eraser.done():
            self._eraser = asyncio.get_running_loop().create_task(
                complete_in_background(self.path, self._clock), name="guichet-erasure"
            )

    async def save_turn(
        self,
        channel: str,
        user_key: str,
        state: dict[str, Any],
        *,
        lang: str,
        status: str = IN_PROGRESS,
        answers: Sequence[tuple[str, Any]] = (),
        incoming: str | None = None,
        outgoing: Sequence[str] = (),
        update_id: int | None = None,
        invite_token: str | None = None,
    ) -> int:
        """See :meth:`SessionStore.save_turn`. Turns queued while the DB thread is busy are saved
        together in one transaction (:meth:`SessionStore.save_turns`): one disk sync for all of
        them, each still whole or not at all, and each caller told only once its turn is committed."""
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        turn = TurnRecord(
            channel=channel,
            user_key=user_key,
            state=state,
            lang=lang,
            status=status,
            answers=answers,
            incoming=incoming,
            outgoing=outgoing,
            update_id=update_id,
            invite_token=invite_token,
        )
        self._queue(turn=(turn, done))
        return await done

    async def mark_delivered(self, update_id: int) -> None:
        """Queue "the replies to this update were sent"; written with the next group of turns, by
        the DB thread, before any call made after this one (a lost mark only means that a
        redelivery of this update would send the current question again)."""
        self._queue(mark=update_id)

    def add_to_inbox(self, batch: InboxBatch) -> asyncio.Future[None]:
        """Queue :meth:`SessionStore.add_to_inbox` now (so it is written before anything queued
        after it); the future completes once the batch is committed, with the group of turns
        being committed, if any."""
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue(inbox=(batch, written))
        return written

    def remove_from_inbox(self, batch: InboxBatch) -> None:
        """Queue :meth:`SessionStore.remove_from_inbox` (not awaited, like :meth:`mark_delivered`: a
        batch left behind is handled again after a restart, and its updates are recognised)."""
        self._queue(handled=batch)

    def _queue(
        self,
        *,
        turn: tuple[TurnRecord, asyncio.Future[int]] | None = None,
        mark: int | None = None,
        inbox: tuple[InboxBatch, asyncio.Future[None]] | None = None,
        handled: InboxBatch | None = None,
    ) -> None:
        with self._queue_lock:
            if turn is not None:
                self._turns.append(turn)
            if mark is not None:
                self._marks.append(mark)
            if inbox is not None:
                self._inbox.append(inbox)
            if handled is not None:
                self._handled.append(handled)
            scheduled, self._flush_scheduled = self._flush_scheduled, True
        if not scheduled:
            self._executor.submit(self._flush)

    def _flush(self) -> None:
        """On the DB thread: save every queued turn, mark and inbox change in one transaction, then
        settle the callers' futures on their event loop (one hand-over for the whole group)."""
        with self._queue_lock:
            queued, self._turns = self._turns, []
            marks, self._marks = self._marks, []
            inbox, self._inbox = self._inbox, []
            handled, self._handled = self._handled, []
            self._flush_scheduled = False
        turns = [(turn, done) for turn, done in queued if not done.cancelled()]  # cancelled before start
        if not (turns or marks or inbox or handled):
            return
        results: list[int | Exception]
        try:
            results = self._store.save_turns(
                [turn for turn, _ in turns],
                delivered=marks,
                inbox=[batch for batch, _ in inbox],
                handled=handled,
            )
            inbox_results: list[Exception | None] = [None] * len(inbox)
        except Exception as error:
            if marks or handled:  # never fatal: see mark_delivered and remove_from_inbox
                log.error(
                    "could not record %d sent replies and %d handled batches: %s",
                    len(marks),
                    len(handled),
                    type(error).__name__,
                )
            results = [error] * len(turns)
            inbox_results = [error] * len(inbox)
        futures: list[asyncio.Future[Any]] = [done for _, done in turns] + [written for _, written in inbox]
        if futures:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
                futures[0].get_loop().call_soon_threadsafe(_settle, futures, [*results, *inbox_results])

    async def purge_older_than(self, days: int, now: datetime | None = None) -> int:
        """See :meth:`SessionStore.purge_older_than`; done in batches of :data:`PURGE_BATCH` sessions,
        so turns are served between them however much there is to delete."""
        deleted = 0
        while removed := await self._call(self._store.purge_older_than, days, now, batch=PURGE_BATCH):
            deleted += removed
        await self._call(self._store.checkpoint)
        return deleted

    async def close(self) -> None:
        """Close the store on its thread, then stop the thread (waiting for queued calls first); a
        pending erasure's background retry stops (it resumes with :meth:`SessionStore` at the next
        checkpoint, e.g. the daily purge, or the next erasure)."""
        if self._eraser is not None:
            self._eraser.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._eraser
        try:
            await self._call(self._store.close)
        finally:
            self._executor.shutdown(wait=True)

    async def __aenter__(self) -> AsyncSessionStore:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def _settle(futures: list[asyncio.Future[Any]], results: list[Any]) -> None:
    for done, result in zip(futures, results, strict=True):
        if done.done():  # its caller was cancelled
            continue
        if isinstance(result, Exception):
            done.set_exception(result)
        else:
            done.set_result(result)
