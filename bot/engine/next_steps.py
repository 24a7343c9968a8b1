"""Next steps (rules.md §5). PLACEHOLDER: being written."""

from __future__ import annotations

from bot.engine.answers import Answers
from bot.engine.assessment import FamilyResult, NextStep, RouteResult
from bot.engine.context import Context


def plan_next_steps(
    answers: Answers, ctx: Context, routes: list[RouteResult], family: FamilyResult
) -> list[NextStep]:
    """Concrete steps for the best route and the family, with due dates where a date is known."""
    return []
