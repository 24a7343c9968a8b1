"""The engine's entry point: answers + date → assessment. Pure: no I/O beyond the packaged data."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.engine.answers import Answers
from bot.engine.assessment import Assessment
from bot.engine.config import DEFAULT_CONFIG, EngineConfig
from bot.engine.context import Context, Findings
from bot.engine.derive import reference_date
from bot.engine.family import evaluate_family
from bot.engine.next_steps import plan_next_steps
from bot.engine.refusal import check_refusal
from bot.engine.routes import evaluate_routes
from bot.engine.thresholds import ThresholdTable, active_table

BRUSSELS = ZoneInfo("Europe/Brussels")


def today_in_brussels() -> date:
    """Today's date in Belgium (the default reference day)."""
    return datetime.now(BRUSSELS).date()


def assess(
    answers: Answers,
    on: date | None = None,
    *,
    config: EngineConfig = DEFAULT_CONFIG,
    table: ThresholdTable | None = None,
) -> Assessment:
    """Decide routes, family reunification and next steps for ``answers`` as of ``on``."""
    day = on or today_in_brussels()
    ctx = Context(on=day, ref_date=reference_date(answers, day), table=table or active_table(), config=config)
    findings = Findings()
    routes = evaluate_routes(answers, ctx, findings)
    check_refusal(answers, ctx, findings)
    family = evaluate_family(answers, ctx, findings, routes)
    steps = plan_next_steps(answers, ctx, routes, family)
    return Assessment(
        rules_version=ctx.table.version,
        reference_date=ctx.ref_date,
        assessed_on=ctx.on,
        routes=routes,
        route_code=routes[0].code,
        family=family,
        review=sorted(findings.reviews, key=lambda r: r.code),
        next_steps=steps,
        missing=findings.missing,
        notices=findings.notices,
    )
