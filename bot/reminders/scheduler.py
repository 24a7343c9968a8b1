"""The durable reminder scheduler: every tick, the due reminders are read from the store, each is
claimed (committed as ``sending``), sent, and its outcome recorded. It runs as its own task, never
inside a turn; the clock is injected (tests move it, nothing sleeps).

Sending is the channel's business (:data:`Send`): it reports how the send ended. ``blocked`` (the
person blocked the bot) cancels all their reminders; ``retry`` (surely not sent: a 5xx, a 429 after
the rate limiter's own retries) schedules it again a little later; ``uncertain`` (a reset or a
timeout after the request left) is recorded and never sent again, as on the turn path.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Literal

from bot.reminders.plan import BRUSSELS
from bot.store import AsyncSessionStore
from bot.store.records import Clock, utc_now
from bot.store.reminders import Reminder

SendOutcome = Literal["sent", "uncertain", "blocked", "retry", "failed"]
Send = Callable[[Reminder], Awaitable[SendOutcome]]

BATCH = 20  # at most this many reminders per tick …
EVERY_S = 30.0  # … a tick every 30 s, or after 1 s while a backlog remains: at most 20 a second, so
BACKLOG_EVERY_S = 1.0  # reminders leave most of Telegram's 30 messages/s to the conversations
RETRY_AFTER = timedelta(minutes=10)

log = logging.getLogger(__name__)


class ReminderScheduler:
    """Sends due reminders from the store, each at most once."""

    def __init__(
        self,
        store: AsyncSessionStore,
        send: Send,
        *,
        channel: str,
        clock: Clock = utc_now,
        batch: int = BATCH,
    ) -> None:
        self.store, self.send, self.channel, self.clock, self.batch = store, send, channel, clock, batch

    async def recover(self) -> int:
        """After a crash: reminders claimed but not settled are recorded as uncertain."""
        count = await self.store.recover_reminders()
        if count:
            log.warning("%d reminders were being sent when the bot stopped: recorded as uncertain", count)
        return count

    async def tick(self) -> Counter[str]:
        """Send what is due now (at most one batch); returns how each send ended."""
        now = self.clock()
        today = now.astimezone(BRUSSELS).date()
        outcomes: Counter[str] = Counter()
        for reminder in await self.store.due_reminders(now, self.batch):
            if reminder.channel != self.channel or not await self.store.claim_reminder(reminder.id):
                continue
            if reminder.kind != "rules" and date.fromisoformat(reminder.event_date) < today:
                outcomes["expired"] += 1  # held back (reminders were off): its date is over
                await self.store.finish_reminder(reminder.id, "cancelled")
                continue
            outcome = await self._send(reminder)
            outcomes[outcome] += 1
            await self._record(reminder, outcome, now)
        return outcomes

    async def _send(self, reminder: Reminder) -> SendOutcome:
        try:
            return await self.send(reminder)
        except Exception as error:  # the message may have gone out: never sent again
            log.error("reminder %d: sending failed unexpectedly (%s)", reminder.id, type(error).__name__)
            return "uncertain"

    async def _record(self, reminder: Reminder, outcome: SendOutcome, now: datetime) -> None:
        if outcome == "blocked":
            await self.store.finish_reminder(reminder.id, "failed")
            await self.store.withdraw_reminders(reminder.channel, reminder.user_key)
        elif outcome == "retry":
            await self.store.finish_reminder(reminder.id, "scheduled", retry_at=now + RETRY_AFTER)
        else:
            await self.store.finish_reminder(reminder.id, outcome)

    async def run(self, stop: asyncio.Event, every_s: float = EVERY_S) -> None:
        """Recover, then tick until ``stop``; a failed tick is logged and tried again next time."""
        await self.recover()
        while not stop.is_set():
            try:
                sent = sum((await self.tick()).values())
            except Exception as error:
                log.error("reminder tick failed: %s", type(error).__name__)
                sent = 0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), BACKLOG_EVERY_S if sent >= self.batch else every_s)
