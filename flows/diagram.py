"""Mermaid diagrams of the interview, one per question block, generated from the declaration in
:mod:`flows.questions` (committed in docs/flow/; a test fails when they are out of date).

Run ``python -m flows.diagram`` to rewrite docs/flow/*.md after changing a question.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flows.features import always
from flows.question_types import BlockName, Group, Question
from flows.questions import BLOCKS

TITLES: dict[BlockName, str] = {
    "A": "Block A — about the person",
    "B": "Block B — employee",
    "D": "Unlimited single permit and block D — long-term status",
    "C": "Block C — self-employed, student, researcher, graduate",
    "F": "Block F — family",
}
MAX_OPTIONS_SHOWN = 6
DOCS = Path(__file__).resolve().parents[1] / "docs" / "flow"


def _node(question: Question) -> str:
    lines = [f"<b>{question.id}</b>", f"{question.kind} → {question.field}"]
    values = list(question.option_values())
    if question.kind in ("choice", "multi_choice") and values:
        shown = values[:MAX_OPTIONS_SHOWN] + (["…"] if len(values) > MAX_OPTIONS_SHOWN else [])
        lines.append(" | ".join(shown))
    if question.skip:
        lines.append("(or: none yet)")
    if question.only_if_it_matters:
        lines.append("<i>only if it can change the result</i>")
    label = "<br/>".join(line.replace('"', "'") for line in lines)
    return f'    {question.id}["{label}"]'


def _edge(source: str, question: Question) -> str:
    if question.condition is always:
        return f"    {source} --> {question.id}"
    return f"    {source} -->|if {question.condition.__name__}| {question.id}"


def block_diagram(name: BlockName) -> str:
    """The Mermaid flowchart of one block: each question in order, with the condition it is asked
    under on the edge leading to it (a question whose condition fails is passed over)."""
    out = ["flowchart TD", f'    start_{name}(["{TITLES[name]}"])']
    previous = f"start_{name}"
    for step in BLOCKS[name]:
        if isinstance(step, Group):
            first = step.questions[0].id
            out.append(f"    subgraph {step.id}_loop [each family member, up to {step.max_items}]")
            out += [_node(question) for question in (*step.questions, step.more)]
            inner = first
            for question in step.questions[1:]:
                out.append(_edge(inner, question))
                inner = question.id
            out.append(f"    {inner} --> {step.more.id}")
            out.append(f"    {step.more.id} -->|yes| {first}")
            out.append("    end")
            out.append(f"    {previous} -->|if {step.condition.__name__}| {first}")
            previous = step.more.id
            continue
        out.append(_node(step))
        out.append(_edge(previous, step))
        previous = step.id
    out.append(f"    {previous} --> end_{name}([next block])")
    return "\n".join(out) + "\n"


def block_document(name: BlockName) -> str:
    """The Markdown page holding one block's diagram."""
    return (
        f"# {TITLES[name]}\n\n"
        "Generated from `flows/questions.py` by `python -m flows.diagram`; do not edit by hand.\n"
        "A question is asked only when the condition on its incoming edge holds and it is still\n"
        "unanswered; otherwise the interview passes on to the next one.\n\n"
        f"```mermaid\n{block_diagram(name)}```\n"
    )


def documents() -> dict[str, str]:
    """File name → content of every diagram page."""
    return {f"block-{name}.md": block_document(name) for name in BLOCKS}


def main(target: Path = DOCS) -> int:
    """Write every diagram page into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for filename, content in documents().items():
        (target / filename).write_text(content, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
