"""Human labels for the console: route codes, family outcomes, answers, review codes and sources in
the operator's language (wording in locales/*/operators.toml and the interview's questions.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from bot.engine.sources import source_register
from bot.i18n import Lang, catalog, country_name, text


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
