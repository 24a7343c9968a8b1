"""A sentence to show the user, as a locale key with parameters (rendered by each channel)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ParamValue = str | int | float | None


class Message(BaseModel):
    """A message key from ``locales/`` and the values of its placeholders.

    Parameter naming convention (used by the renderer to format values per locale):
    names ending in ``_eur`` are amounts in euros, names ending in ``_date`` are ISO dates,
    names ending in ``_key`` are message keys, names ending in ``_countries`` are comma-separated
    ISO country codes (shown as country names); other values are shown as given.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    params: dict[str, ParamValue] = Field(default_factory=dict)


def msg(key: str, **params: ParamValue) -> Message:
    """Shorthand to build a :class:`Message`."""
    return Message(key=key, params=params)
