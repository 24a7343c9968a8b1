"""Derived values of rules.md §2.1: nationality group, region, ages, reference date, date arithmetic."""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

from bot.engine.answers import Answers, Purpose, Region, SponsorType
from bot.engine.cards import LIMITED_STAY_CARDS, UNLIMITED_STAY_CARDS

NatGroup = Literal["BE", "EU", "TCN"]
SalaryPeriod = Literal["month", "year"]

REGIONS: tuple[Region, ...] = get_args(Region)
# Whether a region's salary thresholds are monthly (base gross, Brussels) or annual (gross):
# rules.md §2.4–2.6. The German-speaking Community decides case by case (no salary is asked).
SALARY_PERIOD: dict[Region, SalaryPeriod] = {"BXL": "month", "FL": "year", "WAL": "year"}
SALARY_FIELD: dict[SalaryPeriod, str] = {"month": "salary_month_base", "year": "salary_year"}
# Coming for one of these gives a third-country national a limited stay (an A or H card, §3.1).
LIMITED_STAY_PURPOSES: frozenset[Purpose] = frozenset(
    {"employee", "self_employed", "study", "research", "job_search_after_graduation"}
)
# The stay a residence card gives its holder, as a family sponsor (rules.md §3.1).
STAY_OF_CARD: dict[str, SponsorType] = {
    **dict.fromkeys(LIMITED_STAY_CARDS, "tcn_limited"),
    **dict.fromkeys(UNLIMITED_STAY_CARDS, "tcn_unlimited"),
}


@cache
def _data(name: str) -> dict[str, Any]:
    text = resources.files("bot.engine").joinpath(f"data/{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def country_list(name: str) -> frozenset[str]:
    """A named nationality list from ``data/countries.toml`` (e.g. 'eu_eea_ch')."""
    return frozenset(_data("countries")["lists"][name]["codes"])


def nat_group(nationalities: list[str]) -> NatGroup:
    """BE if any nationality is Belgian, else EU if any is EU/EEA/CH, else TCN."""
    if "BE" in nationalities:
        return "BE"
    if country_list("eu_eea_ch") & set(nationalities):
        return "EU"
    return "TCN"


def in_list(nationalities: list[str] | str | None, name: str) -> bool:
    """True when any of the nationalities is on the named list."""
    if nationalities is None:
        return False
    codes = {nationalities} if isinstance(nationalities, str) else set(nationalities)
    return bool(codes & country_list(name))


def implied_sponsor_type(
    nationalities: Iterable[str] | None, card_type: str | None, purposes: Iterable[str] | None
) -> SponsorType | None:
    """The type of a person who brings family, when what they said already tells it: Belgian or EU
    citizen, a residence card giving a limited or an unlimited stay, or a third-country national
    without a card coming to work, study or do research (a limited stay, rules.md §3.1)."""
    codes = list(nationalities or ())
    if not codes:
        return None
    group = nat_group(codes)
    if group == "BE":
        return "belgian"
    if group == "EU":
        return "eu_eea_ch"
    if card_type in STAY_OF_CARD:
        return STAY_OF_CARD[card_type]
    if card_type in (None, "none") and set(purposes or ()) & LIMITED_STAY_PURPOSES:
        return "tcn_limited"
    return None


def region_of_postcode(postcode: str) -> Region | None:
    """The region (or the German-speaking Community) of a Belgian postcode, None if out of range."""
    try:
        number = int(postcode)
    except ValueError:
        return None
    for span in _data("regions")["ranges"]:
        if span["from"] <= number <= span["to"]:
            region: Region = span["region"]
            return region
    return None


def region_from(region: str | None, postcode: str | int | None) -> Region | None:
    """The region given, else the region of the postcode; None when neither tells.

    Takes raw values, so the interview and the store can use it on answers not yet validated.
    """
    if region in REGIONS:
        return region
    if postcode is not None and str(postcode).strip():
        return region_of_postcode(str(postcode).strip())
    return None


def work_region(answers: Answers) -> Region | None:
    """Region of the place of work: the explicit region, else derived from the postcode."""
    return region_from(answers.region, answers.work_postcode)


def age_at(dob: date, day: date) -> int:
    """Completed years on ``day``."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` later; the month's last day when that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """Anniversary ``years`` later (29 February falls on 28 February in common years)."""
    return add_months(day, 12 * years)


def reference_date(answers: Answers, on: date) -> date:
    """The later of the application date and the planned start date; ``on`` when neither is known."""
    known = [d for d in (answers.application_date, answers.start_date) if d is not None]
    return max(known) if known else on


def academic_year_date(academic_year: str) -> date:
    """A date inside an academic year such as '2026-2027' (15 September of its first year)."""
    return date(int(academic_year[:4]), 9, 15)


def academic_year_of(day: date) -> str:
    """The academic year containing ``day`` (years run from September)."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def nth_birthday(dob: date, years: int) -> date:
    """The first day on which someone born on ``dob`` is ``years`` old (consistent with age_at).

    Someone born on 29 February turns a year older on 1 March in common years.
    """
    year = dob.year + years
    if dob.month == 2 and dob.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, dob.month, dob.day)
