"""Family-reunification rules (rules.md §3): the family's outcome and each member's.

The work is split by topic: ``family_sponsor`` (who sponsors, which rule set), ``family_income``
(§3.4), ``family_members`` (§3.1, §3.5, §3.6) and ``family_rules`` (dates, ages, tables, sources).
"""

from __future__ import annotations

from datetime import date

from bot.engine.answers import Answers
from bot.engine.assessment import (
    FAMILY_OUTCOME_ORDER,
    FamilyOutcome,
    FamilyResult,
    Renewal,
    RouteResult,
    ThresholdUse,
)
from bot.engine.context import Context, Findings
from bot.engine.cutoff import is_recorded
from bot.engine.derive import add_months
from bot.engine.family_income import Household, IncomeVerdict, assess_income
from bot.engine.family_members import FamilyCase, MemberDraft, finish_conditions, start_relation
from bot.engine.family_renewal import decide_renewal, renewal_day, renewal_facts
from bot.engine.family_rules import UNLIMITED_STAY_MONTHS_FOR_EXEMPTION, sources_of
from bot.engine.family_sponsor import LISTED_CATEGORIES, Sponsor, choose_rule_set, identify_sponsor
from bot.engine.message import Message, msg


def household_of(drafts: list[MemberDraft]) -> Household:
    """N and the related counts of rules.md §3.4 from the members' relations (ineligible applicants
    do not count: they will not join)."""
    applicants = [d for d in drafts if not d.resident and not d.excluded]
    residents = [d for d in drafts if d.resident and d.member.dependent]
    counted = applicants + residents
    return Household(
        dependants=len(counted),
        non_minor_dependants=sum(1 for d in counted if d.relation != "child_minor"),
        applicants=len(applicants),
        only_minor_children_apply=bool(applicants) and all(d.relation == "child_minor" for d in applicants),
    )


def _exemption_possible(sponsor: Sponsor, household: Household, day: date) -> bool:
    """FR-INC-5: only minor children apply to a Belgian, or one child to an unlimited-stay sponsor
    settled for 12 months."""
    if not household.only_minor_children_apply:
        return False
    if sponsor.type == "belgian":
        return True
    return (
        sponsor.type == "tcn_unlimited"
        and household.applicants == 1
        and sponsor.right_date is not None
        and add_months(sponsor.right_date, UNLIMITED_STAY_MONTHS_FOR_EXEMPTION) <= day
    )


def _gross_exofficio(
    answers: Answers, ctx: Context, sponsor: Sponsor, day: date
) -> tuple[bool, list[ThresholdUse]]:
    """EX-2b: gross monthly salary ≥ EXOFF_GROSS (S004, P38) for a worker outside S001's list."""
    if not (sponsor.exofficio_candidate and sponsor.is_respondent) or sponsor.category in LISTED_CATEGORIES:
        return False, []
    if answers.salary_month_base is not None:
        gross = answers.salary_month_base
    elif answers.salary_year is not None:
        gross = answers.salary_year / 12
    else:
        return False, []
    check = ctx.table.meets(gross, "EXOFF_GROSS", day, config=ctx.config)
    if check.row is None:
        return False, []
    return check.passes, [check.row.use(day)]


def _family_outcome(drafts: list[MemberDraft]) -> FamilyOutcome:
    outcomes = [d.outcome for d in drafts if not d.resident]
    if not outcomes:
        return "FAM_NONE"
    return min(outcomes, key=FAMILY_OUTCOME_ORDER.index)


def _renewal_outcome(income: IncomeVerdict) -> FamilyOutcome:
    """A renewal described without the member list (the person renews their own card): the income
    condition decides between a renewal to file (the Immigration Office decides on the extension,
    FAM_OE) and one an adviser checks first."""
    return "FAM_OE" if income.status in ("ok", "not_applicable") else "FAM_REVIEW"


def evaluate_family(
    answers: Answers, ctx: Context, findings: Findings, routes: list[RouteResult]
) -> FamilyResult:
    """The family's outcome (least favourable member first) and each member's."""
    facts = renewal_facts(answers)
    renewing = facts is not None
    if not (answers.has("bring_family") or answers.has("join_family")) or not (answers.members or renewing):
        return FamilyResult()
    day = answers.family_application_date or ctx.ref_date
    sponsor = identify_sponsor(answers, routes, findings)
    renewal: Renewal | None = None
    if facts is not None:  # RN-1…RN-4: the rule set of the first grant, filed at the commune
        renewal, decision = decide_renewal(answers, ctx, sponsor, findings, facts)
        day = renewal_day(answers, ctx, facts)
    else:
        if answers.family_application_date is None:
            findings.need("family_application_date")
        application_recorded = is_recorded(ctx.on, answers.family_application_date)
        decision = choose_rule_set(sponsor, day, ctx.on, findings, application_recorded=application_recorded)
    rule_set = decision.rule_set or ("NEW" if sponsor.group is not None else None)
    reasons: list[Message] = [*sponsor.reasons, decision.reason]
    family_rules = [decision.rule] if decision.rule else []

    base_case = FamilyCase(answers, findings, sponsor, rule_set, day, on=ctx.on, renewing=renewing)
    drafts = [start_relation(base_case, member) for member in answers.members or []]
    household = household_of(drafts)
    if renewing and not drafts:  # the person renewing is the one family member the income covers
        household = Household(
            dependants=1, non_minor_dependants=1, applicants=1, only_minor_children_apply=False
        )
    income = IncomeVerdict("not_applicable")
    if rule_set is not None and sponsor.group is not None:
        income = assess_income(
            answers,
            ctx,
            findings,
            day=day,
            rule_set=rule_set,
            sponsor=sponsor,
            household=household,
            exemption_possible=_exemption_possible(sponsor, household, day),
        )
    reasons += income.reasons
    family_rules += income.rules
    gross_ok, gross_rows = _gross_exofficio(answers, ctx, sponsor, day)
    if answers.red_flags:
        findings.review("RV-13", "family.review.red_flags")

    case = FamilyCase(
        answers, findings, sponsor, rule_set, day, income, gross_ok, on=ctx.on, renewing=renewing
    )
    for draft in drafts:
        finish_conditions(case, draft)
    members = [draft.result() for draft in drafts if not draft.resident]  # residents are not joining
    residents = len(drafts) - len(members)
    if residents:
        reasons.append(
            msg("family.residents", count=residents, counted=household.dependants - household.applicants)
        )
    thresholds = income.thresholds + gross_rows
    if renewal is not None:
        family_rules.append("F-4")
    sources = sources_of(family_rules)
    for use in thresholds:
        sources += [s for s in use.sources if s not in sources]
    return FamilyResult(
        outcome=_family_outcome(drafts) if drafts or renewal is None else _renewal_outcome(income),
        rule_set=decision.rule_set,
        income_required=income.required,
        income_required_alt=income.alternative,
        income_declared=answers.sponsor_net_income,
        thresholds=thresholds,
        members=members,
        reasons=reasons,
        sources=sources,
        renewal=renewal,
    )
