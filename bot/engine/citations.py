"""Which sources an assessment rests on, ranked by authority, and the few a person is shown
(issue 22; the register is ``data/sources.csv``, rules.md §0).

Order: the competent authority's own page first (Region, Immigration Office, FPS, commune), then
the law, then public institutions, professional firms and the press that quote them; within one
authority, what the verdict rests on (route, family, amounts) before what a step cites. A person
sees at most :data:`MAX_PERSON_SOURCES` titled links about their region (or national), never a
blog, an agency, a party site or a copy; operators see every source cited, marked.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.assessment import FamilyResult, NextStep, RouteResult, SourceLink
from bot.engine.sources import AUTHORITIES, TITLE_LANGS, Source, source_register

MAX_PERSON_SOURCES = 5


# A source cited only by a step (a fee, a deadline) reaches the person only when it is the authority's
# own page or the law; the firms and institutions behind a step stay in the operators' list.
STEP_ONLY_AUTHORITIES: frozenset[str] = frozenset({"official", "law"})


def _cited(routes: list[RouteResult], family: FamilyResult, steps: Iterable[NextStep]) -> dict[str, int]:
    """Source IDs in the order the result relies on them, each with its tier: 0 for what the
    verdict rests on (the best route — with the closest one when none holds —, the family, their
    amounts), 1 for what only a step cites."""
    decision: list[str] = []
    explaining = routes[:2] if routes and routes[0].code == "NO_ROUTE" else routes[:1]
    for route in explaining:
        decision += route.sources + [s for use in route.thresholds for s in use.sources]
    decision += family.sources + [s for use in family.thresholds for s in use.sources]
    decision += [s for member in family.members for s in member.sources]
    tiers = dict.fromkeys(decision, 0)
    for step in steps:
        for source_id in step.sources:
            tiers.setdefault(source_id, 1)
    return tiers


def _link(source: Source, region: str | None, tier: int) -> SourceLink:
    shown = (
        source.shown_to_person
        and source.concerns(region)
        and (tier == 0 or source.authority in STEP_ONLY_AUTHORITIES)
    )
    return SourceLink(
        id=source.id,
        authority=source.authority,
        url=source.url,
        titles={lang: source.title(lang) for lang in TITLE_LANGS},
        checked=source.checked,
        shown_to_person=shown,
    )


def rank_sources(
    routes: list[RouteResult],
    family: FamilyResult,
    steps: Iterable[NextStep],
    region: str | None,
    register: dict[str, Source] | None = None,
) -> tuple[list[SourceLink], list[SourceLink]]:
    """(every cited source ranked and marked, the at most five a person sees): by authority, then
    what the verdict rests on before what a step cites, then the order of citation."""
    known = register if register is not None else source_register()
    tiers = _cited(routes, family, steps)
    order = {source_id: index for index, source_id in enumerate(tiers)}
    cited = [known[source_id] for source_id in tiers if source_id in known]
    ranked = sorted(cited, key=lambda src: (AUTHORITIES.index(src.authority), tiers[src.id], order[src.id]))
    links = [_link(source, region, tiers[source.id]) for source in ranked]
    seen_urls: set[str] = set()
    person: list[SourceLink] = []
    for link in links:
        if link.shown_to_person and link.url not in seen_urls and len(person) < MAX_PERSON_SOURCES:
            seen_urls.add(link.url or "")
            person.append(link)
    return links, person
