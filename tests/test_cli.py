"""The `guichet assess` and `guichet schema` commands (contract.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main


def run(
    argv: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import sys

    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        code = main(argv)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


BRUSSELS_WORKER = {
    "nationalities": ["IN"],
    "current_location": "abroad",
    "purposes": ["employee"],
    "dob": "1990-05-01",
    "work_postcode": "1000",
    "employer_type": "belgian_employer",
    "salary_month_base": 5000,
    "salary_year": 70000,
    "contract_months": 0,
    "qualification": "higher_ed_3y_plus",
}


def test_assess_file_returns_contract_json(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(BRUSSELS_WORKER), encoding="utf-8")
    code, out, err = run(["assess", str(path), "--on", "2026-11-23"])
    assert code == 0, err
    data = json.loads(out)
    assert data["contract_version"] == 1
    assert data["reference_date"] == "2026-11-23"
    assert data["route_code"] == data["routes"][0]["code"]
    assert {"routes", "family", "review", "next_steps", "missing", "rules_version"} <= data.keys()
    assert data["family"]["outcome"] == "FAM_NONE"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_text_format_in_each_language_ends_with_the_disclaimer(lang: str) -> None:
    code, out, _ = run(
        ["assess", "-", "--on", "2026-11-23", "--format", "text", "--lang", lang], json.dumps(BRUSSELS_WORKER)
    )
    assert code == 0
    disclaimer = {"fr": "pas un avis juridique", "nl": "geen juridisch advies", "en": "not legal advice"}[
        lang
    ]
    assert disclaimer in out.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("stdin", "needle"),
    [
        ("{not json", "unreadable JSON"),
        ("[1, 2]", "JSON object"),
        ('{"salary_year": "lots"}', "field 'salary_year'"),
        ('{"nationalities": ["India"]}', "field 'nationalities'"),
        ('{"nationalities": ["ZZ"]}', "field 'nationalities'"),
        ('{"dob": "18/08/1990"}', "field 'dob'"),
        ('{"favourite_colour": "blue"}', "field 'favourite_colour': unknown field"),
        ('{"members": [{"relation": "cousin"}]}', "field 'members.0.relation'"),
        ('{"work_postcode": "0999"}', "field 'work_postcode'"),
    ],
)
def test_malformed_input_exits_2_with_one_line(stdin: str, needle: str) -> None:
    code, out, err = run(["assess", "-"], stdin)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert needle in err


def test_missing_file_exits_2() -> None:
    code, _, err = run(["assess", "/nonexistent/answers.json"])
    assert code == 2 and "cannot read" in err


def test_schema_lists_every_answer_field_and_forbids_others() -> None:
    code, out, _ = run(["schema", "answers"])
    schema = json.loads(out)
    assert code == 0
    assert schema["additionalProperties"] is False
    assert {"nationalities", "salary_month_base", "members", "family_application_date"} <= schema[
        "properties"
    ].keys()
