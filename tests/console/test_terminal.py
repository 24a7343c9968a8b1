"""The console on a real terminal: wrapping to its width, line editing, and where the PDF and the
calendar file go (never the folder the command was started from)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import console
from bot.console import terminal_input, terminal_output, wrap_block
from bot.launch import run_console_command
from bot.settings import get_settings


def test_long_lines_wrap_at_spaces_under_their_list_marker() -> None:
    block = "Question?\n  12. " + "word " * 30 + "\n- item https://example.org/" + "x" * 60
    wrapped = wrap_block(block, 40).splitlines()
    assert wrapped[0] == "Question?"
    assert all(len(line) <= 40 for line in wrapped if "https://" not in line)
    assert wrapped[1].startswith("  12. word") and wrapped[2].startswith("      word")
    assert wrapped[-1] == "  https://example.org/" + "x" * 60, "a link is never cut"
    assert wrap_block(block, 400) == block


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_output_wraps_to_its_width_and_input_gets_line_editing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = Tty()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setattr(console.shutil, "get_terminal_size", lambda: os.terminal_size((31, 24)))
    terminal_output()("one two three four five six seven eight nine ten")
    assert max(len(line) for line in screen.getvalue().splitlines()) <= 30
    monkeypatch.setattr(sys, "stdin", Tty())
    sys.modules.pop("readline", None)
    assert terminal_input() is input
    assert "readline" in sys.modules, "readline is loaded: input() gets line editing and history"


def test_piped_output_is_not_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert terminal_output() is print


def test_files_go_to_the_data_folders_downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run_console(lang: object, **kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setenv("GUICHET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    monkeypatch.setattr(console, "run_console", fake_run_console)
    try:
        assert run_console_command("en", str(tmp_path / "guichet.sqlite3")) == 0
    finally:
        get_settings.cache_clear()
    assert seen["output_dir"] == tmp_path / "data" / "downloads"
