"""Random sequences of updates through the real bot (emulator on 127.0.0.1, one bot per module).

Each hypothesis example plays a few users at once: any text (emoji, RTL, control characters,
5 000 characters), known and unknown commands with junk arguments, valid, stale and forged button
presses, edited messages, stickers / photos / voice / documents, group messages, and bursts sent
before the bot answers. After each burst and each sequence:

- no handler failure reached the error handler (no ERROR log line, no "something went wrong");
- every update was processed (its id is in the store) unless it is one the bot ignores on purpose;
- every saved state loads, and its current question is one the interview would ask from its answers;
- updates that cannot change an answer (media, edits, stale or forged presses, /help, /privacy…)
  left the answers exactly as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.i18n import LANGS, text
from bot.store import SessionStore
from bot.telegram.callback import decode
from bot.telegram.delivery import MAX_INPUT_CHARS
from bot.telegram.links import read_confirm_press
from flows.machine import Position, is_live, next_position
from flows.questions import QUESTIONS
from flows.session import PREFILL, RESULT, SUMMARY, SessionState
from tests.robustness.bot_thread import BotThread
from tests.telegram.bot_harness import current_state
from tests.telegram.emulator import BotApiEmulator, FakeChat, FakeUser, SentMessage
from tests.telegram.test_crash_restart import answer as scripted_answer

USERS_PER_EXAMPLE = 3
ERROR_TEXTS = {text(lang, "telegram.error") for lang in LANGS}
PLAUSIBLE_ANSWERS = (
    "India", "Inde", "1", "2", "7", "yes", "no", "oui", "nee", "01/05/1990", "1000", "4000",
    "5 200 €", "0", "12", "01/03/2027", "abroad", "Maroc", "31/02/2020", "-5", "1e309",
)  # fmt: skip
KNOWN_COMMANDS = ("/start", "/restart", "/back", "/language", "/summary", "/help", "/privacy", "/delete")
UNKNOWN_COMMANDS = ("/foo", "/START", "/start@other_bot", "/back@guichet_test_bot", "/", "/🙂")
# Commands that never change an answer (language and summary views included).
READ_ONLY_COMMANDS = frozenset({"/help", "/privacy", "/summary", "/language"})
MEDIA = ("sticker", "photo", "voice", "document")

# -- strategies -----------------------------------------------------------------------------------

weird_text = st.one_of(
    st.text(min_size=1, max_size=60),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So"]), min_size=1),
    st.sampled_from(["مرحبا بالعالم", "שלום", "\u202eevil\u202c", "👨‍👩‍👧‍👦", "<b>x</b>", "&amp;", "{lang}"]),
    st.sampled_from(PLAUSIBLE_ANSWERS),
    st.integers(MAX_INPUT_CHARS - 1, 5000).map(lambda n: "é" * n),
).filter(lambda s: s.strip() != "" and not s.startswith("/"))

junk_args = st.one_of(st.just(""), st.text(min_size=1, max_size=70).filter(lambda s: s.strip() != ""))


@dataclass(frozen=True)
class Action:
    """One update to inject: ``kind``, the user slot, a payload, and whether to wait afterwards."""

    kind: str
    slot: int
    payload: Any
    wait: bool


def actions() -> st.SearchStrategy[Action]:
    slot = st.integers(0, USERS_PER_EXAMPLE - 1)
    wait = st.booleans()
    return st.one_of(
        st.builds(Action, st.just("text"), slot, weird_text, wait),
        st.builds(
            Action, st.just("command"), slot, st.tuples(st.sampled_from(KNOWN_COMMANDS), junk_args), wait
        ),
        st.builds(
            Action, st.just("command"), slot, st.tuples(st.sampled_from(UNKNOWN_COMMANDS), junk_args), wait
        ),
        st.builds(Action, st.just("press"), slot, st.integers(0, 10_000), wait),
        st.builds(Action, st.just("press"), slot, st.integers(0, 10_000), wait),
        st.builds(Action, st.just("press_old"), slot, st.integers(0, 10_000), wait),
        st.builds(Action, st.just("forged"), slot, st.one_of(st.text(max_size=80), st.integers(1, 50)), wait),
        st.builds(Action, st.just("edit"), slot, weird_text, wait),
        st.builds(Action, st.just("media"), slot, st.sampled_from(MEDIA), wait),
        st.builds(
            Action, st.just("group"), slot, st.one_of(weird_text, st.sampled_from(KNOWN_COMMANDS)), wait
        ),
    )


# -- the per-user model of what the bot must have done -------------------------------------------


@dataclass
class UserLog:
    """What was sent for one user in this example."""

    user: FakeUser
    started: bool = False  # a turn creating a session was sent (and no /delete after it)
    message_updates: list[dict[str, Any]] = field(default_factory=list)
    must_process: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotThread]:
    thread = BotThread(tmp_path_factory.mktemp("fuzz")).start()
    try:
        yield thread
    finally:
        thread.stop()


def check_reachable(state: SessionState) -> None:
    """The current question is one the interview asks from these answers."""
    if state.current in QUESTIONS:
        here = Position(state.current, state.member_index)
        assert is_live(here, state), f"{here.ref} does not apply to the answers {state.answers}"
    elif state.current in (SUMMARY, RESULT):
        assert next_position(state).state == SUMMARY, f"{state.current} with questions still open"
    else:
        assert state.current == PREFILL and state.prefill_status != "none"


class Player:
    """Turns actions into updates for one example and checks the bot after each burst."""

    def __init__(self, bot: BotThread, first_id: int) -> None:
        self.emu: BotApiEmulator = bot.emu
        self.bot = bot
        self.db = bot.settings.db_path
        self.logs = [
            UserLog(FakeUser(first_id + i, language_code=("fr", "nl", "en", None)[i % 4]))
            for i in range(USERS_PER_EXAMPLE)
        ]

    def _messages(self, log: UserLog) -> list[SentMessage]:
        return [m for m in self.emu.sent_messages(log.user.id) if m.buttons]

    def inject(self, action: Action, snapshot: dict[int, SessionState | None]) -> bool:
        """Send the action's update; True when it cannot change the user's answers."""
        log = self.logs[action.slot]
        user, emu = log.user, self.emu
        state = snapshot[user.id]
        read_only, creates, required = False, False, True
        if action.kind == "advance":  # the next answer of a valid interview (crash-test script)
            if state is None:
                return False
            update_id = scripted_answer(emu, user, state)
            if update_id is not None:
                log.must_process.append(update_id)
            return False
        if action.kind == "text":
            update = emu.user_sends_text(user, action.payload)
            log.message_updates.append(update)
            too_long = len(action.payload) > MAX_INPUT_CHARS
            read_only, creates, required = too_long, not too_long, not too_long
        elif action.kind == "command":
            name, args = action.payload
            update = emu.user_sends_command(user, name, args or None)
            log.message_updates.append(update)
            read_only = name in READ_ONLY_COMMANDS
            creates = name not in ("/delete", "/privacy") and not (name == "/start" and args)
            # /delete, /privacy without a session and an unknown invite are answered, not recorded.
            required = name != "/delete" and not (name == "/start" and args) and (creates or log.started)
            if name == "/delete":
                log.started = False
        elif action.kind in ("press", "press_old"):
            keyboards = self._messages(log)
            if not keyboards:
                return True
            target = keyboards[-1] if action.kind == "press" else keyboards[action.payload % len(keyboards)]
            buttons = [data for _, data in target.buttons if data]
            data = buttons[action.payload % len(buttons)]
            update = emu.user_presses(user, target, data)
            press = decode(data)
            read_only = state is None or press is None or press.state_version < state.version
            confirmed = read_confirm_press(data)
            if confirmed is not None and confirmed.yes:  # "yes, start again" / "yes, delete everything"
                read_only = False
                if confirmed.action == "delete":
                    log.started = False
            required = log.started or confirmed is not None
        elif action.kind == "forged":
            keyboards = self._messages(log)
            if not keyboards:
                return True
            if isinstance(action.payload, int):  # a real button from the future or the past
                # the latest question's button (a confirmation or a result has none of these)
                real = [data for m in reversed(keyboards) for _, data in m.buttons if decode(data)]
                if not real:
                    return True
                press = decode(real[0])
                assert press is not None
                version = press.state_version + action.payload
                data = f"g1|{version}|{press.question_tag}|{press.value}"
                read_only = state is None or version != state.version
            else:
                data = action.payload
                read_only = decode(data) is None
            update = emu.user_presses(user, keyboards[-1], data)
            required = log.started
        elif action.kind == "edit":
            if not log.message_updates:
                return True
            original = log.message_updates[-1]["message"]
            update = emu.user_sends_edited_text(user, original, action.payload)
            read_only, required = True, log.started
        elif action.kind == "media":
            sender = getattr(emu, f"user_sends_{action.payload}")
            update = sender(user)
            read_only, required = True, log.started
        else:  # group: ignored on purpose (answered with a pointer to the private chat at most)
            group = FakeChat(-(user.id), title="Fuzz group")
            update = emu.user_sends_text(user, action.payload, chat=group)
            read_only, required = True, False
        if creates:
            log.started = True
        if required:
            log.must_process.append(int(update["update_id"]))
        return read_only

    async def play(self, sequence: list[Action]) -> None:
        burst: list[Action] = []
        for action in sequence:
            burst.append(action)
            if action.wait:
                await self._burst(burst)
                burst = []
        if burst:
            await self._burst(burst)
        self.final_checks()

    async def _burst(self, burst: list[Action]) -> None:
        snapshot = {log.user.id: current_state(self.db, log.user.id) for log in self.logs}
        read_only: dict[int, bool] = {}
        for action in burst:
            uid = self.logs[action.slot].user.id
            read_only[uid] = self.inject(action, snapshot) and read_only.get(uid, True)
        await self.emu.wait_until_idle(timeout=30)
        assert self.bot.errors.take() == []
        for uid, unchanged in read_only.items():
            after = current_state(self.db, uid)
            before = snapshot[uid]
            if unchanged and before is not None:
                assert after is not None, "a read-only update erased the session"
                assert after.answers == before.answers, [a.kind for a in burst]
                assert after.current == before.current

    def final_checks(self) -> None:
        store = SessionStore(self.db)
        try:
            for log in self.logs:
                missing = [u for u in log.must_process if not store.is_processed(u)]
                assert missing == [], f"updates never recorded as processed: {missing}"
                sent = [m.text for m in self.emu.sent_messages(log.user.id)]
                assert not ERROR_TEXTS & set(sent), "a handler failed"
                state = current_state(self.db, log.user.id)
                if state is not None:
                    check_reachable(state)
        finally:
            store.close()


_examples = iter(range(1_000_000))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    phases=[Phase.generate],
)
@given(
    depth=st.tuples(st.integers(0, 16), st.integers(0, 16)),
    sequence=st.lists(actions(), min_size=1, max_size=14),
)
def test_random_update_sequences_never_break_a_conversation(
    bot: BotThread, depth: tuple[int, int], sequence: list[Action]
) -> None:
    """A few users (two of them some way into a valid interview) get random updates, interleaved."""
    player = Player(bot, 500_000 + next(_examples) * 10)
    openers = [Action("command", slot, ("/start", ""), True) for slot in range(USERS_PER_EXAMPLE - 1)]
    walk = [Action("advance", slot, None, True) for slot in (0, 1) for _ in range(depth[slot])]
    bot.run(player.play([*openers, *walk, *sequence]))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(answers=st.lists(st.sampled_from(PLAUSIBLE_ANSWERS) | st.just("press"), min_size=5, max_size=30))
def test_plausible_answers_and_presses_walk_deep_into_the_interview(
    bot: BotThread, answers: list[str]
) -> None:
    """Mostly valid input, one update at a time: reaches later questions, summary and result."""
    player = Player(bot, 900_000 + next(_examples) * 10)
    sequence = [Action("command", 0, ("/start", ""), True)]
    for index, answer in enumerate(answers):
        if answer == "press":
            sequence.append(Action("press", 0, index, True))
        else:
            sequence.append(Action("text", 0, answer, True))
    bot.run(player.play(sequence))
