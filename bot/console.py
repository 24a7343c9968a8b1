"""The interview in a terminal: numbered choices, typed answers, a few control words.

Every turn is saved in the store *before* its reply is printed, so a crash never shows the person
something the store does not know; a saved in-progress session is resumed on start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from bot.engine.assessment import Assessment
from bot.i18n import Lang, render, text
from bot.render import render_assessment_text
from bot.store import COMPLETED, IN_PROGRESS, NEEDS_REVIEW, SessionStore
from flows.dialogue import (
    ChoiceInput,
    Command,
    CommandName,
    Dialogue,
    Event,
    Reply,
    TextInput,
    Turn,
    parse_language,
)
from flows.interpret import DONE, fold
from flows.session import RESULT, SessionState

CHANNEL = "console"
QUIT_WORDS = frozenset({"quit", "exit", "quitter", "stoppen", "stop"})
COMMAND_WORDS: dict[str, CommandName] = {
    "back": "back",
    "retour": "back",
    "terug": "back",
    "restart": "restart",
    "recommencer": "restart",
    "opnieuw": "restart",
    "language": "language",
    "langue": "language",
    "taal": "language",
    "summary": "summary",
    "resume": "summary",  # "résumé" once accents are folded
    "overzicht": "summary",
    "help": "help",
    "aide": "help",
    "hulp": "help",
    "?": "help",
    "change": "change",
    "modifier": "change",
    "wijzigen": "change",
    "wijzig": "change",
}


def read_event(line: str, last: Sequence[Reply]) -> Event | None:
    """The event a typed line stands for; None for "quit".

    A single number picks an option of the last reply shown (a button press), except for
    multiple-choice questions, where "1, 3" or "2" is read as typed text.
    """
    words = line.strip()
    head, _, arg = words.partition(" ")
    key = fold(head) if head != "?" else "?"
    if key in QUIT_WORDS and not arg:
        return None
    if key in COMMAND_WORDS:
        return Command(COMMAND_WORDS[key], arg.strip() or None)
    options = [option for reply in last for option in reply.options]
    if words.isdigit() and options and not any(option.value == DONE for option in options):
        index = int(words)
        if 1 <= index <= len(options):
            chosen = options[index - 1]
            return ChoiceInput(chosen.question_id, chosen.value, chosen.state_version)
    return TextInput(words)


def render_reply(reply: Reply, lang: Lang) -> str:
    """One reply as terminal text: its sentences, numbered options, the assessment."""
    lines = [render(message, lang) for message in reply.messages]
    lines += [f"  {number}. {render(option.label, lang)}" for number, option in enumerate(reply.options, 1)]
    if reply.assessment is not None:
        lines += ["", render_assessment_text(reply.assessment, lang)]
    return "\n".join(lines)


def _assessment_of(turn: Turn) -> Assessment | None:
    for reply in turn.replies:
        if reply.assessment is not None:
            return reply.assessment
    return None


def _ask_language(input_fn: Callable[[str], str], output_fn: Callable[[str], None]) -> Lang | None:
    output_fn(text("en", "dialogue.console.choose_language"))
    for _ in range(3):
        chosen = parse_language(input_fn(text("en", "dialogue.console.prompt")))
        if chosen is not None:
            return chosen
        output_fn(text("en", "dialogue.console.choose_language"))
    return None


def run_console(
    lang: Lang | None,
    *,
    store: SessionStore,
    user_key: str = "console:local",
    input_fn: Callable[[str], str] = input,
    output_fn: Callable[[str], None] = print,
    today: date | None = None,
) -> int:
    """Run the interview in the terminal until "quit" or end of input; returns the exit code."""
    dialogue = Dialogue(today=today)
    saved = store.load_state(CHANNEL, user_key)
    status = IN_PROGRESS
    speaking: Lang = lang or "en"
    try:
        if saved is not None and saved.status == IN_PROGRESS and saved.state:
            turn = dialogue.resume(SessionState.from_dict(saved.state))
            if lang is not None and lang != turn.state.lang:
                turn = dialogue.handle(turn.state, Command("language", lang))
            incoming: str | None = None
        else:
            chosen = lang or _ask_language(input_fn, output_fn)
            if chosen is None:
                return 1
            if saved is not None:
                store.new_session(CHANNEL, user_key, lang=chosen)
            turn = dialogue.start(chosen)
            incoming = None
        while True:
            assessment = _assessment_of(turn)
            if turn.state.current == RESULT and assessment is not None:
                status = NEEDS_REVIEW if assessment.review else COMPLETED
            elif turn.state.current != RESULT:
                status = IN_PROGRESS
            shown = [render_reply(reply, turn.state.lang) for reply in turn.replies]
            session_id = store.save_turn(
                CHANNEL,
                user_key,
                turn.state.to_dict(),
                lang=turn.state.lang,
                status=status,
                answers=turn.new_answers,
                incoming=incoming,
                outgoing=shown,
            )
            if assessment is not None and turn.state.current == RESULT:
                store.save_assessment(session_id, assessment)
            speaking = turn.state.lang
            for block in shown:
                output_fn(block)
            incoming = input_fn(text(speaking, "dialogue.console.prompt"))
            event = read_event(incoming, turn.replies)
            if event is None:
                output_fn(text(speaking, "dialogue.console.goodbye"))
                return 0
            if isinstance(event, Command) and event.name == "restart":
                store.new_session(CHANNEL, user_key, lang=turn.state.lang)
            turn = dialogue.handle(turn.state, event)
    except (EOFError, KeyboardInterrupt):
        output_fn(text(speaking, "dialogue.console.goodbye"))
        return 0
