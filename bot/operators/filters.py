"""The sessions-list filters, read from a query string or the command line, with their choices."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final, get_args

from bot.engine.answers import Region
from bot.engine.assessment import FamilyOutcome, RouteCode
from bot.i18n import LANGS
from bot.store.operators import SESSION_FLAGS, SessionFilters
from bot.store.records import ABANDONED, COMPLETED, IN_PROGRESS, NEEDS_REVIEW

STATUSES: Final = (IN_PROGRESS, COMPLETED, ABANDONED, NEEDS_REVIEW)
ROUTES: Final[tuple[str, ...]] = get_args(RouteCode)
FAMILY_OUTCOMES: Final[tuple[str, ...]] = get_args(FamilyOutcome)
REGIONS: Final[tuple[str, ...]] = get_args(Region)
MAX_SEARCH_CHARS: Final = 200

# Filter name → the values it accepts (None: free text).
CHOICES: Final[dict[str, tuple[str, ...] | None]] = {
    "lang": LANGS,
    "status": STATUSES,
    "route": ROUTES,
    "family": FAMILY_OUTCOMES,
    "region": REGIONS,
    "flag": SESSION_FLAGS,
    "invite": None,
    "search": None,
}


class FilterError(ValueError):
    """A filter value that is not one of its choices, or a malformed date."""


def _day(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise FilterError(f"{name}: a date written YYYY-MM-DD, not {text!r}") from exc


def parse_filters(params: Mapping[str, str | None]) -> SessionFilters:
    """Filters from ``params`` (blank values ignored); raises FilterError naming the bad one."""
    values: dict[str, str] = {
        name: value.strip() for name, value in params.items() if value is not None and value.strip()
    }
    since = _day("since", values["since"]) if "since" in values else None
    until = _day("until", values["until"]) if "until" in values else None
    if since and until and since > until:
        raise FilterError("since: the first day comes after the last day")
    chosen: dict[str, str | None] = {}
    for name, choices in CHOICES.items():
        value = values.get(name)
        if value is not None and choices is not None and value not in choices:
            raise FilterError(f"{name}: {value!r} is not one of {', '.join(choices)}")
        chosen[name] = value
    if len(chosen["search"] or "") > MAX_SEARCH_CHARS:
        raise FilterError(f"search: at most {MAX_SEARCH_CHARS} characters")
    return SessionFilters(
        since=since,
        until=until,
        lang=chosen["lang"],
        status=chosen["status"],
        route=chosen["route"],
        family=chosen["family"],
        region=chosen["region"],
        invite=chosen["invite"],
        search=chosen["search"],
        flag=chosen["flag"],
        queue=values.get("queue") in {"1", "true", "on", "yes"},
    )
