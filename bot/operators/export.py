"""Exports of a filtered sessions list: CSV (spreadsheet-safe) and JSON."""

from __future__ import annotations

import csv
import io
import json
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
# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One value as a CSV cell: lists joined with spaces, None empty, formulas defused with a quote."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    cell = str(value)
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def to_csv(rows: Iterable[SessionSummary]) -> str:
    """The rows as CSV with a header line (RFC 4180, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        record = row.as_record()
        writer.writerow([csv_cell(record[column]) for column in EXPORT_COLUMNS])
    return out.getvalue()


def to_json(rows: Iterable[SessionSummary]) -> str:
    """The rows as a JSON array of objects (the columns of :data:`EXPORT_COLUMNS`)."""
    return json.dumps([row.as_record() for row in rows], ensure_ascii=False, indent=2) + "\n"


def export(rows: Iterable[SessionSummary], fmt: str) -> str:
    """The rows in ``fmt`` ('csv' or 'json')."""
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "json":
        return to_json(rows)
    raise ValueError(f"unknown export format {fmt!r}; expected csv or json")
