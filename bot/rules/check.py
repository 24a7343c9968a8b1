"""`guichet rules check`: is a pack safe to put in force? Every problem names its file and line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from bot.engine.thresholds import USABLE_STATUSES, ThresholdRow
from bot.rules.pack import SOURCES, THRESHOLDS, PackError, Problem, RulesPack, default_pack, parse_pack

STATUSES = frozenset({*USABLE_STATUSES, "no_fixed_amount", "rejected", "unverified"})
SOURCE_KINDS = frozenset({"seed", "public"})


def check_files(files: Mapping[str, str]) -> tuple[RulesPack | None, list[Problem]]:
    """The pack and its problems, in file and line order (a pack is usable only without any)."""
    try:
        pack = parse_pack(files)
    except PackError as exc:
        return None, sorted(exc.problems)
    return pack, sorted(check_pack(pack))


def check_pack(pack: RulesPack) -> list[Problem]:
    """Schema values, sources registered, amounts positive, no overlapping windows, and every
    amount the engine looks up still present."""
    problems = _check_register(pack)
    for line, row in pack.rows:
        problems += [Problem(THRESHOLDS, line, f"{row.id}: {reason}") for reason in _row_problems(row, pack)]
    problems += _overlaps(pack)
    problems += _missing_ids(pack)
    return problems


def _check_register(pack: RulesPack) -> list[Problem]:
    problems = []
    seen: Counter[str] = Counter()
    for line, source in pack.source_rows:
        seen[source.id] += 1
        if seen[source.id] == 2:
            problems.append(Problem(SOURCES, line, f"{source.id}: listed twice"))
        if source.kind not in SOURCE_KINDS:
            problems.append(
                Problem(SOURCES, line, f"{source.id}: kind must be seed or public, not {source.kind!r}")
            )
        if not source.reference:
            problems.append(Problem(SOURCES, line, f"{source.id}: reference (address or file) is empty"))
    return problems


def _row_problems(row: ThresholdRow, pack: RulesPack) -> list[str]:
    reasons = []
    if row.status not in STATUSES:
        reasons.append(f"status {row.status!r} is not one of {', '.join(sorted(STATUSES))}")
    for column, amount in (("amount", row.amount), ("amount_max", row.amount_max)):
        if amount is not None and not amount > 0:
            reasons.append(f"{column} {amount:g} must be positive")
    if row.status in USABLE_STATUSES and row.amount is None:
        reasons.append(f"an {row.status} row needs an amount")
    if row.amount is not None and row.amount_max is not None and row.amount_max < row.amount:
        reasons.append(f"amount_max {row.amount_max:g} is below amount {row.amount:g}")
    if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
        reasons.append(f"valid_to {row.valid_to} is before valid_from {row.valid_from}")
    if not row.sources:
        reasons.append("no source")
    unknown = [source for source in row.sources if source not in pack.sources]
    if unknown:
        reasons.append(f"source {', '.join(unknown)} not in {SOURCES}")
    if not row.confidence.strip():
        reasons.append("no confidence (H, M or L)")
    return reasons


def _window(row: ThresholdRow) -> str:
    return f"{row.valid_from or 'open'} … {row.valid_to or 'open'}"


def _overlaps(pack: RulesPack) -> list[Problem]:
    """Two usable rows of one ID whose validity windows share a day: the later-listed row is named."""
    problems = []
    by_id: dict[str, list[tuple[int, ThresholdRow]]] = {}
    for line, row in pack.rows:
        if row.status in USABLE_STATUSES:
            for other_line, other in by_id.get(row.id, []):
                start = max(row.valid_from or date.min, other.valid_from or date.min)
                end = min(row.valid_to or date.max, other.valid_to or date.max)
                if start <= end:
                    problems.append(
                        Problem(
                            THRESHOLDS,
                            line,
                            f"{row.id}: validity {_window(row)} overlaps line {other_line} "
                            f"({_window(other)})",
                        )
                    )
            by_id.setdefault(row.id, []).append((line, row))
    return problems


def _missing_ids(pack: RulesPack) -> list[Problem]:
    """Amounts the engine looks up (usable in the packaged tables) that the pack no longer has."""
    usable = {row.id for _, row in pack.rows if row.status in USABLE_STATUSES}
    needed = {row.id for _, row in default_pack().rows if row.status in USABLE_STATUSES}
    return [
        Problem(THRESHOLDS, 0, f"{threshold_id}: used by the engine but has no active or indicative row")
        for threshold_id in sorted(needed - usable)
    ]
