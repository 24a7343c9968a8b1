"""A rules pack: the dated tables the engine uses, with a manifest, as files an operator can edit.

A pack is a folder (or a .zip of one) holding ``manifest.toml`` (version, date, author, note),
``thresholds.csv`` (every amount and fee, with its validity window, sources and confidence),
``sources.csv`` (the source register) and ``occupations.toml`` (the shortage lists' validity and the
functions the sources name). The packaged tables (``bot/engine/data/``) are the default
pack. See docs/rules-packs.md.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from bot.engine import (
    Source,
    TableError,
    ThresholdRow,
    ThresholdTable,
    packaged_text,
    read_sources,
    read_threshold_rows,
    threshold_table,
)

MANIFEST, THRESHOLDS, SOURCES, LISTS = "manifest.toml", "thresholds.csv", "sources.csv", "occupations.toml"
PACK_FILES = (MANIFEST, THRESHOLDS, SOURCES, LISTS)
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
DEFAULT_AUTHOR = "release"
RESERVED_VERSIONS = frozenset({"default", "packaged"})  # names of the packaged tables in `rules rollback`


@dataclass(frozen=True, order=True)
class Problem:
    """Why a pack is refused: the file, the line (0: the file as a whole) and the reason."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"


class PackError(Exception):
    """A pack that cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Manifest:
    """Who prepared the pack, when, and why; ``version`` is what each assessment records."""

    version: str
    date: date | None
    author: str
    note: str

    def to_toml(self) -> str:
        """The manifest as ``manifest.toml`` text."""
        lines = [f"version = {_toml_string(self.version)}"]
        if self.date is not None:
            lines.append(f"date = {self.date.isoformat()}")
        lines += [f"author = {_toml_string(self.author)}", f"note = {_toml_string(self.note)}"]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RulesPack:
    """A readable pack: its manifest, its files verbatim, the engine's table and the register."""

    manifest: Manifest
    files: Mapping[str, str] = field(repr=False)
    rows: tuple[tuple[int, ThresholdRow], ...] = field(repr=False)  # (line, row)
    source_rows: tuple[tuple[int, Source], ...] = field(repr=False)  # (line, source)
    sources: Mapping[str, Source] = field(repr=False)  # by ID
    lists: Mapping[str, Any] = field(repr=False)  # occupations.toml, parsed
    table: ThresholdTable = field(repr=False)

    @property
    def version(self) -> str:
        """The manifest's version (also the table's)."""
        return self.manifest.version

    @property
    def digest(self) -> str:
        """A fingerprint of the files (same files, same digest)."""
        return files_digest(self.files)


def files_digest(files: Mapping[str, str]) -> str:
    """SHA-256 of the pack files, in name order."""
    hasher = hashlib.sha256()
    for name in sorted(files):
        hasher.update(name.encode() + b"\0" + files[name].encode("utf-8") + b"\0")
    return hasher.hexdigest()


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def read_pack_files(path: str | Path) -> dict[str, str]:
    """The pack files of a folder or a .zip (found at its top or in one folder inside it); PackError
    when the path cannot be read. Other files are ignored; a byte-order mark (spreadsheets write one)
    is dropped."""
    where = Path(path)
    if not where.exists():
        raise PackError([Problem(str(where), 0, "not found")])
    try:
        if where.is_dir():
            return {
                name: (where / name).read_text(encoding="utf-8-sig")
                for name in PACK_FILES
                if (where / name).is_file()
            }
        if zipfile.is_zipfile(where):
            with zipfile.ZipFile(where) as archive:
                found: dict[str, str] = {}
                for info in archive.infolist():
                    name = info.filename.rsplit("/", 1)[-1]
                    if name in PACK_FILES and info.filename.count("/") <= 1 and name not in found:
                        found[name] = archive.read(info).decode("utf-8-sig")
                return found
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise PackError([Problem(str(where), 0, f"cannot be read ({exc})")]) from exc
    raise PackError([Problem(str(where), 0, "is neither a pack folder nor a .zip")])


def write_pack_files(files: Mapping[str, str], folder: str | Path) -> Path:
    """Write the pack files into ``folder`` (created); an operator edits them there."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for name in PACK_FILES:
        if name in files:
            (target / name).write_text(files[name], encoding="utf-8")
    return target


def _toml_line(error: tomllib.TOMLDecodeError) -> int:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else 1


def parse_manifest(text: str) -> Manifest:
    """The manifest of ``manifest.toml`` text; PackError naming the line and the reason."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError([Problem(MANIFEST, _toml_line(exc), f"not valid TOML: {exc}")]) from exc
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        lines.setdefault(raw.split("=")[0].strip(), number)
    problems: list[Problem] = []
    version = data.get("version")
    if isinstance(version, str) and version.lower() in RESERVED_VERSIONS:
        problems.append(Problem(MANIFEST, lines.get("version", 1), f"version {version!r} is reserved"))
    elif not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        problems.append(
            Problem(
                MANIFEST, lines.get("version", 1), "version must be 1–64 characters of A-Z a-z 0-9 . _ + -"
            )
        )
    when = data.get("date")
    if when is not None and (not isinstance(when, date) or isinstance(when, datetime)):
        problems.append(
            Problem(MANIFEST, lines.get("date", 1), "date must be written YYYY-MM-DD (no quotes)")
        )
    author = data.get("author")
    if not isinstance(author, str) or not author.strip():
        problems.append(
            Problem(MANIFEST, lines.get("author", 1), "author is required (who prepared the pack)")
        )
    note = data.get("note", "")
    if not isinstance(note, str):
        problems.append(Problem(MANIFEST, lines.get("note", 1), "note must be a text in quotes"))
    for key in sorted(set(data) - {"version", "date", "author", "note"}):
        problems.append(Problem(MANIFEST, lines.get(key, 1), f"unknown key {key!r}"))
    if problems:
        raise PackError(problems)
    assert isinstance(version, str) and isinstance(author, str) and isinstance(note, str)
    return Manifest(
        version=version, date=when if isinstance(when, date) else None, author=author.strip(), note=note
    )


def parse_pack(files: Mapping[str, str]) -> RulesPack:
    """A pack from its files, read but not checked (see :func:`bot.rules.check.check_files`);
    PackError for a missing file or a table or manifest that cannot be read."""
    missing = [Problem(name, 0, "missing from the pack") for name in PACK_FILES if name not in files]
    if missing:
        raise PackError(missing)
    manifest = parse_manifest(files[MANIFEST])
    try:
        rows = read_threshold_rows(files[THRESHOLDS], THRESHOLDS)
        sources = read_sources(files[SOURCES], SOURCES)
    except TableError as exc:
        raise PackError([Problem(exc.file, exc.line, exc.reason)]) from exc
    try:
        lists = tomllib.loads(files[LISTS])
    except tomllib.TOMLDecodeError as exc:
        raise PackError([Problem(LISTS, _toml_line(exc), f"not valid TOML: {exc}")]) from exc
    register = {source.id: source for _, source in sources}
    table = ThresholdTable(
        [row for _, row in rows], version=manifest.version, sources=register, lists_text=files[LISTS]
    )
    return RulesPack(manifest, dict(files), tuple(rows), tuple(sources), register, lists, table)


@cache
def default_pack() -> RulesPack:
    """The packaged tables as a pack; its table is the engine's packaged table, same version."""
    table = threshold_table()
    manifest = Manifest(table.version, None, DEFAULT_AUTHOR, "tables packaged with this release")
    files = {
        MANIFEST: manifest.to_toml(),
        THRESHOLDS: packaged_text(THRESHOLDS),
        SOURCES: packaged_text(SOURCES),
        LISTS: packaged_text(LISTS),
    }
    pack = parse_pack(files)
    return RulesPack(manifest, pack.files, pack.rows, pack.source_rows, pack.sources, pack.lists, table)
