"""What an operator reads about one session: its answers rebuilt, a readable summary, and the
"re-assess today" comparison between the stored assessment and today's rules."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from bot.engine import Answers, Assessment, assess
from bot.i18n import Lang, text
from bot.operators.labels import (
    family_label,
    field_label,
    review_title,
    route_label,
    status_label,
    value_label,
)
from bot.store.records import StoredAnswer
from flows.session import nest

log = logging.getLogger(__name__)

_FIELDS = frozenset(Answers.model_fields)
_MEMBER_PRIVATE_PREFIX = "_"


@dataclass(frozen=True)
class RebuiltAnswers:
    """The answers the engine would see, and the fields left out because they no longer validate."""

    answers: Answers
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Difference:
    """One headline of the assessment that today's rules decide differently."""

    what: str
    stored: str
    today: str


@dataclass(frozen=True)
class Reassessment:
    """Today's assessment of the same answers and how it differs from the stored one."""

    on: date
    assessment: Assessment | None
    differences: list[Difference] = field(default_factory=list)
    dropped: tuple[str, ...] = ()
    error: str | None = None

    @property
    def same(self) -> bool:
        """True when today's rules would answer as the stored assessment did."""
        return self.error is None and not self.differences


def _replay(log_entries: Sequence[StoredAnswer]) -> dict[str, Any]:
    """The answer log replayed: the last value given for each field (None removes it)."""
    values: dict[str, Any] = {}
    for entry in log_entries:
        if entry.value is None:
            values.pop(entry.field, None)
        else:
            values[entry.field] = entry.value
    return values


def _raw_answers(state: dict[str, Any], log_entries: Sequence[StoredAnswer]) -> dict[str, Any]:
    """The dialogue state's answers (the answer log when the state has none), nested, members
    complete, with the conversation's language."""
    flat = state.get("answers")
    if not isinstance(flat, dict):
        flat = _replay(log_entries)
    data = nest({key: value for key, value in flat.items() if key != "members"})
    members = flat.get("members")
    if isinstance(members, list):
        data["members"] = [
            {k: v for k, v in member.items() if not k.startswith(_MEMBER_PRIVATE_PREFIX)}
            for member in members
            if isinstance(member, dict) and member.get("relation")
        ]
    elif members is not None:
        data["members"] = members  # not a list: validation names it as dropped
    if isinstance(state.get("lang"), str):
        data.setdefault("lang", state["lang"])
    return data


def _from_dialogue(state: dict[str, Any]) -> Answers | None:
    """The dialogue's own rebuild (it adds the fields it derives, e.g. the sponsor's), when the
    dialogue package is present and the state is one of its states."""
    try:
        from flows.session import SessionState, build_answers
    except ImportError:  # pragma: no cover - the dialogue ships with the bot
        return None
    try:
        return build_answers(SessionState.from_dict(state))
    except Exception as exc:  # any state the dialogue cannot read: fall back to the stored answers
        log.info("session state not rebuilt by the dialogue (%s); using the stored answers", exc)
        return None


def rebuild_answers(state: dict[str, Any], log_entries: Sequence[StoredAnswer] = ()) -> RebuiltAnswers:
    """The engine's :class:`Answers` for a stored session. Fields unknown to today's model, or no
    longer valid, are dropped and named so the operator can see what the re-assessment ignored."""
    rebuilt = _from_dialogue(state)
    if rebuilt is not None:
        return RebuiltAnswers(rebuilt)
    data = _raw_answers(state, log_entries)
    dropped = sorted(set(data) - _FIELDS)
    data = {key: value for key, value in data.items() if key in _FIELDS}
    while True:
        try:
            return RebuiltAnswers(Answers.model_validate(data), tuple(dropped))
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
            if not bad & set(data):
                raise
            dropped.extend(sorted(bad & set(data)))
            data = {key: value for key, value in data.items() if key not in bad}


def _headlines(assessment: Assessment) -> dict[str, str]:
    """What "re-assess today" compares, by the engine's codes."""
    members = [f"{m.relation}: {m.outcome}" for m in assessment.family.members]
    return {
        "route": assessment.route_code,
        "routes": ", ".join(f"{r.code} ({r.status})" for r in assessment.routes),
        "family": assessment.family.outcome,
        "members": "; ".join(members),
        "review": ", ".join(sorted({r.code for r in assessment.review})),
        "rules_version": assessment.rules_version,
    }


def _worded(assessment: Assessment, lang: Lang) -> dict[str, str]:
    """The same headlines in words of ``lang`` (the codes stay in :func:`_headlines`)."""
    none = text(lang, "console.reassess.none")
    routes = (f"{route_label(r.code, lang)} ({status_label(r.status, lang)})" for r in assessment.routes)
    members = (
        f"{value_label('member_relation', m.relation, lang)}: {family_label(m.outcome, lang)}"
        for m in assessment.family.members
    )
    return {
        "route": route_label(assessment.route_code, lang),
        "routes": ", ".join(routes),
        "family": family_label(assessment.family.outcome, lang),
        "members": "; ".join(members) or none,
        "review": ", ".join(review_title(code, lang) for code in sorted({r.code for r in assessment.review}))
        or none,
        "rules_version": assessment.rules_version,
    }


def compare(stored: Assessment, today: Assessment, lang: Lang = "en") -> list[Difference]:
    """The headlines (route, routes, family outcome per member, review codes, rules version) that
    differ, worded in ``lang``; ``what`` names the headline (``console.reassess.<what>``)."""
    before, after = _headlines(stored), _headlines(today)
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        return []
    old, new = _worded(stored, lang), _worded(today, lang)
    return [Difference(name, old[name], new[name]) for name in changed]


def reassess(
    state: dict[str, Any],
    log_entries: Sequence[StoredAnswer],
    stored: Assessment | None,
    on: date,
    lang: Lang = "en",
) -> Reassessment:
    """Run today's engine on the session's answers and compare with the stored assessment (the
    differences and any error worded in ``lang``)."""
    try:
        rebuilt = rebuild_answers(state, log_entries)
    except ValidationError as exc:
        log.info("stored answers do not validate: %s", exc)
        return Reassessment(on=on, assessment=None, error=text(lang, "console.session.reassess_invalid"))
    fresh = assess(rebuilt.answers, on=on)
    differences = compare(stored, fresh, lang) if stored is not None else []
    return Reassessment(on=on, assessment=fresh, differences=differences, dropped=rebuilt.dropped)


def answer_lines(answers: Answers, lang: Lang = "en") -> list[tuple[str, str]]:
    """The answers as (label, value) lines in the model's order, in the operator's language (the
    questions' labels and options); each family member on its own line."""
    lines: list[tuple[str, str]] = []
    data = answers.model_dump(mode="json", exclude_none=True, exclude={"members"})
    for name, value in data.items():
        lines.append((field_label(name, lang), value_label(name, value, lang)))
    for number, member in enumerate(answers.members or [], start=1):
        details = member.model_dump(mode="json", exclude_none=True)
        lines.append((text(lang, "console.member", number=number), value_label("member", details, lang)))
    return lines
