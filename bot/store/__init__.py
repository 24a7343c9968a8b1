"""The durable sessions store (SQLite via sqlite-utils): sessions, answers, transcript, invites."""

from bot.store.accounts import AuditEntry, OperatorAccount, OperatorExistsError
from bot.store.async_store import AsyncSessionStore
from bot.store.operators import (
    SESSION_FLAGS,
    InviteCounts,
    OperatorStore,
    SessionFilters,
    SessionFlag,
    SessionNote,
    SessionPage,
    SessionSummary,
)
from bot.store.records import (
    ABANDONED,
    COMPLETED,
    IN_PROGRESS,
    NEEDS_REVIEW,
    SESSION_STATUSES,
    DuplicateUpdateError,
    Invite,
    ResultShare,
    SchemaTooNewError,
    StoredAnswer,
    StoredSession,
    StoreError,
    TranscriptLine,
    UnknownSessionError,
    UpdateCheck,
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
    "SESSION_FLAGS",
    "SESSION_STATUSES",
    "AsyncSessionStore",
    "AuditEntry",
    "DuplicateUpdateError",
    "Invite",
    "InviteCounts",
    "OperatorAccount",
    "OperatorExistsError",
    "OperatorStore",
    "ResultShare",
    "SchemaTooNewError",
    "SessionFilters",
    "SessionFlag",
    "SessionNote",
    "SessionPage",
    "SessionStore",
    "SessionSummary",
    "StoreError",
    "StoredAnswer",
    "StoredSession",
    "TranscriptLine",
    "UnknownSessionError",
    "UpdateCheck",
    "schema_version",
]
