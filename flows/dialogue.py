"""The channel-agnostic dialogue: ``Dialogue.start`` and ``Dialogue.handle`` turn events into
replies (locale keys with parameters) and a new session state. Channels render; nothing here does
I/O. The console and the Telegram adapter import only from this module.

The work is split by job: :mod:`flows.dispatch` (what an event means here), :mod:`flows.navigation`
(answer, advance, back, change, restart, language) and :mod:`flows.replies` (what is shown).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.engine import Answers, Assessment, assess, msg, today_in_brussels
from bot.i18n import Lang
from flows import dispatch
from flows.interpret import DONE, SKIP, fold_label, parse_language
from flows.machine import next_position
from flows.navigation import go
from flows.questions import PREFILL_FIELDS
from flows.replies import prompt
from flows.session import PREFILL, SessionState
from flows.turns import (
    CHANGE,
    CONFIRM,
    LANGUAGE,
    MEMBERS_REF,
    PICK,
    SECTION,
    ChoiceInput,
    Command,
    CommandName,
    Event,
    Option,
    Reply,
    ReplyKind,
    Services,
    TextInput,
    Turn,
    info,
)

__all__ = [
    "CHANGE",
    "CONFIRM",
    "DONE",
    "LANGUAGE",
    "MEMBERS_REF",
    "PICK",
    "SECTION",
    "SKIP",
    "ChoiceInput",
    "Command",
    "CommandName",
    "Dialogue",
    "Event",
    "Option",
    "Reply",
    "ReplyKind",
    "TextInput",
    "Turn",
    "fold_label",
    "parse_language",
]


class Dialogue:
    """Stateless and shared: every call takes a state and returns a new one (the input is not changed)."""

    def __init__(
        self,
        *,
        today: date | Callable[[], date] | None = None,
        assess_fn: Callable[[Answers, date], Assessment] = lambda answers, day: assess(answers, on=day),
    ) -> None:
        self._today = today
        self._services = Services(today=self.today, assess=assess_fn)

    def today(self) -> date:
        """The interview's "today" (Brussels time unless injected)."""
        if self._today is None:
            return today_in_brussels()
        return self._today() if callable(self._today) else self._today

    def start(
        self, lang: Lang, *, prefill: dict[str, Any] | None = None, employer: str | None = None
    ) -> Turn:
        """A new interview; HR-invite facts (``prefill``) are first shown for confirmation."""
        facts = {key: value for key, value in (prefill or {}).items() if key in PREFILL_FIELDS}
        state = SessionState(
            lang=lang,
            current=PREFILL,
            prefill=facts,
            prefill_status="pending" if facts else "none",
            employer=employer,
        )
        turn = Turn(state, [Reply(kind="info", messages=[msg("dialogue.welcome")])])
        go(self._services, turn, next_position(state, self.today()), "restart")
        return turn

    def resume(self, state: SessionState) -> Turn:
        """A saved interview picked up again: "welcome back" and the current question, unchanged."""
        turn = Turn(state.model_copy(deep=True), [info("dialogue.resumed")])
        turn.replies.append(prompt(self._services, turn.state))
        return turn

    def handle(self, state: SessionState, event: Event) -> Turn:
        """Apply one event to a copy of ``state``."""
        turn = Turn(state.model_copy(deep=True), [])
        if isinstance(event, ChoiceInput):
            dispatch.on_choice(self._services, turn, event)
        elif isinstance(event, Command):
            dispatch.on_command(self._services, turn, event)
        else:
            dispatch.on_text(self._services, turn, event.text)
        return turn
