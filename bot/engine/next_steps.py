"""Next steps with dates, fees and documents (rules.md §5).

The catalogue (which steps a route or family outcome selects, their deadlines, fees, documents
and sources) is data in ``data/next_steps.toml``; wording is in ``locales/*/steps.toml``. This
module only decides which steps apply, computes the dates from the answers and looks the fees up
in the dated thresholds table on the day they are paid.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.engine.answers import Answers, Region
from bot.engine.assessment import FamilyResult, NextStep, RouteResult
from bot.engine.calendar import next_first_of_january, shift, window_before
from bot.engine.constants import Constant, constants
from bot.engine.context import Context
from bot.engine.derive import (
    academic_year_date,
    add_months,
    age_at,
    in_list,
    nat_group,
    nth_birthday,
    work_region,
)
from bot.engine.family_sponsor import ROUTE_STAY
from bot.engine.message import Message, ParamValue, msg
from bot.engine.thresholds import ThresholdRow, threshold_table

TimingKind = Literal["deadline", "indicative"]

# ---------------------------------------------------------------------------------------------
# The catalogue as typed data


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConditionalDocument(_Data):
    """A document needed only for some routes, regions, purposes or family relations."""

    name: str
    routes: list[str] = Field(default_factory=list)
    not_routes: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    purposes: list[str] = Field(default_factory=list)
    relations: list[str] = Field(default_factory=list)


class StepSpec(_Data):
    """One step of the catalogue."""

    timing_kind: TimingKind
    constant: str | None = None
    due: str | None = None
    when: str | None = None
    fee: str | None = None
    fee_day: Literal["application", "family_application", "due"] = "application"
    timing_exempt: bool = False  # a `timing_exempt` sentence replaces the timing when nothing is paid
    timing_by_rule_set: bool = False  # `timing_old` / `timing_new` by the family's rule set (RN-2 / RN-3)
    cards: list[str] = Field(default_factory=list)
    params: dict[str, str] = Field(default_factory=dict)
    title_variants: dict[str, str] = Field(default_factory=dict)
    documents: list[str] = Field(default_factory=list)
    conditional_documents: list[ConditionalDocument] = Field(default_factory=list)
    sources: list[str]


class OeFee(_Data):
    """The Immigration Office fee of one route."""

    id: str
    alternative: str | None = None
    not_if_card: list[str] = Field(default_factory=list)


class Plans(_Data):
    """Step codes selected by the best route and by the family outcome, in order; the family of an
    EU/EEA/Swiss citizen follows its own procedure (annex 19ter, F card), and a renewal of the
    family residence already held its own (commune window, no visa)."""

    routes: dict[str, list[str]]
    family: dict[str, list[str]]
    family_eu: dict[str, list[str]]
    family_renewal: dict[str, list[str]]


class Catalogue(_Data):
    """The whole ``data/next_steps.toml``, with the constants of ``data/constants.toml``."""

    constants: dict[str, Constant]
    fee_ids: dict[str, str]
    oe_fees: dict[str, OeFee]
    plans: Plans
    steps: dict[str, StepSpec]

    def value(self, path: str) -> int:
        """A constant's field by its 'CONSTANT.field' path."""
        name, _, field_name = path.partition(".")
        return self.constants[name].field_value(field_name)


@cache
def catalogue() -> Catalogue:
    """The next-steps catalogue shipped with the package."""
    text = resources.files("bot.engine").joinpath("data/next_steps.toml").read_text(encoding="utf-8")
    return Catalogue.model_validate({**tomllib.loads(text), "constants": constants()})


# ---------------------------------------------------------------------------------------------
# What every rule sees


@dataclass(frozen=True)
class Situation:
    """The answers and results the steps are planned from."""

    answers: Answers
    ctx: Context
    route: RouteResult
    family: FamilyResult
    cat: Catalogue

    @property
    def region(self) -> Region | None:
        """Region of the activity: the business's for a professional card, else the workplace's."""
        if self.route.code == "PROFESSIONAL_CARD" and self.answers.se_region is not None:
            return self.answers.se_region
        return work_region(self.answers)


@dataclass(frozen=True)
class Due:
    """A computed date with the parameters its timing sentence needs."""

    day: date
    params: dict[str, ParamValue] = field(default_factory=dict)
    variant: str = "dated"
    kind: TimingKind | None = None


@dataclass(frozen=True)
class Fee:
    """What a step costs: the amount (None when not a single figure), the sentence, the sources."""

    amount: float | None
    message: Message
    sources: tuple[str, ...] = ()


def _iso(day: date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------------------------------------
# Predicates (`when`)


def _arriving(s: Situation) -> bool:
    return s.answers.current_location != "belgium" or s.answers.card_type == "none"


# Cards whose holder, already in Belgium, changes status to work (student → worker, search year →
# worker, researcher → worker): the application is made from Belgium (S001), with a new fee (P65).
STATUS_CHANGE_CARDS: frozenset[str] = frozenset({"A-student", "A-search-year", "A-researcher"})
# The routes that give a work permit filed as a single permit (the worker's routes of §3.1 but the
# unlimited permit, which the worker files himself), and the search year's single permit.
SINGLE_PERMIT_ROUTES: frozenset[str] = frozenset(
    {code for code, stay in ROUTE_STAY.items() if stay == "worker"} - {"UNLIMITED"} | {"SEARCH_YEAR_WORK"}
)


def _changing_status(s: Situation) -> bool:
    """A change of status inside Belgium towards a single permit (rules.md §5.2, issue 22)."""
    return (
        s.answers.current_location == "belgium"
        and s.answers.card_type in STATUS_CHANGE_CARDS
        and s.route.code in SINGLE_PERMIT_ROUTES
        and not (s.route.code == "RESEARCHER" and s.answers.card_type == "A-researcher")
    )


def _oe_fee_due(s: Situation) -> bool:
    entry = s.cat.oe_fees.get(s.route.code)
    return entry is not None and s.answers.card_type not in entry.not_if_card


def _fl_fast_lane(s: Situation) -> bool:
    lane = s.cat.constants["FL_FASTLANE"]
    return (
        s.route.code in lane.routes
        and s.region == lane.region
        and (lane.since is None or s.ctx.ref_date >= lane.since)
    )


def _age_based_reduced_rate(s: Situation) -> bool:
    rate = s.cat.constants["REDUCED_RATE_AGE"]
    return s.region == rate.region and not (
        s.answers.has_special("nurse") or s.answers.has_special("teacher")
    )


def _unregistered_partner(s: Situation) -> bool:
    return any(m.relation == "partner_unregistered" for m in s.answers.members or [])


def _graduated_abroad_after_mobility(s: Situation) -> bool:
    return s.answers.mobility_programme is True and s.answers.graduated_be is not True


PREDICATES: dict[str, Callable[[Situation], bool]] = {
    "arriving": _arriving,
    "person_renews": lambda s: s.family.renewal is not None and s.family.renewal.who == "person",
    "member_renews": lambda s: s.family.renewal is not None and s.family.renewal.who == "member",
    "changing_status": _changing_status,
    "not_changing_status": lambda s: not _changing_status(s),
    "oe_fee_due": _oe_fee_due,
    "fl_fast_lane": _fl_fast_lane,
    "not_fl_fast_lane": lambda s: not _fl_fast_lane(s),
    "age_based_reduced_rate": _age_based_reduced_rate,
    "unregistered_partner": _unregistered_partner,
    "abroad": lambda s: s.answers.current_location == "abroad",
    "graduated_abroad_after_mobility": _graduated_abroad_after_mobility,
    "graduated_in_belgium": lambda s: not _graduated_abroad_after_mobility(s),
}

# ---------------------------------------------------------------------------------------------
# Due-date rules (`due`)

DueRule = Callable[[Situation, StepSpec], Due | None]


def _constant(s: Situation, spec: StepSpec) -> Constant:
    if spec.constant is None:
        raise ValueError("this due rule needs a constant")
    return s.cat.constants[spec.constant]


def _offset(s: Situation, spec: StepSpec, day: date, sign: int) -> date:
    count, unit = _constant(s, spec).period()
    return shift(day, sign * count, unit)


def _held_card_expiry(s: Situation, spec: StepSpec) -> date | None:
    """The expiry of the card the person holds now, when the step concerns that kind of card."""
    if s.answers.card_type in spec.cards and s.answers.current_location != "abroad":
        return s.answers.card_expiry
    return None


def _arrival_example(s: Situation, spec: StepSpec) -> Due | None:
    start = s.answers.start_date
    if start is None:
        return None
    return Due(_offset(s, spec, start, +1), {"start_date": _iso(start)})


def _before_start(s: Situation, spec: StepSpec) -> Due | None:
    start = s.answers.start_date
    if start is None:
        return None
    return Due(_offset(s, spec, start, -1), {"start_date": _iso(start)})


def _after_application(s: Situation, spec: StepSpec) -> Due | None:
    filed = s.answers.application_date
    if filed is None:
        return None
    return Due(_offset(s, spec, filed, +1), {"application_date": _iso(filed)})


def _before_card_expiry(s: Situation, spec: StepSpec) -> Due | None:
    expiry = _held_card_expiry(s, spec)
    if expiry is None:
        return None
    return Due(_offset(s, spec, expiry, -1), {"expiry_date": _iso(expiry)})


def _renewal_window(s: Situation, spec: StepSpec) -> Due | None:
    expiry = _held_card_expiry(s, spec)
    if expiry is None:
        return None
    window = _constant(s, spec)
    opens, closes = window_before(expiry, window.field_value("earliest"), window.field_value("count"))
    return Due(closes, {"window_start_date": _iso(opens), "expiry_date": _iso(expiry)})


def _family_renewal_window(s: Situation, spec: StepSpec) -> Due | None:
    """The commune window of the family residence being renewed (the person's or a member's card)."""
    renewal = s.family.renewal
    if renewal is None or renewal.window_closes is None or renewal.window_opens is None or not renewal.expiry:
        return None
    return Due(
        renewal.window_closes,
        {"window_start_date": _iso(renewal.window_opens), "expiry_date": _iso(renewal.expiry)},
    )


def _card_expiry(s: Situation, spec: StepSpec) -> Due | None:
    expiry = _held_card_expiry(s, spec)
    return None if expiry is None else Due(expiry, {"expiry_date": _iso(expiry)})


def _exofficio_window(s: Situation, spec: StepSpec) -> Due | None:
    visa = s.answers.worker_visa_date
    if visa is None:
        return None
    end = _offset(s, spec, visa, +1)
    if s.family.outcome == "FAM_EXOFFICIO":
        return Due(end, {"visa_date": _iso(visa)})
    return Due(end, {"visa_date": _iso(visa)}, variant="dated_oe", kind="indicative")


def _family_oe_decision(s: Situation, spec: StepSpec) -> Due | None:
    filed = s.answers.family_application_date
    if filed is None:
        return None
    decision = _constant(s, spec)
    months = decision.field_value("count")
    longest = months + decision.field_value("extension") * decision.field_value("extensions")
    return Due(
        add_months(filed, months),
        {"application_date": _iso(filed), "max_date": _iso(add_months(filed, longest))},
    )


def _after_graduation(s: Situation, spec: StepSpec) -> Due | None:
    graduated = s.answers.graduation_date
    if graduated is None:
        return None
    return Due(_offset(s, spec, graduated, +1), {"graduation_date": _iso(graduated)})


def _after_refusal(s: Situation, spec: StepSpec) -> Due | None:
    refused = s.answers.refusal_date
    if refused is None:
        return None
    return Due(_offset(s, spec, refused, +1), {"refusal_date": _iso(refused)})


def _academic_year_start(s: Situation, spec: StepSpec) -> Due | None:
    year = s.answers.academic_year
    if year is None:
        return None
    return Due(academic_year_date(year), {"academic_year": year})


def _next_new_year(s: Situation, spec: StepSpec) -> Due | None:
    return Due(next_first_of_january(max(s.ctx.ref_date, s.ctx.on)))


def _birthday(s: Situation, spec: StepSpec) -> Due | None:
    dob = s.answers.dob
    if dob is None:
        return None
    return Due(nth_birthday(dob, _constant(s, spec).field_value("count")))


def _family_eligible_from(s: Situation, spec: StepSpec) -> Due | None:
    dates = [m.eligible_from for m in s.family.members if m.outcome == "FAM_NOT_YET" and m.eligible_from]
    return Due(max(dates)) if dates else None


DUE_RULES: dict[str, DueRule] = {
    "arrival_example": _arrival_example,
    "before_start": _before_start,
    "after_application": _after_application,
    "before_card_expiry": _before_card_expiry,
    "renewal_window": _renewal_window,
    "family_renewal_window": _family_renewal_window,
    "card_expiry": _card_expiry,
    "exofficio_window": _exofficio_window,
    "family_oe_decision": _family_oe_decision,
    "after_graduation": _after_graduation,
    "after_refusal": _after_refusal,
    "academic_year_start": _academic_year_start,
    "next_first_of_january": _next_new_year,
    "birthday": _birthday,
    "family_eligible_from": _family_eligible_from,
}

# ---------------------------------------------------------------------------------------------
# Fees (`fee`): amounts from the thresholds table, valid on the day the fee is paid

FeeBuilder = Callable[[Situation, date], Fee | None]


def _name_key(row: ThresholdRow) -> str:
    return f"step.fee_name.{row.id}"


def _priced(
    row: ThresholdRow,
    day: date,
    key: str = "step.fee.single",
    *,
    total: float | None = None,
    extra_sources: tuple[str, ...] = (),
    **params: ParamValue,
) -> Fee:
    """A fee sentence; an amount not confirmed for ``day`` says so: a stale amount (e.g. the 2025 OE
    fee after 1 January 2026, K-13), an older one (the visa D fee at 2019 rates) or an undated one."""
    amount = row.amount if total is None else total
    values: dict[str, ParamValue] = {"name_key": _name_key(row), "fee_eur": amount, **params}
    suffix, year = fee_caveat(row, day)
    if suffix:
        key += suffix
        values["year"] = year
    return Fee(amount, Message(key=key, params=values), row.sources + extra_sources)


FEE_CONFIRMED_DAYS = 366  # an amount published more than a year before the day is not confirmed for it


def fee_caveat(row: ThresholdRow, day: date) -> tuple[str, int | None]:
    """The caveat a fee needs on ``day``: "" when its amount is confirmed (dated, valid within
    the last year, not due for an update, high confidence), else "_stale", "_old" (with its year),
    "_undated" or "_reported" (one source of medium or low confidence, e.g. P13's Flemish fee)."""
    if row.stale_on(day):
        return "_stale", row.valid_from.year if row.valid_from else None
    if row.valid_from is None:
        return "_undated", None
    if (day - row.valid_from).days > FEE_CONFIRMED_DAYS:
        return "_old", row.valid_from.year
    if not row.confidence.startswith("H"):
        return "_reported", None
    return "", None


def _exempt(row: ThresholdRow, reason: str) -> Fee:
    return Fee(
        0.0, msg("step.fee.exempt", name_key=_name_key(row), reason_key=f"step.exempt.{reason}"), row.sources
    )


def _unknown_fee(s: Situation, day: date) -> Fee:
    return Fee(None, msg("step.fee.unknown"))


def _is_minor(dob: date | None, day: date, s: Situation) -> bool:
    return dob is not None and age_at(dob, day) < s.cat.value("OE_FEE_MINOR_AGE.count")


def _oe_fee(s: Situation, day: date) -> Fee | None:
    entry = s.cat.oe_fees.get(s.route.code)
    fee_id = s.cat.fee_ids["change_status"] if _changing_status(s) else entry.id if entry else None
    row = s.ctx.table.find(fee_id, day) if fee_id else None
    if entry is None or row is None:
        return _unknown_fee(s, day)
    if _is_minor(s.answers.dob, day, s):
        return _exempt(row, "minor")
    if in_list(s.answers.nationalities, "turkey"):
        return _exempt(row, "turkey")
    other = s.ctx.table.find(entry.alternative, day) if entry.alternative else None
    if other is not None:
        return _priced(row, day, "step.fee.oe_choice", extra_sources=other.sources, other_eur=other.amount)
    return _priced(row, day)


def _region_fee(s: Situation, day: date) -> Fee | None:
    row = s.ctx.table.find(s.cat.fee_ids["region"], day)
    regions = {part.strip() for part in row.region.split(";")} if row else set()
    if row is None or s.region not in regions:
        return None
    return _priced(row, day)


def _visa_fee(s: Situation, day: date) -> Fee | None:
    row = s.ctx.table.find(s.cat.fee_ids["visa"], day)
    if row is None:
        return None
    centre = s.ctx.table.find(s.cat.fee_ids["visa_centre"], day)
    if centre is None or centre.amount_max is None:
        return _priced(row, day)
    return _priced(
        row,
        day,
        "step.fee.visa",
        extra_sources=centre.sources,
        centre_min_eur=centre.amount,
        centre_max_eur=centre.amount_max,
    )


def _member_exempt(s: Situation, relation: str, dob: date | None, nationality: str | None, day: date) -> bool:
    minor = _is_minor(dob, day, s) if dob is not None else relation == "child_minor"
    return minor or in_list(nationality, "turkey") or in_list(nationality, "eu_eea_ch")


def _family_fee(s: Situation, day: date) -> Fee | None:
    row = s.ctx.table.find(s.cat.fee_ids["family"], day)
    if row is None:
        return _unknown_fee(s, day)
    if _eu_sponsor(s.answers):
        return _exempt(row, "eu_family")
    members = s.answers.members
    if not members:
        return _priced(row, day, "step.fee.per_adult")
    results = s.family.members if len(s.family.members) == len(members) else None
    payers = 0
    for index, member in enumerate(members):
        not_joining = member.resident_with_sponsor or (
            results is not None and results[index].outcome == "FAM_NOT_ELIGIBLE"
        )
        if not not_joining and not _member_exempt(s, member.relation, member.dob, member.nationality, day):
            payers += 1
    if payers == 0:
        return _exempt(row, "family_all")
    per_person = row.amount or 0.0
    return _priced(
        row, day, "step.fee.family", total=per_person * payers, per_person_eur=per_person, payers=payers
    )


def _commune_card_fee(s: Situation, day: date) -> Fee | None:
    row = s.ctx.table.find(s.cat.fee_ids["commune_card"], day)
    if row is None or row.amount_max is None:
        return None
    return Fee(None, msg("step.fee.range", min_eur=row.amount, max_eur=row.amount_max), row.sources)


def _profcard_fee(s: Situation, day: date) -> Fee | None:
    apply_row = s.ctx.table.find(s.cat.fee_ids["profcard_app"], day)
    year_row = s.ctx.table.find(s.cat.fee_ids["profcard_year"], day)
    if apply_row is None or year_row is None:
        return _unknown_fee(s, day)
    key = "step.fee.profcard" if s.region == "FL" else "step.fee.profcard_other"
    caveats = [fee_caveat(row, day) for row in (apply_row, year_row)]
    suffix, year = next(((sfx, yr) for sfx, yr in caveats if sfx), ("", None))
    if suffix == "_stale":  # no stale wording for the two-part fee: say its year
        suffix = "_old" if year is not None else "_undated"
    params: dict[str, ParamValue] = {"fee_eur": apply_row.amount, "year_eur": year_row.amount}
    if suffix:
        key += suffix
        params["year"] = year
    message = Message(key=key, params=params)
    return Fee(apply_row.amount, message, apply_row.sources + year_row.sources)


def _profcard_year_fee(s: Situation, day: date) -> Fee | None:
    row = s.ctx.table.find(s.cat.fee_ids["profcard_year"], day)
    return None if row is None else _priced(row, day, "step.fee.per_year")


def _eu_register_fee(s: Situation, day: date) -> Fee | None:
    row = s.ctx.table.find(s.cat.fee_ids["eu_fine"], day)
    if row is None:
        return None
    return Fee(None, msg("step.fee.eu_register", fine_eur=row.amount), row.sources)


def _same_status_extension_fee(s: Situation, day: date) -> Fee | None:
    """No Immigration Office fee for the extension of a residence in the same status (P44, P65:
    the fee is due for a first application or a change of status)."""
    return Fee(0.0, msg("step.fee.same_status_extension"), ("P44", "P65"))


FEE_BUILDERS: dict[str, FeeBuilder] = {
    "same_status_extension": _same_status_extension_fee,
    "oe": _oe_fee,
    "region": _region_fee,
    "visa": _visa_fee,
    "family": _family_fee,
    "commune_card": _commune_card_fee,
    "profcard": _profcard_fee,
    "profcard_year": _profcard_year_fee,
    "eu_register": _eu_register_fee,
    "unknown": _unknown_fee,
}

# ---------------------------------------------------------------------------------------------
# Building one step


def _fee_day(s: Situation, spec: StepSpec, due: Due | None) -> date:
    if spec.fee_day == "due" and due is not None:
        return due.day
    if spec.fee_day == "family_application":
        return s.answers.family_application_date or s.ctx.on
    return s.answers.application_date or s.ctx.on


def _documents(s: Situation, spec: StepSpec) -> list[Message]:
    relations = {m.relation for m in s.answers.members or []}
    names = list(spec.documents)
    for doc in spec.conditional_documents:
        if (
            (not doc.routes or s.route.code in doc.routes)
            and s.route.code not in doc.not_routes
            and (not doc.regions or s.region in doc.regions)
            and (not doc.purposes or set(s.answers.purposes or []) & set(doc.purposes))
            and (not doc.relations or relations & set(doc.relations))
        ):
            names.append(doc.name)
    return [msg(f"step.doc.{name}") for name in names]


def _timing(
    code: str, spec: StepSpec, s: Situation, due: Due | None, params: dict[str, ParamValue], variant: str
) -> tuple[Message, TimingKind]:
    if due is None:
        return Message(key=f"step.{code}.{variant}", params=params), spec.timing_kind
    dated = params | due.params | {"due_date": _iso(due.day)}
    variant = "passed" if due.day < s.ctx.on else due.variant
    return Message(key=f"step.{code}.timing_{variant}", params=dated), due.kind or spec.timing_kind


def _sources(*groups: tuple[str, ...] | list[str]) -> list[str]:
    return list(dict.fromkeys(source for group in groups for source in group))


def build_step(code: str, s: Situation) -> NextStep:
    """One catalogue step, with its due date, timing sentence, fee and documents for this case."""
    spec = s.cat.steps[code]
    params: dict[str, ParamValue] = {name: s.cat.value(path) for name, path in spec.params.items()}
    due = DUE_RULES[spec.due](s, spec) if spec.due else None
    fee = FEE_BUILDERS[spec.fee](s, _fee_day(s, spec, due)) if spec.fee else None
    exempt = spec.timing_exempt and fee is not None and fee.amount == 0.0
    variant = "timing_exempt" if exempt else "timing"
    if spec.timing_by_rule_set and s.family.rule_set is not None:
        variant = f"timing_{s.family.rule_set.lower()}"
    timing, kind = _timing(code, spec, s, due, params, variant)
    constant_sources = s.cat.constants[spec.constant].sources if spec.constant else []
    return NextStep(
        code=code,
        title=Message(key=f"step.{code}.{spec.title_variants.get(s.route.code, 'title')}", params=params),
        due=due.day if due else None,
        timing=timing,
        timing_kind=kind,
        fee_eur=fee.amount if fee else None,
        fee=fee.message if fee else None,
        documents=_documents(s, spec),
        sources=_sources(spec.sources, constant_sources, fee.sources if fee else ()),
    )


def catalogue_problems(cat: Catalogue | None = None, table_ids: set[str] | None = None) -> list[str]:
    """Every reference of the catalogue that does not resolve (an empty list when all is well):
    plans naming unknown steps, fee IDs missing from the thresholds table, unknown predicates,
    due rules, fee kinds or constants, and message parameters that are not integer constants."""
    cat = cat or catalogue()
    known_ids = table_ids if table_ids is not None else threshold_table().ids()
    problems = [
        f"plan {owner}: unknown step {code}"
        for plans in (cat.plans.routes, cat.plans.family, cat.plans.family_eu, cat.plans.family_renewal)
        for owner, codes in plans.items()
        for code in codes
        if code not in cat.steps
    ]
    fee_ids = set(cat.fee_ids.values()) | {
        fee_id for entry in cat.oe_fees.values() for fee_id in (entry.id, entry.alternative) if fee_id
    }
    problems += [f"fee {fee_id}: not in the thresholds table" for fee_id in sorted(fee_ids - known_ids)]
    for code, spec in cat.steps.items():
        for kind, name, known in (
            ("when", spec.when, PREDICATES),
            ("due", spec.due, DUE_RULES),
            ("fee", spec.fee, FEE_BUILDERS),
            ("constant", spec.constant, cat.constants),
        ):
            if name is not None and name not in known:
                problems.append(f"step {code}: unknown {kind} {name}")
        for param, path in spec.params.items():
            try:
                cat.value(path)
            except (KeyError, ValueError, AttributeError):
                problems.append(f"step {code}: parameter {param} = {path} is not an integer constant")
    return problems


def _eu_sponsor(answers: Answers) -> bool:
    """The family joins an EU/EEA/Swiss citizen (given, or the respondent bringing family is one)."""
    if answers.sponsor_type is not None:
        return answers.sponsor_type == "eu_eea_ch"
    return answers.has("bring_family") and nat_group(answers.nationalities or []) == "EU"


def step_codes(s: Situation) -> list[str]:
    """The codes of the steps that apply, in order: the best route's, then the family's."""
    plans = s.cat.plans
    if s.route.status == "not_met":
        route_plan = ["ADVISER_CHECK"]
    elif s.route.code == "NO_ROUTE" and s.family.outcome != "FAM_NONE":
        route_plan = []  # the family outcome is the person's route
    else:
        route_plan = plans.routes.get(s.route.code, ["ADVISER_CHECK"])
        if s.route.status == "review":
            route_plan = ["ADVISER_CHECK", *route_plan]
    if s.family.renewal is not None:
        family_plans = plans.family_renewal
    elif _eu_sponsor(s.answers):
        family_plans = plans.family_eu
    else:
        family_plans = plans.family
    codes = [*route_plan, *family_plans.get(s.family.outcome, [])]
    selected: list[str] = []
    for code in codes:
        when = s.cat.steps[code].when
        if code not in selected and (when is None or PREDICATES[when](s)):
            selected.append(code)
    return selected


def plan_next_steps(
    answers: Answers, ctx: Context, routes: list[RouteResult], family: FamilyResult
) -> list[NextStep]:
    """Concrete steps for the best route and the family, with due dates where a date is known."""
    situation = Situation(answers=answers, ctx=ctx, route=routes[0], family=family, cat=catalogue())
    codes = step_codes(situation)
    if answers.refusal_date is not None:  # a refusal was notified: the appeal deadline comes first
        codes = ["APPEAL_CCE", *(code for code in codes if code != "APPEAL_CCE")]
    return [build_step(code, situation) for code in codes]
