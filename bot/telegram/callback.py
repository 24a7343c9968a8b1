"""Callback data for inline buttons: short, versioned and tied to the question it belongs to.

Format ``g1|<state version>|<question tag>|<value>`` (at most 64 bytes, Telegram's limit). The tag is
a short hash of the question reference; a value too long to fit is sent as ``#<option index>``.
Navigation buttons use the values ``!back``, ``!language`` and ``!adviser``. A press whose
version or tag no longer matches the session is stale and changes nothing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

PREFIX = "g1"
MAX_BYTES = 64
NAV_BACK = "!back"
NAV_LANGUAGE = "!language"
NAV_ADVISER = "!adviser"


@dataclass(frozen=True)
class ButtonPress:
    """A decoded button press: an option value, or ``#n`` for the n-th option of the question."""

    state_version: int
    question_tag: str
    value: str

    @property
    def option_index(self) -> int | None:
        """The option's position when the value was sent as an index."""
        if self.value.startswith("#") and self.value[1:].isdigit():
            return int(self.value[1:])
        return None


def question_tag(question_id: str) -> str:
    """Six hex characters identifying a question reference."""
    return f"{zlib.crc32(question_id.encode('utf-8')):08x}"[:6]


def encode(question_id: str, state_version: int, value: str, index: int) -> str:
    """Callback data for one option (the value itself when it fits, else its index)."""
    head = f"{PREFIX}|{state_version}|{question_tag(question_id)}|"
    data = head + value
    if len(data.encode("utf-8")) > MAX_BYTES or "|" in value:
        data = f"{head}#{index}"
    return data


def decode(data: str | None) -> ButtonPress | None:
    """The press encoded in ``data``, or None for anything forged, foreign or malformed."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    parts = data.split("|", 3)
    if len(parts) != 4 or parts[0] != PREFIX or not parts[3]:
        return None
    try:
        version = int(parts[1])
    except ValueError:
        return None
    if version < 0 or len(parts[2]) != 6:
        return None
    return ButtonPress(state_version=version, question_tag=parts[2], value=parts[3])
