"""What every rule module receives: the dates, the thresholds table, the configuration, and a
collector for review notices and missing answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.engine.assessment import Review
from bot.engine.config import DEFAULT_CONFIG, EngineConfig
from bot.engine.message import Message, ParamValue
from bot.engine.thresholds import ThresholdTable, active_table


@dataclass(frozen=True)
class Context:
    """The day the question is asked (``on``), the threshold reference date and the data in force."""

    on: date
    ref_date: date
    table: ThresholdTable
    config: EngineConfig

    @classmethod
    def for_day(
        cls,
        on: date,
        ref_date: date | None = None,
        *,
        config: EngineConfig = DEFAULT_CONFIG,
        table: ThresholdTable | None = None,
    ) -> Context:
        """A context for ``on`` (the reference date defaults to it) with the rules pack in force."""
        return cls(on=on, ref_date=ref_date or on, table=table or active_table(), config=config)


@dataclass
class Findings:
    """Review codes, missing fields and notices gathered while evaluating the rules."""

    reviews: list[Review] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)

    def review(self, code: str, key: str, **params: ParamValue) -> None:
        """Record that an adviser must check this case (rules.md §6.3); duplicates are merged."""
        reason = Message(key=key, params=params)
        if not any(r.code == code and r.reason == reason for r in self.reviews):
            self.reviews.append(Review(code=code, reason=reason))

    def need(self, *fields: str) -> None:
        """Record answer fields that are missing for a decision."""
        for name in fields:
            if name not in self.missing:
                self.missing.append(name)

    def notice(self, key: str, **params: ParamValue) -> None:
        """Record an informational notice for the user."""
        message = Message(key=key, params=params)
        if message not in self.notices:
            self.notices.append(message)
