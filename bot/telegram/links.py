"""Callback data of the result's detail buttons and of the confirmation buttons.

A result button names the saved session it belongs to, so a press on an old result answers from
that result's assessment: ``r1|<session id>|<view>[:<page>]|<tag>``. The tag is an HMAC of the user and the
session under a key derived from the bot's token, so nobody can read another person's result by
forging a session id (callback data comes from the client). A confirmation is
``k1|<action>|<session id>|<y or n>``; it only acts on the user's current session. The consent to
share a result with the employer who invited the person is ``s1|<session id>|<action>|<tag>``,
signed like a result button (``ask``, then ``yes`` or ``no``; ``stop`` withdraws it).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

RESULT_PREFIX = "r1"
CONFIRM_PREFIX = "k1"
SHARE_PREFIX = "s1"
TAG_CHARS = 10
PAGE_MARK = ":"  # a detail view's page: ``steps:2``
MAX_PAGES = 20
RESULT_VIEW_KEYS: tuple[str, ...] = ("steps", "documents", "why", "pdf", "calendar")
TEXT_VIEWS = frozenset({"steps", "documents", "why"})
ConfirmAction = Literal["delete", "restart"]
CONFIRM_ACTIONS: tuple[ConfirmAction, ...] = ("delete", "restart")
ShareAction = Literal["ask", "yes", "no", "stop"]
SHARE_ACTIONS: tuple[ShareAction, ...] = ("ask", "yes", "no", "stop")


def signing_key(token: str) -> bytes:
    """The key that signs result buttons, derived from the bot token (never stored)."""
    return hashlib.sha256(b"guichet result buttons\0" + token.encode("utf-8")).digest()


def _tag(key: bytes, user_key: str, session_id: int) -> str:
    digest = hmac.new(key, f"{user_key}:{session_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:TAG_CHARS]


@dataclass(frozen=True)
class ResultLinks:
    """The detail buttons of one saved result, for one user; ``invited``: the session came through
    an employer's invite, so the result offers to share it with them."""

    key: bytes
    user_key: str
    session_id: int
    invited: bool = False

    def data(self, view: str, page: int = 1) -> str:
        """The callback data of one view's button (of one of its pages)."""
        tag = _tag(self.key, self.user_key, self.session_id)
        name = view if page == 1 else f"{view}{PAGE_MARK}{page}"
        return f"{RESULT_PREFIX}|{self.session_id}|{name}|{tag}"

    def share_data(self, action: ShareAction) -> str:
        """The callback data of a button about sharing this result with the inviting employer."""
        tag = _tag(self.key, self.user_key, self.session_id)
        return f"{SHARE_PREFIX}|{self.session_id}|{action}|{tag}"


@dataclass(frozen=True)
class ResultPress:
    """A press on a result button whose signature matched the user."""

    session_id: int
    view: str
    page: int = 1


def _signed_press(
    data: str | None, prefix: str, names: tuple[str, ...], key: bytes, user_key: str
) -> tuple[int, str] | None:
    """The session id and name of ``prefix|<session id>|<name>|<tag>`` when its tag matches the
    user, else None (forged, foreign or malformed)."""
    parts = (data or "").split("|")
    if len(parts) != 4 or parts[0] != prefix or parts[2] not in names or not parts[1].isdigit():
        return None
    session_id = int(parts[1])
    if not hmac.compare_digest(parts[3], _tag(key, user_key, session_id)):
        return None
    return session_id, parts[2]


def read_result_press(data: str | None, key: bytes, user_key: str) -> ResultPress | None:
    """The result button pressed, or None for anything forged, foreign or malformed."""
    name, _, page = [*(data or "").split("|"), "", "", ""][2].partition(PAGE_MARK)
    if page and not (page.isdigit() and 1 < int(page) <= MAX_PAGES):
        return None
    plain = (data or "").replace(f"|{name}{PAGE_MARK}{page}|", f"|{name}|", 1) if page else data
    signed = _signed_press(plain, RESULT_PREFIX, RESULT_VIEW_KEYS, key, user_key)
    return None if signed is None else ResultPress(*signed, page=int(page) if page else 1)


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


@dataclass(frozen=True)
class SharePress:
    """A press on a button about sharing a result, whose signature matched the user."""

    session_id: int
    action: ShareAction


def read_share_press(data: str | None, key: bytes, user_key: str) -> SharePress | None:
    """The share button pressed, or None for anything forged, foreign or malformed."""
    signed = _signed_press(data, SHARE_PREFIX, SHARE_ACTIONS, key, user_key)
    if signed is None:
        return None
    session_id, name = signed
    action = next(action for action in SHARE_ACTIONS if action == name)
    return SharePress(session_id, action)
