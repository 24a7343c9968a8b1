"""Packs for the tests: the packaged tables written as a pack folder, edited cell by cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Answers, assess
from bot.rules.pack import MANIFEST, THRESHOLDS, Manifest, default_pack, write_pack_files
from bot.store import SessionStore

NEW_VERSION = "2026.12-v1"


def line_of(text: str, *cells: str) -> int:
    """The line number (1 = header) of the first CSV row starting with ``cells``."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(",".join(cells) + ","):
            return number
    raise AssertionError(f"no row {cells}")


def edit_row(text: str, threshold_id: str, from_day: str, /, **cells: str) -> str:
    """``text`` with the cells of the row (id, valid_from = ``from_day``) replaced."""
    rows = list(csv.DictReader(io.StringIO(text)))
    hits = [row for row in rows if row["id"] == threshold_id and row["valid_from"] == from_day]
    assert len(hits) == 1, (threshold_id, from_day)
    hits[0].update(cells)
    return _write(rows)


def add_row(text: str, **cells: str) -> str:
    """``text`` with one more row at the end (a copy of the first row with ``cells`` changed)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    rows.append({**rows[0], **cells})
    return _write(rows)


def _write(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def pack_files(version: str = NEW_VERSION, **replace: str) -> dict[str, str]:
    """The packaged tables with a new manifest; ``replace`` maps a file's stem to new text."""
    files = dict(default_pack().files)
    files[MANIFEST] = Manifest(version, date(2026, 12, 3), "Test Adviser", "test pack").to_toml()
    for stem, text in replace.items():
        [name] = [name for name in files if name.split(".")[0] == stem]
        files[name] = text
    return files


def raised_blue_card(amount: str = "5500") -> str:
    """thresholds.csv with the Brussels Blue Card amount from 2025 raised to ``amount``."""
    return edit_row(default_pack().files[THRESHOLDS], "BXL_BC", "2025-01-01", amount=amount)


PackWriter = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_pack(tmp_path: Path) -> PackWriter:
    """Write pack files to a fresh folder and return it."""
    counter = iter(range(1000))

    def write(files: dict[str, str]) -> Path:
        return write_pack_files(files, tmp_path / f"pack{next(counter)}")

    return write


def save_session(store: SessionStore, user: str, answers: dict[str, Any], day: date) -> int:
    """A finished interview saved as the bot saves it (state, answer log, assessment)."""
    state = {"format": 1, "lang": "en", "current": "result", "answers": answers}
    session_id = store.save_turn(
        "telegram", user, state, lang="en", answers=list(answers.items()), incoming="hi", outgoing=["result"]
    )
    store.save_assessment(session_id, assess(Answers.model_validate(answers), on=day))
    return session_id
