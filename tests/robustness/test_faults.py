"""Fault injection: the Bot API answers 429, 500/502, resets, times out or is slow; the bot recovers.

Each test has a clean user (no fault) and a faulty user send the same two updates (``/start``,
then an answer); the faulty user's reply goes through the fault. Then:

- the answer is stored and the update recorded as processed (nothing acknowledged is lost);
- the bot never sends the same message twice in a row (no reply doubled by a retry);
- where the fault is transient and visible to the bot, the faulty user sees exactly what the clean
  user saw (the reply arrives, once) — also after a reset or a timeout, which the transport
  confirms (the reply found delivered) or resolves by sending once more (bot/telegram/transport.py).
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import text
from bot.store import SessionStore
from tests.telegram.bot_harness import current_state, running_bot
from tests.telegram.emulator import BotApiEmulator, FakeUser

ANSWER = "India"
CLEAN, FAULTY = FakeUser(7001, language_code="en"), FakeUser(7002, language_code="en")


def texts(emu: BotApiEmulator, user: FakeUser) -> list[str]:
    return [m.text for m in emu.sent_messages(user.id)]


def doubled(emu: BotApiEmulator, user: FakeUser) -> list[str]:
    """Messages sent twice in a row to the user (same text and buttons)."""
    sent = emu.sent_messages(user.id)
    return [b.text for a, b in itertools.pairwise(sent) if (a.text, a.buttons) == (b.text, b.buttons)]


async def settle(emu: BotApiEmulator, seconds: float = 0.3) -> None:
    """Wait until every update is confirmed and nothing more is sent for ``seconds``."""
    await emu.wait_until_idle(timeout=30)
    count = -1
    while count != len(emu.calls()):
        count = len(emu.calls())
        await asyncio.sleep(seconds)
    await emu.wait_until_idle(timeout=30)


def stored_answer(db: Path, user: FakeUser) -> Any:
    state = current_state(db, user.id)
    return None if state is None else state.answers.get("nationalities")


def processed(db: Path, update_ids: list[int]) -> list[bool]:
    store = SessionStore(db)
    try:
        return [store.is_processed(u) for u in update_ids]
    finally:
        store.close()


async def clean_then_faulty(
    emu: BotApiEmulator, db: Path, method: str, kind: str, **fault: Any
) -> tuple[list[str], list[int]]:
    """The clean user's messages; the faulty user's update ids (fault injected before the answer)."""
    for user in (CLEAN, FAULTY):
        emu.user_sends_command(user, "/start")
        await settle(emu)
    emu.user_sends_text(CLEAN, ANSWER)
    await settle(emu)
    emu.inject_fault(method, kind, **fault)  # type: ignore[arg-type]
    updates = [int(emu.user_sends_text(FAULTY, ANSWER)["update_id"])]
    await settle(emu)
    return texts(emu, CLEAN), updates


def assert_nothing_lost_or_doubled(emu: BotApiEmulator, db: Path, updates: list[int]) -> None:
    assert stored_answer(db, FAULTY) is not None, "the acknowledged answer was lost"
    assert all(processed(db, updates)), "an update was confirmed without being processed"
    assert doubled(emu, FAULTY) == [], "a reply was sent twice"


# -- sendMessage ---------------------------------------------------------------------------------

RECOVERED: list[Any] = [
    pytest.param("rate_limit", {"retry_after": 1}, id="429-retry-after"),
    pytest.param("rate_limit", {"retry_after": 1, "count": 3}, id="429-three-times"),
    pytest.param("delay", {"seconds": 1.5}, id="slow-1.5s"),
    pytest.param("delay", {"seconds": 0.5, "count": 3}, id="slow-three-calls"),
    pytest.param("server_error", {"status": 500}, id="500"),  # surely not sent: retried
    pytest.param("server_error", {"status": 502}, id="502"),
    pytest.param("server_error", {"status": 500, "count": 3}, id="500-three-times"),
]
UNCERTAIN: list[Any] = [
    pytest.param("reset", {}, id="reset"),
    pytest.param("timeout", {"seconds": 1.0}, id="timeout"),
]


@pytest.mark.parametrize(("kind", "fault"), RECOVERED)
async def test_send_message_fault_the_bot_rides_out(
    emu: BotApiEmulator, tmp_path: Path, kind: str, fault: dict[str, Any]
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        clean, updates = await clean_then_faulty(emu, settings.db_path, "sendMessage", kind, **fault)
        assert_nothing_lost_or_doubled(emu, settings.db_path, updates)
        assert texts(emu, FAULTY) == clean, "the reply did not arrive exactly once"


@pytest.mark.parametrize(("kind", "fault"), UNCERTAIN)
async def test_send_message_failure_keeps_the_answer_and_doubles_nothing(
    emu: BotApiEmulator, tmp_path: Path, kind: str, fault: dict[str, Any]
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        _, updates = await clean_then_faulty(emu, settings.db_path, "sendMessage", kind, **fault)
        assert_nothing_lost_or_doubled(emu, settings.db_path, updates)


@pytest.mark.parametrize(("kind", "fault"), UNCERTAIN)
async def test_send_message_failure_still_delivers_the_reply(
    emu: BotApiEmulator, tmp_path: Path, kind: str, fault: dict[str, Any]
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        clean, _ = await clean_then_faulty(emu, settings.db_path, "sendMessage", kind, **fault)
        assert texts(emu, FAULTY) == clean


@pytest.mark.parametrize("kind", ["reset", "timeout"])
async def test_send_message_delivered_but_unheard_is_not_sent_twice(
    emu: BotApiEmulator, tmp_path: Path, kind: str
) -> None:
    """``after=True``: Telegram delivered the message but the bot never heard back."""
    async with running_bot(emu, tmp_path) as settings:
        clean, updates = await clean_then_faulty(
            emu, settings.db_path, "sendMessage", kind, after=True, seconds=1.0
        )
        assert_nothing_lost_or_doubled(emu, settings.db_path, updates)
        got = texts(emu, FAULTY)
        assert got[: len(clean)] == clean, "the delivered reply is there, once"


async def test_send_message_delivered_but_unheard_sends_no_error(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        clean, _ = await clean_then_faulty(emu, settings.db_path, "sendMessage", "reset", after=True)
        assert texts(emu, FAULTY) == clean
        assert text("en", "telegram.error") not in texts(emu, FAULTY)


# -- getUpdates ----------------------------------------------------------------------------------

POLL_FAULTS: list[Any] = [
    pytest.param("reset", {"count": 2}, id="reset-twice"),
    pytest.param("reset", {"after": True}, id="reset-after-delivery"),
    pytest.param("timeout", {"seconds": 1.0}, id="timeout"),
    pytest.param("timeout", {"seconds": 1.0, "after": True}, id="timeout-after-delivery"),
    pytest.param("server_error", {"status": 502, "count": 2}, id="502-twice"),
    pytest.param("server_error", {"status": 500}, id="500"),
    pytest.param("rate_limit", {"retry_after": 1}, id="429"),
    pytest.param("delay", {"seconds": 1.0}, id="slow"),
]


@pytest.mark.parametrize(("kind", "fault"), POLL_FAULTS)
async def test_get_updates_fault_the_bot_recovers_from(
    emu: BotApiEmulator, tmp_path: Path, kind: str, fault: dict[str, Any]
) -> None:
    async with running_bot(emu, tmp_path) as settings:
        for user in (CLEAN, FAULTY):
            emu.user_sends_command(user, "/start")
        await settle(emu)
        for words in (ANSWER, "/back", ANSWER):
            emu.user_sends_text(CLEAN, words)
            await settle(emu)
        # The poll in flight returns the first update; the next polls fail, while the user writes on.
        emu.inject_fault("getUpdates", kind, **fault)  # type: ignore[arg-type]
        first = int(emu.user_sends_text(FAULTY, ANSWER)["update_id"])
        await asyncio.sleep(0.2)
        rest = [int(emu.user_sends_text(FAULTY, words)["update_id"]) for words in ("/back", ANSWER)]
        updates = [first, *rest]
        await emu.wait_for(lambda: all(processed(settings.db_path, updates)), timeout=20)
        await settle(emu)
        assert_nothing_lost_or_doubled(emu, settings.db_path, updates)
        assert texts(emu, FAULTY) == texts(emu, CLEAN), "each update answered once, in order"


async def test_redelivered_update_gets_no_second_reply(emu: BotApiEmulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as settings:
        emu.user_sends_command(FAULTY, "/start")
        await settle(emu)
        update = int(emu.user_sends_text(FAULTY, ANSWER)["update_id"])
        await settle(emu)
        before = texts(emu, FAULTY)
        emu.redeliver(update)
        emu.redeliver(update)
        await settle(emu)
        assert texts(emu, FAULTY) == before
        assert stored_answer(settings.db_path, FAULTY) is not None
