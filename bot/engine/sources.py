"""The source register (rules.md §0): every source ID an assessment may cite."""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

# How much a source can be trusted, best first (issue 22): the competent authority's own page
# (Region, Immigration Office, FPS, commune), the law itself, public institutions that explain it,
# then professional firms and the press that quote them. Blogs, visa agencies, party sites and
# copies (mirrors, aggregators, development sites) are for operators only, never shown to a person.
PERSON_AUTHORITIES: tuple[str, ...] = ("official", "law", "institution", "firm", "press")
OPERATOR_ONLY_AUTHORITIES: tuple[str, ...] = ("blog", "agency", "party", "mirror")
AUTHORITIES: tuple[str, ...] = PERSON_AUTHORITIES + OPERATOR_ONLY_AUTHORITIES
TITLE_LANGS: tuple[str, ...] = ("fr", "nl", "en")


class Source(BaseModel):
    """One seed document or public page, with its authority, the region it concerns, the date it
    was last checked and its title in each language (data, not wording: titles are the register's)."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    reference: str
    summary: str
    confidence: str
    authority: str = "blog"  # a register without the column: nothing reaches the person unchecked
    region: str = "national"  # national, or the regions it concerns: "BXL", "BXL; FL"
    checked: date | None = None
    title_en: str = ""
    title_fr: str = ""
    title_nl: str = ""

    @property
    def url(self) -> str | None:
        """The public address, or None for a file or a reference without one."""
        return self.reference if self.reference.startswith(("https://", "http://")) else None

    def title(self, lang: str) -> str:
        """The title in ``lang`` (English, then the summary, when that language is missing)."""
        return getattr(self, f"title_{lang}", "") or self.title_en or self.summary

    @property
    def shown_to_person(self) -> bool:
        """A page a person may be pointed to: trusted enough, with an address and a title."""
        return self.authority in PERSON_AUTHORITIES and self.url is not None and bool(self.title_en)

    def concerns(self, region: str | None) -> bool:
        """True for a national source, or one about ``region``."""
        regions = {part.strip() for part in self.region.split(";")}
        return "national" in regions or (region is not None and region in regions)


class TableError(ValueError):
    """A table that cannot be read: the file, the line (1 = the header) and the reason."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}:{line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


def csv_records(
    text: str, columns: tuple[str, ...], file: str, optional: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV table with the line each starts on; TableError for a missing column or a
    row with too many or too few cells (a row may stop before the ``optional`` columns)."""
    reader = csv.DictReader(text.splitlines(), restkey="\0extra")
    missing = [name for name in columns if name not in (reader.fieldnames or ())]
    if missing:
        raise TableError(file, 1, f"missing column(s): {', '.join(missing)}")
    needed = [name for name in reader.fieldnames or () if name not in optional]
    records = []
    start = reader.line_num + 1
    for cells in reader:
        if "\0extra" in cells or any(cells.get(name) is None for name in needed):
            raise TableError(file, start, f"expected {len(reader.fieldnames or ())} cells")
        records.append((start, cells))
        start = reader.line_num + 1
    return records


SOURCE_COLUMNS = ("id", "kind", "reference", "summary", "confidence")
# Optional columns (issue 22); an older register without them still reads, showing nobody its pages.
SOURCE_EXTRA_COLUMNS = ("authority", "region", "checked", "title_en", "title_fr", "title_nl")


def read_sources(text: str, file: str = "sources.csv") -> list[tuple[int, Source]]:
    """Each source of a register CSV with its line number (``TableError`` for a missing column, a
    row with the wrong number of cells, an unknown authority or a date that does not read)."""
    sources = []
    for line, cells in csv_records(text, SOURCE_COLUMNS, file, optional=SOURCE_EXTRA_COLUMNS):
        if not cells["id"].strip():
            raise TableError(file, line, "empty id")
        values: dict[str, object] = {name: cells[name].strip() for name in SOURCE_COLUMNS}
        for name in SOURCE_EXTRA_COLUMNS:
            cell = (cells.get(name) or "").strip()
            if cell:
                values[name] = cell
        if values.get("authority", "blog") not in AUTHORITIES:
            raise TableError(file, line, f"authority must be one of {', '.join(AUTHORITIES)}")
        if "checked" in values:
            try:
                values["checked"] = date.fromisoformat(str(values["checked"]))
            except ValueError:
                raise TableError(file, line, "checked must be a date YYYY-MM-DD") from None
        sources.append((line, Source.model_validate(values)))
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
