"""One i18n layer for every channel: locale files, placeholder filling, Babel formatting."""

from __future__ import annotations

import logging
import string
import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, get_args

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from bot.engine import Lang as Lang  # re-exported: the engine defines the languages
from bot.engine import Message, ParamValue

LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"
BABEL_LOCALES: dict[Lang, str] = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}

log = logging.getLogger(__name__)


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, Mapping):
            _flatten(key, value, out)
        else:
            out[key] = str(value)


@cache
def catalog(lang: Lang) -> dict[str, str]:
    """Every message of one language: all ``locales/<lang>/*.toml`` files, flattened to dotted keys."""
    folder = resources.files("locales").joinpath(lang)
    messages: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), messages)
    return messages


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def normalise_lang(code: str | None) -> Lang:
    """A supported language from a code such as 'fr-BE' or 'nl'; English otherwise."""
    short = (code or "").split("-")[0].split("_")[0].lower()
    for lang in LANGS:
        if lang == short:
            return lang
    return DEFAULT_LANG


def money(amount: float, lang: Lang) -> str:
    """An amount in euros formatted for the language (e.g. '2 323,08 €' in French)."""
    return format_currency(amount, "EUR", locale=BABEL_LOCALES[lang])


def number(value: float, lang: Lang) -> str:
    """A plain number formatted for the language."""
    return format_decimal(value, locale=BABEL_LOCALES[lang])


def long_date(day: date, lang: Lang) -> str:
    """A date such as '18 août 2025' / '18 augustus 2025' / '18 August 2025' ('1er mars' in French)."""
    formatted = format_date(day, "long", locale=BABEL_LOCALES[lang])
    if lang == "fr" and day.day == 1 and formatted.startswith("1 "):
        formatted = "1er" + formatted[1:]
    return formatted


def country_name(code: str, lang: Lang) -> str:
    """A country's name in the language (CLDR via Babel); the code itself when unknown."""
    name = Locale.parse(BABEL_LOCALES[lang]).territories.get(code.strip().upper())
    return str(name) if name else code


def format_param(name: str, value: ParamValue, lang: Lang) -> str:
    """Format one placeholder value according to its name (see :class:`Message`)."""
    if value is None:
        return "—"
    if name.endswith("_eur") and isinstance(value, int | float):
        return money(float(value), lang)
    if name.endswith("_date") and isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value), lang)
        except ValueError:
            return value
    if name.endswith("_key") and isinstance(value, str):
        return text(lang, value)
    if name.endswith("_keys") and isinstance(value, str):  # several keys, comma-separated
        return ", ".join(text(lang, key) for key in value.split(",") if key)
    if name.endswith("_dates") and isinstance(value, str):  # several ISO dates, comma-separated
        return ", ".join(long_date(date.fromisoformat(day), lang) for day in value.split(",") if day)
    if name.endswith("_countries") and isinstance(value, str):
        return ", ".join(country_name(code, lang) for code in value.split(",") if code)
    if isinstance(value, float):
        return number(value, lang)
    return str(value)


def text(lang: Lang, key: str, **params: ParamValue) -> str:
    """The sentence ``key`` in ``lang`` with its placeholders filled.

    A key missing in ``lang`` falls back to English, then to the key itself (logged), so a
    gap in a locale file never crashes a conversation; a test keeps the files complete.
    """
    template = catalog(lang).get(key)
    if template is None:
        template = catalog(DEFAULT_LANG).get(key)
        log.warning("missing message %s in %s", key, lang)
    if template is None:
        return key
    values = {name: format_param(name, params.get(name), lang) for name in placeholders(template)}
    return template.format_map(values)


def plural_category(count: float, lang: Lang) -> str:
    """The CLDR plural category of ``count`` in ``lang`` ('one', 'other', 'many'…), from Babel's data."""
    return str(Locale.parse(BABEL_LOCALES[lang]).plural_form(count))


def plural(lang: Lang, key: str, count: int, **params: ParamValue) -> str:
    """The sentence ``key`` for ``count`` things: the form ``key.<category>`` the language's plural
    rules choose (``{count} session`` / ``{count} sessions``; French counts 0 as singular), else
    ``key.other``; ``{count}`` is written as a number of the language."""
    category = plural_category(count, lang)
    form = f"{key}.{category}" if f"{key}.{category}" in catalog(lang) else f"{key}.other"
    return text(lang, form, **params, count=number(count, lang))


def render(message: Message, lang: Lang) -> str:
    """A :class:`Message` as a sentence in ``lang``."""
    return text(lang, message.key, **message.params)
