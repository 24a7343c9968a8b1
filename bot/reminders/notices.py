"""Notices when a rules pack changes a saved result (issue 15, with the rules packs of issue 14).

When the bot's pack follower puts a new pack in force, every result whose person agreed to reminders
is assessed again with its answers under that pack (as ``guichet rules diff`` does); where the route,
the family outcome or the points an adviser must check differ, the new result is saved and a notice
scheduled, once per session and pack version. A result already assessed under that version is left
alone, so a restart costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

from bot.engine import Assessment, assess
from bot.operators.review import rebuild_answers
from bot.reminders.plan import PlannedReminder
from bot.rules.diff import Outcome
from bot.store import AsyncSessionStore

log = logging.getLogger(__name__)
HEADLINES = ("route", "family", "review")


def reassess(state: dict[str, Any], on: date) -> Assessment | None:
    """The session's answers assessed again under the pack in force; None when they cannot be read."""
    try:
        return assess(rebuild_answers(state).answers, on=on)
    except Exception as error:  # a state no answers can be rebuilt from: no notice, never a guess
        log.info("a saved result could not be assessed again (%s)", type(error).__name__)
        return None


def changed_headlines(before: Assessment, after: Assessment) -> list[str]:
    """Which of the route, the family outcome and the review points differ."""
    old, new = Outcome.of(before), Outcome.of(after)
    return [name for name in HEADLINES if getattr(old, name) != getattr(new, name)]


async def notice_rules_change(store: AsyncSessionStore, version: str, on: date) -> int:
    """Schedule a notice for each opted-in result that pack ``version`` (now in force) changes; returns
    how many were scheduled. Assessing runs on a worker thread, off the turn path."""
    scheduled = 0
    for session_id, state, saved in await store.opted_in_results():
        if saved is None or saved.rules_version == version:
            continue
        fresh = await asyncio.to_thread(reassess, state, on)
        if fresh is None or fresh.rules_version != version:
            continue
        changed = changed_headlines(saved, fresh)
        if not changed:
            continue
        notice = PlannedReminder("rules", version, on, on, {"changed": changed})
        if await store.notice_rules_change(session_id, notice, fresh):
            scheduled += 1
    if scheduled:
        log.info("rules pack %s changes %d results: notices scheduled", version, scheduled)
    return scheduled
