"""What goes in and out of the dialogue: events from a channel, replies to render, and the turn that
carries the new state. Plain data; channels import these names from :mod:`flows.dialogue`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.engine import Answers, Assessment, Message, msg
from flows.session import SessionState

CommandName = Literal["back", "restart", "language", "summary", "help", "change"]
ReplyKind = Literal["question", "error", "info", "summary", "result", "help"]

# Option values and question ids of the dialogue's own menus.
LANGUAGE = "language"  # question id of the language menu
CONFIRM = "confirm"  # "everything is right: show my result"
CHANGE = "change:"  # prefix of "change this answer" (followed by a question reference)
SECTION = "section:"  # prefix of "show this section of the summary" (followed by a block name)
MEMBERS_REF = "members"  # "add a family member" from the summary
PICK = "pick:"  # prefix of one of the readings of ambiguous words (followed by its index)


@dataclass(frozen=True)
class TextInput:
    """Text the person typed."""

    text: str


@dataclass(frozen=True)
class ChoiceInput:
    """A button press: the option's value, for the question and state version it was shown under."""

    question_id: str
    value: str
    state_version: int


@dataclass(frozen=True)
class Command:
    """A control word: back, restart, language [fr|nl|en], summary, help, change <field>."""

    name: CommandName
    arg: str | None = None


Event = TextInput | ChoiceInput | Command


class Option(BaseModel):
    """One answer the channel can offer as a button (``question_id`` is the position reference)."""

    model_config = ConfigDict(frozen=True)

    label: Message
    value: str
    question_id: str
    state_version: int


class Reply(BaseModel):
    """One message to the person: sentences (locale keys), options, and the assessment for a result.

    ``kind`` says what the message is: ``question`` (the one being asked, or a yes/no check of a
    value the dialogue understood, e.g. a yearly amount turned into a monthly one; ``question_id``
    is set), ``error`` (what was wrong with the last answer), ``info``, ``help`` (only the
    contextual help: the channel adds its own list of commands), ``summary`` and ``result``.
    ``understood`` is the short line saying back what was read from the last answer, when there is
    one; it is also the first of ``messages``, so a channel that ignores it shows it anyway.
    """

    kind: ReplyKind
    messages: list[Message]
    options: list[Option] = Field(default_factory=list)
    assessment: Assessment | None = None
    question_id: str | None = None
    understood: Message | None = None


@dataclass
class Turn:
    """The outcome of one event: the new state, what to say, and the answers it committed
    (``(field, value)``; member fields as ``members[i].field``; a dropped answer as ``(field, None)``)."""

    state: SessionState
    replies: list[Reply]
    new_answers: list[tuple[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Services:
    """What the dialogue needs from outside: the interview's "today" and the engine."""

    today: Callable[[], date]
    assess: Callable[[Answers, date], Assessment]


def info(key: str) -> Reply:
    """A one-sentence information reply."""
    return Reply(kind="info", messages=[msg(key)])
