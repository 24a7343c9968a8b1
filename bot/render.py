"""Assessment → text in the user's language (used by the console, the CLI and the bot).

Wording lives in ``locales/*/outcomes.toml`` (headings, route and outcome names) and in the rule
modules' own locale files (reasons); this module only arranges it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from bot.engine import Assessment, FamilyResult, NextStep, RouteResult, ThresholdUse
from bot.i18n import Lang, long_date, money, render, text

_SLUG = re.compile(r"[^a-z0-9]+")


def basis_key(basis: str) -> str:
    """Locale key of a threshold's basis (e.g. 'gross / year' → 'threshold.basis.gross_year')."""
    return "threshold.basis." + _SLUG.sub("_", basis.lower()).strip("_")


def threshold_line(use: ThresholdUse, lang: Lang) -> str:
    """One figure with what it is based on: amount, basis, validity window, sources, confidence."""
    amount = money(use.amount, lang) if use.amount is not None else "—"
    valid_to = long_date(use.valid_to, lang) if use.valid_to else text(lang, "outcome.open_ended")
    line = text(
        lang,
        "outcome.threshold_line",
        name=text(lang, f"threshold.name.{use.id}"),
        id=use.id,
        amount=amount,
        basis=text(lang, basis_key(use.basis)),
        valid_from=long_date(use.valid_from, lang) if use.valid_from else "—",
        valid_to=valid_to,
        sources=", ".join(use.sources),
        confidence=use.confidence,
    )
    if use.stale:
        line += " " + text(lang, "outcome.threshold_stale")
    return line


def _route_line(route: RouteResult, lang: Lang) -> str:
    return text(
        lang,
        "outcome.route_line",
        route=text(lang, f"outcome.route.{route.code}"),
        status=text(lang, f"outcome.status.{route.status}"),
        rule=route.rule,
    )


def _bullets(lines: Iterable[str], indent: str = "  ") -> list[str]:
    return [f"{indent}• {line}" for line in lines]


def _routes_section(assessment: Assessment, lang: Lang) -> list[str]:
    best = assessment.routes[0]
    out = [text(lang, "outcome.heading.route"), text(lang, f"outcome.route.{best.code}")]
    out.append(text(lang, f"outcome.best_status.{best.status}", rule=best.rule))
    out += _bullets(render(reason, lang) for reason in best.reasons)
    out += _bullets(text(lang, f"outcome.warning.{w}") for w in best.warnings)
    others = [r for r in assessment.routes[1:] if r.status != "not_met"]
    if others:
        out.append(text(lang, "outcome.other_routes"))
        for route in others:
            out.append(f"  • {_route_line(route, lang)}")
            out += _bullets((render(reason, lang) for reason in route.reasons), indent="    ")
    not_met = [r for r in assessment.routes[1:] if r.status == "not_met"]
    if not_met:
        out.append(text(lang, "outcome.not_met_routes"))
        for route in not_met:
            out.append(f"  • {_route_line(route, lang)}")
            out += _bullets((render(reason, lang) for reason in route.reasons), indent="    ")
    return out


def _family_section(family: FamilyResult, lang: Lang) -> list[str]:
    if family.outcome == "FAM_NONE":
        return []
    out = [text(lang, "outcome.heading.family"), text(lang, f"outcome.family.{family.outcome}")]
    if family.rule_set:
        out.append(text(lang, f"outcome.rule_set.{family.rule_set}"))
    if family.income_required is not None:
        out.append(text(lang, "outcome.income_required", required_eur=family.income_required))
    if family.income_required_alt is not None and family.income_required_alt != family.income_required:
        out.append(text(lang, "outcome.income_required_alt", required_eur=family.income_required_alt))
    if family.income_declared is not None:
        out.append(text(lang, "outcome.income_declared", declared_eur=family.income_declared))
    out += _bullets(render(reason, lang) for reason in family.reasons)
    for member in family.members:
        line = text(
            lang,
            "outcome.member_line",
            relation=text(lang, f"outcome.relation.{member.relation}"),
            outcome=text(lang, f"outcome.family_short.{member.outcome}"),
        )
        if member.eligible_from:
            line += " " + text(lang, "outcome.eligible_from", from_date=member.eligible_from.isoformat())
        out.append(f"  • {line}")
        out += _bullets((render(reason, lang) for reason in member.reasons), indent="    ")
    return out


def _step_lines(index: int, step: NextStep, lang: Lang, today: date) -> list[str]:
    head = f"{index}. {render(step.title, lang)}"
    if step.due is not None:
        key = (
            "outcome.step_due_passed"
            if step.due < today
            else f"outcome.step_due.{step.timing_kind or 'deadline'}"
        )
        head += " — " + text(lang, key, due_date=step.due.isoformat())
    out = [head]
    if step.timing is not None:
        out.append("   " + render(step.timing, lang))
    if step.fee is not None:
        out.append("   " + render(step.fee, lang))
    elif step.fee_eur is not None:
        out.append("   " + text(lang, "outcome.step_fee", fee_eur=step.fee_eur))
    if step.documents:
        out.append("   " + text(lang, "outcome.step_documents"))
        out += _bullets((render(doc, lang) for doc in step.documents), indent="     ")
    if step.sources:
        out.append("   " + text(lang, "outcome.sources", sources=", ".join(step.sources)))
    return out


def _all_thresholds(assessment: Assessment) -> list[ThresholdUse]:
    seen: dict[tuple[str, date | None], ThresholdUse] = {}
    for route in assessment.routes:
        for use in route.thresholds:
            seen.setdefault((use.id, use.valid_from), use)
    for use in assessment.family.thresholds:
        seen.setdefault((use.id, use.valid_from), use)
    return list(seen.values())


def render_assessment_text(assessment: Assessment, lang: Lang) -> str:
    """The whole result as plain text: routes, family, next steps, figures with sources, reviews."""
    out = [
        text(lang, "outcome.title"),
        text(
            lang,
            "outcome.reference",
            on_date=(assessment.assessed_on or assessment.reference_date).isoformat(),
            reference_date=assessment.reference_date.isoformat(),
            version=assessment.rules_version,
        ),
        "",
    ]
    out += _routes_section(assessment, lang)
    family = _family_section(assessment.family, lang)
    if family:
        out += ["", *family]
    if assessment.next_steps:
        out += ["", text(lang, "outcome.heading.next_steps")]
        for index, step in enumerate(assessment.next_steps, start=1):
            out += _step_lines(index, step, lang, assessment.assessed_on or assessment.reference_date)
    if assessment.review:
        out += ["", text(lang, "review.heading"), text(lang, "review.intro")]
        for item in assessment.review:
            out.append(
                "  • "
                + text(
                    lang,
                    "review.code_line",
                    code=item.code,
                    title=text(lang, f"review.{item.code}.title"),
                    reason=render(item.reason, lang),
                )
            )
    if assessment.notices:
        out += ["", *_bullets(render(notice, lang) for notice in assessment.notices)]
    figures = _all_thresholds(assessment)
    if figures:
        out += ["", text(lang, "outcome.heading.figures")]
        out += _bullets(threshold_line(use, lang) for use in figures)
    if assessment.missing:
        fields = ", ".join(text(lang, f"outcome.field.{name}") for name in assessment.missing)
        out += ["", text(lang, "outcome.missing", fields=fields)]
    out += ["", text(lang, "outcome.disclaimer")]
    return "\n".join(out)
