"""Issue 12: only the questions that can still change the result are asked. Scripted personas are
asked at most their number of questions, and skipping loses nothing: the result is the one the
engine gives when every question of the flow is answered."""

from __future__ import annotations

from datetime import date

import pytest

import flows.machine as machine
from bot.engine import assess
from flows.dialogue import Dialogue
from flows.relevance import fingerprint
from flows.session import build_answers
from tests.flows.personas import PERSONAS, Persona
from tests.flows.scripts import Conversation

TODAY = date(2026, 3, 1)


def played(persona: Persona) -> Conversation:
    return Conversation(Dialogue(today=TODAY), "en").start().play(persona.script)


def persona_counts() -> list[str]:
    """One line per persona: questions asked before issue 12, now, and the target."""
    lines = []
    for persona in PERSONAS:
        now = played(persona).questions_asked
        lines.append(f"{persona.name}: {persona.before} → {now} questions (target ≤ {persona.target})")
    return lines


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_persona_is_asked_few_questions(persona: Persona) -> None:
    conversation = played(persona)
    print(f"{persona.name}: {conversation.questions_asked} questions: {' '.join(conversation.asked)}")
    assert conversation.questions_asked <= persona.at_most
    assert conversation.questions_asked < persona.before or persona.before <= persona.target


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_skipping_changes_nothing_in_the_result(persona: Persona, monkeypatch: pytest.MonkeyPatch) -> None:
    short = played(persona)
    monkeypatch.setattr(machine, "worth_asking", lambda *args, **kwargs: True)
    full = played(persona)
    passes_over = persona.passes_over and persona.before > persona.target
    assert full.questions_asked > short.questions_asked or not passes_over
    results = [fingerprint(assess(build_answers(c.state), on=TODAY)) for c in (short, full)]
    assert results[0] == results[1]
