"""SIGKILL the bot in the middle of many conversations under load, restart it: nothing lost, nothing
doubled, in polling and in webhook mode.

The bot runs as a real process (`python -m bot.cli run`) against the emulator. Users answer in
rounds; just before one round a crowd of other people sends /start (the load), and the process is
killed once some (not all) of the round's answers are committed. After a restart every conversation
continues from its last answered question, every update is processed exactly once and every answer
is stored once; every person of the crowd has been answered.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path
from typing import Literal

import pytest

from bot.i18n import text
from bot.store import SessionStore
from flows.interpret import choices
from flows.questions import QUESTIONS
from flows.session import RESULT, SUMMARY, SessionState
from tests.telegram.bot_harness import button_data, start_bot_process, stop_bot_process
from tests.telegram.conftest import fresh_token
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentMessage, free_port

Mode = Literal["polling", "webhook"]
USERS = 12
CROWD = 150
SCRIPT: dict[str, str] = {
    "nationalities": "India",
    "current_location": "abroad",
    "purposes": "1",  # typed: the first option, work for an employer
    "dob": "01/05/1990",
    "work_postcode": "1000",
    "employer_type": "belgian_employer",
    "qualification": "higher_ed_3y_plus",
    "salary_month_base": "5200",
    "contract_months": "0",
    "shortage_bxl": "no",
    "special": "7",  # typed: none of these
    "start_date": "01/03/2027",
}


def states(db: Path) -> dict[int, SessionState]:
    store = SessionStore(db)
    try:
        out = {}
        for uid in range(3001, 3001 + USERS):
            stored = store.load_state("telegram", str(uid))
            if stored is not None and stored.state:
                out[uid] = SessionState.from_dict(stored.state)
        return out
    finally:
        store.close()


def processed(db: Path, update_ids: list[int]) -> int:
    store = SessionStore(db)
    try:
        return sum(store.is_processed(u) for u in update_ids)
    finally:
        store.close()


def last_keyboard(emu: BotApiEmulator, uid: int) -> SentMessage | None:
    return next((m for m in reversed(emu.sent_messages(uid)) if m.buttons), None)


def answer(emu: BotApiEmulator, user: FakeUser, state: SessionState) -> int | None:
    """Inject this user's next answer without waiting; returns its update id."""
    if state.current == RESULT:
        return None
    if state.current == SUMMARY:
        message = last_keyboard(emu, user.id)
        assert message is not None
        data = button_data(message, text(state.lang, "dialogue.summary.confirm"))
        return int(emu.user_presses(user, message, data)["update_id"])
    question = QUESTIONS[state.current]
    value = SCRIPT[state.current]
    labels = {o.value: text(state.lang, o.key) for o in choices(question)}
    if question.kind == "choice" and value in labels:
        message = last_keyboard(emu, user.id)
        assert message is not None
        return int(emu.user_presses(user, message, button_data(message, labels[value]))["update_id"])
    return int(emu.user_sends_text(user, value)["update_id"])


async def wait_ready(emu: BotApiEmulator, bot: subprocess.Popen[bytes], mode: Mode = "polling") -> None:
    method = "getUpdates" if mode == "polling" else "setWebhook"
    calls = len(emu.calls(method))
    for _ in range(400):
        if bot.poll() is not None:
            raise AssertionError(f"bot exited: {bot.stderr.read().decode() if bot.stderr else ''}")
        if len(emu.calls(method)) > calls:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot did not start ({mode})")


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_sigkill_mid_conversations_under_load_loses_and_duplicates_nothing(
    tmp_path: Path, mode: Mode
) -> None:
    # Telegram retries a webhook for far longer than a restart takes; so does this emulator here.
    async with BotApiEmulator(
        token=fresh_token(), webhook_concurrency=8, webhook_retry_delays=(0.1, 0.5, 1, 2, 4, 8)
    ) as emu:
        await sigkill_mid_conversations(emu, tmp_path, mode)


async def sigkill_mid_conversations(emu: BotApiEmulator, tmp_path: Path, mode: Mode) -> None:
    db = tmp_path / "guichet.sqlite3"
    users = [FakeUser(uid, language_code="en") for uid in range(3001, 3001 + USERS)]
    crowd = [FakeUser(uid, language_code="fr") for uid in range(50_001, 50_001 + CROWD)]
    port = free_port()
    bot = start_bot_process(emu, tmp_path, mode, port)
    killed = False
    all_updates: list[int] = []
    crowd_updates: list[int] = []
    try:
        await wait_ready(emu, bot, mode)
        for user in users:
            all_updates.append(int(emu.user_sends_command(user, "/start")["update_id"]))
        await emu.wait_until_idle(timeout=20)
        for round_number in range(30):
            current = states(db)
            assert len(current) == USERS, "a conversation was lost"
            if all(s.current == RESULT for s in current.values()) and len(current) == USERS:
                break
            round_updates = [u for user in users if (u := answer(emu, user, current[user.id])) is not None]
            all_updates += round_updates
            if round_number == 3 and not killed:
                crowd_updates = [int(emu.user_sends_command(u, "/start")["update_id"]) for u in crowd]
                # Kill once some of this round's answers are committed, while the crowd is still
                # being served (handled side by side with the round, so part of it is in flight).
                for _ in range(2000):
                    done = processed(db, round_updates)
                    if done >= 2:
                        break
                    await asyncio.sleep(0.002)
                bot.send_signal(signal.SIGKILL)
                bot.wait(timeout=10)
                killed = True
                pending = round_updates + crowd_updates
                done = processed(db, pending)
                assert processed(db, round_updates) > 0, "killed before the round"
                assert done < len(pending), f"kill landed after all the work ({done})"
                bot = start_bot_process(emu, tmp_path, mode, port)
                await wait_ready(emu, bot, mode)
            await emu.wait_until_idle(timeout=30)
        assert killed
        final = states(db)
        assert len(final) == USERS
        assert all(state.current == RESULT for state in final.values()), {
            uid: s.current for uid, s in final.items()
        }
        # Every update processed exactly once; every answer stored exactly once.
        assert processed(db, all_updates) == len(all_updates)
        assert processed(db, crowd_updates) == CROWD
        assert not emu.dropped_updates
        assert all(emu.sent_messages(person.id) for person in crowd), "someone in the crowd got no answer"
        store = SessionStore(db)
        try:
            for user in users:
                stored = store.load_state("telegram", str(user.id))
                assert stored is not None
                fields = [a.field for a in store.get_answers(stored.id)]
                assert len(fields) == len(set(fields)), f"user {user.id}: duplicated answers {fields}"
                assert {"nationalities", "work_postcode", "salary_month_base"} <= set(fields)
                incoming = [
                    line.update_id for line in store.get_transcript(stored.id) if line.direction == "in"
                ]
                ids = [u for u in incoming if u is not None]
                assert len(ids) == len(set(ids)), f"user {user.id}: an update was handled twice"
                assert store.latest_assessment(stored.id) is not None
        finally:
            store.close()
    finally:
        stop_bot_process(bot)
