"""Legal constants and reported durations (``data/constants.toml``): one definition, read by name.

The rules and the next-steps catalogue both read these; nothing here is repeated in code.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.engine.calendar import PeriodUnit


class Constant(BaseModel):
    """A deadline, duration, age, count or date of the rules (rules.md §2, §3, §5.10)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Literal["days", "working_days", "months", "weeks", "years", "times", "date"]
    count: int | None = None
    earliest: int | None = None
    min: int | None = None
    max: int | None = None
    extension: int | None = None
    extensions: int | None = None
    since: date | None = None
    region: str | None = None
    routes: list[str] = Field(default_factory=list)
    sources: list[str]
    confidence: str

    def field_value(self, name: str) -> int:
        """The integer value of one of the constant's fields (for message parameters)."""
        value = getattr(self, name)
        if not isinstance(value, int):
            raise ValueError(f"constant field {name!r} has no integer value")
        return value

    def period(self) -> tuple[int, PeriodUnit]:
        """(count, unit) for date arithmetic."""
        if self.count is None or self.unit not in ("days", "working_days", "months"):
            raise ValueError("this constant is not a date offset")
        unit: PeriodUnit = self.unit
        return self.count, unit


@cache
def constants() -> dict[str, Constant]:
    """Every constant of ``data/constants.toml``, by name."""
    text = resources.files("bot.engine").joinpath("data/constants.toml").read_text(encoding="utf-8")
    return {name: Constant.model_validate(raw) for name, raw in tomllib.loads(text)["constants"].items()}


def count(name: str) -> int:
    """The ``count`` of a constant (an age, a number of days, months, years or times)."""
    return constants()[name].field_value("count")


def day(name: str) -> date:
    """The date of a constant whose unit is ``date``."""
    value = constants()[name].since
    if value is None:
        raise ValueError(f"constant {name!r} has no date")
    return value
