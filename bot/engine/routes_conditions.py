"""Named conditions of the employee salary rules (rules.md §2.4–2.6): each returns a :class:`Cond`.

The rule tables in ``routes_employee`` refer to these by name, so the tables stay data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.answers import Answers, Region
from bot.engine.constants import count, day
from bot.engine.context import Context
from bot.engine.cutoff import is_recorded, uncertain_near_cutoff
from bot.engine.derive import age_at, nth_birthday
from bot.engine.message import Message, msg
from bot.engine.routes_base import MET, Cond

FL_FUNCTION_TEST_FROM = day("FL_FUNCTION_TEST")  # HQ only for a highly qualified function
BLUE_CARD_MIN_CONTRACT_MONTHS = count("BLUE_CARD_MIN_CONTRACT")  # Wallonia: directive minimum (K-25)
REDUCED_RATE_AGE = count("REDUCED_RATE_AGE")
JUNIOR_EXPERIENCE_YEARS = count("JUNIOR_EXPERIENCE")


@dataclass(frozen=True)
class ConditionFacts:
    """What a condition may look at."""

    answers: Answers
    ctx: Context
    region: Region


def higher_ed(facts: ConditionFacts) -> Cond:
    """A higher-education degree (bachelor/3 years or level 5, P27)."""
    qualification = facts.answers.qualification
    if qualification is None:
        return Cond(None, missing=("qualification",))
    return Cond(qualification == "higher_ed_3y_plus")


def blue_card_qualification(facts: ConditionFacts) -> Cond:
    """Higher education, or 3 years of ICT-professional experience in the last 7 (FL-BC, P26);
    the experience equivalence is not confirmed for Brussels (spec) nor Wallonia → RV-04."""
    qualification = facts.answers.qualification
    if qualification == "ict_experience_3y_in_last_7y":
        if facts.region == "FL":
            return Cond(True, reason=msg("route.reason.ict_experience_accepted"))
        return Cond(
            None,
            reason=msg("route.reason.ict_experience_unconfirmed", region_key=f"route.region.{facts.region}"),
            reviews=(
                ("RV-04", msg("route.review.ict_experience", region_key=f"route.region.{facts.region}")),
            ),
        )
    return higher_ed(facts)


def executive(facts: ConditionFacts) -> Cond:
    """Declared executive / director."""
    return Cond(facts.answers.has_special("executive_director"))


def athlete(facts: ConditionFacts) -> Cond:
    """Declared professional athlete or coach."""
    return Cond(facts.answers.has_special("professional_athlete_or_coach"))


def artist(facts: ConditionFacts) -> Cond:
    """Declared performing artist (a salary threshold of its own, rules.md §4)."""
    return Cond(facts.answers.has_special("performing_artist"))


def under_30(facts: ConditionFacts) -> Cond:
    """Under 30 on the reference date; the full rate applies from the 30th birthday (P70)."""
    dob = facts.answers.dob
    if dob is None:
        return Cond(None, missing=("dob",))
    if age_at(dob, facts.ctx.ref_date) >= REDUCED_RATE_AGE:
        return Cond(False)
    birthday = nth_birthday(dob, REDUCED_RATE_AGE)
    return Cond(True, reason=msg("route.reason.under_30_until", birthday_date=birthday.isoformat()))


def under_30_or_nurse_teacher(facts: ConditionFacts) -> Cond:
    """Flemish reduced rate: under 30, or a nurse or teacher (P02)."""
    if facts.answers.has_special("nurse") or facts.answers.has_special("teacher"):
        return Cond(True, reason=msg("route.reason.nurse_teacher_rate"))
    return under_30(facts)


def junior(facts: ConditionFacts) -> Cond:
    """Less than 3 years of work experience (Wallonia junior Blue Card, P01)."""
    years = facts.answers.work_experience_years
    if years is None:
        return Cond(None, missing=("work_experience_years",))
    return Cond(years < JUNIOR_EXPERIENCE_YEARS)


def contract_6_months(facts: ConditionFacts) -> Cond:
    """Open-ended contract (0) or at least 6 months (Blue Card)."""
    months = facts.answers.contract_months
    if months is None:
        return Cond(None, missing=("contract_months",))
    if months == 0 or months >= BLUE_CARD_MIN_CONTRACT_MONTHS:
        return MET
    return Cond(
        False,
        reason=msg(
            "route.reason.contract_too_short", months=months, min_months=BLUE_CARD_MIN_CONTRACT_MONTHS
        ),
    )


def local_employer(facts: ConditionFacts) -> Cond:
    """The Flemish reduced rate is for local employment only, not for posted workers (P02)."""
    employer = facts.answers.employer_type
    if employer is None:
        return Cond(None, missing=("employer_type",))
    if employer == "belgian_employer":
        return MET
    return Cond(False, reason=msg("route.reason.reduced_rate_local_only"))


def highly_qualified_function(facts: ConditionFacts) -> Cond:
    """Flanders from 1 January 2026: the function itself must be highly qualified (VKS ≥ 5)."""
    day = facts.ctx.ref_date
    answer = facts.answers.job_is_highly_qualified
    cutoff = FL_FUNCTION_TEST_FROM.isoformat()
    reviews: tuple[tuple[str, Message], ...] = ()
    answers = facts.answers
    recorded = is_recorded(facts.ctx.on, *[d for d in (answers.application_date, answers.start_date) if d])
    if uncertain_near_cutoff(day, FL_FUNCTION_TEST_FROM, recorded=recorded) and answer != "yes":
        reviews = (("RV-15", msg("route.review.function_test_cutoff", cutoff_date=cutoff)),)
    if day < FL_FUNCTION_TEST_FROM:
        return Cond(
            True, reason=msg("route.reason.function_test_not_yet", cutoff_date=cutoff), reviews=reviews
        )
    if answer == "yes":
        return Cond(True, reason=msg("route.reason.function_hq", cutoff_date=cutoff))
    if answer == "no":
        return Cond(False, reason=msg("route.reason.function_not_hq", cutoff_date=cutoff), reviews=reviews)
    if answer == "unsure":
        return Cond(
            None,
            reason=msg("route.reason.function_unsure", cutoff_date=cutoff),
            reviews=(*reviews, ("RV-04", msg("route.review.function_unsure", cutoff_date=cutoff))),
            rule="FL-HQ-?",
        )
    return Cond(
        None,
        reason=msg("route.reason.function_unsure", cutoff_date=cutoff),
        missing=("job_is_highly_qualified",),
        reviews=reviews,
        rule="FL-HQ-?",
    )


CONDITIONS: dict[str, Callable[[ConditionFacts], Cond]] = {
    "higher_ed": higher_ed,
    "blue_card_qualification": blue_card_qualification,
    "executive": executive,
    "athlete": athlete,
    "artist": artist,
    "under_30": under_30,
    "under_30_or_nurse_teacher": under_30_or_nurse_teacher,
    "junior": junior,
    "contract_6_months": contract_6_months,
    "local_employer": local_employer,
    "highly_qualified_function": highly_qualified_function,
}
