"""Permit-route rules (rules.md §2). PLACEHOLDER: being written."""

from __future__ import annotations

from bot.engine.answers import Answers
from bot.engine.assessment import RouteResult
from bot.engine.context import Context, Findings


def evaluate_routes(answers: Answers, ctx: Context, findings: Findings) -> list[RouteResult]:
    """Every route considered, best first; routes[0] is the answer (NO_ROUTE when none holds)."""
    findings.review("RV-00", "review.placeholder")
    return [RouteResult(code="NO_ROUTE", rule="R0-12", status="review")]
