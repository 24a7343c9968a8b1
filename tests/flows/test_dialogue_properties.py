"""Properties of the dialogue under any sequence of events: it never crashes, its state always
round-trips through JSON, the question it puts always applies, and it never keeps an answer whose
question no longer applies."""

from __future__ import annotations

import json
from datetime import date
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.dialogue import ChoiceInput, Command, Dialogue, Event, TextInput
from flows.machine import DECLARED_FIELDS, STATES, Position, is_live
from flows.questions import MEMBER_QUESTIONS, QUESTIONS
from flows.session import SessionState, build_answers
from tests.flows.personas import ENGINEER_WITH_FAMILY
from tests.flows.scripts import Conversation

TODAY = date(2026, 3, 1)
DIALOGUE = Dialogue(today=TODAY)

WORDS = st.sampled_from(
    ["India", "France", "Belgique", "1", "2", "3", "1, 7", "7", "yes", "non", "ja", "0", "12/04/1990",
     "01/09/2026", "1000", "9000", "4700", "55000", "4200", "24", "2026-2027", "banana", "", "???"]
)  # fmt: skip
COMMANDS = st.builds(
    Command,
    st.sampled_from(["back", "restart", "language", "summary", "help", "change"]),
    st.sampled_from([None, "nl", "fr", "nationalities", "purposes", "members", "dob"]),
)
# A button press: the index of an option of the last reply, optionally from an older version.
PRESS = st.tuples(st.integers(min_value=0, max_value=30), st.booleans())
BACK = st.just(Command("back"))
STEP = st.one_of(WORDS.map(TextInput), COMMANDS, PRESS, BACK, BACK)


# A valid start (a worker bringing his family), typed as a person would, so that random events
# also hit deep states: generated from the keyed script, never from option numbers.
# Played on first use, not at import (issue 20 item 7).
@cache
def script_lines() -> tuple[str, ...]:
    return tuple(Conversation(DIALOGUE, "en", typing=True).start().play(ENGINEER_WITH_FAMILY).lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=40), st.lists(STEP, max_size=25))
def test_any_event_sequence_keeps_the_state_consistent(prefix: int, steps: list[object]) -> None:
    turn = DIALOGUE.start("en")
    for step in [*map(TextInput, script_lines()[:prefix]), *steps]:
        if isinstance(step, tuple):
            options = [option for reply in turn.replies for option in reply.options]
            if not options:
                continue
            option = options[step[0] % len(options)]
            version = option.state_version - (1 if step[1] else 0)
            event: Event = ChoiceInput(option.question_id, option.value, version)
        else:
            event = step  # type: ignore[assignment]
        turn = DIALOGUE.handle(turn.state, event)
        state = turn.state
        assert turn.replies
        assert SessionState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
        assert state.current in STATES
        if state.current in QUESTIONS:
            index = state.member_index if state.current in MEMBER_QUESTIONS else None
            assert is_live(Position(state.current, index), state)
        for name in state.answers:
            if name in DECLARED_FIELDS:
                owners = [q for q in QUESTIONS.values() if name in q.fields and q.id not in MEMBER_QUESTIONS]
                assert any(is_live(Position(q.id), state) for q in owners), name
        build_answers(state)
