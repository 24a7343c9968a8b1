"""The sessions-list filters, read from a query string or the command line, with their choices."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final, get_args

from bot.engine import FamilyOutcome, Region, RouteCode
from bot.i18n import LANGS, Lang, text
from bot.store.operators import SESSION_FLAGS, SessionFilters
from bot.store.records import ABANDONED, COMPLETED, IN_PROGRESS, NEEDS_REVIEW

STATUSES: Final = (IN_PROGRESS, COMPLETED, ABANDONED, NEEDS_REVIEW)
ROUTES: Final[tuple[str, ...]] = get_args(RouteCode)
FAMILY_OUTCOMES: Final[tuple[str, ...]] = get_args(FamilyOutcome)
REGIONS: Final[tuple[str, ...]] = get_args(Region)
MAX_SEARCH_CHARS: Final = 200
# Days an operator may filter on: outside them a date is a typing error (and 9999-12-31 + 1 day
# would not exist).
FIRST_DAY: Final = date(2000, 1, 1)
LAST_DAY: Final = date(2199, 12, 31)
MAX_PAGE: Final = 1_000_000
MAX_SESSION_ID: Final = 2**63 - 1  # SQLite's largest integer

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
    """A filter value that is not one of its choices, a malformed date or unreadable text; ``key``
    and ``params`` give the message in the operator's language (``str()`` is the English one)."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(text("en", key, **params))
        self.key = key
        self.params = params

    def in_lang(self, lang: Lang) -> str:
        """The message in ``lang``."""
        return text(lang, self.key, **self.params)


def has_control_characters(value: str) -> bool:
    """True when ``value`` holds a control character (NUL, ESC…) other than tab and line ends."""
    return any((ord(char) < 32 and char not in "\t\r\n") or 127 <= ord(char) < 160 for char in value)


def parse_day(name: str, value: str) -> date:
    """A YYYY-MM-DD day between :data:`FIRST_DAY` and :data:`LAST_DAY`, or FilterError."""
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise FilterError("console.error.date", name=name, value=value[:40]) from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FilterError("console.error.date_range", name=name, value=value[:40])
    return day


def parse_count(name: str, value: str | None, *, default: int = 1, limit: int = MAX_PAGE) -> int:
    """A positive whole number such as a page or a session id (``default`` when absent)."""
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 19 or not 1 <= int(value) <= limit:
        raise FilterError("console.error.number", name=name, value=value[:40])
    return int(value)


def parse_filters(params: Mapping[str, str | None]) -> SessionFilters:
    """Filters from ``params`` (blank values ignored); raises FilterError naming the bad one."""
    values: dict[str, str] = {
        name: value.strip() for name, value in params.items() if value is not None and value.strip()
    }
    since = parse_day("since", values["since"]) if "since" in values else None
    until = parse_day("until", values["until"]) if "until" in values else None
    if since and until and since > until:
        raise FilterError("console.error.days_order")
    chosen: dict[str, str | None] = {}
    for name, choices in CHOICES.items():
        value = values.get(name)
        if value is not None and choices is not None and value not in choices:
            raise FilterError("console.error.choice", name=name, value=value[:40], choices=", ".join(choices))
        if value is not None and has_control_characters(value):
            raise FilterError("console.error.control", name=name)
        chosen[name] = value
    if len(chosen["search"] or "") > MAX_SEARCH_CHARS or len(chosen["invite"] or "") > MAX_SEARCH_CHARS:
        raise FilterError("console.error.too_long", limit=str(MAX_SEARCH_CHARS))
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
