"""The eligibility engine's public API: answers and a date in, an assessment out (contract.md).

Channels, tools and tests import from here only; the modules behind it may change. The engine is
pure (no I/O beyond its packaged data) and imports nothing outside ``bot.engine``.

- Entry point: :func:`assess` (and :func:`today_in_brussels`, its default day).
- The contract: :class:`Answers` and its field types in; :class:`Assessment` and its parts out.
- Facts the dialogue and the store share with the rules: card groupings (:data:`CARD_CLASS`),
  the region of the place of work (:func:`region_from`), whether a region's salary thresholds are
  monthly or yearly (:data:`SALARY_PERIOD`), nationality groups (:func:`nat_group`), and when the
  renewal questions matter (:func:`renewal_questions_matter`).
- Data: the dated thresholds table, the source register, the legal constants, the next-steps
  catalogue, and the engine's configurable readings.
- Rules packs (bot/rules): the table in force (:func:`active_table`, :func:`use_table`) and the
  readers that check a pack's tables line by line (:func:`read_threshold_rows`, :func:`read_sources`).
- Rule blocks, to evaluate one block with chosen routes (tests, tools): :class:`Context`,
  :class:`Findings`, :func:`evaluate_family`, :func:`plan_next_steps`.
"""

from __future__ import annotations

from bot.engine.answers import (
    Answers,
    CardType,
    EmployerType,
    GrantedUnder,
    IctRole,
    IncomeSource,
    Lang,
    ListAnswer,
    MeansType,
    Member,
    Purpose,
    Qualification,
    Region,
    Relation,
    ShortageList,
    Special,
    SponsorCategory,
    SponsorType,
    YesNoUnsure,
)
from bot.engine.assess import assess, today_in_brussels
from bot.engine.assessment import (
    CONTRACT_VERSION,
    FAMILY_OUTCOME_ORDER,
    ROUTE_CODES,
    ROUTE_STATUSES,
    Assessment,
    FamilyOutcome,
    FamilyResult,
    MemberResult,
    NextStep,
    Renewal,
    Review,
    RouteCode,
    RouteResult,
    RouteStatus,
    RuleSet,
    ThresholdUse,
)
from bot.engine.calendar import (
    add_calendar_days,
    add_working_days,
    is_public_holiday,
    is_working_day,
    next_first_of_january,
    shift,
    window_before,
)
from bot.engine.cards import (
    CARD_CLASS,
    CARD_GROUP,
    EU_FAMILY_CARDS,
    LIMITED_STAY_CARDS,
    UNLIMITED_STAY_CARDS,
    CardClass,
    CardGroup,
)
from bot.engine.config import DEFAULT_CONFIG, EngineConfig
from bot.engine.constants import Constant, constants
from bot.engine.context import Context, Findings
from bot.engine.cutoff import near_cutoff
from bot.engine.derive import (
    REGIONS,
    SALARY_FIELD,
    SALARY_PERIOD,
    NatGroup,
    SalaryPeriod,
    add_months,
    nat_group,
    region_from,
    region_of_postcode,
)
from bot.engine.family import evaluate_family
from bot.engine.family_renewal import RENEWABLE_FAMILY_CARDS, renewal_questions_matter
from bot.engine.family_rules import renewal_rule_set
from bot.engine.message import Message, ParamValue, msg
from bot.engine.next_steps import Catalogue, catalogue, catalogue_problems, plan_next_steps
from bot.engine.routes_lists import match_functions
from bot.engine.sources import Source, TableError, packaged_text, read_sources, source_register
from bot.engine.thresholds import (
    USABLE_STATUSES,
    Comparison,
    ThresholdRow,
    ThresholdTable,
    active_table,
    read_threshold_rows,
    threshold_table,
    use_table,
)

__all__ = [
    "CARD_CLASS",
    "CARD_GROUP",
    "CONTRACT_VERSION",
    "DEFAULT_CONFIG",
    "EU_FAMILY_CARDS",
    "FAMILY_OUTCOME_ORDER",
    "LIMITED_STAY_CARDS",
    "REGIONS",
    "RENEWABLE_FAMILY_CARDS",
    "ROUTE_CODES",
    "ROUTE_STATUSES",
    "SALARY_FIELD",
    "SALARY_PERIOD",
    "UNLIMITED_STAY_CARDS",
    "USABLE_STATUSES",
    "Answers",
    "Assessment",
    "CardClass",
    "CardGroup",
    "CardType",
    "Catalogue",
    "Comparison",
    "Constant",
    "Context",
    "EmployerType",
    "EngineConfig",
    "FamilyOutcome",
    "FamilyResult",
    "Findings",
    "GrantedUnder",
    "IctRole",
    "IncomeSource",
    "Lang",
    "ListAnswer",
    "MeansType",
    "Member",
    "MemberResult",
    "Message",
    "NatGroup",
    "NextStep",
    "ParamValue",
    "Purpose",
    "Qualification",
    "Region",
    "Relation",
    "Renewal",
    "Review",
    "RouteCode",
    "RouteResult",
    "RouteStatus",
    "RuleSet",
    "SalaryPeriod",
    "ShortageList",
    "Source",
    "Special",
    "SponsorCategory",
    "SponsorType",
    "TableError",
    "ThresholdRow",
    "ThresholdTable",
    "ThresholdUse",
    "YesNoUnsure",
    "active_table",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "assess",
    "catalogue",
    "catalogue_problems",
    "constants",
    "evaluate_family",
    "is_public_holiday",
    "is_working_day",
    "match_functions",
    "msg",
    "nat_group",
    "near_cutoff",
    "next_first_of_january",
    "packaged_text",
    "plan_next_steps",
    "read_sources",
    "read_threshold_rows",
    "region_from",
    "region_of_postcode",
    "renewal_questions_matter",
    "renewal_rule_set",
    "shift",
    "source_register",
    "threshold_table",
    "today_in_brussels",
    "use_table",
    "window_before",
]
