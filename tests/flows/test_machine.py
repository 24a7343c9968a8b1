"""The shared transitions machine admits exactly the moves declared in ``TRIGGERS``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.machine import STATES, TRIGGERS, IllegalMove, is_declared_move, move
from flows.session import RESULT, SUMMARY


@settings(max_examples=400, deadline=None)
@given(
    current=st.sampled_from(STATES),
    trigger=st.sampled_from(sorted(TRIGGERS)),
    target=st.sampled_from(STATES),
)
def test_a_move_is_allowed_exactly_when_declared(current: str, trigger: str, target: str) -> None:
    sources, destinations = TRIGGERS[trigger]
    declared = current in sources and target in destinations
    assert is_declared_move(current, trigger, target) is declared
    if declared:
        assert move(current, trigger, target) == target
    else:
        with pytest.raises(IllegalMove):
            move(current, trigger, target)


def test_remembered_verdicts_do_not_leak_between_moves() -> None:
    assert move(SUMMARY, "finish", RESULT) == RESULT
    with pytest.raises(IllegalMove):
        move(RESULT, "finish", RESULT)
    with pytest.raises(IllegalMove):
        move("no-such-state", "advance", SUMMARY)
    assert move(SUMMARY, "finish", RESULT) == RESULT
