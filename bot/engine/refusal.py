"""A refusal already notified (rules.md §6.3 RV-14): appeal deadline, then an adviser's check."""

from __future__ import annotations

from bot.engine.answers import Answers
from bot.engine.calendar import shift
from bot.engine.constants import constants
from bot.engine.context import Context, Findings


def check_refusal(answers: Answers, ctx: Context, findings: Findings) -> None:
    """RV-14: a refusal was notified; give the 30-day appeal deadline (S003) and ask for an adviser,
    since whether an appeal suspends removal depends on the decision (K-18)."""
    if answers.refusal_date is None:
        return
    count, unit = constants()["APPEAL_CCE"].period()
    deadline = shift(answers.refusal_date, count, unit)
    key = "review.reason.refusal_passed" if deadline < ctx.on else "review.reason.refusal"
    findings.review(
        "RV-14", key, refusal_date=answers.refusal_date.isoformat(), deadline_date=deadline.isoformat()
    )
