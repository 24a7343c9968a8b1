"""Control words: what a person types to steer the conversation rather than to answer it.

"aide", "help", "hulp", "retour", "terug", "back", "/back"… are recognised in every channel
*before* any answer parser sees the text, in any of the three languages (a Dutch speaker may type
"help" in a French session). The words are data: ``locales/<lang>/control.toml``, one list per
command, folded like every other matched word (lower case, no accents). A typed "/word" that is not
a command is reported as unknown rather than taken as an answer.

"Why?" at a question ("pourquoi", "waarom vraagt u dat", "why do you ask") is not an answer: the
dialogue explains the question (its ``question.<id>.help`` text) and asks it again. Those phrases
are ``control.why_asked`` in each language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

from bot.i18n import LANGS, catalog
from flows.interpret import fold_label
from flows.turns import Command, CommandName

ControlName = Literal[
    "back",
    "restart",
    "language",
    "summary",
    "help",
    "change",
    "quit",
    "steps",
    "documents",
    "why",
    "pdf",
    "calendar",
]
CONTROL_NAMES: tuple[ControlName, ...] = get_args(ControlName)
DIALOGUE_COMMANDS: tuple[CommandName, ...] = get_args(CommandName)
RESULT_VIEWS: tuple[ControlName, ...] = ("steps", "documents", "why", "pdf", "calendar")
WITH_ARGUMENT: frozenset[ControlName] = frozenset({"language", "change"})
HELP_MARK = "?"
WORDS_KEY = "control.words."


@dataclass(frozen=True)
class Control:
    """A recognised control word, with the rest of the line for "language nl" or "change dob"."""

    name: ControlName
    arg: str | None = None

    def as_command(self) -> Command | None:
        """The dialogue command it stands for (None for channel-only words: quit, result views)."""
        for name in DIALOGUE_COMMANDS:
            if name == self.name:
                return Command(name, self.arg)
        return None


@dataclass(frozen=True)
class UnknownCommand:
    """A "/word" that is no command: answered with "unknown command" and the list of commands."""

    word: str


class ControlWordClash(ValueError):
    """The same word is declared for two different commands (in one or several languages)."""


@cache
def control_words() -> dict[str, ControlName]:
    """Every control phrase of every language, folded → its command."""
    words: dict[str, ControlName] = {}
    for lang in LANGS:
        messages = catalog(lang)
        for name in CONTROL_NAMES:
            for phrase in messages.get(WORDS_KEY + name, "").split("|"):
                folded = fold_label(phrase)
                if not folded:
                    continue
                if words.setdefault(folded, name) != name:
                    raise ControlWordClash(f"{folded!r} means both {words[folded]} and {name}")
    return words


@cache
def why_phrases() -> frozenset[str]:
    """Every "why is this asked?" phrase of every language, folded."""
    return frozenset(
        folded
        for lang in LANGS
        for phrase in catalog(lang).get("control.why_asked", "").split("|")
        if (folded := fold_label(phrase))
    )


def asks_why(typed: str) -> bool:
    """Whether the person asks why the question is asked rather than answering it."""
    return fold_label(typed) in why_phrases()


def _slash(typed: str) -> Control | UnknownCommand:
    head, _, rest = typed[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    arg = rest.strip() or None
    for control in CONTROL_NAMES:
        if control == name and control in DIALOGUE_COMMANDS:
            return Control(control, arg if control in WITH_ARGUMENT else None)
    return UnknownCommand("/" + head)


def read_control(typed: str) -> Control | UnknownCommand | None:
    """The control word ``typed`` is, or None when it is an answer for the parsers."""
    stripped = typed.strip()
    if not stripped:
        return None
    if stripped.startswith("/"):
        return _slash(stripped)
    if stripped == HELP_MARK:
        return Control("help")
    words = control_words()
    folded = fold_label(stripped)
    if folded in words:
        return Control(words[folded])
    head, _, rest = folded.partition(" ")
    name = words.get(head)
    if name is not None and name in WITH_ARGUMENT and rest:
        original_rest = stripped.split(None, 1)[1].strip()
        return Control(name, original_rest)
    return None
