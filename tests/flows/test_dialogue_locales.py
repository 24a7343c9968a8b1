"""The interview's wording: every key the declaration and the dialogue use exists in French, Dutch
and English, with the same placeholders."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from bot.i18n import LANGS, catalog, placeholders
from flows.hints import hint
from flows.interpret import choices
from flows.question_types import Question
from flows.questions import QUESTIONS

ROOT = Path(__file__).resolve().parents[2]
OWN_FILES = ("questions.toml", "dialogue.toml")


def _flat(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        out.update(_flat(value, key) if isinstance(value, dict) else {key: str(value)})  # type: ignore[arg-type]
    return out


def own_keys(lang: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    for name in OWN_FILES:
        keys.update(_flat(tomllib.loads((ROOT / "locales" / lang / name).read_text(encoding="utf-8"))))
    return keys


def keys_needed_by(question: Question) -> set[str]:
    parts = ("text", "label", "help", *(("text_joining",) if question.joining_text else ()))
    keys = {f"question.{question.id}.{part}" for part in parts}
    keys |= {option.key for option in choices(question)}
    shown_hint = hint(question, date(2026, 3, 1))
    if shown_hint is not None:
        keys.add(shown_hint.key)
    return keys


def keys_in_code() -> set[str]:
    found: set[str] = set()
    sources = [*sorted((ROOT / "flows").glob("*.py")), ROOT / "bot" / "console.py"]
    for path in sources:
        source = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"\"(dialogue\.[a-z_]+(?:\.[a-z_]+)+)\"", source))
    built = {
        *(f"dialogue.help.{state}" for state in ("prefill", "summary", "result")),
        *(f"dialogue.language.{lang}" for lang in LANGS),
        *(f"dialogue.error.period_{period}" for period in ("month", "year")),
        *(f"dialogue.value.{style}" for style in ("key", "date", "eur", "text")),
        *(f"dialogue.summary.line_{style}" for style in ("key", "date", "eur", "text")),
        *(f"dialogue.region.{region}" for region in ("BXL", "FL", "WAL", "DG")),
        *(f"dialogue.month.m{month:02d}" for month in range(1, 13)),
        *(f"dialogue.summary.section.{block}" for block in ("A", "B", "D", "C", "F")),
    }
    return found | built


@pytest.mark.parametrize("lang", LANGS)
def test_own_files_have_the_same_keys_and_placeholders_in_every_language(lang: str) -> None:
    english = own_keys("en")
    mine = own_keys(lang)
    assert set(mine) == set(english)
    different = [key for key in english if placeholders(english[key]) != placeholders(mine[key])]
    assert different == []


@pytest.mark.parametrize("question", list(QUESTIONS.values()), ids=lambda q: q.id)
def test_every_question_is_worded_in_every_language(question: Question) -> None:
    for lang in LANGS:
        missing = keys_needed_by(question) - set(catalog(lang))
        assert missing == set(), f"{lang}: {sorted(missing)}"


def test_every_dialogue_key_used_in_code_exists() -> None:
    needed = keys_in_code()
    assert len(needed) > 30
    for lang in LANGS:
        assert needed - set(catalog(lang)) == set(), lang


@pytest.mark.parametrize(
    ("lang", "key", "words"),
    [
        ("fr", "question.sponsor_right_date.text", "Office des étrangers"),
        ("nl", "question.sponsor_right_date.text", "Dienst Vreemdelingenzaken"),
        ("fr", "question.card_type.option.H-Blue-Card", "carte bleue européenne"),
        ("nl", "question.card_type.option.H-Blue-Card", "Europese blauwe kaart"),
        ("fr", "question.years_worked_be.text", "permis unique"),
        ("nl", "question.years_worked_be.text", "gecombineerde vergunning"),
    ],
)
def test_belgian_administrative_terms(lang: str, key: str, words: str) -> None:
    assert words in catalog(lang)[key]  # type: ignore[index]


@pytest.mark.parametrize(("lang", "typed_word"), [("fr", "aide"), ("nl", "hulp"), ("en", "help")])
def test_the_welcome_names_no_channel_command(lang: str, typed_word: str) -> None:
    welcome = catalog(lang)["dialogue.welcome"]  # type: ignore[index]
    assert typed_word not in welcome.lower() and "/" not in welcome
