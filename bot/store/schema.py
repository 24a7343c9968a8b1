"""Numbered schema migrations, recorded in ``schema_migrations``; opening an older DB upgrades it.

A migration, once released, never changes: change the schema by appending the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from sqlite_utils import Database

from bot.store.connection import immediate_transaction
from bot.store.records import SchemaTooNewError, to_iso, utc_now


class Migration(NamedTuple):
    """One schema step: ``apply`` runs inside a transaction together with its record."""

    version: int
    name: str
    apply: Callable[[Database], None]


def _run(*statements: str) -> Callable[[Database], None]:
    def apply(db: Database) -> None:
        for statement in statements:
            db.execute(statement)

    return apply


_V1_CORE = _run(
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        user_key TEXT NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('in_progress', 'completed', 'abandoned', 'needs_review')),
        lang TEXT NOT NULL,
        state_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT
    )""",
    "CREATE INDEX sessions_by_user ON sessions (channel, user_key, id)",
    "CREATE INDEX sessions_by_updated_at ON sessions (updated_at)",
    """CREATE TABLE answers (
        session_id INTEGER NOT NULL REFERENCES sessions (id),
        seq INTEGER NOT NULL,
        field TEXT NOT NULL,
        value_json TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    )""",
    """CREATE TABLE transcript (
        session_id INTEGER NOT NULL REFERENCES sessions (id),
        seq INTEGER NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        update_id INTEGER,
        PRIMARY KEY (session_id, seq)
    )""",
    """CREATE TABLE processed_updates (
        update_id INTEGER PRIMARY KEY,
        processed_at TEXT NOT NULL
    )""",
    "CREATE INDEX processed_updates_by_time ON processed_updates (processed_at)",
)

_V2_ASSESSMENTS = _run(
    """CREATE TABLE assessments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions (id),
        created_at TEXT NOT NULL,
        rules_version TEXT NOT NULL,
        reference_date TEXT NOT NULL,
        route_code TEXT NOT NULL,
        family_outcome TEXT NOT NULL,
        review_codes TEXT NOT NULL,
        assessment_json TEXT NOT NULL
    )""",
    "CREATE INDEX assessments_by_session ON assessments (session_id, id)",
    "CREATE INDEX assessments_by_route ON assessments (route_code, created_at)",
    "CREATE INDEX assessments_by_time ON assessments (created_at)",
)

_V3_INVITES = _run(
    """CREATE TABLE invites (
        token TEXT PRIMARY KEY,
        employer TEXT NOT NULL,
        prefill_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT
    )""",
    "CREATE INDEX invites_by_created_at ON invites (created_at)",
    "ALTER TABLE sessions ADD COLUMN invite_token TEXT",
    "CREATE INDEX sessions_by_invite ON sessions (invite_token) WHERE invite_token IS NOT NULL",
)

_V4_OPERATORS = _run(
    """CREATE TABLE operators (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        password_changed_at TEXT NOT NULL,
        disabled_at TEXT
    )""",
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        operator TEXT NOT NULL,
        action TEXT NOT NULL,
        session_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX audit_log_by_time ON audit_log (at)",
    "CREATE INDEX audit_log_by_session ON audit_log (session_id) WHERE session_id IS NOT NULL",
    """CREATE TABLE session_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        operator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX session_notes_by_session ON session_notes (session_id, id)",
    """CREATE TABLE session_flags (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        flag TEXT NOT NULL,
        operator TEXT NOT NULL,
        set_at TEXT NOT NULL,
        PRIMARY KEY (session_id, flag)
    )""",
)

_V5_DELIVERY = _run(
    # When the replies to an update were sent: a processed update without it was committed but its
    # replies may never have left (crash between commit and send), so the bot sends the question again.
    "ALTER TABLE processed_updates ADD COLUMN delivered_at TEXT",
)

_V6_HANDOFFS = _run(
    # A request to talk to an adviser: the message posted in the operators' chat, so an operator's
    # reply to it can be routed back to the person (no personal data is stored here).
    """CREATE TABLE handoffs (
        operator_chat_id INTEGER NOT NULL,
        operator_message_id INTEGER NOT NULL,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (operator_chat_id, operator_message_id)
    )""",
    "CREATE INDEX handoffs_by_session ON handoffs (session_id)",
)

# Polling's durable inbox: each getUpdates batch (raw JSON, keyed by its first and last update
# ids), written before the batch is confirmed to Telegram and deleted once all of it is handled.
_V7_INBOX = _run(
    """CREATE TABLE inbox (
        first_update_id INTEGER NOT NULL,
        last_update_id INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        updates_json TEXT NOT NULL,
        PRIMARY KEY (first_update_id, last_update_id)
    )""",
)

# Rules packs (bot/store/packs.py): each pack applied, its files verbatim, who applied it; and the
# history of which pack is in force (apply, rollback). The latest event names the pack in force.
_V8_RULES_PACKS = _run(
    """CREATE TABLE rules_packs (
        version TEXT PRIMARY KEY,
        pack_date TEXT,
        author TEXT NOT NULL,
        note TEXT NOT NULL,
        digest TEXT NOT NULL,
        files_json TEXT NOT NULL,
        applied_by TEXT NOT NULL,
        applied_at TEXT NOT NULL
    )""",
    """CREATE TABLE rules_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('apply', 'rollback')),
        version TEXT NOT NULL,
        by TEXT NOT NULL
    )""",
)

# The console's security and HR self-service (issue 16): roles and languages of accounts, server-side
# console sessions, the log-in throttle per (client address, name), the client address in the audit
# log, erasures recorded by session id (so a restored backup can have them applied again), a
# person's consent to share their result with the employer who invited them, and who made an invite.
_V9_CONSOLE = _run(
    "ALTER TABLE operators ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'",  # accounts kept full rights
    "ALTER TABLE operators ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'",
    "ALTER TABLE operators ADD COLUMN employer TEXT",
    """CREATE TABLE console_sessions (
        token_hash TEXT PRIMARY KEY,
        operator TEXT NOT NULL,
        csrf TEXT NOT NULL,
        client TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        ended_at TEXT
    )""",
    "CREATE INDEX console_sessions_by_operator ON console_sessions (operator)",
    """CREATE TABLE login_failures (
        client TEXT NOT NULL,
        name TEXT NOT NULL,
        failures INTEGER NOT NULL,
        last_failure_at TEXT NOT NULL,
        blocked_until TEXT NOT NULL,
        PRIMARY KEY (client, name)
    )""",
    "ALTER TABLE audit_log ADD COLUMN client TEXT",
    """CREATE TABLE erasures (
        session_id INTEGER PRIMARY KEY,
        erased_at TEXT NOT NULL,
        completed_at TEXT
    )""",
    """CREATE TABLE result_shares (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        invite_token TEXT NOT NULL,
        employer TEXT NOT NULL,
        agreed_at TEXT NOT NULL
    )""",
    "ALTER TABLE invites ADD COLUMN created_by TEXT",
)

# Reminders (issue 15): a person's consent per result, the reminders themselves (a durable schedule:
# found by due time through a partial index on the scheduled ones; each claimed as 'sending' before it
# is sent, so a crash leaves it 'uncertain', never sent twice), and the bot's settings (reminders on
# or off for everyone).
_V10_REMINDERS = _run(
    """CREATE TABLE reminder_consents (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        agreed_at TEXT NOT NULL
    )""",
    """CREATE TABLE reminders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        user_key TEXT NOT NULL,
        lang TEXT NOT NULL,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        event_date TEXT NOT NULL,
        due_at TEXT NOT NULL,
        params_json TEXT NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('scheduled', 'sending', 'sent', 'uncertain', 'cancelled', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        sent_at TEXT
    )""",
    "CREATE UNIQUE INDEX reminders_once ON reminders (session_id, kind, ref)",
    "CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'scheduled'",
    "CREATE INDEX reminders_by_user ON reminders (channel, user_key)",
    """CREATE TABLE bot_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    )""",
)

# Issue 24: keys that can never match another person. A session's ``erasure_key`` is random (legacy
# rows: ``legacy-<id>``, the same in every backup of that store), and an erasure is recorded by it, so
# a restore that set the id counter back can never make a recorded erasure delete a newer session
# that reused the id. Audit entries get a random ``entry_key`` too, so the journal beside the store
# (bot/store/audit_journal.py) can be merged back into a restored copy without doubles. A log-in that
# succeeded from an address is remembered, so the account-wide slow-down spares the operator's own.
_V11_KEYS = _run(
    "ALTER TABLE sessions ADD COLUMN erasure_key TEXT",
    "UPDATE sessions SET erasure_key = 'legacy-' || id",
    "CREATE UNIQUE INDEX sessions_by_erasure_key ON sessions (erasure_key)",
    # a safety net for any insert that does not give a key (the store always does)
    """CREATE TRIGGER sessions_erasure_key AFTER INSERT ON sessions WHEN NEW.erasure_key IS NULL
    BEGIN UPDATE sessions SET erasure_key = lower(hex(randomblob(16))) WHERE id = NEW.id; END""",
    """CREATE TABLE erasures_by_key (
        erasure_key TEXT PRIMARY KEY,
        session_id INTEGER NOT NULL,
        erased_at TEXT NOT NULL,
        completed_at TEXT
    )""",
    "INSERT INTO erasures_by_key SELECT 'legacy-' || session_id, session_id, erased_at, completed_at "
    "FROM erasures",
    "DROP TABLE erasures",
    "ALTER TABLE erasures_by_key RENAME TO erasures",
    "ALTER TABLE audit_log ADD COLUMN entry_key TEXT",
    "UPDATE audit_log SET entry_key = 'legacy-' || id",
    "CREATE UNIQUE INDEX audit_log_by_key ON audit_log (entry_key)",
    """CREATE TABLE login_successes (
        client TEXT NOT NULL,
        name TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (name, client)
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core: sessions, answers, transcript, processed_updates", _V1_CORE),
    Migration(2, "assessments", _V2_ASSESSMENTS),
    Migration(3, "invites, sessions.invite_token", _V3_INVITES),
    Migration(4, "operators, audit_log, session_notes, session_flags", _V4_OPERATORS),
    Migration(5, "processed_updates.delivered_at", _V5_DELIVERY),
    Migration(6, "handoffs", _V6_HANDOFFS),
    Migration(7, "inbox", _V7_INBOX),
    Migration(8, "rules_packs, rules_events", _V8_RULES_PACKS),
    Migration(9, "console: roles, sessions, login throttle, erasures, result shares", _V9_CONSOLE),
    Migration(10, "reminders, reminder_consents, bot_settings", _V10_REMINDERS),
    Migration(11, "erasure and audit keys, login_successes", _V11_KEYS),
)
LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(db: Database) -> int:
    """The highest migration applied to ``db`` (0 for an empty database)."""
    if not db.table("schema_migrations").exists():
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(db: Database, *, upto: int | None = None, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply, in order, each migration newer than ``db``'s version (up to ``upto``); return the version.

    Everything runs in one ``BEGIN IMMEDIATE`` transaction, so two processes opening the same file
    cannot both migrate it and a failure leaves the database as it was. A database newer than
    ``migrations`` raises SchemaTooNewError.
    """
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3… in order, got {versions}")
    with immediate_transaction(db):
        db.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )"""
        )
        current = schema_version(db)
        known = len(migrations)
        if current > known:
            raise SchemaTooNewError(f"database schema version {current} is newer than this code ({known})")
        target = known if upto is None else min(upto, known)
        for migration in migrations[current:target]:
            migration.apply(db)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [migration.version, migration.name, to_iso(utc_now())],
            )
    return schema_version(db)
