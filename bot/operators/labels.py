"""Human labels for the console: route codes, family outcomes, answers, review codes, sources and the
rules pack's values in the operator's language (wording in locales/*/operators.toml, and the names the
interview and the replies already use: questions, dialogue, routes and thresholds .toml)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, get_args
from urllib.parse import urlsplit

from bot.engine import Answers, Member, Source, ThresholdRow, ThresholdUse, source_register
from bot.i18n import Lang, catalog, country_name, long_date, money, plural, text
from bot.render import basis_key
from bot.rules.stale import Due

# Answer fields holding an amount in euros (shown with the currency) and a day (shown as a date).
MONEY_FIELDS: Final = frozenset(
    {"salary_month_base", "salary_year", "means_month", "net_income_month", "sponsor_net_income"}
)
DAY_FIELDS: Final = frozenset(
    name
    for model, prefix in ((Answers, ""), (Member, "member_"))
    for name, info in model.model_fields.items()
    if date in get_args(info.annotation)
    for name in (prefix + name,)
)
_GRADE: Final = re.compile(r"\b[HML]\b")
_MARKDOWN: Final = re.compile(r"\*\*|__|`|^#+\s*|\[([^\]]*)\]\([^)]*\)")


def _known(lang: Lang, key: str) -> str | None:
    return catalog(lang).get(key)


def _coded(lang: Lang, prefix: str, code: str | None) -> str:
    """The label ``<prefix>.<code>``; the code itself when it has none, '—' for no code."""
    return (_known(lang, f"{prefix}.{code}") or code) if code else "—"


def region_label(code: str | None, lang: Lang) -> str:
    """'BXL' → 'Brussels-Capital' (the names the interview uses)."""
    return _coded(lang, "dialogue.region", code)


def lang_label(code: str | None, lang: Lang) -> str:
    """'fr' → 'Français' (each language named in its own words, as in the language menu)."""
    return _coded(lang, "console.lang", code)


def channel_label(channel: str, lang: Lang) -> str:
    """Where the conversation took place ('telegram' → 'Telegram')."""
    return _coded(lang, "console.channel", channel)


def rule_set_label(rule_set: str, lang: Lang) -> str:
    """The family-reunification rules applied ('NEW' → 'rules in force since 18 August 2025')."""
    return _coded(lang, "console.rule_set", rule_set)


def warning_label(code: str, lang: Lang) -> str:
    """A route's warning ('AMOUNT_TO_CONFIRM' → 'the amount may have been updated…')."""
    return _coded(lang, "outcome.warning", code)


def confidence_label(code: str, lang: Lang) -> str:
    """How sure a figure is: 'H' → 'high', 'H (2025) / M (2026)' → 'high (2025) / medium (2026)'."""
    return _GRADE.sub(lambda match: _known(lang, f"console.confidence.{match[0]}") or match[0], code)


def day_label(day: date | str | None, lang: Lang) -> str:
    """A day as the language writes it ('2 mars 2026'); '—' when unknown."""
    if isinstance(day, str):
        try:
            return long_date(date.fromisoformat(day), lang)
        except ValueError:
            return day
    return long_date(day, lang) if day else "—"


def threshold_words(use: ThresholdUse, lang: Lang) -> str:
    """One figure an assessment used, for the console: its name, amount, basis and validity (its ID,
    sources and confidence go in the tooltip)."""
    return text(
        lang,
        "console.threshold_line" if use.valid_to else "console.threshold_line_open",
        name=_known(lang, f"threshold.name.{use.id}") or use.id,
        amount=money(use.amount, lang) if use.amount is not None else "—",
        basis=_known(lang, basis_key(use.basis)) or use.basis,
        valid_from=long_date(use.valid_from, lang) if use.valid_from else "—",
        valid_to=long_date(use.valid_to, lang) if use.valid_to else "",
    )


def plain_title(title: str) -> str:
    """A register title without Markdown marks (bold, code, headings, links reduced to their text)."""
    return " ".join(_MARKDOWN.sub(lambda match: match.group(1) or "", title).split())


def route_label(code: str | None, lang: Lang) -> str:
    """'HQ' → 'Highly qualified worker' (the code itself when it has no label)."""
    return _coded(lang, "console.route", code)


def family_label(outcome: str | None, lang: Lang) -> str:
    """'FAM_NONE' → 'No family to join'."""
    return _coded(lang, "console.family", outcome)


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
    return (
        _known(lang, f"question.{field}.label")
        or _known(lang, f"console.field.{field}")
        or field.replace("_", " ").capitalize()
    )


def field_list(fields: Iterable[str], lang: Lang) -> str:
    """Several answer fields' names, joined."""
    return ", ".join(field_label(field, lang) for field in fields)


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
    if field in MONEY_FIELDS and isinstance(value, int | float | str):
        try:
            return money(float(value), lang)
        except ValueError:
            return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    shown = str(value)
    option = _known(lang, f"question.{field}.option.{shown}") or _known(lang, f"console.value.{shown}")
    if option:
        return option
    if field == "lang":
        return lang_label(shown, lang)
    if field in {"region", "se_region"}:
        return region_label(shown, lang)
    if field in DAY_FIELDS:
        try:
            return long_date(date.fromisoformat(shown), lang)
        except ValueError:
            return shown
    if field in {"nationalities", "nationality", "member_nationality"} and len(shown) == 2:
        return country_name(shown, lang)
    return shown


@dataclass(frozen=True)
class SourceLink:
    """A cited source as the console shows it: a plain title, the language it is written in, and, for
    a public page, its address."""

    id: str
    title: str
    url: str | None
    lang: Lang = "en"


def source_title(source: Source, lang: Lang) -> tuple[str, Lang]:
    """A source's title for ``lang``, Markdown removed, and the language it is written in: the
    register's title in ``lang``, else its English title, else its (English) research note."""
    own = bool(getattr(source, f"title_{lang}", ""))
    return plain_title(source.title(lang)), lang if own else "en"


def source_link(source_id: str, lang: Lang = "en") -> SourceLink:
    """The source's title in ``lang`` (never a file path); a link only for public web pages."""
    source = source_register().get(source_id)
    if source is None:
        return SourceLink(source_id, source_id, None)
    parsed = urlsplit(source.reference)
    url = source.reference if parsed.scheme in {"http", "https"} and parsed.hostname else None
    title, written_in = source_title(source, lang)
    return SourceLink(
        source_id, title or (parsed.hostname if url else source_id) or source_id, url, written_in
    )


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


def audit_action_label(action: str, lang: Lang) -> str:
    """An audit entry's action for people ('view' → 'Session opened')."""
    return _known(lang, f"console.audit.did.{action}") or action.replace("_", " ")


_COUNTED: Final = re.compile(
    r"(?:(?P<who>.+): )?(?P<n>\d+) (?P<unit>rows|sessions|addresses|facts|characters)"
)
_FILTER: Final = re.compile(r"(?P<name>[a-z_]+)=(?P<value>.*)")
_FILTER_VALUES: Final = {
    "lang": lang_label,
    "status": status_label,
    "route": route_label,
    "family": family_label,
    "region": region_label,
    "flag": flag_label,
}


def _detail_part(part: str, lang: Lang) -> str:
    if part in {"csv", "json"}:
        return part.upper()
    if part == "no filter":
        return text(lang, "console.audit.no_filter")
    if flag := _known(lang, f"console.flag.{part}"):
        return flag
    if match := re.fullmatch(r"(failure|note) (\d+)", part):
        return text(lang, f"console.audit.{match[1]}", number=match[2])
    if match := re.fullmatch(r"(.+) \((viewer|admin|hr)\)", part):
        return f"{match[1]} ({text(lang, 'console.role.' + match[2])})"
    if match := re.fullmatch(r"(?P<token>\S+…)(?: (?P<rest>.*))?", part):
        rest = match["rest"]
        return match["token"] + (" " + _detail_part(rest, lang) if rest else "")
    if match := _COUNTED.fullmatch(part):
        counted = plural(lang, f"console.audit.count.{match['unit']}", int(match["n"]))
        return f"{match['who']}: {counted}" if match["who"] else counted
    if match := _FILTER.fullmatch(part):
        name, value = match["name"], match["value"]
        if name == "search" and (inner := re.fullmatch(r"\((.+)\)", value)):
            value = _detail_part(inner[1], lang)
        elif name in _FILTER_VALUES:
            value = _FILTER_VALUES[name](value, lang)
        elif name == "queue":
            return text(lang, "console.nav.queue")
        label = _known(lang, f"console.audit.filter.{name}") or _known(lang, f"console.filters.{name}")
        return text(lang, "console.label_value", label=label or name, value=value)
    return part


def audit_detail(detail: str | None, lang: Lang) -> str:
    """An audit entry's detail ('csv, 4 rows, no filter') in the operator's language; parts it does not
    know are shown as written (the stored text stays in the tooltip)."""
    if not detail:
        return ""
    return ", ".join(_detail_part(part, lang) for part in detail.split(", "))


def worded_error(lang: Lang, key: str, params: dict[str, str]) -> str:
    """A refusal of bad input, naming the parameter (and a filter's choices) as the page words them
    ('since' → 'Active from', 'BXL' → 'Brussels-Capital')."""
    name = params.get("name")
    if name in _FILTER_VALUES and "choices" in params:  # the choices as the filter's menu words them
        words = (_FILTER_VALUES[name](choice, lang) for choice in params["choices"].split(", "))
        params = {**params, "choices": ", ".join(words)}
    if name:
        label = _known(lang, f"console.filters.{name}") or _known(lang, f"console.audit.{name}")
        params = {**params, "name": label or name}
    return text(lang, key, **params)
