"""docs/contract.md is the engine's contract as the repository holds it: every field of the JSON
output is named there, and the README points to it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.contract import assessment_to_contract
from bot.engine import Answers, assess
from tests.test_cli import BRUSSELS_WORKER

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
WORKER = BRUSSELS_WORKER
FAMILY = {
    **WORKER,
    "members": [
        {"relation": "spouse", "dob": "1992-01-01"},
        {"relation": "child_minor", "dob": "2015-01-01"},
    ],
    "sponsor_net_income": 3000,
}
STUDENT = {"nationalities": ["MA"], "current_location": "abroad", "purposes": ["study"], "means_month": 800}


def field_names(value: Any) -> set[str]:
    """Every key of the JSON, except the parameters of a message (they depend on the message)."""
    if isinstance(value, dict):
        return {k for k in value} | {n for k, v in value.items() if k != "params" for n in field_names(v)}
    if isinstance(value, list):
        return {n for item in value for n in field_names(item)}
    return set()


@pytest.mark.parametrize("answers", [WORKER, FAMILY, STUDENT], ids=["worker", "family", "student"])
def test_every_output_field_is_documented(answers: dict[str, Any]) -> None:
    contract = assessment_to_contract(assess(Answers.model_validate(answers), on=date(2026, 11, 23)), "en")
    missing = sorted(name for name in field_names(contract) if not re.search(rf"\b{re.escape(name)}\b", DOC))
    assert not missing, f"fields of the JSON output not named in docs/contract.md: {missing}"


def test_the_readme_cites_the_contract_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/contract.md" in readme and "shared/spec/contract.md" not in readme
