"""The committed Mermaid diagrams of the interview (docs/flow/) match the declaration."""

from __future__ import annotations

import pytest

import flows.diagram as diagram
from flows.diagram import DOCS, block_diagram, documents
from flows.question_types import BlockName
from flows.questions import BLOCKS, QUESTIONS


@pytest.mark.parametrize(("filename", "content"), sorted(documents().items()))
def test_committed_diagram_is_up_to_date(filename: str, content: str) -> None:
    committed = DOCS / filename
    assert committed.exists(), f"run python -m flows.diagram to create docs/flow/{filename}"
    assert committed.read_text(encoding="utf-8") == content, (
        f"docs/flow/{filename} is out of date: run python -m flows.diagram"
    )


def test_every_question_appears_in_exactly_one_block_diagram() -> None:
    diagrams = {name: block_diagram(name) for name in BLOCKS}
    for qid in QUESTIONS:
        holders = [name for name, text in diagrams.items() if f"<b>{qid}</b>" in text]
        assert len(holders) == 1, (qid, holders)


def test_removing_a_question_changes_the_diagram(monkeypatch: pytest.MonkeyPatch) -> None:
    name: BlockName = "B"
    before = block_diagram(name)
    dropped = QUESTIONS["start_date"]
    monkeypatch.setattr(
        diagram, "BLOCKS", {**BLOCKS, name: tuple(step for step in BLOCKS[name] if step is not dropped)}
    )
    assert block_diagram(name) != before
    assert "start_date" not in block_diagram(name)
