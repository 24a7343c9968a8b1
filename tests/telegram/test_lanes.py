"""ChatLanes: chats side by side, one chat's updates strictly in order, bounded concurrency."""

from __future__ import annotations

import asyncio
import random

import pytest
from telegram import Update

from bot.telegram.lanes import ChatLanes, lane_key


def message_update(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "U"},
                "text": f"m{update_id}",
            },
        },
        None,
    )


class Recorder:
    """A fake ``process_update`` that sleeps a random short time and records what overlapped."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.done: list[tuple[int, int]] = []  # (chat, update id) in completion order
        self.running: dict[int, int] = {}
        self.peak = 0
        self.same_chat_overlap = False

    async def __call__(self, update: Update) -> None:
        assert update.effective_chat is not None
        chat = update.effective_chat.id
        self.same_chat_overlap |= chat in self.running
        self.running[chat] = update.update_id
        self.peak = max(self.peak, len(self.running))
        await asyncio.sleep(self.random.uniform(0, 0.003))
        del self.running[chat]
        self.done.append((chat, update.update_id))


def submit_all(lanes: ChatLanes, updates: list[Update]) -> None:
    """Hand over a batch as the poller does: every update queued at once."""
    for update in updates:
        lanes.submit(update)


@pytest.mark.parametrize("seed", range(5))
async def test_a_batch_keeps_each_chats_order_and_overlaps_chats(seed: int) -> None:
    rng = random.Random(seed)
    updates = [message_update(100 + n, rng.choice([1, 2, 3, 4, 5, 6])) for n in range(60)]
    recorder = Recorder(seed)
    lanes = ChatLanes(recorder, concurrency=4)
    submit_all(lanes, updates)
    await lanes.wait_idle()
    assert sorted(u for _, u in recorder.done) == [u.update_id for u in updates]
    for chat in {c for c, _ in recorder.done}:
        ids = [u for c, u in recorder.done if c == chat]
        assert ids == sorted(ids), f"chat {chat} out of order: {ids}"
    assert not recorder.same_chat_overlap
    assert 1 < recorder.peak <= 4


async def test_updates_arriving_one_by_one_wait_for_their_chat() -> None:
    recorder = Recorder(7)
    lanes = ChatLanes(recorder, concurrency=8)
    updates = [message_update(200 + n, 1 + n % 2) for n in range(20)]
    await asyncio.gather(*(lanes.process(u) for u in updates))
    assert not recorder.same_chat_overlap
    for chat in (1, 2):
        ids = [u for c, u in recorder.done if c == chat]
        assert ids == sorted(ids)
    assert recorder.peak == 2


async def test_a_failing_update_raises_for_its_caller_only() -> None:
    finished: list[int] = []

    async def process(update: Update) -> None:
        if update.update_id == 301:
            raise RuntimeError("boom")
        await asyncio.sleep(0.001)
        finished.append(update.update_id)

    lanes = ChatLanes(process)
    outcomes = await asyncio.gather(
        *(lanes.process(message_update(300 + n, n)) for n in range(5)), return_exceptions=True
    )
    assert [type(outcome).__name__ for outcome in outcomes] == [
        "NoneType", "RuntimeError", "NoneType", "NoneType", "NoneType"
    ]  # fmt: skip
    assert sorted(finished) == [300, 302, 303, 304]


def test_updates_without_chat_or_user_share_one_lane() -> None:
    unknown = Update.de_json({"update_id": 1}, None)  # a kind this PTB version does not know
    assert lane_key(unknown) == ("other",)
    assert lane_key(message_update(2, 42)) == ("chat", 42)
    with pytest.raises(ValueError):
        ChatLanes(lambda u: asyncio.sleep(0), concurrency=0)


async def test_a_batch_arriving_while_the_last_one_runs_still_keeps_each_chats_order() -> None:
    recorder = Recorder(11)
    lanes = ChatLanes(recorder, concurrency=4)
    first = [message_update(400 + n, 1 + n % 3) for n in range(12)]
    second = [message_update(500 + n, 1 + n % 3) for n in range(12)]
    submit_all(lanes, first)
    await asyncio.sleep(0.002)  # the first batch is under way
    submit_all(lanes, second)
    await lanes.wait_idle()
    for chat in (1, 2, 3):
        ids = [u for c, u in recorder.done if c == chat]
        assert ids == sorted(ids), f"chat {chat} out of order: {ids}"
    assert not recorder.same_chat_overlap
    assert lanes.busy == 0


async def test_submitted_updates_report_when_they_are_handled() -> None:
    outcomes: list[tuple[int, BaseException | None]] = []

    async def process(update: Update) -> None:
        await asyncio.sleep(0)
        if update.update_id == 602:
            raise RuntimeError("boom")

    lanes = ChatLanes(process)
    for n in range(4):
        update = message_update(600 + n, 7)
        lanes.submit(update, lambda error, u=update.update_id: outcomes.append((u, error)))
    assert lanes.busy == 4
    await lanes.wait_idle()
    assert [u for u, _ in outcomes] == [600, 601, 602, 603]
    assert [type(e).__name__ for _, e in outcomes] == ["NoneType", "NoneType", "RuntimeError", "NoneType"]
    assert lanes.busy == 0
