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


@cache
def source_register() -> dict[str, Source]:
    """All sources, by ID (S000…S004 seeds, Pnn public pages)."""
    text = resources.files("bot.engine").joinpath("data/sources.csv").read_text(encoding="utf-8")
    return {row["id"]: Source(**row) for row in csv.DictReader(text.splitlines())}


def split_sources(cell: str) -> list[str]:
    """Turn a 'P02; P01' cell into ['P02', 'P01']."""
    return [part.strip() for part in cell.split(";") if part.strip()]
