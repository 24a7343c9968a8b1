"""The engine's entry point: answers + date → assessment. Pure: no I/O beyond the packaged data."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.engine.answers import Answers
from bot.engine.assessment import Assessment, FamilyResult, RouteResult
from bot.engine.citations import rank_sources
from bot.engine.config import DEFAULT_CONFIG, EngineConfig
from bot.engine.context import Context, Findings
from bot.engine.derive import reference_date, work_region
from bot.engine.family import evaluate_family
from bot.engine.next_steps import plan_next_steps
from bot.engine.refusal import check_refusal
from bot.engine.routes import evaluate_routes
from bot.engine.thresholds import ThresholdTable, active_table

BRUSSELS = ZoneInfo("Europe/Brussels")


def today_in_brussels() -> date:
    """Today's date in Belgium (the default reference day)."""
    return datetime.now(BRUSSELS).date()


def explain_open_review(routes: list[RouteResult], family: FamilyResult, findings: Findings) -> None:
    """A route verdict an adviser must check always names at least one review code (contract.md):
    when the best route is under review, RV-19 if answers it depends on are missing or unknown,
    else RV-20 (no route identified). NO_ROUTE is not the verdict when a family outcome stands for
    it (as in the next steps)."""
    best = routes[0]
    family_stands_in = best.code == "NO_ROUTE" and family.outcome != "FAM_NONE"
    if best.status != "review" or family_stands_in or findings.reviews:
        return
    if findings.missing:
        findings.review("RV-19", "review.reason.answers_missing")
    else:
        findings.review("RV-20", "review.reason.no_route_identified")


def source_region(answers: Answers) -> str | None:
    """The region the person's sources must concern: the business's, else the workplace's."""
    return answers.se_region or work_region(answers)


def assess(
    answers: Answers,
    on: date | None = None,
    *,
    config: EngineConfig = DEFAULT_CONFIG,
    table: ThresholdTable | None = None,
) -> Assessment:
    """Decide routes, family reunification and next steps for ``answers`` as of ``on``."""
    day = on or today_in_brussels()
    ctx = Context.for_day(day, reference_date(answers, day), config=config, table=table or active_table())
    findings = Findings()
    routes = evaluate_routes(answers, ctx, findings)
    check_refusal(answers, ctx, findings)
    family = evaluate_family(answers, ctx, findings, routes)
    explain_open_review(routes, family, findings)
    steps = plan_next_steps(answers, ctx, routes, family)
    sources, person_sources = rank_sources(routes, family, steps, source_region(answers))
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
        sources=sources,
        person_sources=person_sources,
    )
