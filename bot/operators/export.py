"""Exports of a filtered sessions list: CSV (safe in spreadsheets, Belgian Excel included) and JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any, Final

from bot.store.operators import SessionSummary

EXPORT_COLUMNS: Final = (
    "id",
    "channel",
    "status",
    "lang",
    "created_at",
    "updated_at",
    "completed_at",
    "invite_token",
    "employer",
    "region",
    "route_code",
    "family_outcome",
    "review_codes",
    "rules_version",
    "flags",
    "note_count",
)
EXPORT_FORMATS: Final = ("csv", "json")
# ',' for most spreadsheets; ';' for Excel set to a Belgian (fr-BE, nl-BE) or other European locale.
SEPARATORS: Final = (",", ";")
BOM: Final = "\ufeff"  # so that Excel reads the file as UTF-8 (accents intact)
# A part of a cell starting with one of these is read as a formula by spreadsheets (CSV injection).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
# Whatever a spreadsheet may split a cell on, whichever separator it was told to use.
_PARTS: Final = re.compile(r"([,;\t\r\n|]\s*)")


def neutralise(cell: str) -> str:
    """``cell`` with a quote before every part (split on , ; tab, line ends and |) that would start a
    formula, so that no spreadsheet locale can run it."""
    pieces = _PARTS.split(cell)
    return "".join(
        "'" + piece if index % 2 == 0 and piece.startswith(_FORMULA_STARTS) else piece
        for index, piece in enumerate(pieces)
    )


def csv_cell(value: Any) -> str:
    """One value as a CSV cell: lists joined with spaces, None empty, formulas defused with a quote."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    return neutralise(str(value))


def to_csv(rows: Iterable[SessionSummary], *, separator: str = ",") -> str:
    """The rows as CSV with a header line: UTF-8 BOM, every field quoted, CRLF line ends."""
    if separator not in SEPARATORS:
        raise ValueError(f"separator is one of {SEPARATORS}")
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=separator, quoting=csv.QUOTE_ALL)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        record = row.as_record()
        writer.writerow([csv_cell(record[column]) for column in EXPORT_COLUMNS])
    return out.getvalue()


def to_json(rows: Iterable[SessionSummary]) -> str:
    """The rows as a JSON array of objects (the columns of :data:`EXPORT_COLUMNS`)."""
    return json.dumps([row.as_record() for row in rows], ensure_ascii=False, indent=2) + "\n"


def export(rows: Iterable[SessionSummary], fmt: str, *, separator: str = ",") -> str:
    """The rows in ``fmt`` ('csv' or 'json'; ``separator`` for CSV)."""
    if fmt == "csv":
        return to_csv(rows, separator=separator)
    if fmt == "json":
        return to_json(rows)
    raise ValueError(f"unknown export format {fmt!r}; expected csv or json")
