"""The console channel: scripted conversations in each language, saved in a real SQLite store,
reach the engine's assessment for the same answers; sessions resume after the process stops."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.console import read_event, run_console
from bot.engine import Answers, assess
from bot.i18n import Lang, text
from bot.store import COMPLETED, IN_PROGRESS, NEEDS_REVIEW, SessionStore
from flows.dialogue import ChoiceInput, Command, Dialogue, Option, Reply, TextInput
from tests.flows.personas import GHENT_ENGINEER
from tests.flows.scripts import Conversation

TODAY = date(2026, 3, 1)

# What the person said, written independently of the interview code.
EXPECTED: dict[str, Any] = {
    "nationalities": ["IN"],
    "current_location": "abroad",
    "purposes": ["employee", "bring_family"],
    "dob": date(1990, 4, 12),
    "work_postcode": "9000",
    "employer_type": "belgian_employer",
    "qualification": "higher_ed_3y_plus",
    "job_is_highly_qualified": "yes",
    "salary_year": 65000.0,
    "contract_months": 0,
    "on_list": {"FL_MEDIUM": "no", "FL_VDAB": "no"},
    "special": ["none"],
    "start_date": date(2026, 9, 1),
    # his type as a sponsor is the engine's to derive from his route (a limited stay)
    "sponsor_dob": date(1990, 4, 12),
    # from abroad the family applies together with him: no permit date nor visa date asked
    "members": [
        {
            "relation": "spouse",
            "dob": date(1992, 6, 1),
            "nationality": "MA",
            "relation_start_date": date(2020, 5, 20),
            "resident_with_sponsor": False,
        }
    ],
    "family_application_date": date(2026, 9, 1),  # his start date
    "sponsor_net_income": 3500.0,
    "income_source": "employment",
    "housing_ok": "yes",
    "insurance_ok": "yes",
    "red_flags": False,
}


def typed(lang: Lang) -> Conversation:
    """The person typing in ``lang``: option labels and values, never option numbers."""
    localised = {
        ref: value[lang] if isinstance(value, dict) else value for ref, value in GHENT_ENGINEER.items()
    }
    return Conversation(Dialogue(today=TODAY), lang, typing=True).start().play(localised)


def script(lang: Lang) -> list[str]:
    """Every line typed, up to "yes" at the summary."""
    return [*typed(lang).lines, text(lang, "dialogue.answer.yes")]


class Terminal:
    """Scripted keyboard and captured screen; EOF when the script runs out."""

    def __init__(self, lines: list[str]) -> None:
        self.lines: Iterator[str] = iter(lines)
        self.screen: list[str] = []

    def input(self, prompt: str) -> str:
        try:
            return next(self.lines)
        except StopIteration:
            raise EOFError from None

    def output(self, block: str) -> None:
        self.screen.append(block)


def converse(
    store: SessionStore, lang: Lang | None, lines: list[str], user: str = "console:test"
) -> Terminal:
    terminal = Terminal(lines)
    code = run_console(
        lang, store=store, user_key=user, input_fn=terminal.input, output_fn=terminal.output, today=TODAY
    )
    assert code == 0
    return terminal


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    opened = SessionStore(tmp_path / "guichet.sqlite")
    yield opened
    opened.close()


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_scripted_conversation_reaches_the_engine_assessment(store: SessionStore, lang: Lang) -> None:
    terminal = converse(store, lang, script(lang))
    saved = store.load_state("console", "console:test")
    assert saved is not None and saved.status in (COMPLETED, NEEDS_REVIEW)
    stored = store.latest_assessment(saved.id)
    expected = assess(Answers(**EXPECTED, lang=lang), on=TODAY)
    assert stored == expected
    assert any(text(lang, "outcome.title") in block for block in terminal.screen)


def test_quit_then_resume_in_a_new_process_with_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "guichet.sqlite"
    lines = script("fr")
    cut = typed("fr").asked.index("contract_months")
    first = SessionStore(path)
    converse(first, "fr", [*lines[:cut], "quitter"])
    saved = first.load_state("console", "console:test")
    assert saved is not None and saved.status == IN_PROGRESS
    assert saved.state["current"] == "contract_months"
    first.close()
    second = SessionStore(path)  # a new process: new store, new dialogue
    terminal = converse(second, None, lines[cut:])
    assert text("fr", "dialogue.resumed") in terminal.screen[0]
    saved = second.load_state("console", "console:test")
    assert saved is not None
    assert second.latest_assessment(saved.id) == assess(Answers(**EXPECTED, lang="fr"), on=TODAY)
    second.close()


def test_every_turn_is_saved_before_it_is_shown(store: SessionStore) -> None:
    seen: list[str] = []

    def output(block: str) -> None:
        if block == text("en", "dialogue.console.goodbye"):
            return
        saved = store.load_state("console", "console:test")
        assert saved is not None
        transcript = store.get_transcript(saved.id)
        assert any(line.text == block for line in transcript), "printed before being saved"
        seen.append(block)

    terminal = Terminal(["India", "2"])
    code = run_console("en", store=store, user_key="console:test", input_fn=terminal.input, output_fn=output)
    assert code == 0 and len(seen) >= 3


@pytest.mark.parametrize(
    ("typed", "lang_command"),
    [("language nl", "nl"), ("langue nl", "nl"), ("taal nl", "nl")],
)
def test_localised_command_words_switch_language(store: SessionStore, typed: str, lang_command: str) -> None:
    terminal = converse(store, "fr", ["Inde", typed])
    assert text("nl", "question.current_location.text") in terminal.screen[-2]


def test_back_and_restart_words_in_the_console(store: SessionStore) -> None:
    terminal = converse(store, "nl", ["Indië", "terug", "Marokko", "opnieuw"])
    assert text("nl", "question.nationalities.text") in terminal.screen[-2]
    assert text("nl", "dialogue.info.restarted") in terminal.screen[-3]
    saved = store.load_state("console", "console:test")
    assert saved is not None and saved.state["answers"] == {}


def test_choose_language_at_start(store: SessionStore) -> None:
    terminal = converse(store, None, ["klingon", "nederlands"])
    assert text("nl", "question.nationalities.text") in terminal.screen[-2]


def test_read_event_maps_words_and_numbers() -> None:
    from bot.engine import msg

    single = Reply(
        kind="question",
        messages=[],
        options=[Option(label=msg("x"), value=v, question_id="q", state_version=4) for v in ("a", "b")],
    )
    multi = Reply(
        kind="question",
        messages=[],
        options=[
            Option(label=msg("x"), value=v, question_id="q", state_version=4) for v in ("a", "__done__")
        ],
    )
    assert read_event("2", [single]) == ChoiceInput("q", "b", 4)
    assert read_event("9", [single]) == TextInput("9")
    assert read_event("2", [multi]) == TextInput("2")
    assert read_event("résumé", []) == Command("summary")
    assert read_event("wijzigen dob", []) == Command("change", "dob")
    assert read_event("aide", []) == Command("help")
    assert read_event("quitter", []) is None
