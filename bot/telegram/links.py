"""Callback data of the result's detail buttons and of the confirmation buttons.

A result button names the saved session it belongs to, so a press on an old result answers from
that result's assessment: ``r1|<session id>|<view>|<tag>``. The tag is an HMAC of the user and the
session under a key derived from the bot's token, so nobody can read another person's result by
forging a session id (callback data comes from the client). A confirmation is
``k1|<action>|<session id>|<y or n>``; it only acts on the user's current session.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

RESULT_PREFIX = "r1"
CONFIRM_PREFIX = "k1"
TAG_CHARS = 10
RESULT_VIEW_KEYS: tuple[str, ...] = ("steps", "documents", "why", "pdf", "calendar")
TEXT_VIEWS = frozenset({"steps", "documents", "why"})
ConfirmAction = Literal["delete", "restart"]
CONFIRM_ACTIONS: tuple[ConfirmAction, ...] = ("delete", "restart")


def signing_key(token: str) -> bytes:
    """The key that signs result buttons, derived from the bot token (never stored)."""
    return hashlib.sha256(b"guichet result buttons\0" + token.encode("utf-8")).digest()


def _tag(key: bytes, user_key: str, session_id: int) -> str:
    digest = hmac.new(key, f"{user_key}:{session_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:TAG_CHARS]


@dataclass(frozen=True)
class ResultLinks:
    """The detail buttons of one saved result, for one user."""

    key: bytes
    user_key: str
    session_id: int

    def data(self, view: str) -> str:
        """The callback data of one view's button."""
        tag = _tag(self.key, self.user_key, self.session_id)
        return f"{RESULT_PREFIX}|{self.session_id}|{view}|{tag}"


@dataclass(frozen=True)
class ResultPress:
    """A press on a result button whose signature matched the user."""

    session_id: int
    view: str


def read_result_press(data: str | None, key: bytes, user_key: str) -> ResultPress | None:
    """The result button pressed, or None for anything forged, foreign or malformed."""
    parts = (data or "").split("|")
    if len(parts) != 4 or parts[0] != RESULT_PREFIX or parts[2] not in RESULT_VIEW_KEYS:
        return None
    if not parts[1].isdigit():
        return None
    session_id = int(parts[1])
    if not hmac.compare_digest(parts[3], _tag(key, user_key, session_id)):
        return None
    return ResultPress(session_id, parts[2])


def is_result_press(data: str | None) -> bool:
    """True when the data has the shape of a result button (checked further by the handler)."""
    return (data or "").startswith(RESULT_PREFIX + "|")


def confirm_data(action: ConfirmAction, session_id: int, yes: bool) -> str:
    """The callback data of a confirmation button."""
    return f"{CONFIRM_PREFIX}|{action}|{session_id}|{'y' if yes else 'n'}"


@dataclass(frozen=True)
class ConfirmPress:
    """A press on "yes" or "no" under a confirmation question."""

    action: ConfirmAction
    session_id: int
    yes: bool


def read_confirm_press(data: str | None) -> ConfirmPress | None:
    """The confirmation pressed, or None for anything else."""
    parts = (data or "").split("|")
    if len(parts) != 4 or parts[0] != CONFIRM_PREFIX or not parts[2].isdigit() or parts[3] not in ("y", "n"):
        return None
    for action in CONFIRM_ACTIONS:
        if action == parts[1]:
            return ConfirmPress(action, int(parts[2]), parts[3] == "y")
    return None


def is_confirm_press(data: str | None) -> bool:
    """True when the data has the shape of a confirmation button."""
    return (data or "").startswith(CONFIRM_PREFIX + "|")
