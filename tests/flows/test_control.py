"""Control words are read before any answer parser, in every language, from the locale files."""

from __future__ import annotations

import pytest

from bot.i18n import LANGS, catalog
from flows.control import CONTROL_NAMES, Control, UnknownCommand, control_words, read_control
from flows.dialogue import Command

WORDS = [
    ("aide", "help"),
    ("Aide", "help"),
    ("help", "help"),
    ("hulp", "help"),
    ("?", "help"),
    ("retour", "back"),
    ("terug", "back"),
    ("back", "back"),
    ("résumé", "summary"),
    ("overzicht", "summary"),
    ("recommencer", "restart"),
    ("opnieuw", "restart"),
    ("start again", "restart"),
    ("quitter", "quit"),
    ("pourquoi", "why"),
    ("étapes", "steps"),
    ("agenda", "calendar"),
]


@pytest.mark.parametrize(("typed", "name"), WORDS)
def test_control_words_in_every_language(typed: str, name: str) -> None:
    assert read_control(typed) == Control(name)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/back", Control("back")),
        ("/help@guichet_bot", Control("help")),
        ("/language nl", Control("language", "nl")),
        ("langue nl", Control("language", "nl")),
        ("taal EN", Control("language", "EN")),
        ("modifier dob", Control("change", "dob")),
        ("/foo", UnknownCommand("/foo")),
        ("/", UnknownCommand("/")),
        ("/start", UnknownCommand("/start")),
    ],
)
def test_commands_with_arguments_and_unknown_commands(typed: str, expected: object) -> None:
    assert read_control(typed) == expected


@pytest.mark.parametrize(
    "typed", ["Inde", "5 200 €", "aide-soignante", "help me with my visa", "", "retour en 2020"]
)
def test_answers_are_not_control_words(typed: str) -> None:
    assert read_control(typed) is None


def test_dialogue_commands_map_to_the_dialogue() -> None:
    assert Control("back").as_command() == Command("back")
    assert Control("language", "nl").as_command() == Command("language", "nl")
    assert Control("pdf").as_command() is None and Control("quit").as_command() is None


def test_every_language_declares_every_control_and_no_word_means_two_things() -> None:
    for lang in LANGS:
        for name in CONTROL_NAMES:
            assert catalog(lang).get(f"control.words.{name}"), f"{lang}: {name}"
    assert len(control_words()) > len(CONTROL_NAMES)  # loading checks for clashes
