"""The operator side of the store: accounts, audit log, flags and notes, filtered listing, search,
per-invite counts and the erasure of one session.

Written for the review console and the ``guichet sessions`` commands. It opens its own connection
to the same SQLite file as :class:`~bot.store.SessionStore` (whose migrations, v4 included, it runs)
and follows the same conventions: one ``BEGIN IMMEDIATE`` transaction per write, UTC ISO times.
Like the session store, it must be used from the thread that opened it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from sqlite_utils import Database

from bot.engine import region_from
from bot.store.accounts import (
    AccountStore,
)
from bot.store.connection import checkpoint_truncate, immediate_transaction, open_database
from bot.store.erasure import delete_sessions, finish_erasures, pending_erasures, record_erasures
from bot.store.records import (
    DEFAULT_PAGE_SIZE,
    FINISHED_STATUSES,
    NEEDS_REVIEW,
    Clock,
    Page,
    StoredSession,
    UnknownSessionError,
    day_start_utc,
    from_iso,
    load_json,
    optional_from_iso,
    session_from_row,
    to_iso,
    utc_now,
)
from bot.store.reminders import ReminderSettingsStore
from bot.store.schema import migrate

# Flags an operator can set on a session (the review queue: needs_review until resolved).
FLAG_CONTACTED: Final = "contacted"
FLAG_WAITING: Final = "waiting"
FLAG_NEEDS_REVIEW: Final = "needs_review"
FLAG_RESOLVED: Final = "resolved"
SESSION_FLAGS: Final = (FLAG_CONTACTED, FLAG_WAITING, FLAG_NEEDS_REVIEW, FLAG_RESOLVED)

MAX_NOTE_CHARS: Final = 2_000


# -- records ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionNote:
    """A free-text note an operator wrote on a session."""

    id: int
    session_id: int
    operator: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class SessionFlag:
    """A flag set on a session, by whom and when."""

    flag: str
    operator: str
    set_at: datetime


@dataclass(frozen=True)
class SessionFilters:
    """What to list. Dates are Belgian calendar days on the last activity (``updated_at``), inclusive;
    ``invite`` is an invite token or part of the employer's name; ``search`` is words (prefixes)
    found in the answers or the transcript; ``queue`` keeps the sessions awaiting a human review."""

    since: date | None = None
    until: date | None = None
    lang: str | None = None
    status: str | None = None
    route: str | None = None
    family: str | None = None
    region: str | None = None
    invite: str | None = None
    search: str | None = None
    flag: str | None = None
    queue: bool = False

    def as_params(self) -> dict[str, str]:
        """The filters that are set, as strings (query strings, audit details)."""
        out: dict[str, str] = {}
        for name, value in vars(self).items():
            if value is None or value == "" or value is False:
                continue
            out[name] = value.isoformat() if isinstance(value, date) else "1" if value is True else str(value)
        return out


@dataclass(frozen=True)
class SessionSummary:
    """One row of the sessions list: the session and its latest assessment's headline."""

    id: int
    channel: str
    status: str
    lang: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    invite_token: str | None
    employer: str | None
    region: str | None
    route_code: str | None
    family_outcome: str | None
    review_codes: tuple[str, ...]
    rules_version: str | None
    flags: tuple[str, ...]
    note_count: int

    def as_record(self) -> dict[str, Any]:
        """A flat dict of JSON values (the export format; no user identifier, no transcript)."""
        return {
            "id": self.id,
            "channel": self.channel,
            "status": self.status,
            "lang": self.lang,
            "created_at": to_iso(self.created_at),
            "updated_at": to_iso(self.updated_at),
            "completed_at": None if self.completed_at is None else to_iso(self.completed_at),
            "invite_token": self.invite_token,
            "employer": self.employer,
            "region": self.region,
            "route_code": self.route_code,
            "family_outcome": self.family_outcome,
            "review_codes": list(self.review_codes),
            "rules_version": self.rules_version,
            "flags": list(self.flags),
            "note_count": self.note_count,
        }


@dataclass(frozen=True)
class InviteCounts:
    """For one HR invite: sessions started, finished, awaiting review, and the routes found."""

    token: str
    employer: str | None
    started: int
    completed: int
    needs_review: int
    routes: dict[str, int] = field(default_factory=dict)
    handed_over: int = 0


# -- pure helpers -----------------------------------------------------------------------------------


def region_from_state(state_json: str | None) -> str | None:
    """The work region recorded in a dialogue state: its ``region`` answer, else its postcode's."""
    if not state_json:
        return None
    try:
        state = json.loads(state_json)
    except ValueError:
        return None
    answers = state.get("answers") if isinstance(state, dict) else None
    if not isinstance(answers, dict):
        return None
    region, postcode = answers.get("region"), answers.get("work_postcode")
    return region_from(
        region if isinstance(region, str) else None, postcode if isinstance(postcode, str | int) else None
    )


_WORD = re.compile(r"[^\s\"]+")


def fts_query(words: str) -> str | None:
    """A user's search words as a safe FTS5 query: every word must appear, as a word or a prefix."""
    tokens = _WORD.findall(words)
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- SQL building -----------------------------------------------------------------------------------

_SUMMARY_SELECT = """
SELECT s.id, s.channel, s.status, s.lang, s.created_at, s.updated_at, s.completed_at, s.invite_token,
       i.employer, guichet_region(s.state_json) AS region,
       a.route_code, a.family_outcome, a.review_codes, a.rules_version,
       (SELECT group_concat(f.flag, ',') FROM session_flags f WHERE f.session_id = s.id) AS flags,
       (SELECT COUNT(*) FROM session_notes n WHERE n.session_id = s.id) AS note_count
"""
_FROM = """
FROM sessions s
LEFT JOIN invites i ON i.token = s.invite_token
LEFT JOIN assessments a ON a.id = (SELECT MAX(x.id) FROM assessments x WHERE x.session_id = s.id)
"""
_SEARCH_DOCUMENT = """
coalesce((SELECT group_concat(ans.field || ' ' || ans.value_json, ' ') FROM answers ans
          WHERE ans.session_id = s.id), '')
|| ' ' ||
coalesce((SELECT group_concat(t.text, ' ') FROM transcript t WHERE t.session_id = s.id), '')
"""
_HAS_FLAG = "EXISTS (SELECT 1 FROM session_flags f WHERE f.session_id = s.id AND f.flag = ?)"
_QUEUE = (
    f"((s.status = '{NEEDS_REVIEW}' OR {_HAS_FLAG}) AND NOT EXISTS "
    "(SELECT 1 FROM session_flags r WHERE r.session_id = s.id AND r.flag = ?))"
)

# Filter attribute → (SQL condition, how to turn the value into its parameters).
_CONDITIONS: Final[dict[str, tuple[str, Callable[[Any], list[Any]]]]] = {
    "since": ("s.updated_at >= ?", lambda day: [day_start_utc(day)]),
    "until": ("s.updated_at < ?", lambda day: [day_start_utc(day + timedelta(days=1))]),
    "lang": ("s.lang = ?", lambda value: [value]),
    "status": ("s.status = ?", lambda value: [value]),
    "route": ("a.route_code = ?", lambda value: [value]),
    "family": ("a.family_outcome = ?", lambda value: [value]),
    "region": ("guichet_region(s.state_json) = ?", lambda value: [value]),
    "invite": (
        "(s.invite_token = ? OR i.employer LIKE ? ESCAPE '\\')",
        lambda value: [value, f"%{_like_escape(value)}%"],
    ),
    "flag": (_HAS_FLAG, lambda value: [value]),
    "queue": (_QUEUE, lambda _value: [FLAG_NEEDS_REVIEW, FLAG_RESOLVED]),
}


def _where(filters: SessionFilters) -> tuple[str, list[Any]]:
    """The WHERE clause (without the full-text search) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    for name, (condition, to_params) in _CONDITIONS.items():
        value = getattr(filters, name)
        if value is None or value == "" or value is False:
            continue
        clauses.append(condition)
        params.extend(to_params(value))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(text.split(","))) if text else ()


def _summary_from_row(row: Mapping[str, Any]) -> SessionSummary:
    return SessionSummary(
        id=row["id"],
        channel=row["channel"],
        status=row["status"],
        lang=row["lang"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        completed_at=optional_from_iso(row["completed_at"]),
        invite_token=row["invite_token"],
        employer=row["employer"],
        region=row["region"],
        route_code=row["route_code"],
        family_outcome=row["family_outcome"],
        review_codes=tuple(load_json(row["review_codes"])) if row["review_codes"] else (),
        rules_version=row["rules_version"],
        flags=_split(row["flags"]),
        note_count=row["note_count"],
    )


# -- the store --------------------------------------------------------------------------------------


SessionPage = Page[SessionSummary]


class OperatorStore(AccountStore, ReminderSettingsStore):
    """The sessions seen from the console: filtered listing and search, flags and notes, counts per
    invite, erasure of one session; with accounts, log-ins and the audit log (:class:`AccountStore`)."""

    def __init__(self, path: str | Path, *, clock: Clock = utc_now) -> None:
        """Open the database at ``path`` (creating it and bringing its schema up to date)."""
        self.path = Path(path)
        self._clock = clock
        self._db = open_database(self.path)
        self._closed = False
        try:
            self._db.execute("PRAGMA temp_store = MEMORY")  # the search index never touches the disk
            self._db.conn.create_function("guichet_region", 1, region_from_state, deterministic=True)
            migrate(self._db)
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        """Checkpoint the WAL and close the connection (a second call does nothing)."""
        if self._closed:
            return
        self._closed = True
        try:
            checkpoint_truncate(self._db)
        finally:
            self._db.close()

    # -- flags and notes ----------------------------------------------------------------------------

    def add_note(self, session_id: int, operator: str, text: str) -> int:
        """Write a note on the session (audited, without its text); return the note id."""
        text = text.strip()
        if not text:
            raise ValueError("a note cannot be empty")
        if len(text) > MAX_NOTE_CHARS:
            raise ValueError(f"a note has at most {MAX_NOTE_CHARS} characters")
        with immediate_transaction(self._db):
            self._require_session(session_id)
            cursor = self._db.execute(
                "INSERT INTO session_notes (session_id, operator, created_at, text) VALUES (?, ?, ?, ?)",
                [session_id, operator, self._now(), text],
            )
            assert cursor.lastrowid is not None
            self._insert_audit(operator, "note", session_id, f"note {cursor.lastrowid}")
            return cursor.lastrowid

    def notes(self, session_id: int) -> list[SessionNote]:
        """The session's notes, oldest first."""
        return [
            SessionNote(
                id=row["id"],
                session_id=row["session_id"],
                operator=row["operator"],
                created_at=from_iso(row["created_at"]),
                text=row["text"],
            )
            for row in self._db.query(
                "SELECT * FROM session_notes WHERE session_id = ? ORDER BY id", [session_id]
            )
        ]

    def set_flag(self, session_id: int, flag: str, operator: str, *, on: bool = True) -> bool:
        """Set (or clear) a flag on the session, audited; False when nothing changed."""
        if flag not in SESSION_FLAGS:
            raise ValueError(f"unknown flag {flag!r}; expected one of {', '.join(SESSION_FLAGS)}")
        with immediate_transaction(self._db):
            self._require_session(session_id)
            if on:
                changed = self._db.execute(
                    "INSERT OR IGNORE INTO session_flags (session_id, flag, operator, set_at) "
                    "VALUES (?, ?, ?, ?)",
                    [session_id, flag, operator, self._now()],
                ).rowcount
            else:
                changed = self._db.execute(
                    "DELETE FROM session_flags WHERE session_id = ? AND flag = ?", [session_id, flag]
                ).rowcount
            if changed:
                self._insert_audit(operator, "flag" if on else "unflag", session_id, flag)
        return changed > 0

    def flags(self, session_id: int) -> list[SessionFlag]:
        """The flags set on the session."""
        return [
            SessionFlag(flag=row["flag"], operator=row["operator"], set_at=from_iso(row["set_at"]))
            for row in self._db.query(
                "SELECT * FROM session_flags WHERE session_id = ? ORDER BY flag", [session_id]
            )
        ]

    def _require_session(self, session_id: int) -> None:
        if self._db.execute("SELECT 1 FROM sessions WHERE id = ?", [session_id]).fetchone() is None:
            raise UnknownSessionError(f"no session {session_id}")

    # -- sessions -----------------------------------------------------------------------------------

    def get_session(self, session_id: int) -> StoredSession | None:
        """One session by id, or None (erased, purged or never existed)."""
        row = next(self._db.query("SELECT * FROM sessions WHERE id = ?", [session_id]), None)
        return None if row is None else session_from_row(row)

    def summary(self, session_id: int) -> SessionSummary | None:
        """The list row of one session, or None."""
        row = next(self._db.query(f"{_SUMMARY_SELECT}{_FROM} WHERE s.id = ?", [session_id]), None)
        return None if row is None else _summary_from_row(row)

    def list_sessions(
        self, filters: SessionFilters, *, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
    ) -> SessionPage:
        """One page of the sessions matching ``filters``, latest activity first."""
        page, page_size = max(1, page), max(1, min(page_size, 1_000))
        with self._search_scope(filters) as (where, params):
            total = int(self._db.execute(f"SELECT COUNT(*) {_FROM}{where}", params).fetchone()[0])
            rows = self._db.query(
                f"{_SUMMARY_SELECT}{_FROM}{where} ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?",
                [*params, page_size, (page - 1) * page_size],
            )
            summaries = [_summary_from_row(row) for row in rows]
        return SessionPage(rows=summaries, total=total, page=page, page_size=page_size)

    def iter_sessions(self, filters: SessionFilters) -> Iterator[SessionSummary]:
        """Every session matching ``filters``, latest activity first (for exports)."""
        page = 1
        while True:
            result = self.list_sessions(filters, page=page, page_size=500)
            yield from result.rows
            if page >= result.pages:
                return
            page += 1

    def _search_scope(self, filters: SessionFilters) -> _SearchScope:
        return _SearchScope(self._db, filters)

    # -- HR counts --------------------------------------------------------------------------------

    def invite_counts(
        self, since: date | None = None, until: date | None = None, *, employer: str | None = None
    ) -> list[InviteCounts]:
        """Per invite (with its employer): sessions started, finished, needing review and handed to
        an adviser, and the route of their latest assessment — for sessions active in the date
        range; only one employer's invites when ``employer`` is given."""
        where, params = _where(SessionFilters(since=since, until=until))
        where = (where + " AND" if where else " WHERE") + " s.invite_token IS NOT NULL"
        if employer is not None:
            where += " AND i.employer = ?"
            params.append(employer)
        counts: dict[str, InviteCounts] = {}
        finished = ", ".join(f"'{status}'" for status in sorted(FINISHED_STATUSES))
        for row in self._db.query(
            f"SELECT s.invite_token AS token, i.employer, COUNT(*) AS started, "
            f"SUM(s.status IN ({finished})) AS completed, SUM(s.status = '{NEEDS_REVIEW}') AS needs_review, "
            "SUM(EXISTS (SELECT 1 FROM handoffs h WHERE h.session_id = s.id)) AS handed_over "
            f"{_FROM}{where} GROUP BY s.invite_token",
            params,
        ):
            counts[row["token"]] = InviteCounts(
                token=row["token"],
                employer=row["employer"],
                started=row["started"],
                completed=row["completed"],
                needs_review=row["needs_review"],
                handed_over=row["handed_over"],
            )
        for row in self._db.query(
            f"SELECT s.invite_token AS token, a.route_code, COUNT(*) AS n {_FROM}{where} "
            "AND a.route_code IS NOT NULL GROUP BY s.invite_token, a.route_code",
            params,
        ):
            counts[row["token"]].routes[row["route_code"]] = row["n"]
        mine = ("WHERE employer = ?", [employer]) if employer is not None else ("", [])
        for row in self._db.query(f"SELECT token, employer FROM invites {mine[0]}", mine[1]):
            counts.setdefault(row["token"], InviteCounts(row["token"], row["employer"], 0, 0, 0))
        return sorted(counts.values(), key=lambda c: ((c.employer or "").lower(), c.token))

    # -- erasure --------------------------------------------------------------------------------------

    def erase_session(self, session_id: int) -> int:
        """Delete one session with its answers, transcript, assessments, notes, flags, hand-offs and
        shares, zeroing the freed content and truncating the WAL (as ``SessionStore.erase_user``,
        and recorded the same way); return the rows deleted. The audit log keeps only that the
        session number was erased. A blocked checkpoint leaves the erasure pending."""
        self._db.execute("PRAGMA secure_delete = ON")
        now = self._now()
        with immediate_transaction(self._db):
            ids, deleted = delete_sessions(self._db, "id = ?", [session_id])
            record_erasures(self._db, self.path, ids, now)
        if ids:
            finish_erasures(self._db, now)
        return deleted

    def pending_erasures(self) -> list[int]:
        """Erased session ids whose text may still be on disk (see :mod:`bot.store.erasure`)."""
        return pending_erasures(self._db)

    # -- HR: results shared with the employer ---------------------------------------------------------

    def shared_results(self, employer: str) -> list[tuple[SessionSummary, datetime]]:
        """The sessions whose person agreed to share the result with ``employer``, with when."""
        rows = self._db.query(
            f"{_SUMMARY_SELECT}, r.agreed_at {_FROM} JOIN result_shares r ON r.session_id = s.id "
            "WHERE r.employer = ? ORDER BY r.agreed_at DESC",
            [employer],
        )
        return [(_summary_from_row(row), from_iso(row["agreed_at"])) for row in rows]


class _SearchScope:
    """The WHERE clause for ``filters``; with a search, an in-memory FTS5 index of the candidate
    sessions' answers and transcript is built for the query and dropped afterwards, so the search
    is always exact and no copy of anyone's words outlives the request."""

    def __init__(self, db: Database, filters: SessionFilters) -> None:
        self._db = db
        self._filters = filters
        self._query = fts_query(filters.search or "")

    def __enter__(self) -> tuple[str, list[Any]]:
        where, params = _where(self._filters)
        if self._query is None:
            return where, params
        self._db.execute("DROP TABLE IF EXISTS temp.session_search")
        self._db.execute(
            "CREATE VIRTUAL TABLE temp.session_search "
            "USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        self._db.execute(
            f"INSERT INTO temp.session_search (rowid, body) SELECT s.id, {_SEARCH_DOCUMENT} {_FROM}{where}",
            params,
        )
        search = "s.id IN (SELECT rowid FROM temp.session_search WHERE session_search MATCH ?)"
        return (f"{where} AND {search}" if where else f" WHERE {search}"), [*params, self._query]

    def __exit__(self, *exc: object) -> None:
        if self._query is not None:
            self._db.execute("DROP TABLE IF EXISTS temp.session_search")
