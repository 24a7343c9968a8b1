"""The console channel: its own help, control words before answers, unknown commands, and the
result's views as words (the PDF and the calendar written to files)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from bot.console import run_console
from bot.i18n import text
from bot.store import SessionStore
from tests.flows.test_console import TODAY, Terminal, script


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    opened = SessionStore(tmp_path / "guichet.sqlite")
    yield opened
    opened.close()


def talk(store: SessionStore, lang: str, lines: list[str], folder: Path, today: date = TODAY) -> list[str]:
    terminal = Terminal(lines)
    code = run_console(
        lang,  # type: ignore[arg-type]
        store=store,
        user_key="console:test",
        input_fn=terminal.input,
        output_fn=terminal.output,
        today=today,
        output_dir=folder,
    )
    assert code == 0
    return terminal.screen


def test_help_word_is_a_command_not_a_country_and_lists_console_words(
    store: SessionStore, tmp_path: Path
) -> None:
    screen = talk(store, "fr", ["aide"], tmp_path)
    assert text("fr", "terminal.welcome") in screen[0]
    [shown] = [block for block in screen if text("fr", "terminal.help") in block]
    assert "/back" not in shown
    saved = store.load_state("console", "console:test")
    assert saved is not None and "nationalities" not in saved.state["answers"]


def test_unknown_slash_word_is_refused_and_nothing_is_lost(store: SessionStore, tmp_path: Path) -> None:
    screen = talk(store, "en", ["India", "/foo"], tmp_path)
    assert screen[-2].startswith(text("en", "terminal.unknown_command", word="/foo"))
    saved = store.load_state("console", "console:test")
    assert saved is not None and saved.state["answers"]["nationalities"] == ["IN"]
    transcript = [line.text for line in store.get_transcript(saved.id)]
    assert screen[-2] in transcript, "the answer was saved before it was shown"


def test_result_views_as_words_and_files(store: SessionStore, tmp_path: Path) -> None:
    lines = [*script("fr"), "documents", "pourquoi", "pdf", "agenda"]
    screen = talk(store, "fr", lines, tmp_path)
    first = next(block for block in screen if text("fr", "outcome.title") in block)
    assert text("fr", "terminal.result.more") in first
    assert any(block.startswith(f"== {text('fr', 'result.heading.documents')} ==") for block in screen)
    assert any(block.startswith(f"== {text('fr', 'result.heading.why')} ==") for block in screen)
    [pdf] = tmp_path.glob("*.pdf")
    assert "Votre situation en Belgique" in PdfReader(pdf).pages[0].extract_text()
    written = [block for block in screen if block.startswith(text("fr", "result.file_written", path="")[:10])]
    assert len(written) == 2
    ics = list(tmp_path.glob("*.ics"))
    if ics:
        assert Calendar.from_ical(ics[0].read_bytes()).walk("VEVENT")
    else:
        assert text("fr", "result.no_dates") in screen
