"""Scripted conversations keyed by question id and option value, not by option numbers, so that
reordering or adding options does not break them.

A script maps a question reference (``qid``, or ``qid@index`` for a family member; a bare member
question id stands for every member) to the answer: an option value for choice kinds (``"yes"`` /
``"no"`` for yes/no questions, :data:`flows.interpret.SKIP` for "none yet"), a list of option values
for multiple choice, or the text a person would type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.i18n import Lang, text
from flows.dialogue import ChoiceInput, Dialogue, TextInput, Turn
from flows.interpret import DONE, choices
from flows.machine import current_ref
from flows.question_types import Question
from flows.questions import QUESTIONS
from flows.session import SUMMARY, SessionState

Script = dict[str, Any]
CHOICE_KINDS = ("choice", "yes_no", "yes_no_unsure")


def scripted_answer(script: Script, state: SessionState) -> Any:
    """The script's answer to the question being asked (KeyError names the missing reference)."""
    ref = current_ref(state)
    if ref in script:
        return script[ref]
    if state.current in script:
        return script[state.current]
    raise KeyError(f"the script has no answer for {ref}")


def typed_line(question: Question, value: Any, lang: Lang) -> str:
    """What a person types for this answer: the option's label in ``lang`` (numbers for a multiple
    choice, computed from the declaration), or the text itself."""
    if question.kind == "multi_choice":
        values = [choice.value for choice in choices(question)]
        return ", ".join(str(values.index(item) + 1) for item in value)
    labels = {choice.value: text(lang, choice.key) for choice in choices(question)}
    if isinstance(value, str) and value in labels:
        return labels[value]
    return str(value)


@dataclass
class Conversation:
    """A dialogue driven by a script, recording the questions asked and the lines typed."""

    dialogue: Dialogue
    lang: Lang
    typing: bool = False  # type option labels instead of pressing buttons
    asked: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    turn: Turn | None = None

    @property
    def state(self) -> SessionState:
        assert self.turn is not None
        return self.turn.state

    def start(self) -> Conversation:
        self.turn = self.dialogue.start(self.lang)
        return self

    def answer_one(self, script: Script) -> None:
        """Answer the question being asked from the script."""
        state = self.state
        question = QUESTIONS[state.current]
        value = scripted_answer(script, state)
        self.asked.append(current_ref(state))
        if self.typing:
            self.say(typed_line(question, value, state.lang))
        elif question.kind == "multi_choice":
            for item in value:
                self.press(item)
            self.press(DONE)
        elif question.kind in CHOICE_KINDS or (
            question.skip and value in {c.value for c in choices(question)}
        ):
            self.press(value)
        else:
            self.say(str(value))

    def play(self, script: Script, *, until: str | None = None, max_steps: int = 120) -> Conversation:
        """Answer every question from the script, up to the summary (or up to question ``until``)."""
        for _ in range(max_steps):
            if self.state.current == SUMMARY or current_ref(self.state) == until:
                return self
            before = (current_ref(self.state), self.state.version)
            self.answer_one(script)
            after = (current_ref(self.state), self.state.version)
            assert after != before, f"not accepted for {before[0]}: {self.turn}"
        raise AssertionError(f"no summary after {max_steps} answers; asked {self.asked}")

    def say(self, words: str) -> Turn:
        self.lines.append(words)
        self.turn = self.dialogue.handle(self.state, TextInput(words))
        return self.turn

    def press(self, value: str) -> Turn:
        assert self.turn is not None
        option = next(o for reply in self.turn.replies for o in reply.options if o.value == value)
        self.turn = self.dialogue.handle(
            self.state, ChoiceInput(option.question_id, option.value, option.state_version)
        )
        return self.turn

    @property
    def questions_asked(self) -> int:
        """How many questions the person answered (each question once, members counted each)."""
        return len(dict.fromkeys(self.asked))
