"""Properties every assessment must have, whatever the answers (hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import FAMILY_OUTCOME_ORDER, Answers, Assessment, Message, assess, source_register
from bot.i18n import LANGS, catalog
from bot.render import render_assessment_text
from tests.engine.strategies import answers

ON = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _messages(assessment: Assessment) -> list[Message]:
    found: list[Message] = []
    for route in assessment.routes:
        found += route.reasons
    found += assessment.family.reasons
    for member in assessment.family.members:
        found += member.reasons
    found += [item.reason for item in assessment.review]
    for step in assessment.next_steps:
        found += [step.title, *step.documents]
        found += [m for m in (step.timing, step.fee) if m is not None]
    found += assessment.notices
    return found


def _cited_sources(assessment: Assessment) -> set[str]:
    cited: set[str] = set()
    for route in assessment.routes:
        cited |= set(route.sources)
        for use in route.thresholds:
            cited |= set(use.sources)
    cited |= set(assessment.family.sources)
    for member in assessment.family.members:
        cited |= set(member.sources)
    for use in assessment.family.thresholds:
        cited |= set(use.sources)
    for step in assessment.next_steps:
        cited |= set(step.sources)
    return cited


@SETTINGS
@given(answers, ON)
def test_every_source_cited_exists_in_the_register(given_answers: Answers, on: date) -> None:
    assessment = assess(given_answers, on=on)
    assert _cited_sources(assessment) <= source_register().keys()


@SETTINGS
@given(answers, ON)
def test_every_message_exists_in_every_language(given_answers: Answers, on: date) -> None:
    assessment = assess(given_answers, on=on)
    for lang in LANGS:
        known = catalog(lang)
        for message in _messages(assessment):
            assert message.key in known, (lang, message.key)
        review_titles = {f"review.{item.code}.title" for item in assessment.review}
        assert review_titles <= known.keys(), lang


@SETTINGS
@given(answers, ON)
def test_shape_of_every_assessment(given_answers: Answers, on: date) -> None:
    assessment = assess(given_answers, on=on)
    assert assessment.routes, "at least one route (NO_ROUTE when none holds)"
    assert assessment.route_code == assessment.routes[0].code
    if assessment.route_code != "NO_ROUTE":
        assert assessment.routes[0].status in ("eligible", "review")
    family = assessment.family
    if family.members:
        worst = min((m.outcome for m in family.members), key=FAMILY_OUTCOME_ORDER.index)
        assert family.outcome == worst
    else:
        assert family.outcome == "FAM_NONE"
    assert all(item.code.startswith("RV-") for item in assessment.review)
    assert len(assessment.missing) == len(set(assessment.missing))
    assert set(assessment.missing) <= Answers.model_fields.keys()


@settings(max_examples=40, deadline=None)
@given(answers, ON, st.sampled_from(LANGS))
def test_text_rendering_never_shows_a_raw_key(given_answers: Answers, on: date, lang: str) -> None:
    rendered = render_assessment_text(assess(given_answers, on=on), lang)  # type: ignore[arg-type]
    for key in ("outcome.", "review.RV", "route.", "family.", "step."):
        assert not any(line.strip().startswith(key) for line in rendered.splitlines()), rendered


@SETTINGS
@given(answers, ON)
def test_a_review_always_names_what_to_check(given_answers: Answers, on: date) -> None:
    """A route verdict an adviser must check always comes with at least one review code, so "see the
    points under needs review" never points at an empty list. (NO_ROUTE is not the verdict when the
    family outcome stands for it, as in the next steps.)"""
    assessment = assess(given_answers, on=on)
    best = assessment.routes[0]
    family_stands_in = assessment.family.outcome != "FAM_NONE"
    under_review = best.status == "review" and not (best.code == "NO_ROUTE" and family_stands_in)
    if under_review:
        assert assessment.review, [(r.code, r.rule, r.status) for r in assessment.routes]
