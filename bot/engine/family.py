"""Family-reunification rules (rules.md §3). PLACEHOLDER: being written."""

from __future__ import annotations

from bot.engine.answers import Answers
from bot.engine.assessment import FamilyResult, RouteResult
from bot.engine.context import Context, Findings


def evaluate_family(
    answers: Answers, ctx: Context, findings: Findings, routes: list[RouteResult]
) -> FamilyResult:
    """The family's outcome (least favourable member first) and each member's."""
    return FamilyResult()
