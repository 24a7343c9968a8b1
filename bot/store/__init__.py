"""The durable sessions store (SQLite via sqlite-utils): sessions, answers, transcript, invites."""

from bot.store.async_store import AsyncSessionStore
from bot.store.records import (
    ABANDONED,
    COMPLETED,
    IN_PROGRESS,
    NEEDS_REVIEW,
    SESSION_STATUSES,
    DuplicateUpdateError,
    Invite,
    SchemaTooNewError,
    StoredAnswer,
    StoredSession,
    StoreError,
    TranscriptLine,
    UnknownSessionError,
)
from bot.store.schema import LATEST_VERSION, MIGRATIONS, schema_version
from bot.store.sessions import SessionStore

__all__ = [
    "ABANDONED",
    "COMPLETED",
    "IN_PROGRESS",
    "LATEST_VERSION",
    "MIGRATIONS",
    "NEEDS_REVIEW",
    "SESSION_STATUSES",
    "AsyncSessionStore",
    "DuplicateUpdateError",
    "Invite",
    "SchemaTooNewError",
    "SessionStore",
    "StoreError",
    "StoredAnswer",
    "StoredSession",
    "TranscriptLine",
    "UnknownSessionError",
    "schema_version",
]
