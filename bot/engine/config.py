"""Engine parameters that are design choices, not legal facts (rules.md §8.2)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class EngineConfig(BaseModel):
    """Readings and margins the engine applies; defaults are the spec's recommendations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fr_increment_basis: Literal["base_amount", "rmmmg"] = "base_amount"
    fr_count_minors: bool = True
    stale_margin: float = Field(default=0.05, ge=0, le=0.5)
    near_margin: float = Field(default=0.01, ge=0, le=0.5)
    below_margin: float = Field(default=0.02, ge=0, le=0.5)


DEFAULT_CONFIG = EngineConfig()
