"""`guichet rules check`: is a pack safe to put in force? Every problem names its file and line."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, get_args

from bot.engine import USABLE_STATUSES, ShortageList, ThresholdRow
from bot.rules.pack import LISTS, SOURCES, THRESHOLDS, PackError, Problem, RulesPack, default_pack, parse_pack

STATUSES = frozenset({*USABLE_STATUSES, "no_fixed_amount", "rejected", "unverified"})
SOURCE_KINDS = frozenset({"seed", "public"})
LIST_IDS = frozenset(get_args(ShortageList))
LIST_DATES = ("valid_from", "valid_to", "new_list_from")
CHANGES = frozenset({"added", "removed"})


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
    problems += _check_lists(pack)
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


def _line(text: str, pattern: str) -> int:
    """The first line of ``text`` matching ``pattern`` (1 when none does)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(pattern, line.strip()):
            return number
    return 1


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _check_lists(pack: RulesPack) -> list[Problem]:
    """occupations.toml: the four lists, each named and sourced, with dates in order; the named
    functions on a known list, added or removed, with keywords."""
    text, problems = pack.files[LISTS], []
    lists = pack.lists.get("lists")
    if not isinstance(lists, dict):
        return [Problem(LISTS, 1, "no [lists.…] tables")]
    for list_id in sorted(LIST_IDS - set(lists)):
        problems.append(Problem(LISTS, 1, f"list {list_id} is missing (the engine uses it)"))
    for list_id, raw in lists.items():
        line = _line(text, rf"\[lists\.{re.escape(list_id)}\]")
        if list_id not in LIST_IDS:
            problems.append(
                Problem(LISTS, line, f"unknown list {list_id} (known: {', '.join(sorted(LIST_IDS))})")
            )
            continue
        if not isinstance(raw.get("name"), str) or not raw["name"].strip():
            problems.append(Problem(LISTS, line, f"list {list_id}: name is required"))
        cited = raw.get("sources")
        if not isinstance(cited, list) or not cited:
            problems.append(Problem(LISTS, line, f"list {list_id}: no source"))
        else:
            unknown = [str(source) for source in cited if source not in pack.sources]
            if unknown:
                problems.append(
                    Problem(LISTS, line, f"list {list_id}: source {', '.join(unknown)} not in {SOURCES}")
                )
        for key in LIST_DATES:
            if key in raw and not _is_date(raw[key]):
                problems.append(
                    Problem(LISTS, line, f"list {list_id}: {key} must be a date (YYYY-MM-DD, no quotes)")
                )
        start, end = raw.get("valid_from"), raw.get("valid_to")
        if _is_date(start) and _is_date(end) and end < start:
            problems.append(
                Problem(LISTS, line, f"list {list_id}: valid_to {end} is before valid_from {start}")
            )
    for function in pack.lists.get("functions", []):
        name = function.get("id") if isinstance(function, dict) else None
        line = _line(text, rf"id\s*=\s*\"{re.escape(str(name))}\"")
        if not isinstance(name, str) or not name:
            problems.append(Problem(LISTS, line, "a [[functions]] entry has no id"))
            continue
        if function.get("list") not in LIST_IDS:
            problems.append(
                Problem(LISTS, line, f"function {name}: list {function.get('list')!r} is unknown")
            )
        if function.get("change") not in CHANGES:
            problems.append(Problem(LISTS, line, f"function {name}: change must be added or removed"))
        keywords = function.get("keywords")
        if (
            not isinstance(keywords, list)
            or not keywords
            or not all(isinstance(k, str) and k.strip() for k in keywords)
        ):
            problems.append(Problem(LISTS, line, f"function {name}: keywords must be a list of words"))
    return problems
