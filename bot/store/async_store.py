"""AsyncSessionStore: the same API for asyncio code, every call run on one dedicated DB thread."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from bot.engine.assessment import Assessment
from bot.store.records import (
    IN_PROGRESS,
    Clock,
    InboxBatch,
    Invite,
    StoredAnswer,
    StoredSession,
    TranscriptLine,
    TurnRecord,
    UpdateCheck,
    utc_now,
)
from bot.store.sessions import SessionStore

log = logging.getLogger(__name__)
PURGE_BATCH = 500
P = ParamSpec("P")
T = TypeVar("T")


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

    async def _call(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(method, *args, **kwargs))

    async def load_state(self, channel: str, user_key: str) -> StoredSession | None:
        """See :meth:`SessionStore.load_state`."""
        return await self._call(self._store.load_state, channel, user_key)

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

    async def is_processed(self, update_id: int) -> bool:
        """See :meth:`SessionStore.is_processed`."""
        return await self._call(self._store.is_processed, update_id)

    async def create_handoff(self, session_id: int, operator_chat_id: int, operator_message_id: int) -> None:
        """See :meth:`SessionStore.create_handoff`."""
        await self._call(self._store.create_handoff, session_id, operator_chat_id, operator_message_id)

    async def find_handoff(self, operator_chat_id: int, operator_message_id: int) -> StoredSession | None:
        """See :meth:`SessionStore.find_handoff`."""
        return await self._call(self._store.find_handoff, operator_chat_id, operator_message_id)

    async def append_transcript(self, session_id: int, direction: str, text: str) -> None:
        """See :meth:`SessionStore.append_transcript`."""
        await self._call(self._store.append_transcript, session_id, direction, text)

    async def record_update(self, update_id: int) -> bool:
        """See :meth:`SessionStore.record_update`."""
        return await self._call(self._store.record_update, update_id)

    async def check_update(self, channel: str, user_key: str, update_id: int) -> UpdateCheck:
        """See :meth:`SessionStore.check_update`."""
        return await self._call(self._store.check_update, channel, user_key, update_id)

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

    async def inbox(self) -> list[InboxBatch]:
        """See :meth:`SessionStore.inbox`."""
        return await self._call(self._store.inbox)

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

    async def new_session(
        self, channel: str, user_key: str, *, lang: str, invite_token: str | None = None
    ) -> int:
        """See :meth:`SessionStore.new_session`."""
        return await self._call(
            self._store.new_session, channel, user_key, lang=lang, invite_token=invite_token
        )

    async def save_assessment(self, session_id: int, assessment: Assessment) -> None:
        """See :meth:`SessionStore.save_assessment`."""
        await self._call(self._store.save_assessment, session_id, assessment)

    async def latest_assessment(self, session_id: int) -> Assessment | None:
        """See :meth:`SessionStore.latest_assessment`."""
        return await self._call(self._store.latest_assessment, session_id)

    async def get_answers(self, session_id: int) -> list[StoredAnswer]:
        """See :meth:`SessionStore.get_answers`."""
        return await self._call(self._store.get_answers, session_id)

    async def get_transcript(self, session_id: int) -> list[TranscriptLine]:
        """See :meth:`SessionStore.get_transcript`."""
        return await self._call(self._store.get_transcript, session_id)

    async def erase_user(self, channel: str, user_key: str) -> int:
        """See :meth:`SessionStore.erase_user`."""
        return await self._call(self._store.erase_user, channel, user_key)

    async def purge_older_than(self, days: int, now: datetime | None = None) -> int:
        """See :meth:`SessionStore.purge_older_than`; done in batches of :data:`PURGE_BATCH` sessions,
        so turns are served between them however much there is to delete."""
        deleted = 0
        while removed := await self._call(self._store.purge_older_than, days, now, batch=PURGE_BATCH):
            deleted += removed
        await self._call(self._store.checkpoint)
        return deleted

    async def create_invite(
        self, employer: str, prefill: dict[str, Any], *, expires_at: datetime | None = None
    ) -> str:
        """See :meth:`SessionStore.create_invite`."""
        return await self._call(self._store.create_invite, employer, prefill, expires_at=expires_at)

    async def get_invite(self, token: str, now: datetime | None = None) -> Invite | None:
        """See :meth:`SessionStore.get_invite`."""
        return await self._call(self._store.get_invite, token, now)

    async def list_invites(self) -> list[Invite]:
        """See :meth:`SessionStore.list_invites`."""
        return await self._call(self._store.list_invites)

    async def revoke_invite(self, token: str) -> bool:
        """See :meth:`SessionStore.revoke_invite`."""
        return await self._call(self._store.revoke_invite, token)

    async def close(self) -> None:
        """Close the store on its thread, then stop the thread (waiting for queued calls first)."""
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
