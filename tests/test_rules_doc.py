"""docs/rules.md, the project's own rules: every section the code cites ("rules.md §2.4", "§3.1"),
every rule ID, review code, answer field and threshold ID the code uses is in it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from bot.engine import Answers, Member, threshold_table

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "rules.md"
CODE_DIRS = ("bot", "flows")
# Quoted tokens shaped like rule IDs that are not rules: date formats, a hash name, a character range,
# a postcode example and a confidence range.
NOT_RULES = frozenset({"YYYY-MM-DD", "YYYY-YYYY", "HMAC-SHA1", "A-Z", "B-1050", "L-M"})
RULE_LITERAL = re.compile(r"[\"']([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)[\"']")
NOTE_RULE = re.compile(r"\.note\(\s*\"([A-Z][A-Z0-9_-]*)\"")
# Prefixes the code completes with a digit (family_sponsor.py builds RS-E1…RS-E3, RS-T1…RS-T3).
RULE_PREFIXES = frozenset({"RS-E", "RS-T"})
REVIEW_CODE = re.compile(r"\bRV-\d\d\b")
SECTION = re.compile(r"§\s?(\d+(?:\.\d+)*)")


@cache
def code_text() -> str:
    files = [p for d in CODE_DIRS for p in (ROOT / d).rglob("*") if p.suffix in (".py", ".toml")]
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(files))


@cache
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def headings() -> set[str]:
    return set(re.findall(r"^#{2,3} (\d+(?:\.\d+)*)\.? ", doc(), re.M))


def test_the_code_cites_rules_md_and_every_section_cited_exists() -> None:
    assert len(re.findall(r"rules\.md", code_text())) >= 40
    cited = {number.rstrip(".") for number in SECTION.findall(code_text())}
    assert {"0", "1", "2.1", "2.4", "3.4", "5.10", "6.3", "8.2"} <= cited
    assert cited - headings() == set()


def test_every_review_code_raised_is_explained() -> None:
    cited = set(REVIEW_CODE.findall(code_text()))
    assert len(cited) >= 15
    explained = set(re.findall(r"^\| (RV-\d\d) \|", doc(), re.M))
    assert cited - explained == set()


def test_every_rule_id_in_the_code_is_in_the_doc() -> None:
    rules = {
        m for m in RULE_LITERAL.findall(code_text()) if m not in NOT_RULES and not REVIEW_CODE.fullmatch(m)
    }
    rules |= set(NOTE_RULE.findall(code_text()))
    assert {"BXL-BC", "FR-INC-1", "WHO-TCN", "HOUSING", "EX-FAIL"} <= rules
    missing = sorted(
        rule
        for rule in rules - RULE_PREFIXES
        if not re.search(rf"(?<![\w-]){re.escape(rule)}(?![\w-])", doc())
    )
    assert missing == []
    assert all(f"{prefix}1" in doc() for prefix in RULE_PREFIXES)


@pytest.mark.parametrize("model", [Answers, Member])
def test_every_answer_field_is_in_the_doc(model: type[Answers] | type[Member]) -> None:
    missing = sorted(
        name for name in model.model_fields if f"`{name}`" not in doc() and f"{name}[]" not in doc()
    )
    assert missing == []


def test_every_threshold_id_is_in_the_doc() -> None:
    missing = sorted(row.id for row in threshold_table().rows if row.id not in doc())
    assert missing == []
