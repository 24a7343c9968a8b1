"""The interview in a terminal: numbered choices, typed answers, a few control words.

Every turn is saved in the store *before* its reply is printed, so a crash never shows the person
something the store does not know; a saved in-progress session is resumed on start (decided by
:mod:`bot.service`, as on Telegram). Control words come from :mod:`flows.control`; once the result
is shown, "steps", "documents", "why", "pdf" and "calendar" (in each language) open its views,
the PDF and the calendar file being written to ``output_dir``. On a terminal, typing has line
editing and history (readline) and what is printed is wrapped to the terminal's width.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot import service
from bot.documents import calendar_file, pdf_file
from bot.engine import Assessment
from bot.i18n import Lang, render, text
from bot.result import build_view, render_view
from bot.store import IN_PROGRESS, SessionStore
from flows.control import RESULT_VIEWS, Control, ControlName, UnknownCommand, read_control
from flows.dialogue import ChoiceInput, Command, Dialogue, Event, Reply, TextInput, parse_language
from flows.interpret import DONE
from flows.session import RESULT

CHANNEL = "console"
HELP_COMMANDS_KEY = "dialogue.help.commands"
WELCOME_KEY = "dialogue.welcome"
MIN_WIDTH = 20
# What a wrapped line's continuation is indented under: leading spaces and a list marker ("  3. ",
# "- ", "• ", "☐ ").
_HANGING = re.compile(r"\s*(?:\d+[.)]|[-•*☐✓▪→])?\s*")


def wrap_block(block: str, width: int) -> str:
    """``block`` with every line longer than ``width`` wrapped at spaces, continuation lines indented
    under the text of a list item; words longer than the width (a link) are kept whole."""
    lines: list[str] = []
    for line in block.splitlines():
        if len(line) <= width:
            lines.append(line)
            continue
        match = _HANGING.match(line)
        hang = " " * min(match.end() if match else 0, width // 2)
        lines += textwrap.wrap(
            line,
            width,
            subsequent_indent=hang,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [line]
    return "\n".join(lines)


def terminal_input() -> Callable[[str], str]:
    """``input`` with line editing and history (readline) when standard input is a terminal (the
    arrow keys move in the line instead of landing in the answer)."""
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):  # no readline on some platforms: plain input then
            import readline  # noqa: F401  (importing it is what gives input() line editing)
    return input


def terminal_output() -> Callable[[str], None]:
    """``print``, wrapping each block to the terminal's current width when standard output is one."""
    if not sys.stdout.isatty():
        return print

    def show(block: str) -> None:
        print(wrap_block(block, max(MIN_WIDTH, shutil.get_terminal_size().columns - 1)))

    return show


@dataclass(frozen=True)
class Quit:
    """The person typed "quit" (their answers stay saved)."""


@dataclass(frozen=True)
class ViewWanted:
    """A result view asked for by a word, or an unknown "/word"."""

    name: ControlName | None
    unknown: str | None = None


def read_event(line: str, last: Sequence[Reply]) -> Event | None:
    """The event a typed line stands for; None for "quit".

    Control words come first (in any language). A single number picks an option of the last reply
    shown (a button press), except for multiple-choice questions, where "1, 3" or "2" is read as
    typed text.
    """
    action = read_line(line, last)
    if isinstance(action, Quit):
        return None
    if isinstance(action, ViewWanted):
        return TextInput(line.strip())
    return action


def read_line(line: str, last: Sequence[Reply]) -> Event | Quit | ViewWanted:
    """Like :func:`read_event`, also telling apart "quit", result-view words and unknown commands."""
    words = line.strip()
    control = read_control(words)
    if isinstance(control, UnknownCommand):
        return ViewWanted(None, unknown=control.word)
    if isinstance(control, Control):
        if control.name == "quit" and not control.arg:
            return Quit()
        command = control.as_command()
        if command is not None:
            return command
        if control.name in RESULT_VIEWS:
            return ViewWanted(control.name)
    options = [option for reply in last for option in reply.options]
    if words.isdigit() and options and not any(option.value == DONE for option in options):
        index = int(words)
        if 1 <= index <= len(options):
            chosen = options[index - 1]
            return ChoiceInput(chosen.question_id, chosen.value, chosen.state_version)
    return TextInput(words)


def render_reply(reply: Reply, lang: Lang) -> str:
    """One reply as terminal text: its sentences, numbered options, or the result's first view."""
    if reply.kind == "result" and reply.assessment is not None:
        return render_view("console", "first", build_view(reply.assessment, lang))
    is_help = any(message.key == HELP_COMMANDS_KEY for message in reply.messages) or str(reply.kind) == "help"
    lines = [render(message, lang) for message in reply.messages if message.key != HELP_COMMANDS_KEY]
    if is_help:
        lines.append(text(lang, "terminal.help"))
    if any(message.key == WELCOME_KEY for message in reply.messages):
        lines.append(text(lang, "terminal.welcome"))
    lines += [f"  {number}. {render(option.label, lang)}" for number, option in enumerate(reply.options, 1)]
    return "\n".join(lines)


def result_view_text(
    assessment: Assessment, lang: Lang, name: ControlName, output_dir: Path, on: date
) -> str:
    """A result view as text; for "pdf" and "calendar", the file is written and its path said."""
    view = build_view(assessment, lang)
    if name in ("steps", "documents", "why"):
        return render_view("console", name, view)
    if name == "pdf":
        content: bytes | None = pdf_file(view)
        path = output_dir / f"{text(lang, 'result.file.pdf')}-{on.isoformat()}.pdf"
    else:
        content = calendar_file(view)
        path = output_dir / f"{text(lang, 'result.file.ics')}-{on.isoformat()}.ics"
    if content is None:
        return text(lang, "result.no_dates")
    output_dir.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return text(lang, "result.file_written", path=str(path))


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
    output_dir: Path | None = None,
) -> int:
    """Run the interview in the terminal until "quit" or end of input; returns the exit code. The
    PDF and the calendar file go to ``output_dir`` (a temporary folder when none is given)."""
    dialogue = Dialogue(today=today)
    saved = store.load_state(CHANNEL, user_key)
    speaking: Lang = lang or "en"
    folder = output_dir or Path(tempfile.gettempdir()) / "guichet-downloads"
    try:
        if saved is None or saved.status != IN_PROGRESS or not saved.state:
            chosen = lang or _ask_language(input_fn, output_fn)
            if chosen is None:
                return 1
            speaking = chosen
        step = service.open_session(dialogue, saved, speaking)
        if step.new_session:
            store.new_session(CHANNEL, user_key, lang=speaking)
        if lang is not None and lang != step.turn.state.lang:
            step = service.handle(dialogue, step.turn.state, Command("language", lang), lang)
        incoming: str | None = None
        session_id = 0
        while True:
            turn = step.turn
            shown = [render_reply(reply, turn.state.lang) for reply in turn.replies]
            session_id = store.save_turn(
                CHANNEL,
                user_key,
                turn.state.to_dict(),
                lang=turn.state.lang,
                status=step.status,
                answers=turn.new_answers,
                incoming=incoming,
                outgoing=shown,
            )
            if step.assessment is not None:
                store.save_assessment(session_id, step.assessment)
            speaking = turn.state.lang
            for block in shown:
                output_fn(block)
            while True:
                incoming = input_fn(text(speaking, "dialogue.console.prompt"))
                action = read_line(incoming, turn.replies)
                if isinstance(action, Quit):
                    output_fn(text(speaking, "dialogue.console.goodbye"))
                    return 0
                if not isinstance(action, ViewWanted):
                    break
                said = _aside(
                    store, session_id, action, turn.state.current, speaking, folder, dialogue.today()
                )
                if said is None:
                    action = TextInput(incoming.strip())
                    break
                store.save_turn(
                    CHANNEL,
                    user_key,
                    turn.state.to_dict(),
                    lang=speaking,
                    status=step.status,
                    incoming=incoming,
                    outgoing=[said],
                )
                output_fn(said)
            step = service.handle(dialogue, turn.state, action, speaking)
            if step.new_session:  # a restart erases the earlier answers, as the dialogue then says
                store.erase_user(CHANNEL, user_key)
                store.new_session(CHANNEL, user_key, lang=speaking)
    except (EOFError, KeyboardInterrupt):
        output_fn(text(speaking, "dialogue.console.goodbye"))
        return 0


def _aside(
    store: SessionStore,
    session_id: int,
    wanted: ViewWanted,
    current: str,
    lang: Lang,
    folder: Path,
    on: date,
) -> str | None:
    """What to print for an unknown command or a result view; None when the word is an answer."""
    if wanted.unknown is not None:
        return f"{text(lang, 'terminal.unknown_command', word=wanted.unknown)}\n{text(lang, 'terminal.help')}"
    if wanted.name is None or current != RESULT:
        return None
    assessment = store.latest_assessment(session_id)
    if assessment is None:
        return text(lang, "result.gone")
    return result_view_text(assessment, lang, wanted.name, folder, on)
