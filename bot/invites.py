"""HR invites: an employer's facts, pre-filled into the interview through a Telegram deep link."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.engine import Answers

# The facts HR can vouch for (issue "The Telegram bot", item 3).
PREFILL_FIELDS = (
    "region",
    "work_postcode",
    "salary_month_base",
    "salary_year",
    "contract_months",
    "occupation",
    "employer_type",
)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def validate_prefill(prefill: dict[str, Any]) -> dict[str, Any]:
    """Check pre-filled facts against the answers model; returns them typed as JSON values.

    Raises ``ValueError`` naming the field when a fact is not allowed or not valid.
    """
    unknown = sorted(set(prefill) - set(PREFILL_FIELDS))
    if unknown:
        raise ValueError(f"field '{unknown[0]}' cannot be pre-filled (allowed: {', '.join(PREFILL_FIELDS)})")
    answers = Answers.model_validate(prefill)
    return answers.model_dump(mode="json", exclude_none=True)


def deep_link(bot_username: str, token: str) -> str:
    """The t.me link that opens the bot with the invite's opaque token as /start payload."""
    if not TOKEN_PATTERN.match(token):
        raise ValueError("an invite token has 1 to 64 characters among A-Z, a-z, 0-9, _ and -")
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"


def expiry(days: int | None, now: datetime | None = None) -> datetime | None:
    """The expiry time ``days`` from now (UTC), or None for an invite that does not expire."""
    if days is None:
        return None
    return (now or datetime.now(UTC)) + timedelta(days=days)
