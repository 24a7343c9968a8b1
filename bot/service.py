"""One session service for every channel: start-or-resume, restart and the session's status are
decided here once; the console and the Telegram adapter only store and show what it decides.

It does no I/O: the channels own their store (synchronous in the console, asynchronous on
Telegram) and call it with what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.engine import Assessment
from bot.i18n import Lang
from bot.store import COMPLETED, IN_PROGRESS, NEEDS_REVIEW, StoredSession
from flows.dialogue import ChoiceInput, Command, Dialogue, Event, Reply, Turn
from flows.session import RESULT, SessionState

RESTART_VALUE = "restart"  # the result's "start again" option


@dataclass(frozen=True)
class Step:
    """A turn to save, and whether it belongs in a new session (the channel opens one first)."""

    turn: Turn
    new_session: bool = False

    @property
    def assessment(self) -> Assessment | None:
        """The result's assessment when the turn reached the result."""
        return result_of(self.turn)

    @property
    def status(self) -> str:
        """The session's status after this turn: completed, needs review, or in progress."""
        assessment = self.assessment
        if assessment is None:
            return IN_PROGRESS
        return NEEDS_REVIEW if assessment.review else COMPLETED


def saved_state(stored: StoredSession | None) -> SessionState | None:
    """The dialogue state of a stored session (None when there is none yet)."""
    return SessionState.from_dict(stored.state) if stored is not None and stored.state else None


def open_session(
    dialogue: Dialogue,
    stored: StoredSession | None,
    lang: Lang,
    *,
    prefill: dict[str, Any] | None = None,
    employer: str | None = None,
    invited: bool = False,
) -> Step:
    """Start or resume: an interview in progress is resumed where it stopped; otherwise (none yet,
    finished, or an HR invitation) a new one starts, in a new session when one existed before."""
    state = saved_state(stored)
    if not invited and stored is not None and stored.status == IN_PROGRESS and state is not None:
        return Step(dialogue.resume(state))
    turn = dialogue.start(lang, prefill=prefill, employer=employer)
    return Step(turn, new_session=invited or stored is not None)


def is_restart(state: SessionState | None, event: Event) -> bool:
    """True for an event that clears every answer (the command, or "start again" on the result)."""
    if isinstance(event, Command):
        return event.name == "restart"
    if isinstance(event, ChoiceInput) and state is not None:
        return state.current == RESULT and event.value == RESTART_VALUE
    return False


def handle(dialogue: Dialogue, state: SessionState | None, event: Event, lang: Lang) -> Step:
    """One event applied to the saved state (a conversation with no state yet starts afresh)."""
    if state is None:
        return Step(dialogue.start(lang))
    return Step(dialogue.handle(state, event), new_session=is_restart(state, event))


def result_of(turn: Turn) -> Assessment | None:
    """The assessment of the turn's result reply (found by its kind, not its position)."""
    if turn.state.current != RESULT:
        return None
    return next((r.assessment for r in turn.replies if r.kind == "result" and r.assessment), None)


def prompt_of(replies: list[Reply]) -> Reply | None:
    """The reply that asks something (the last one with options), whatever comes before it."""
    return next((reply for reply in reversed(replies) if reply.options), None)


def current_prompt(dialogue: Dialogue, state: SessionState) -> list[Reply]:
    """What the person is being asked now, without the "welcome back" of a resumed session."""
    return [reply for reply in dialogue.resume(state).replies if reply.kind != "info"]
