"""Human labels for the console: route codes, family outcomes, answers, review codes, sources and the
rules pack's values in the operator's language (wording in locales/*/operators.toml, and the names the
interview and the replies already use: questions, dialogue, routes and thresholds .toml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from bot.engine import ThresholdRow, source_register
from bot.i18n import Lang, catalog, country_name, long_date, text
from bot.render import basis_key
from bot.rules.stale import Due


def _known(lang: Lang, key: str) -> str | None:
    return catalog(lang).get(key)


def route_label(code: str | None, lang: Lang) -> str:
    """'HQ' → 'Highly qualified worker' (the code itself when it has no label)."""
    if not code:
        return "—"
    return _known(lang, f"console.route.{code}") or code


def family_label(outcome: str | None, lang: Lang) -> str:
    """'FAM_NONE' → 'No family to join'."""
    if not outcome:
        return "—"
    return _known(lang, f"console.family.{outcome}") or outcome


def status_label(status: str, lang: Lang) -> str:
    """A session or route status for people ('needs_review' → 'Needs review')."""
    return _known(lang, f"console.status.{status}") or status.replace("_", " ")


def flag_label(flag: str, lang: Lang) -> str:
    """A review flag for people."""
    return _known(lang, f"console.flag.{flag}") or flag.replace("_", " ")


def review_title(code: str, lang: Lang) -> str:
    """A review code's meaning ('RV-01' → 'German-speaking Community')."""
    return text(lang, f"review.{code}.title")


def field_label(field: str, lang: Lang) -> str:
    """An answer field's name: the question's short label, else the name made readable."""
    return _known(lang, f"question.{field}.label") or field.replace("_", " ").capitalize()


def value_label(field: str, value: Any, lang: Lang) -> str:
    """An answer value for people: 'higher_ed_3y_plus' → 'A higher-education degree of at least 3
    years…', countries by name, yes/no in the operator's language; lists joined."""
    if isinstance(value, list):
        return ", ".join(value_label(field, item, lang) for item in value)
    if isinstance(value, dict):  # a family member: its fields are the member_* questions
        prefix = "member_" if field == "member" else ""
        return "; ".join(
            f"{field_label(prefix + k, lang)}: {value_label(prefix + k, v, lang)}" for k, v in value.items()
        )
    if isinstance(value, bool):
        return text(lang, "console.yes" if value else "console.no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    shown = str(value)
    option = _known(lang, f"question.{field}.option.{shown}")
    if option:
        return option
    if field in {"nationalities", "nationality", "member_nationality"} and len(shown) == 2:
        return country_name(shown, lang)
    return shown


@dataclass(frozen=True)
class SourceLink:
    """A cited source as the console shows it: a title and, for a public page, its address."""

    id: str
    title: str
    url: str | None


@cache
def _register() -> dict[str, tuple[str, str, str]]:
    return {key: (s.kind, s.reference, s.summary) for key, s in source_register().items()}


def source_link(source_id: str) -> SourceLink:
    """The source's title (never a file path); a link only for public web pages."""
    entry = _register().get(source_id)
    if entry is None:
        return SourceLink(source_id, source_id, None)
    _kind, reference, summary = entry
    parsed = urlsplit(reference)
    url = reference if parsed.scheme in {"http", "https"} and parsed.hostname else None
    title = summary.strip() or (parsed.hostname if url else source_id) or source_id
    return SourceLink(source_id, title, url)


@dataclass(frozen=True)
class RulesLabels:
    """The rules pack's machine values (threshold IDs, statuses, bases, regions, list IDs, dates, due
    flags) for people, in one language: the Rules page and the "to update" box call these methods."""

    lang: Lang

    def threshold(self, row: ThresholdRow) -> str:
        """'FL_HQ' → 'Flanders: highly qualified worker (30 or over)'; an ID a pack added keeps its name."""
        return _known(self.lang, f"threshold.name.{row.id}") or row.name

    def status(self, status: str) -> str:
        """A threshold's status ('rejected' → 'Rejected (not used)')."""
        return _known(self.lang, f"console.rules.status.{status}") or status.replace("_", " ")

    def basis(self, basis: str) -> str:
        """What an amount is based on ('gross / year' → 'gross per year')."""
        return _known(self.lang, basis_key(basis)) or basis

    def region(self, code: str) -> str:
        """'BXL' → 'Brussels-Capital'; 'FL; DG' → both names; 'abroad', 'national'… too."""
        names = (
            _known(self.lang, f"dialogue.region.{part}")
            or _known(self.lang, f"console.rules.region.{part}")
            or part
            for part in (piece.strip() for piece in code.split(";"))
            if part
        )
        return ", ".join(names) or "—"

    def shortage_list(self, list_id: str, name: str) -> str:
        """A shortage list's name ('ACTIRIS' → 'Actiris shortage list'); a pack's new list keeps its name."""
        known = _known(self.lang, f"route.list.{list_id}") or name or list_id
        return known[:1].upper() + known[1:]

    def day(self, day: object) -> str:
        """A day of a validity window ('1 January 2026'); an open end is named as such."""
        if isinstance(day, date):
            return long_date(day, self.lang)
        return str(day) if day else text(self.lang, "console.rules.open")

    def due(self, item: Due) -> str:
        """Why an amount or list is due for an update, and from which day."""
        return text(self.lang, f"console.rules.due.{item.kind}", due_date=item.due.isoformat())

    def action(self, action: str) -> str:
        """A change of the pack in force ('rollback' → 'rolled back')."""
        return _known(self.lang, f"console.rules.action.{action}") or action
