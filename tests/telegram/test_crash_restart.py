"""SIGKILL the bot in the middle of many conversations, restart it: nothing lost, nothing doubled.

The bot runs as a real process (`python -m bot.cli run`) against the emulator. Users answer in
rounds; during one round the process is killed once some (not all) of the round's answers are
committed. After a restart every conversation continues from its last answered question, each
update is processed exactly once and every answer is stored exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.i18n import text
from bot.store import SessionStore
from flows.interpret import choices
from flows.questions import QUESTIONS
from flows.session import RESULT, SUMMARY, SessionState
from tests.telegram.bot_harness import button_data
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentMessage

USERS = 12
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
ROOT = Path(__file__).resolve().parents[2]


def start_bot(emu: BotApiEmulator, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": emu.token,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "TELEGRAM_API_FILE_URL": emu.base_file_url,
        "GUICHET_DATA_DIR": str(data_dir),
        "GUICHET_MODE": "polling",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


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


async def wait_ready(emu: BotApiEmulator, bot: subprocess.Popen[bytes]) -> None:
    calls = len(emu.calls("getUpdates"))
    for _ in range(400):
        if bot.poll() is not None:
            raise AssertionError(f"bot exited: {bot.stderr.read().decode() if bot.stderr else ''}")
        if len(emu.calls("getUpdates")) > calls:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot did not start polling")


async def test_sigkill_mid_conversations_loses_and_duplicates_nothing(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = tmp_path / "guichet.sqlite3"
    users = [FakeUser(uid, language_code="en") for uid in range(3001, 3001 + USERS)]
    bot = start_bot(emu, tmp_path)
    killed = False
    all_updates: list[int] = []
    try:
        await wait_ready(emu, bot)
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
                # Kill once some, but not all, of this round's answers are committed.
                for _ in range(2000):
                    done = processed(db, round_updates)
                    if done >= 2:
                        break
                    await asyncio.sleep(0.002)
                bot.send_signal(signal.SIGKILL)
                bot.wait(timeout=10)
                killed = True
                done = processed(db, round_updates)
                assert 0 < done < len(round_updates), f"kill landed outside the round ({done})"
                bot = start_bot(emu, tmp_path)
                await wait_ready(emu, bot)
            await emu.wait_until_idle(timeout=20)
        assert killed
        final = states(db)
        assert len(final) == USERS
        assert all(state.current == RESULT for state in final.values()), {
            uid: s.current for uid, s in final.items()
        }
        # Every update processed exactly once; every answer stored exactly once.
        assert processed(db, all_updates) == len(all_updates)
        store = SessionStore(db)
        try:
            for user in users:
                stored = store.load_state("telegram", str(user.id))
                assert stored is not None
                fields = [a.field for a in store.get_answers(stored.id)]
                assert len(fields) == len(set(fields)), f"user {user.id}: duplicated answers {fields}"
                assert {"nationalities", "dob", "salary_month_base"} <= set(fields)
                incoming = [
                    line.update_id for line in store.get_transcript(stored.id) if line.direction == "in"
                ]
                ids = [u for u in incoming if u is not None]
                assert len(ids) == len(set(ids)), f"user {user.id}: an update was handled twice"
                assert store.latest_assessment(stored.id) is not None
        finally:
            store.close()
    finally:
        if bot.poll() is None:
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(timeout=15)
            except subprocess.TimeoutExpired:
                bot.kill()
