"""CSV and JSON exports of the filtered list."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot.operators.export import EXPORT_COLUMNS, csv_cell, export
from bot.store import OperatorStore, SessionFilters


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        ("Acme", "Acme"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+32 2 123", "'+32 2 123"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        (["RV-01", "RV-07"], "RV-01 RV-07"),
        (3, "3"),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_csv_and_json_carry_the_same_rows(ops: OperatorStore, seeded: dict[str, int]) -> None:
    rows = list(ops.iter_sessions(SessionFilters(route="BLUE_CARD")))
    content = export(rows, "csv")
    assert content.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))
    records = json.loads(export(rows, "json"))
    assert tuple(table[0]) == EXPORT_COLUMNS
    assert (
        [int(r["id"]) for r in table]
        == [r["id"] for r in records]
        == [seeded["family"], seeded["brussels"], seeded["ghent"]]
    )
    assert {r["employer"] for r in records} == {"Acme Belgium SA", "Globex NV"}
    assert all(r["route_code"] == "BLUE_CARD" for r in table)
    assert "user_key" not in records[0] and "user_key" not in table[0]  # no user identifier


def test_unknown_format() -> None:
    with pytest.raises(ValueError):
        export([], "xml")
