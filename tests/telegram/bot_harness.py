"""Run the real guichet bot (python-telegram-bot Application) against the emulator, in-process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Literal

from bot.i18n import LANGS, catalog, text
from bot.settings import DB_FILE_NAME, Settings
from bot.store import SessionStore
from bot.store.records import Clock
from bot.telegram.app import serve
from flows.dialogue import Dialogue
from flows.interpret import choices
from flows.questions import QUESTIONS
from flows.session import PREFILL, RESULT, SUMMARY, SessionState
from tests.telegram.emulator import BotApiEmulator, FakeUser, SentMessage, free_port

TODAY = date(2026, 11, 23)
TODAY_START = datetime.combine(TODAY, time(0), tzinfo=UTC)


def bot_settings(
    emu: BotApiEmulator,
    data_dir: Path,
    mode: Literal["polling", "webhook"] = "polling",
    port: int | None = None,
    **overrides: object,
) -> Settings:
    """Settings pointing the bot at the emulator, with its own data folder."""
    webhook: dict[str, object] = {}
    if mode == "webhook":
        port = port or free_port()
        webhook = {
            "webhook_url": f"http://127.0.0.1:{port}/telegram-hook",
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": "s3cret-Token_for-tests",
        }
    return Settings(
        telegram_bot_token=emu.token,
        telegram_api_base_url=emu.base_url,
        telegram_api_file_url=emu.base_file_url,
        data_dir=data_dir,
        mode=mode,
        **webhook,
        **overrides,
    )


def process_env(
    emu: BotApiEmulator,
    data_dir: Path,
    mode: Literal["polling", "webhook"] = "polling",
    port: int | None = None,
    **extra: str,
) -> dict[str, str]:
    """The environment for a bot started as its own process (``guichet run``) against ``emu``:
    this process's environment plus the emulator's address, a data folder and, for a webhook, a
    listening port (fresh unless given) and secret. ``extra`` adds variables. The emulator's idle wait
    also waits for that bot's inbox to be empty."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": emu.token,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "TELEGRAM_API_FILE_URL": emu.base_file_url,
        "GUICHET_DATA_DIR": str(data_dir),
        "GUICHET_MODE": mode,
    }
    if mode == "webhook":
        port = port or free_port()
        env |= {
            "GUICHET_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram-hook",
            "GUICHET_WEBHOOK_LISTEN": "127.0.0.1",
            "GUICHET_WEBHOOK_PORT": str(port),
            "GUICHET_WEBHOOK_SECRET": "s3cret-Token_for-tests",
        }
    wait_for_handled_updates(emu, data_dir / DB_FILE_NAME)
    return env | extra


def inbox_is_empty(db_path: Path) -> bool:
    """True when the bot's polling inbox holds no batch (every confirmed update is handled)."""
    if not db_path.exists():
        return True
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute("SELECT 1 FROM inbox LIMIT 1").fetchone() is None
    except sqlite3.OperationalError:  # not migrated yet: no inbox table
        return True
    finally:
        connection.close()


def wait_for_handled_updates(emu: BotApiEmulator, db_path: Path) -> None:
    """Make the emulator's "idle" also wait until the polling bot has handled what it confirmed."""
    emu.idle_checks.append(lambda: inbox_is_empty(db_path))


@contextlib.asynccontextmanager
async def running_bot(
    emu: BotApiEmulator,
    data_dir: Path,
    mode: Literal["polling", "webhook"] = "polling",
    reminder_clock: Clock = lambda: TODAY_START,
    **overrides: object,
) -> AsyncIterator[Settings]:
    """The bot serving until the block ends (then stopped cleanly). Its reminder scheduler's clock
    stays at the start of :data:`TODAY` unless given: a test sends reminders by moving a clock of its
    own (see tests/telegram/test_reminders.py)."""
    settings = bot_settings(emu, data_dir, mode, **overrides)
    wait_for_handled_updates(emu, settings.db_path)
    stop = asyncio.Event()
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    task = asyncio.create_task(
        serve(
            settings, stop=stop, dialogue=Dialogue(today=TODAY), ready=on_ready, reminder_clock=reminder_clock
        )
    )
    try:
        waiter = asyncio.ensure_future(ready.wait())
        await asyncio.wait({task, waiter}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # re-raise a start-up failure
        assert ready.is_set(), "the bot did not become ready"
        yield settings
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)


@cache
def short_forms() -> dict[str, str]:
    """An option's full wording → the short form its button shows (``telegram.short.*``)."""
    prefix = "telegram.short."
    return {
        text(lang, key.removeprefix(prefix)): short
        for lang in LANGS
        for key, short in catalog(lang).items()
        if key.startswith(prefix)
    }


def button_data(message: SentMessage, label: str) -> str:
    """The callback data of the button showing ``label``, or the short form of that wording."""
    wanted = {label, short_forms().get(label, label)}
    for shown, data in message.buttons:
        if data is not None and shown in wanted:
            return data
    raise KeyError(f"no button {label!r} in {message.buttons!r}")


ANSWER_PREFIX = "g1|"


def live_question_copies(chat: Chat) -> list[SentMessage]:
    """The messages in the chat whose buttons still answer the dialogue (the current question, or
    the result's own options): there is never more than one."""
    return [m for m in chat.messages if any((data or "").startswith(ANSWER_PREFIX) for _, data in m.buttons)]


class Chat:
    """One user talking to the bot; every call waits until the bot has answered.

    In polling mode the bot confirms an update only after processing it, so "the emulator has no
    pending update" means "answered". In webhook mode delivery is confirmed on receipt, so the chat
    also waits until the store records the update as processed and the bot stops sending.
    """

    def __init__(self, emu: BotApiEmulator, user: FakeUser, settings: Settings | None = None) -> None:
        self.emu, self.user = emu, user
        self.webhook_db = settings.db_path if settings is not None and settings.mode == "webhook" else None
        self._last_update: int | None = None

    @property
    def messages(self) -> list[SentMessage]:
        """Everything the bot sent to this user so far."""
        return self.emu.sent_messages(self.user.id)

    async def _settle(self, before: int) -> list[SentMessage]:
        await self.emu.wait_until_idle(timeout=10)
        if self.webhook_db is not None and self._last_update is not None:
            await self._wait_processed(self.webhook_db, self._last_update)
        return self.messages[before:]

    async def _wait_processed(self, db_path: Path, update_id: int, timeout: float = 10.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        store = SessionStore(db_path)
        try:
            while not store.is_processed(update_id) and loop.time() < deadline:
                await asyncio.sleep(0.02)
        finally:
            store.close()
        count = -1
        while count != len(self.messages) and loop.time() < deadline:
            count = len(self.messages)
            await asyncio.sleep(0.15)

    def _track(self, update: dict[str, object]) -> None:
        update_id = update.get("update_id")
        self._last_update = update_id if isinstance(update_id, int) else None

    async def send(self, text: str) -> list[SentMessage]:
        """Type ``text`` (a leading /command is sent as a command)."""
        before = len(self.messages)
        if text.startswith("/"):
            command, _, payload = text.partition(" ")
            self._track(self.emu.user_sends_command(self.user, command, payload or None))
        else:
            self._track(self.emu.user_sends_text(self.user, text))
        return await self._settle(before)

    async def press(self, label: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Press the button labelled ``label`` on ``message`` (default: the last message with buttons)."""
        target = message or next(m for m in reversed(self.messages) if m.buttons)
        before = len(self.messages)
        self._track(self.emu.user_presses(self.user, target, button_data(target, label)))
        return await self._settle(before)

    async def press_data(self, message: SentMessage, data: str) -> list[SentMessage]:
        """Press a button with arbitrary (possibly forged) callback data."""
        before = len(self.messages)
        self._track(self.emu.user_presses(self.user, message, data))
        return await self._settle(before)

    async def sticker(self) -> list[SentMessage]:
        """Send a sticker."""
        before = len(self.messages)
        self._track(self.emu.user_sends_sticker(self.user))
        return await self._settle(before)

    def last_with_buttons(self) -> SentMessage:
        """The latest message that has inline buttons."""
        return next(m for m in reversed(self.messages) if m.buttons)


# -- playing a whole interview by question id ---------------------------------------------------

Script = dict[str, "str | list[str]"]


def current_state(db_path: Path, user_id: int) -> SessionState | None:
    """The user's saved dialogue state, read from the bot's SQLite store."""
    store = SessionStore(db_path)
    try:
        stored = store.load_state("telegram", str(user_id))
    finally:
        store.close()
    return SessionState.from_dict(stored.state) if stored and stored.state else None


def _script_value(script: Script, state: SessionState) -> str | list[str]:
    member_key = f"{state.current}@{state.member_index or 0}"
    if member_key in script:
        return script[member_key]
    return script[state.current]


async def play(chat: Chat, db_path: Path, script: Script, *, max_steps: int = 80) -> list[str]:
    """Answer every question the bot asks from ``script`` (question id → option value or typed
    text; member questions as ``id@index``), pressing buttons for choices, until the result.
    Returns the ids of the questions asked, in order."""
    asked: list[str] = []
    for _ in range(max_steps):
        state = current_state(db_path, chat.user.id)
        assert state is not None, "no session"
        lang = state.lang
        if state.current == RESULT:
            return asked
        if state.current == SUMMARY:
            await chat.press(text(lang, "dialogue.summary.confirm"))
            continue
        if state.current == PREFILL:
            await chat.press(text(lang, "dialogue.answer.yes"))
            continue
        asked.append(state.current)
        question = QUESTIONS[state.current]
        value = _script_value(script, state)
        labels = {option.value: text(lang, option.key) for option in choices(question)}
        if question.kind == "multi_choice":
            for item in value:
                await chat.press(labels[item])
            await chat.press(text(lang, "dialogue.option.done"))
        elif (
            question.kind in ("choice", "yes_no", "yes_no_unsure")
            and isinstance(value, str)
            and value in labels
        ):
            await chat.press(labels[value])
        else:
            assert isinstance(value, str)
            await chat.send(value)
        after = current_state(db_path, chat.user.id)
        assert after is not None
        assert (after.current, after.member_index) != (state.current, state.member_index), (
            f"the bot did not accept {value!r} for {state.current}: {chat.messages[-1].text}"
        )
    raise AssertionError(f"no result after {max_steps} steps; asked {asked}")


ROOT = Path(__file__).resolve().parents[2]


def start_bot_process(
    emu: BotApiEmulator,
    data_dir: Path,
    mode: Literal["polling", "webhook"] = "polling",
    port: int = 0,
    **extra: str,
) -> subprocess.Popen[bytes]:
    """``guichet run`` as its own process against ``emu`` (to be killed and restarted by a test)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=process_env(emu, data_dir, mode, port or None, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop_bot_process(bot: subprocess.Popen[bytes]) -> None:
    """Stop a bot process still running: SIGTERM, then SIGKILL after 15 s."""
    if bot.poll() is None:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=15)
        except subprocess.TimeoutExpired:
            bot.kill()
