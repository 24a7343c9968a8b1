"""An assessment → the result a person reads, in plain words and in their language (no layout here).

The view holds finished sentences only; each channel's template (``bot/result/templates``) lays
them out. Nothing internal reaches the person: rule IDs, threshold keys, review codes, confidence
letters, source numbers and digests stay in the assessment, for operators. The wording lives in
``locales/*/result.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urlsplit

from babel import Locale
from babel.numbers import format_currency

from bot.engine import (
    Answers,
    Assessment,
    FamilyResult,
    MemberResult,
    Message,
    NextStep,
    ParamValue,
    Review,
    RouteResult,
    ThresholdUse,
)
from bot.i18n import BABEL_LOCALES, Lang, catalog, country_name, money, number, text

FIRST_STEPS = 3
NO_ROUTE = "NO_ROUTE"
HOUSING_UNSURE = "family.member.housing_unsure"
YOU_PREFIX = "result.you."
SPONSOR_KEYS = frozenset({"family.sponsor.you", "family.sponsor.derived"})
SAME_DOCUMENT_KEYS: dict[str, tuple[str, ...]] = {
    "passport": (
        "step.doc.passport",
        "step.doc.passport_copy",
        "step.doc.passport_visa",
        "step.doc.id_or_passport",
    ),
}
PASSPORT_VISA = "step.doc.passport_visa"
SAME_DOCUMENT = {key: group for group, keys in SAME_DOCUMENT_KEYS.items() for key in keys}
MAX_SOURCES = 12
SOURCE_TITLE_WORDS = 8
SHORT_TITLE_WORDS = 12
MIN_CLAUSE_WORDS = 4
_ASIDE = re.compile(r"\s*\([^()]*\)")
_CLAUSE = re.compile(r"\s*(?:;| — | – )\s*")
_ID_PARAMS = {"threshold_id": "threshold.name.{}"}
_SALARY = ("salary_eur", "threshold_eur")
_MEANS = ".means_"  # a student's or job-seeker's means, compared like a salary
_INCOME = ("income_eur", "required_eur")


@dataclass(frozen=True)
class Link:
    """A source as a person sees it: its title, and its address when it is a public page."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class StepView:
    """One next step: what to do, when, what it costs and the documents it needs."""

    number: int
    title: str
    short_title: str
    when: str | None
    due: date | None
    detail: str | None
    fee: str | None
    documents: tuple[str, ...]


@dataclass(frozen=True)
class MemberGroup:
    """Family members with the same outcome and reasons, said once ("for both children")."""

    who: str
    outcome: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ResultView:
    """Everything the person-facing result says, in one language, as finished sentences."""

    lang: Lang
    verdict: tuple[str, ...]
    basis: tuple[str, ...]
    steps: tuple[StepView, ...]
    documents: tuple[str, ...]
    why: tuple[str, ...]
    staleness: tuple[str, ...]
    other_routes: tuple[str, ...]
    family: tuple[str, ...]
    members: tuple[MemberGroup, ...]
    reviews: tuple[str, ...]
    notices: tuple[str, ...]
    sources: tuple[Link, ...]
    missing: str | None
    footer: str
    disclaimer: str
    assessed_on: date
    dated_steps: tuple[StepView, ...] = field(default=())
    advice_note: str = ""
    about: tuple[str, ...] = field(default=())
    today: date | None = None

    @property
    def first_steps(self) -> tuple[StepView, ...]:
        """The next actions shown in the first message."""
        return self.steps[:FIRST_STEPS]


def say(message: Message, lang: Lang, *, to_sponsor: bool = False) -> str:
    """A message from the engine as a person reads it: internal identifiers become plain names;
    ``to_sponsor``: the person is the sponsor, so a sentence about "the sponsor" is said to them
    ("your right") when ``result.you.<key>`` words it so."""
    params: dict[str, ParamValue] = {}
    for name, value in message.params.items():
        template = _ID_PARAMS.get(name)
        params[name] = text(lang, template.format(value)) if template and isinstance(value, str) else value
    personal = f"{YOU_PREFIX}{message.key}"
    if to_sponsor and personal in catalog(lang):
        return text(lang, personal, **params)
    return text(lang, message.key, **params)


def is_sponsor(assessment: Assessment) -> bool:
    """True when the person using the bot is the family's sponsor."""
    return any(reason.key in SPONSOR_KEYS for reason in assessment.family.reasons)


def eur(amount: float, lang: Lang) -> str:
    """An amount in euros, without cents when it is whole ('5 200 €', '€ 5.200', '€5,200')."""
    if amount != int(amount):
        return money(amount, lang)
    pattern = Locale.parse(BABEL_LOCALES[lang]).currency_formats["standard"].pattern.replace("0.00", "0")
    return format_currency(amount, "EUR", format=pattern, locale=BABEL_LOCALES[lang], currency_digits=False)


def _amount_pair(message: Message, names: tuple[str, str]) -> tuple[float, float] | None:
    given, needed = (message.params.get(name) for name in names)
    if isinstance(given, int | float) and isinstance(needed, int | float):
        return float(given), float(needed)
    return None


def _percent(given: float, needed: float, lang: Lang) -> str:
    return number(round(abs(given - needed) / needed * 100) if needed else 0, lang)


def _comparison(message: Message) -> tuple[str, float, float] | None:
    """(kind, figure, required) when a reason compares a salary or income with a minimum."""
    for kind, names in (("salary", _SALARY), ("income", _INCOME)):
        pair = _amount_pair(message, names)
        if pair is not None:
            means = _MEANS in message.key or _MEANS in str(message.params.get("basis_key", ""))
            return ("means" if means else kind), *pair
    return None


def _basis_line(message: Message, lang: Lang) -> str | None:
    compared = _comparison(message)
    if compared is None:
        return None
    kind, given, needed = compared
    side = "above" if given >= needed else "below"
    gap = eur(round(abs(needed - given), 2), lang)
    return text(
        lang, f"result.basis.{kind}_{side}", given=eur(given, lang), needed=eur(needed, lang), gap=gap
    )


def _routes_basis(route: RouteResult, lang: Lang) -> list[str]:
    return [line for reason in route.reasons if (line := _basis_line(reason, lang))]


def _staleness(
    assessment: Assessment, lang: Lang, uses: list[ThresholdUse], reasons: list[Message]
) -> list[tuple[Message, str]]:
    """One plain sentence per amount that may be out of date, with how far the person is from it:
    (the reason comparing the person's figure with that amount, the sentence)."""
    out: list[tuple[Message, str]] = []
    compared = [(reason, c) for reason in reasons if (c := _comparison(reason))]
    year = assessment.reference_date.year
    seen: set[float] = set()
    for use in uses:
        if not use.stale or use.amount is None or use.valid_from is None or use.amount in seen:
            continue
        match = next(((r, c) for r, c in compared if abs(c[2] - use.amount) < 0.01), None)
        if match is None:
            continue
        seen.add(use.amount)
        reason, (_, given, needed) = match
        side = "above" if given >= needed else "below"
        amount = eur(use.amount, lang)
        if use.valid_from.year < year:
            stale = text(
                lang, "result.stale", amount=amount, from_year=str(use.valid_from.year), year=str(year)
            )
        else:
            stale = text(lang, "result.stale_update", amount=amount, from_date=use.valid_from.isoformat())
        percent = _percent(given, needed, lang)
        out.append((reason, f"{stale} {text(lang, f'result.stale_{side}', percent=percent)}"))
    return out


def _after_its_amount(lines: list[str], notes: list[tuple[Message, str]], lang: Lang) -> list[str]:
    """``lines`` with each note on a stale amount right after the line comparing with that amount."""
    out = list(lines)
    for reason, note in notes:
        compared = _basis_line(reason, lang)
        at = out.index(compared) + 1 if compared in out else len(out)
        out.insert(at, note)
    return out


def _route_name(route: RouteResult, lang: Lang) -> str:
    return text(lang, f"outcome.route.{route.code}")


def closest_route(assessment: Assessment) -> RouteResult | None:
    """When no route is met: the route the person came closest to, one whose conditions they miss
    by an amount the engine measured (a student's means short of the minimum)."""
    if not assessment.routes or assessment.routes[0].code != NO_ROUTE:
        return None
    return next(
        (
            route
            for route in assessment.routes[1:]
            if route.status == "not_met" and any(_comparison(reason) for reason in route.reasons)
        ),
        None,
    )


def _housing_only(assessment: Assessment) -> bool:
    """True when the family goes to an adviser only because the housing is unsure."""
    family = assessment.family
    return (
        family.outcome == "FAM_REVIEW"
        and bool(assessment.review)
        and all(item.reason.key == HOUSING_UNSURE for item in assessment.review)
    )


def _verdict(assessment: Assessment, lang: Lang) -> list[str]:
    lines: list[str] = []
    family = assessment.family.outcome != "FAM_NONE"
    closest = closest_route(assessment)
    if assessment.routes:
        best = assessment.routes[0]
        if closest is not None:
            lines.append(text(lang, "result.verdict.closest", route=_route_name(closest, lang)))
        elif best.code == NO_ROUTE:
            if not family:  # someone who only asks about their family needs no route line
                lines.append(text(lang, "result.verdict.no_route"))
        else:
            lines.append(text(lang, f"result.verdict.route.{best.status}", route=_route_name(best, lang)))
    if family:
        outcome = text(lang, f"result.family.{assessment.family.outcome}")
        if _housing_only(assessment):
            outcome = text(lang, "result.family.housing_only")
        lines.append(text(lang, "result.verdict.family", outcome=outcome))
    return lines


def _when(step: NextStep, today: date, lang: Lang) -> str | None:
    """When to do a step, said from today: a date already passed says to do it now."""
    if step.due is None:
        return None
    if step.due < today:
        return text(
            lang, f"result.when.passed_{step.timing_kind or 'deadline'}", due_date=step.due.isoformat()
        )
    return text(lang, f"result.when.{step.timing_kind or 'deadline'}", due_date=step.due.isoformat())


def _fee(step: NextStep, lang: Lang) -> str | None:
    if step.fee is not None:
        return say(step.fee, lang)
    if step.fee_eur is not None:
        return text(lang, "result.fee", fee_eur=step.fee_eur)
    return None


def _steps(assessment: Assessment, lang: Lang, today: date) -> list[StepView]:
    return [
        StepView(
            number=index,
            title=(title := say(step.title, lang)),
            short_title=shorten(title),
            when=_when(step, today, lang),
            due=step.due,
            detail=say(step.timing, lang) if step.timing is not None else None,
            fee=_fee(step, lang),
            documents=tuple(say(doc, lang) for doc in step.documents),
        )
        for index, step in enumerate(assessment.next_steps, start=1)
    ]


def checklist(assessment: Assessment, lang: Lang) -> list[str]:
    """Every document of the next steps, once: several forms of the same paper (a passport, its
    copy, the passport with its visa) become one line of the checklist."""
    keys = {doc.key for step in assessment.next_steps for doc in step.documents}
    lines = []
    for step in assessment.next_steps:
        for doc in step.documents:
            group = SAME_DOCUMENT.get(doc.key)
            same = keys & set(SAME_DOCUMENT_KEYS[group]) if group is not None else set()
            if len(same) > 1:
                variant = "_visa" if PASSPORT_VISA in same else ""
                lines.append(text(lang, f"result.checklist.{group}{variant}"))
            else:
                lines.append(say(doc, lang))
    return unique(lines)


def shorten(title: str, words: int = SHORT_TITLE_WORDS) -> str:
    """A step's title for the first message: without its asides in parentheses, then up to its
    first ";" or dash when still long, and at most ``words`` words."""
    cut = " ".join(_ASIDE.sub("", title).split())
    if len(cut.split()) > words:
        head = _CLAUSE.split(cut, maxsplit=1)[0].strip()
        cut = head if len(head.split()) >= MIN_CLAUSE_WORDS else cut
    parts = cut.split()
    return cut if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + "…"


def unique(items: Iterable[str]) -> list[str]:
    """Items in order, each once (case and surrounding space ignored)."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out


def _members(family: FamilyResult, lang: Lang, *, to_sponsor: bool) -> tuple[list[MemberGroup], list[str]]:
    """Members with identical outcome and reasons are grouped ("both children"); the reasons every
    group shares are returned apart, to be said once for the whole family."""
    groups: dict[tuple[str, tuple[str, ...]], list[MemberResult]] = {}
    for member in family.members:
        reasons = tuple(unique(say(reason, lang, to_sponsor=to_sponsor) for reason in member.reasons))
        groups.setdefault((member.outcome, reasons), []).append(member)
    shared = set.intersection(*(set(key[1]) for key in groups)) if len(groups) > 1 else set()
    in_order = [r for key in groups for r in key[1] if r in shared]
    out: list[MemberGroup] = []
    for (outcome, reasons), members in groups.items():
        outcome_text = text(lang, f"outcome.family_short.{outcome}")
        dates = sorted({m.eligible_from for m in members if m.eligible_from})
        if dates:
            outcome_text += " " + text(lang, "outcome.eligible_from", from_date=dates[0].isoformat())
        out.append(
            MemberGroup(
                who=capitalised(_who(members, lang)),
                outcome=outcome_text,
                reasons=tuple(r for r in reasons if r not in shared),
            )
        )
    return out, unique(in_order)


def capitalised(phrase: str) -> str:
    """A phrase that starts a line ("both children" → "Both children")."""
    return phrase[:1].upper() + phrase[1:]


def _who(members: list[MemberResult], lang: Lang) -> str:
    relations = unique(member.relation for member in members)
    if len(members) == 1:
        return text(lang, f"outcome.relation.{members[0].relation}")
    if len(relations) == 1:
        plural = text(lang, f"result.relations.{relations[0]}")
        if len(members) == 2:
            return text(lang, "result.members.both", relations=plural)
        return text(lang, "result.members.all", count=str(len(members)), relations=plural)
    names = unique(text(lang, f"outcome.relation.{member.relation}") for member in members)
    return text(lang, "result.members.list", names=", ".join(names))


def _family_lines(family: FamilyResult, lang: Lang, *, to_sponsor: bool) -> list[str]:
    if family.outcome == "FAM_NONE":
        return []
    lines = []
    for reason in family.reasons:
        lines.append(_basis_line(reason, lang) or say(reason, lang, to_sponsor=to_sponsor))
    return unique(lines)


def _sources(assessment: Assessment, lang: Lang) -> list[Link]:
    """The engine's person-facing sources (ranked by authority, titled in ``lang``, issue 22)."""
    return [
        Link(link.titles.get(lang) or _site(link.url or ""), link.url) for link in assessment.person_sources
    ]


def _review_line(item: Review, lang: Lang, said: set[str], *, to_sponsor: bool) -> str:
    """What an adviser must check; its reason only when the result has not already said it."""
    title = text(lang, f"review.{item.code}.title")
    reason = say(item.reason, lang, to_sponsor=to_sponsor)
    return title if reason in said else text(lang, "result.review_line", title=title, reason=reason)


def _site(url: str) -> str:
    """A page's site as its title ('https://www.ibz.be/x' → 'ibz.be'): language-neutral and plain."""
    parts = urlsplit(url)
    site = (parts.hostname or url).removeprefix("www.")
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    words = [word for word in re.split(r"[-_\s]+", last) if word.isalpha()]
    if len(words) < 2:
        return site
    title = " ".join(words[:SOURCE_TITLE_WORDS]) + ("…" if len(words) > SOURCE_TITLE_WORDS else "")
    return f"{site} – {title}"


def about_lines(answers: Answers | None, lang: Lang) -> list[str]:
    """Whose situation a result describes, in a few plain lines (for the PDF): nationality, what the
    person wants to do in Belgium and who would come with them. Empty without the answers."""
    if answers is None:
        return []
    lines = []
    if answers.nationalities:
        names = ", ".join(country_name(code, lang) for code in answers.nationalities)
        lines.append(text(lang, "result.about.nationality", countries=names))
    if answers.purposes:
        purposes = " · ".join(text(lang, f"question.purposes.option.{p}") for p in answers.purposes)
        lines.append(text(lang, "result.about.purposes", purposes=purposes))
    if answers.members:
        relations: list[str] = [member.relation for member in answers.members]
        who = ", ".join(
            text(lang, f"outcome.relation.{relation}")
            + (f" ({relations.count(relation)})" if relations.count(relation) > 1 else "")
            for relation in unique(relations)
        )
        lines.append(text(lang, "result.about.family", members=who))
    return lines


def build_view(
    assessment: Assessment, lang: Lang, *, today: date | None = None, answers: Answers | None = None
) -> ResultView:
    """The person-facing result of ``assessment`` in ``lang``; the steps' dates are said from
    ``today`` (by default the day of the result), and ``answers`` say whose result it is."""
    assessed = assessment.assessed_on or assessment.reference_date
    day = today or assessed
    best = assessment.routes[0] if assessment.routes else None
    closest = closest_route(assessment)
    explained = closest or best
    if explained is not None and explained.code == NO_ROUTE and assessment.family.outcome != "FAM_NONE":
        explained = None  # asking only about the family: no "no route" line (as in the verdict)
    to_sponsor = is_sponsor(assessment)
    members, shared = _members(assessment.family, lang, to_sponsor=to_sponsor)
    family_lines = unique([*_family_lines(assessment.family, lang, to_sponsor=to_sponsor), *shared])
    basis = unique(
        [
            *(_routes_basis(explained, lang)[:1] if explained else []),
            *[line for r in assessment.family.reasons if (line := _basis_line(r, lang))][:1],
        ]
    )
    why = unique(
        (_basis_line(reason, lang) or say(reason, lang))
        for reason in (explained.reasons if explained else [])
    )
    why += unique(
        text(lang, f"result.warning.{w}")
        for w in (explained.warnings if explained else [])
        if w != "AMOUNT_TO_CONFIRM"
    )
    family = assessment.family
    route_notes = _staleness(assessment, lang, best.thresholds, best.reasons) if best else []
    family_notes = _staleness(assessment, lang, family.thresholds, family.reasons)
    family_lines = _after_its_amount(family_lines, family_notes, lang)
    if _housing_only(assessment):
        family_lines.append(text(lang, "result.family.housing_hint"))
    others = [
        text(lang, f"result.other.{route.status}", route=_route_name(route, lang))
        for route in assessment.routes[1:]
        if route.status != "not_met"
    ]
    said = {*why, *family_lines, *(reason for group in members for reason in group.reasons)}
    reviews = [_review_line(item, lang, said, to_sponsor=to_sponsor) for item in assessment.review]
    missing = None
    if assessment.missing:
        fields = ", ".join(text(lang, f"outcome.field.{name}") for name in assessment.missing)
        missing = text(lang, "outcome.missing", fields=fields)
    steps = _steps(assessment, lang, day)
    return ResultView(
        lang=lang,
        verdict=tuple(_verdict(assessment, lang)),
        basis=tuple(basis),
        steps=tuple(steps),
        documents=tuple(checklist(assessment, lang)),
        why=tuple(why),
        staleness=tuple(note for _, note in route_notes),
        other_routes=tuple(unique(others)),
        family=tuple(family_lines),
        members=tuple(members),
        reviews=tuple(reviews),
        notices=tuple(unique(say(notice, lang) for notice in assessment.notices)),
        sources=tuple(_sources(assessment, lang)),
        missing=missing,
        footer=text(lang, "result.footer", on_date=assessed.isoformat()),
        disclaimer=text(lang, "outcome.disclaimer"),
        assessed_on=assessed,
        dated_steps=tuple(step for step in steps if step.due is not None),
        advice_note=text(lang, "result.not_advice"),
        about=tuple(about_lines(answers, lang)),
        today=day,
    )
