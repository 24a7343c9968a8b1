"""Plain records the store returns, and the shared time and JSON helpers."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Final, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic_core import to_jsonable_python

IN_PROGRESS: Final = "in_progress"
COMPLETED: Final = "completed"
ABANDONED: Final = "abandoned"
NEEDS_REVIEW: Final = "needs_review"
SESSION_STATUSES: Final = frozenset({IN_PROGRESS, COMPLETED, ABANDONED, NEEDS_REVIEW})
FINISHED_STATUSES: Final = frozenset({COMPLETED, NEEDS_REVIEW})

Clock = Callable[[], datetime]
BRUSSELS: Final = ZoneInfo("Europe/Brussels")
DEFAULT_PAGE_SIZE: Final = 50
RowT = TypeVar("RowT")


class StoreError(Exception):
    """Base class of the store's own errors."""


class DuplicateUpdateError(StoreError):
    """``save_turn`` was given a Telegram ``update_id`` that is already processed; nothing was written."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} was already processed")
        self.update_id = update_id


class UnknownSessionError(StoreError, LookupError):
    """No session has this id (it may have been erased or purged)."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer guichet than this one."""


@dataclass(frozen=True)
class StoredSession:
    """A user's session as last saved: ``state`` is the dialogue's JSON dict."""

    id: int
    channel: str
    user_key: str
    status: str
    lang: str
    state: dict[str, Any]
    invite_token: str | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


@dataclass(frozen=True)
class InboxBatch:
    """One getUpdates batch as received: its first and last update ids and the JSON array of it."""

    first_update_id: int
    last_update_id: int
    updates_json: str


@dataclass(frozen=True)
class TurnRecord:
    """One dialogue turn to save (see :meth:`SessionStore.save_turn` for each field's meaning)."""

    channel: str
    user_key: str
    state: dict[str, Any]
    lang: str
    status: str = IN_PROGRESS
    answers: Sequence[tuple[str, Any]] = ()
    incoming: str | None = None
    outgoing: Sequence[str] = ()
    update_id: int | None = None
    invite_token: str | None = None


@dataclass(frozen=True)
class StoredAnswer:
    """One answer from the append-only log (``seq`` orders a session's answers)."""

    seq: int
    field: str
    value: Any
    answered_at: datetime


@dataclass(frozen=True)
class TranscriptLine:
    """One message in or out (``direction`` is ``"in"`` or ``"out"``)."""

    seq: int
    direction: str
    text: str
    created_at: datetime
    update_id: int | None = None


@dataclass(frozen=True)
class Invite:
    """An employer's invitation link payload, with the facts it prefills."""

    token: str
    employer: str
    prefill: dict[str, Any]
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    created_by: str | None = None

    def is_usable(self, now: datetime) -> bool:
        """True when neither revoked nor expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True)
class ResultShare:
    """A person's consent, given in the chat, to share a session's result with the inviting employer."""

    session_id: int
    invite_token: str
    employer: str
    agreed_at: datetime


@dataclass(frozen=True)
class Page(Generic[RowT]):
    """One page of a filtered list (sessions or audit entries), newest first."""

    rows: list[RowT]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages the whole list has (at least 1)."""
        return max(1, -(-self.total // self.page_size))


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """A timezone-aware datetime as a fixed-width UTC ISO string (sorts like the time it names)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the store only takes timezone-aware times")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    """Parse a time written by :func:`to_iso`."""
    return datetime.fromisoformat(text)


def optional_from_iso(text: str | None) -> datetime | None:
    """Parse an optional time written by :func:`to_iso`."""
    return None if text is None else from_iso(text)


def dump_json(value: Any) -> str:
    """Compact JSON for answers and states; dates, enums and pydantic models become JSON values."""
    return json.dumps(to_jsonable_python(value), ensure_ascii=False, separators=(",", ":"))


def load_json(text: str) -> Any:
    """Parse JSON written by :func:`dump_json`."""
    return json.loads(text)


@dataclass(frozen=True)
class UpdateCheck:
    """What the store knows of an incoming update: was it already processed, were its replies
    recorded as sent, and the user's latest session (read together, in one call)."""

    processed: bool
    undelivered: bool
    session: StoredSession | None


def day_start_utc(day: date) -> str:
    """The UTC ISO time at which a Belgian calendar day starts."""
    return to_iso(datetime.combine(day, time(0), tzinfo=BRUSSELS))


def session_from_row(row: dict[str, Any]) -> StoredSession:
    """A :class:`StoredSession` from its ``sessions`` table row."""
    return StoredSession(
        id=row["id"],
        channel=row["channel"],
        user_key=row["user_key"],
        status=row["status"],
        lang=row["lang"],
        state=load_json(row["state_json"]),
        invite_token=row["invite_token"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        completed_at=optional_from_iso(row["completed_at"]),
    )
