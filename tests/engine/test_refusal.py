"""RV-14: a notified refusal gives the appeal deadline (30 calendar days, S003) and an adviser's check."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine import Answers, assess

BASE = {
    "nationalities": ["IN"],
    "current_location": "belgium",
    "card_type": "A-single-permit",
    "purposes": ["employee"],
}


@pytest.mark.parametrize(
    ("refused", "on", "deadline", "reason"),
    [
        (date(2026, 11, 10), date(2026, 11, 23), date(2026, 12, 10), "review.reason.refusal"),
        (date(2026, 1, 31), date(2026, 2, 10), date(2026, 3, 2), "review.reason.refusal"),  # across February
        (date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 31), "review.reason.refusal"),  # last day
        (
            date(2026, 10, 1),
            date(2026, 11, 1),
            date(2026, 10, 31),
            "review.reason.refusal_passed",
        ),  # day after
    ],
)
def test_refusal_gives_the_appeal_deadline_first(
    refused: date, on: date, deadline: date, reason: str
) -> None:
    result = assess(Answers(**BASE, refusal_date=refused), on=on)
    rv14 = [item for item in result.review if item.code == "RV-14"]
    assert len(rv14) == 1
    assert rv14[0].reason.key == reason
    assert rv14[0].reason.params["deadline_date"] == deadline.isoformat()
    first = result.next_steps[0]
    assert first.code == "APPEAL_CCE" and first.due == deadline
    assert first.timing is not None and first.timing.key.endswith("passed" if on > deadline else "dated")


def test_no_refusal_no_rv14() -> None:
    result = assess(Answers(**BASE), on=date(2026, 11, 23))
    assert "RV-14" not in {item.code for item in result.review}
    assert all(step.due is None for step in result.next_steps if step.code == "APPEAL_CCE")
