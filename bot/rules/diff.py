"""`guichet rules diff`: whom a pack affects. Every finished session is assessed again with its
answers, on the same day, under the pack in force and under the new pack; the sessions whose
route, family outcome or review codes differ are listed, before → after."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.engine import Assessment, ThresholdTable, assess
from bot.operators.review import rebuild_answers

EXPORT_COLUMNS = (
    "session_id",
    "status",
    "route_before",
    "route_after",
    "family_before",
    "family_after",
    "review_before",
    "review_after",
    "changed",
)


@dataclass(frozen=True)
class Outcome:
    """The three headlines a pack can change."""

    route: str
    family: str
    review: tuple[str, ...]

    @classmethod
    def of(cls, assessment: Assessment) -> Outcome:
        """The headlines of ``assessment``."""
        return cls(
            assessment.route_code,
            assessment.family.outcome,
            tuple(sorted({r.code for r in assessment.review})),
        )


@dataclass(frozen=True)
class SessionChange:
    """One session that the new pack decides differently."""

    session_id: int
    status: str
    before: Outcome
    after: Outcome

    @property
    def changed(self) -> tuple[str, ...]:
        """Which headlines changed: route, family, review."""
        return tuple(
            name
            for name in ("route", "family", "review")
            if getattr(self.before, name) != getattr(self.after, name)
        )

    def as_record(self) -> dict[str, Any]:
        """The change as one export row."""
        return {
            "session_id": self.session_id,
            "status": self.status,
            "route_before": self.before.route,
            "route_after": self.after.route,
            "family_before": self.before.family,
            "family_after": self.after.family,
            "review_before": " ".join(self.before.review),
            "review_after": " ".join(self.after.review),
            "changed": " ".join(self.changed),
        }


@dataclass
class DiffReport:
    """What ``diff_sessions`` found."""

    before_version: str
    after_version: str
    on: date
    checked: int = 0
    unreadable: list[int] = field(default_factory=list)
    changes: list[SessionChange] = field(default_factory=list)

    def to_json(self) -> str:
        """The report as JSON (for ``--export x.json``)."""
        return json.dumps(
            {
                "before_version": self.before_version,
                "after_version": self.after_version,
                "on": self.on.isoformat(),
                "checked": self.checked,
                "unreadable": self.unreadable,
                "changes": [change.as_record() for change in self.changes],
            },
            indent=2,
        )

    def to_csv(self) -> str:
        """The changed sessions as CSV (for ``--export x.csv``)."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(change.as_record() for change in self.changes)
        return out.getvalue()


def diff_sessions(
    sessions: Iterable[tuple[int, str, dict[str, Any]]],
    before: ThresholdTable,
    after: ThresholdTable,
    on: date,
) -> DiffReport:
    """Assess each (id, status, dialogue state) under ``before`` and ``after`` as of ``on``."""
    report = DiffReport(before.version, after.version, on)
    for session_id, status, state in sessions:
        try:
            answers = rebuild_answers(state).answers
        except Exception:  # a state no answers can be rebuilt from: named, not guessed
            report.unreadable.append(session_id)
            continue
        report.checked += 1
        old, new = (Outcome.of(assess(answers, on, table=table)) for table in (before, after))
        if old != new:
            report.changes.append(SessionChange(session_id, status, old, new))
    return report


def _arrow(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


def format_report(report: DiffReport) -> list[str]:
    """The report as lines for the terminal."""
    lines = [
        f"rules diff: {report.before_version} (in force) → {report.after_version}, "
        f"as of {report.on.isoformat()}",
        f"{report.checked} sessions assessed again, {len(report.changes)} change"
        + (
            f", {len(report.unreadable)} unreadable: {', '.join(map(str, report.unreadable))}"
            if report.unreadable
            else ""
        ),
    ]
    if report.changes:
        lines.append(f"{'session':>8}  {'status':<13} {'route':<28} {'family':<34} review")
    for change in report.changes:
        review = _arrow(" ".join(change.before.review) or "—", " ".join(change.after.review) or "—")
        lines.append(
            f"{change.session_id:>8}  {change.status:<13} "
            f"{_arrow(change.before.route, change.after.route):<28} "
            f"{_arrow(change.before.family, change.after.family):<34} {review}"
        )
    return lines
