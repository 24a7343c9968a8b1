"""The source register (rules.md §0): every source ID an assessment may cite."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict


class Source(BaseModel):
    """One seed document or public page."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    reference: str
    summary: str
    confidence: str


class TableError(ValueError):
    """A table that cannot be read: the file, the line (1 = the header) and the reason."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}:{line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


def csv_records(text: str, columns: tuple[str, ...], file: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV table with the line each starts on; TableError for a missing column or a
    row with too many or too few cells."""
    reader = csv.DictReader(text.splitlines(), restkey="\0extra")
    missing = [name for name in columns if name not in (reader.fieldnames or ())]
    if missing:
        raise TableError(file, 1, f"missing column(s): {', '.join(missing)}")
    records = []
    start = reader.line_num + 1
    for cells in reader:
        if "\0extra" in cells or any(cells.get(name) is None for name in reader.fieldnames or ()):
            raise TableError(file, start, f"expected {len(reader.fieldnames or ())} cells")
        records.append((start, cells))
        start = reader.line_num + 1
    return records


SOURCE_COLUMNS = ("id", "kind", "reference", "summary", "confidence")


def read_sources(text: str, file: str = "sources.csv") -> list[tuple[int, Source]]:
    """Each source of a register CSV with its line number (``TableError`` for a missing column or
    a row with the wrong number of cells)."""
    sources = []
    for line, cells in csv_records(text, SOURCE_COLUMNS, file):
        if not cells["id"].strip():
            raise TableError(file, line, "empty id")
        sources.append((line, Source(**{name: cells[name].strip() for name in SOURCE_COLUMNS})))
    return sources


def packaged_text(name: str) -> str:
    """A packaged data file (``thresholds.csv``, ``sources.csv``, ``occupations.toml``) as text: the
    default rules pack's files."""
    return resources.files("bot.engine").joinpath(f"data/{name}").read_text(encoding="utf-8")


@cache
def source_register() -> dict[str, Source]:
    """All sources, by ID (S000…S004 seeds, Pnn public pages): the packaged register."""
    return {source.id: source for _, source in read_sources(packaged_text("sources.csv"))}


def split_sources(cell: str) -> list[str]:
    """Turn a 'P02; P01' cell into ['P02', 'P01']."""
    return [part.strip() for part in cell.split(";") if part.strip()]
