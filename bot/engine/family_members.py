"""One family member's outcome (rules.md §3.1, §3.3, §3.5, §3.6, §3.7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.engine.answers import Answers, Member, Relation
from bot.engine.assessment import FAMILY_OUTCOME_ORDER, FamilyOutcome, MemberResult, RuleSet
from bot.engine.context import Findings
from bot.engine.cutoff import is_recorded, uncertain_near_cutoff
from bot.engine.derive import add_months, add_years, age_at, in_list, nth_birthday
from bot.engine.family_income import IncomeVerdict
from bot.engine.family_rules import (
    ADULT_AGE,
    DURABLE_COHABITATION_MONTHS,
    DURABLE_KNOWN_YEARS,
    DURABLE_MEETING_DAYS,
    DURABLE_MEETINGS,
    EU_DESCENDANT_AGE,
    EXOFFICIO_RELATIONS,
    EXOFFICIO_WINDOW_MONTHS,
    OLD_COHABITATION_MONTHS,
    OLD_WAITING_MONTHS,
    PARTNER_AGE_NEW,
    PARTNER_AGE_OLD,
    PARTNER_AGE_OLD_EXCEPTION,
    WHO_MAY_JOIN,
    sources_of,
)
from bot.engine.family_sponsor import LISTED_CATEGORIES, Sponsor
from bot.engine.message import Message, ParamValue, msg

CHILD_RELATIONS: frozenset[str] = frozenset({"child_minor", "child_adult", "child_adult_disabled"})
REGISTERED_PARTNERS: frozenset[str] = frozenset({"partner_registered_equivalent", "partner_registered_other"})


@dataclass(frozen=True)
class FamilyCase:
    """Everything a member's assessment depends on, decided once for the family."""

    answers: Answers
    findings: Findings
    sponsor: Sponsor
    rule_set: RuleSet | None
    day: date  # the family application date (or the reference date)
    income: IncomeVerdict = field(default_factory=lambda: IncomeVerdict("not_applicable"))
    gross_meets_exofficio: bool = False  # EX-2b
    on: date | None = None  # the day of the assessment: dates up to it are recorded facts
    renewing: bool = False  # the person renews the family residence they hold (RN-1…RN-4)


@dataclass
class MemberDraft:
    """A member's assessment being built: partial verdicts, rule IDs and reasons."""

    member: Member
    relation: Relation
    verdicts: list[tuple[FamilyOutcome, date | None]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    reasons: list[Message] = field(default_factory=list)
    exofficio: bool = False
    resident: bool = False

    def note(self, rule: str | None, key: str, **params: ParamValue) -> None:
        """Record a rule that was applied and the sentence explaining it."""
        if rule and rule not in self.rules:
            self.rules.append(rule)
        self.reasons.append(msg(key, **params))

    def verdict(self, outcome: FamilyOutcome, eligible_from: date | None = None) -> None:
        """Record a partial outcome; the member's outcome is the least favourable one."""
        self.verdicts.append((outcome, eligible_from))

    @property
    def outcome(self) -> FamilyOutcome:
        """The least favourable partial verdict (FAM_OE, or FAM_EXOFFICIO, when nothing blocks)."""
        if self.resident:
            return "FAM_NONE"
        default: FamilyOutcome = "FAM_EXOFFICIO" if self.exofficio else "FAM_OE"
        outcomes = [outcome for outcome, _ in self.verdicts] + [default]
        return min(outcomes, key=FAMILY_OUTCOME_ORDER.index)

    @property
    def excluded(self) -> bool:
        """True when the member cannot join at all (does not count as an applicant for income)."""
        return any(outcome == "FAM_NOT_ELIGIBLE" for outcome, _ in self.verdicts)

    def result(self) -> MemberResult:
        """The finished :class:`MemberResult`."""
        outcome = self.outcome
        eligible_from = None
        if outcome == "FAM_NOT_YET":
            eligible_from = max(d for o, d in self.verdicts if o == "FAM_NOT_YET" and d is not None)
        return MemberResult(
            relation=self.member.relation,
            outcome=outcome,
            eligible_from=eligible_from,
            rules=self.rules,
            reasons=self.reasons,
            sources=sources_of(self.rules),
        )


def effective_relation(member: Member, day: date) -> Relation:
    """The relation with children classified by their age on the application day (FR-CH-1/2)."""
    if member.relation in CHILD_RELATIONS and member.dob is not None:
        if age_at(member.dob, day) < ADULT_AGE:
            return "child_minor"
        if member.relation == "child_minor":
            return "child_adult"
    return member.relation


def _dob_field(sponsor: Sponsor) -> str:
    return "dob" if sponsor.is_respondent else "sponsor_dob"


def start_relation(case: FamilyCase, member: Member) -> MemberDraft:
    """§3.1 who may join whom, and FR-CH-1…4 / FR-PART-3 for this member."""
    relation = effective_relation(member, case.day)
    draft = MemberDraft(member, relation)
    if member.resident_with_sponsor:
        draft.resident = True
        key = "family.member.resident_counted" if member.dependent else "family.member.resident_not_counted"
        draft.note(None, key)
        return draft
    group = case.sponsor.group
    if group is None:
        draft.note("RS-X" if case.sponsor.type else None, "family.member.sponsor_review")
        draft.verdict("FAM_REVIEW")
        return draft
    if member.relation in CHILD_RELATIONS and member.dob is None:
        case.findings.need("members")
        draft.note(None, "family.member.dob_missing")
    rule = WHO_MAY_JOIN[group][relation]
    kind = rule.kind
    if kind == "eu_descendant":
        if member.dob is not None and age_at(member.dob, case.day) < EU_DESCENDANT_AGE:
            draft.note(rule.rule, "family.member.descendant_eu_young")
            return draft
        kind = "dependent"
    if kind == "partner":
        _partner_rules(case, draft)
    elif kind == "eligible":
        draft.note(rule.rule, rule.key, application_date=case.day.isoformat())
    elif kind == "not_eligible":
        draft.note(rule.rule, rule.key)
        draft.verdict("FAM_NOT_ELIGIBLE")
        if rule.review:
            case.findings.review(rule.review, rule.key)
    elif kind == "review":
        draft.note(rule.rule, rule.key)
        draft.verdict("FAM_REVIEW")
        if rule.review:
            case.findings.review(rule.review, rule.key)
    elif kind == "dependent":
        if member.dependent:
            draft.note(rule.rule, rule.key)
            draft.verdict("FAM_REVIEW")
            case.findings.review(rule.review or "RV-10", rule.key)
        else:
            draft.note(rule.rule, "family.member.not_dependent")
            draft.verdict("FAM_NOT_ELIGIBLE")
    elif kind == "parent_of_minor":
        _parent_of_belgian(case, draft, rule.rule)
    return draft


def _parent_of_belgian(case: FamilyCase, draft: MemberDraft, rule: str) -> None:
    sponsor_dob = case.sponsor.dob
    if sponsor_dob is None:
        case.findings.need(_dob_field(case.sponsor))
        draft.note(rule, "family.member.parent_belgian_unknown")
        draft.verdict("FAM_REVIEW")
    elif age_at(sponsor_dob, case.day) < ADULT_AGE:
        draft.note(rule, "family.member.parent_belgian")
    else:
        draft.note(rule, "family.member.parent_belgian_adult")
        draft.verdict("FAM_NOT_ELIGIBLE")


def _partner_rules(case: FamilyCase, draft: MemberDraft) -> None:
    """FR-AGE-N/O, FR-PART-1/2, durable relationship, waiting periods (RV-09)."""
    draft.note(None, "family.member.partner", relation_key=f"outcome.relation.{draft.relation}")
    if case.sponsor.group == "eu" and draft.relation == "spouse":
        # The spouse of an EU citizen has no minimum age (the 21/18 rule is for partners, P83).
        draft.note("WHO-EU", "family.member.eu_spouse_age")
    elif case.rule_set == "NEW":
        _age_new(case, draft)
    else:
        _age_old(case, draft)
    if case.rule_set == "NEW":
        if draft.relation in REGISTERED_PARTNERS:
            _durable(case, draft, "FR-PART-1")
        _formed_after_new(case, draft)
        return
    if draft.relation == "partner_registered_equivalent":
        draft.note("FR-PART-2", "family.member.equivalent_old")
    elif draft.relation == "partner_registered_other":
        _durable(case, draft, "DURABLE-OLD")
    _waiting_old(case, draft)


def _dobs(case: FamilyCase, draft: MemberDraft) -> tuple[date, date] | None:
    sponsor_dob, member_dob = case.sponsor.dob, draft.member.dob
    if sponsor_dob is None:
        case.findings.need(_dob_field(case.sponsor))
    if member_dob is None:
        case.findings.need("members")
    if sponsor_dob is None or member_dob is None:
        draft.note(None, "family.member.age_unknown")
        draft.verdict("FAM_REVIEW")
        return None
    return sponsor_dob, member_dob


def _age_new(case: FamilyCase, draft: MemberDraft) -> None:
    dobs = _dobs(case, draft)
    if dobs is None:
        return
    from_day = max(nth_birthday(dob, PARTNER_AGE_NEW) for dob in dobs)
    if case.day >= from_day:
        draft.note("FR-AGE-N", "family.member.age_new_ok", age=PARTNER_AGE_NEW)
    else:
        draft.note(
            "FR-AGE-N", "family.member.age_new_not_yet", age=PARTNER_AGE_NEW, from_date=from_day.isoformat()
        )
        draft.verdict("FAM_NOT_YET", from_day)


def _union_before_arrival(case: FamilyCase, member: Member) -> bool:
    """OLD 18-year exception: the union existed before the sponsor came (TCN) or one year of
    cohabitation (Belgian / EU sponsor)."""
    if case.sponsor.group != "tcn":
        return (member.cohabitation_months or 0) >= OLD_COHABITATION_MONTHS
    start = member.relation_start_date
    if start is None:
        return False
    if case.sponsor.right_date is not None:
        return start <= case.sponsor.right_date
    return case.sponsor.right_in_future and start <= case.day


def _age_old(case: FamilyCase, draft: MemberDraft) -> None:
    dobs = _dobs(case, draft)
    if dobs is None:
        return
    from_21 = max(nth_birthday(dob, PARTNER_AGE_OLD) for dob in dobs)
    if case.day >= from_21:
        draft.note("FR-AGE-O", "family.member.age_old_ok", age=PARTNER_AGE_OLD)
        return
    if _union_before_arrival(case, draft.member):
        from_18 = max(nth_birthday(dob, PARTNER_AGE_OLD_EXCEPTION) for dob in dobs)
        if case.day >= from_18:
            draft.note("FR-AGE-O", "family.member.age_old_exception", age=PARTNER_AGE_OLD_EXCEPTION)
            return
        from_day = from_18
    else:
        from_day = from_21
    draft.note("FR-AGE-O", "family.member.age_old_not_yet", from_date=from_day.isoformat())
    draft.verdict("FAM_NOT_YET", from_day)


def _durable(case: FamilyCase, draft: MemberDraft, rule: str) -> None:
    """Durable relationship (P59): 12 months' cohabitation; or known 2 years with 3 meetings of
    45 days in total; or a common child."""
    member = draft.member
    proofs = []
    if (member.cohabitation_months or 0) >= DURABLE_COHABITATION_MONTHS:
        proofs.append("cohabitation")
    if (
        member.known_since is not None
        and add_years(member.known_since, DURABLE_KNOWN_YEARS) <= case.day
        and (member.meetings_count or 0) >= DURABLE_MEETINGS
        and (member.meetings_days_total or 0) >= DURABLE_MEETING_DAYS
    ):
        proofs.append("meetings")
    if member.common_child:
        proofs.append("common_child")
    if proofs:
        draft.note(rule, "family.member.durable_ok", proof_key=f"family.durable.{proofs[0]}")
        return
    evidence = (
        member.cohabitation_months,
        member.known_since,
        member.meetings_count,
        member.meetings_days_total,
        member.common_child,
    )
    if all(value is None for value in evidence):
        case.findings.need("members")
        key = "family.member.durable_missing"
    else:
        key = "family.member.durable_insufficient"
    draft.note(rule, key)
    draft.verdict("FAM_REVIEW")
    case.findings.review("RV-11", key)


def _formed_after_new(case: FamilyCase, draft: MemberDraft) -> None:
    """RV-09: under the NEW rules a family formed after the sponsor's right may face a waiting period."""
    start, right = draft.member.relation_start_date, case.sponsor.right_date
    if case.sponsor.group != "tcn" or start is None or right is None or start <= right:
        return
    draft.note(
        "WAIT-NEW",
        "family.member.formed_after_new",
        start_date=start.isoformat(),
        right_date=right.isoformat(),
    )
    draft.verdict("FAM_REVIEW")
    case.findings.review(
        "RV-09", "family.member.formed_after_new", start_date=start.isoformat(), right_date=right.isoformat()
    )


def _waiting_old(case: FamilyCase, draft: MemberDraft) -> None:
    """OLD rules, unlimited-stay sponsor: 12 months' wait unless the union pre-existed or a common
    child (P41)."""
    start, right = draft.member.relation_start_date, case.sponsor.right_date
    if case.sponsor.type != "tcn_unlimited" or start is None or right is None or start <= right:
        return
    if draft.member.common_child:
        return
    until = add_months(right, OLD_WAITING_MONTHS)
    if case.day < until:
        draft.note("WAIT-OLD", "family.member.waiting_old", from_date=until.isoformat())
        draft.verdict("FAM_NOT_YET", until)


def finish_conditions(case: FamilyCase, draft: MemberDraft) -> None:
    """§3.3 conditions (income, housing, insurance), nationality notes (§3.7) and the ex-officio
    visa (§3.6) for a member who may join."""
    if draft.resident or draft.excluded or case.sponsor.group is None:
        return
    answers = case.answers
    for rule in case.income.rules:
        if rule not in draft.rules:
            draft.rules.append(rule)
    if case.income.status == "review":
        draft.note(None, "family.member.income_review")
        draft.verdict("FAM_REVIEW")
    elif case.income.status == "unknown":
        draft.note(None, "family.member.income_unknown")
        draft.verdict("FAM_REVIEW")
    if answers.housing_ok in ("no", "unsure"):
        draft.note("HOUSING", f"family.member.housing_{answers.housing_ok}")
        draft.verdict("FAM_REVIEW")
        case.findings.review("RV-18", f"family.member.housing_{answers.housing_ok}")
    elif answers.housing_ok is None:
        case.findings.need("housing_ok")
    if answers.insurance_ok in ("no", "unsure"):
        draft.note(None, "family.member.insurance")
    elif answers.insurance_ok is None:
        case.findings.need("insurance_ok")
    nationality = draft.member.nationality
    if in_list(nationality, "turkey"):
        draft.note("NAT-TR", "family.member.nationality_tr")
    if in_list(nationality, "eu_eea_ch"):
        draft.note("NAT-EU", "family.member.nationality_eu")
    if case.sponsor.exofficio_candidate and not case.renewing:  # a renewal needs no visa (F-4)
        _exofficio(case, draft)


def _exofficio(case: FamilyCase, draft: MemberDraft) -> None:
    """EX-1…EX-6 and EX-FAIL (S001): may the embassy issue the visa itself?"""
    if draft.relation not in EXOFFICIO_RELATIONS:
        draft.note("EX-1", "family.exofficio.relation", relation_key=f"outcome.relation.{draft.relation}")
        draft.note("EX-FAIL", "family.exofficio.fail")
        return
    if draft.member.location == "belgium":
        draft.note("EX-1", "family.exofficio.in_belgium")
        draft.note("EX-FAIL", "family.exofficio.fail")
        return
    checks = [
        _ex2_category_or_income(case, draft),
        _ex3_family_before_permit(case, draft),
        _ex4_window(case, draft),
        _ex5_conditions(case, draft),
        _ex6_nationality_and_flags(case, draft),
    ]
    if all(checks):
        draft.exofficio = True
        draft.note("EX-6", "family.exofficio.ok")
    elif draft.outcome == "FAM_OE":
        draft.note("EX-FAIL", "family.exofficio.fail")


def _ex2_category_or_income(case: FamilyCase, draft: MemberDraft) -> bool:
    category = case.sponsor.category
    if category in LISTED_CATEGORIES:
        draft.note("EX-2", "family.exofficio.category", category_key=f"family.category.{category}")
        return True
    if case.income.status == "ok":
        key = "family.exofficio.income_path_ict" if category == "ict" else "family.exofficio.income_path"
        draft.note("EX-2", key)
        return True
    if category == "ict":
        draft.note("EX-2", "family.exofficio.ict")
        draft.verdict("FAM_REVIEW")
        case.findings.review("RV-03", "family.exofficio.ict")
    if case.gross_meets_exofficio:
        draft.note("EX-2b", "family.exofficio.probably_gross")
        draft.verdict("FAM_REVIEW")
        case.findings.review("RV-23", "family.exofficio.probably_gross")
    elif category != "ict":
        draft.note("EX-2", "family.exofficio.not_listed")
    return False


def _ex3_family_before_permit(case: FamilyCase, draft: MemberDraft) -> bool:
    member, sponsor = draft.member, case.sponsor
    start = member.relation_start_date
    if start is None and draft.relation == "child_minor":
        start = member.dob
    if start is None and sponsor.right_in_future:
        # a family member today is family before a permit still to be granted: the date adds nothing
        draft.note("EX-3", "family.exofficio.formed_before_grant")
        return True
    if start is None:
        case.findings.need("members")
        draft.note("EX-3", "family.exofficio.start_unknown")
        return False
    if sponsor.right_date is not None:
        if start <= sponsor.right_date:
            draft.note("EX-3", "family.exofficio.formed_before", right_date=sponsor.right_date.isoformat())
            return True
        draft.note("EX-3", "family.exofficio.formed_after", right_date=sponsor.right_date.isoformat())
        return False
    if sponsor.right_in_future and start <= case.day:
        draft.note("EX-3", "family.exofficio.formed_before_grant")
        return True
    case.findings.need("sponsor_right_date")
    draft.note("EX-3", "family.exofficio.right_unknown")
    return False


def _ex4_window(case: FamilyCase, draft: MemberDraft) -> bool:
    visa_date = case.answers.worker_visa_date
    if visa_date is not None:
        deadline = add_months(visa_date, EXOFFICIO_WINDOW_MONTHS)
        recorded = is_recorded(case.on or date.min, case.answers.family_application_date, visa_date)
        if uncertain_near_cutoff(case.day, deadline, recorded=recorded):
            case.findings.review("RV-15", "family.review.window_end", deadline_date=deadline.isoformat())
        if case.day <= deadline:
            draft.note("EX-4", "family.exofficio.window_ok", deadline_date=deadline.isoformat())
            return True
        draft.note("EX-4", "family.exofficio.window_passed", deadline_date=deadline.isoformat())
        return False
    if case.sponsor.is_respondent and not case.sponsor.in_belgium:
        draft.note("EX-4", "family.exofficio.together", months=EXOFFICIO_WINDOW_MONTHS)
        return True
    if not case.sponsor.is_respondent:
        case.findings.need("worker_visa_date")
    draft.note("EX-4", "family.exofficio.status_change")
    draft.verdict("FAM_REVIEW")
    case.findings.review("RV-15", "family.exofficio.status_change")
    return False


def _ex5_conditions(case: FamilyCase, draft: MemberDraft) -> bool:
    if draft.outcome != "FAM_OE":
        return False
    if case.answers.insurance_ok in ("no", "unsure") or case.answers.housing_ok is None:
        draft.note("EX-5", "family.exofficio.conditions_open")
        return False
    return True


def _ex6_nationality_and_flags(case: FamilyCase, draft: MemberDraft) -> bool:
    nationality = draft.member.nationality
    passed = True
    if nationality is None:
        case.findings.need("members")
        draft.note("EX-6", "family.exofficio.nationality_unknown")
        passed = False
    elif in_list(nationality, "never_exofficio"):
        draft.note("EX-6", "family.exofficio.nationality", nationality=nationality)
        passed = False
    if case.answers.red_flags:
        draft.note("EX-6", "family.exofficio.signalled")
        passed = False
    elif case.answers.red_flags is None:
        case.findings.need("red_flags")
        passed = False
    return passed
