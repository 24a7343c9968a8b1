"""Control words are read before any answer parser, in every language, from the locale files."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import LANGS, Lang, catalog
from flows.control import CONTROL_NAMES, Control, UnknownCommand, asks_why, control_words, read_control
from flows.dialogue import Command, Dialogue, TextInput
from tests.flows.scripts import Conversation

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


WHY = ["pourquoi", "Pourquoi ?", "pourquoi cette question ?", "à quoi ça sert ?", "waarom", "Waarom?",
       "waarom vraagt u dat?", "why", "Why?", "why do you ask?", "what for?"]  # fmt: skip


@pytest.mark.parametrize("typed", WHY)
def test_why_is_asked_in_every_language(typed: str) -> None:
    assert asks_why(typed)


@pytest.mark.parametrize("typed", ["pourquoi pas", "oui", "why not", "waarom niet", "Bruxelles", "3"])
def test_answers_are_not_why(typed: str) -> None:
    assert not asks_why(typed)


@pytest.mark.parametrize(
    ("lang", "typed"), [("fr", "pourquoi ?"), ("nl", "waarom vraagt u dat?"), ("en", "why?")]
)
def test_why_explains_the_question_and_asks_it_again(lang: Lang, typed: str) -> None:
    chat = Conversation(Dialogue(today=date(2026, 6, 15)), lang).start()
    asked = chat.state.current
    turn = chat.say(typed)
    assert [reply.kind for reply in turn.replies] == ["help", "question"]
    assert turn.replies[0].messages[0].key == f"question.{asked}.help"
    assert turn.replies[0].messages[0].key in catalog(lang)
    assert turn.replies[1].messages[0].key == f"question.{asked}.text"
    assert chat.state.current == asked and chat.state.answers == {}


def test_why_in_the_console_before_the_result_explains_the_question() -> None:
    from bot.console import read_event

    event = read_event("pourquoi", [])
    chat = Conversation(Dialogue(today=date(2026, 6, 15)), "fr").start()
    assert isinstance(event, TextInput)
    turn = chat.dialogue.handle(chat.state, event)
    assert turn.replies[0].kind == "help"
