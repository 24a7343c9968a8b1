"""Operators' commands: `guichet review`, `guichet operators`, `guichet sessions`, `guichet purge`,
`guichet backup` and `guichet restore`.

``bot/cli.py`` adds them with :func:`add_operator_commands` and runs them with
:func:`run_operator_command` when ``args.command`` is in :data:`OPERATOR_COMMANDS`.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import json
import os
import secrets
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TextIO

from bot.i18n import text
from bot.operators import audit
from bot.operators.auth import DEFAULT_SESSION_HOURS, check_password_strength, hash_password
from bot.operators.export import EXPORT_FORMATS, export
from bot.operators.filters import CHOICES, FilterError, parse_filters
from bot.operators.review import answer_lines, rebuild_answers
from bot.render import render_assessment_text
from bot.store import SessionStore
from bot.store.accounts import OPERATOR_LANGS, ROLES, VIEWER, OperatorExistsError
from bot.store.backup import NotAStoreError, backup, restore
from bot.store.operators import OperatorStore, SessionFilters, SessionSummary
from bot.store.records import SchemaTooNewError, to_iso

OPERATOR_COMMANDS: Final = frozenset({"review", "operators", "sessions", "purge", "backup", "restore"})
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
DEFAULT_PORT: Final = 8080
LIST_COLUMNS: Final = (
    "id",
    "updated",
    "status",
    "lang",
    "region",
    "route",
    "family",
    "review",
    "employer",
    "flags",
)


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("a number of days, zero or more")
    return number


def _add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", help="last activity on or after this day (YYYY-MM-DD, Brussels)")
    parser.add_argument("--until", help="last activity on or before this day (YYYY-MM-DD, Brussels)")
    for name, choices in CHOICES.items():
        helps = {
            "invite": "invite token or part of the employer's name",
            "search": "words in answers or transcript",
        }
        parser.add_argument(f"--{name}", choices=choices, help=helps.get(name))
    parser.add_argument("--queue", action="store_true", help="only the sessions awaiting an adviser's review")


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="SQLite file (default: from configuration)")


def add_operator_commands(subparsers: Any) -> None:
    """Add `review`, `operators`, `sessions` and `purge` to the `guichet` sub-command parsers."""
    p_review = subparsers.add_parser("review", help="serve the operators' review console")
    p_review.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p_review.add_argument("--port", type=int, default=DEFAULT_PORT)
    p_review.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="the HTTPS reverse proxy's address, whose X-Forwarded-For names the client (repeatable)",
    )
    p_review.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="the host name the console is reached by (e.g. review.example.org; repeatable); "
        "other Host headers get 400 (loopback names are always allowed)",
    )
    p_review.add_argument(
        "--session-hours", type=float, default=DEFAULT_SESSION_HOURS, help="log-in lifetime (default 8)"
    )
    p_review.add_argument(
        "--secure-cookie",
        action="store_true",
        help="served over HTTPS (a reverse proxy): the cookie is marked Secure and HSTS is sent; "
        "required to listen beyond loopback",
    )
    _add_db(p_review)

    p_ops = subparsers.add_parser("operators", help="review-console accounts")
    ops = p_ops.add_subparsers(dest="operators_command", required=True)
    p_create = ops.add_parser("create", help="create an account; the password is read from standard input")
    p_create.add_argument("name")
    p_create.add_argument("--role", choices=ROLES, default=VIEWER, help="viewer (default), admin or hr")
    p_create.add_argument("--lang", choices=OPERATOR_LANGS, default="en", help="language of the console")
    p_create.add_argument("--employer", help="the employer of an HR account")
    p_password = ops.add_parser("password", help="set a new password (read from standard input)")
    p_password.add_argument("name")
    ops.add_parser("list", help="list accounts")
    p_disable = ops.add_parser("disable", help="disable an account (its log-ins stop at once)")
    p_disable.add_argument("name")
    p_unlock = ops.add_parser("unlock", help="forget the failed log-ins of an account (every address)")
    p_unlock.add_argument("name")
    p_logout = ops.add_parser("logout", help="end every console log-in of an account")
    p_logout.add_argument("name")
    for parser in (p_create, p_password, p_disable, p_unlock, p_logout, ops.choices["list"]):
        _add_db(parser)

    p_sessions = subparsers.add_parser("sessions", help="saved sessions: list, show, export, delete")
    sess = p_sessions.add_subparsers(dest="sessions_command", required=True)
    p_list = sess.add_parser("list", help="list sessions, latest activity first")
    _add_filter_arguments(p_list)
    p_list.add_argument("--format", choices=("text", *EXPORT_FORMATS), default="text")
    p_list.add_argument("--limit", type=int, default=50, help="at most this many rows (default 50)")
    p_list.add_argument("--page", type=int, default=1)
    p_show = sess.add_parser("show", help="one session: answers, transcript, assessment, notes")
    p_show.add_argument("session_id", type=int)
    p_show.add_argument("--format", choices=("text", "json"), default="text")
    p_export = sess.add_parser("export", help="export the filtered list")
    _add_filter_arguments(p_export)
    p_export.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
    p_export.add_argument("--output", "-o", help="file to write (default: standard output)")
    p_delete = sess.add_parser("delete", help="erase one session completely")
    p_delete.add_argument("session_id", type=int)
    p_delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    for parser in (p_list, p_show, p_export, p_delete):
        _add_db(parser)

    p_purge = subparsers.add_parser(
        "purge", help="delete sessions and audit entries older than their retention periods"
    )
    p_purge.add_argument(
        "--older-than", type=_positive_int, metavar="DAYS", help="days (default: GUICHET_RETENTION_DAYS)"
    )
    p_purge.add_argument(
        "--audit-older-than",
        type=_positive_int,
        metavar="DAYS",
        help="days of audit log kept (default: GUICHET_AUDIT_RETENTION_DAYS, 730)",
    )
    _add_db(p_purge)

    p_backup = subparsers.add_parser(
        "backup", help="copy the store (consistent, while the bot runs) to a file or folder"
    )
    p_backup.add_argument("destination", help="file to write, or folder for a time-stamped file")
    _add_db(p_backup)
    p_restore = subparsers.add_parser(
        "restore", help="put a backup back (stop the bot first); erasures and retention are applied to it"
    )
    p_restore.add_argument("source", help="a file written by `guichet backup`")
    p_restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_db(p_restore)


# -- helpers ----------------------------------------------------------------------------------------


class _Io:
    def __init__(self, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr

    def out(self, line: str = "") -> None:
        print(line, file=self.stdout)

    def fail(self, message: str, code: int = EXIT_USAGE) -> int:
        print(f"guichet: {message}", file=self.stderr)
        return code


def cli_operator_name() -> str:
    """The audit name of whoever runs the command line (``cli:<login>``)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # pragma: no cover - no login name in some containers
        return "cli:unknown"


def _db_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None):
        return Path(args.db)
    from bot.settings import get_settings

    return get_settings().db_path


def _filters(args: argparse.Namespace) -> SessionFilters:
    names = (*CHOICES, "since", "until")
    params: dict[str, str | None] = {name: getattr(args, name, None) for name in names}
    params["queue"] = "1" if getattr(args, "queue", False) else None
    return parse_filters(params)


def _read_password(io: _Io) -> str:
    """The new password: prompted twice on a terminal, else the first line of standard input."""
    if io.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return io.stdin.readline().rstrip("\r\n")


def _list_line(row: SessionSummary) -> str:
    cells = [
        str(row.id),
        to_iso(row.updated_at)[:16].replace("T", " "),
        row.status,
        row.lang,
        row.region or "-",
        row.route_code or "-",
        row.family_outcome or "-",
        ",".join(row.review_codes) or "-",
        row.employer or "-",
        ",".join(row.flags) or "-",
    ]
    return "\t".join(cells)


# -- commands -----------------------------------------------------------------------------------------


def _review(args: argparse.Namespace, io: _Io) -> int:
    import uvicorn

    from bot.operators.web import ConsoleConfig, create_app

    if not _is_loopback(args.host) and not args.secure_cookie:
        return io.fail(
            f"refusing to serve on {args.host} over plain HTTP: put the console behind HTTPS and pass "
            "--secure-cookie, or listen on 127.0.0.1"
        )
    from bot.logs import configure_logging
    from bot.settings import get_settings

    configure_logging(get_settings().log_format, get_settings().log_level)
    config = ConsoleConfig(
        db_path=_db_path(args),
        secret_key=secrets.token_urlsafe(32),  # a restart logs everyone out
        session_hours=args.session_hours,
        secure_cookie=args.secure_cookie,
        allowed_hosts=tuple(args.allowed_host or _env_hosts()),
        bot_username=get_settings().bot_username,
        audit_retention_days=get_settings().audit_retention_days,
    )
    uvicorn.run(
        create_app(config),
        host=args.host,
        port=args.port,
        server_header=False,
        # Only a proxy named here may say who the client is (X-Forwarded-For): the log-in throttle
        # counts per client address, and behind a proxy every client would otherwise share its address.
        proxy_headers=bool(args.trusted_proxy),
        forwarded_allow_ips=",".join(args.trusted_proxy) or None,
        access_log=False,  # URLs carry search words: keep them out of the logs
        log_config=None,  # guichet's own log format (bot.logs), not uvicorn's
    )
    return EXIT_OK


def _env_hosts() -> list[str]:
    """The console's host names from ``GUICHET_CONSOLE_HOSTS`` (comma-separated), when no
    ``--allowed-host`` is given."""
    return [name.strip() for name in os.environ.get("GUICHET_CONSOLE_HOSTS", "").split(",") if name.strip()]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _operators(args: argparse.Namespace, io: _Io) -> int:
    store = OperatorStore(_db_path(args))
    try:
        command = args.operators_command
        if command == "list":
            for account in store.list_operators():
                disabled = account.disabled_at
                state = "active" if disabled is None else f"disabled {to_iso(disabled)[:10]}"
                created = to_iso(account.created_at)[:10]
                employer = f"\t{account.employer}" if account.employer else ""
                io.out(f"{account.name}\t{account.role}\t{state}\tcreated {created}{employer}")
            return EXIT_OK
        if command == "disable":
            if not store.disable_operator(args.name):
                return io.fail(f"no active operator {args.name}")
            store.end_all_console_sessions(args.name)
            store.audit(cli_operator_name(), audit.OPERATOR_DISABLED, detail=args.name)
            io.out(f"disabled {args.name}")
            return EXIT_OK
        if command in {"unlock", "logout"}:
            if store.get_operator(args.name) is None:
                return io.fail(f"no operator {args.name}")
            if command == "unlock":
                count = store.clear_login_failures(args.name)
                store.audit(cli_operator_name(), audit.UNLOCK, detail=f"{args.name}: {count} addresses")
                io.out(f"unlocked {args.name} ({count} addresses had failed log-ins)")
            else:
                count = store.end_all_console_sessions(args.name)
                store.audit(cli_operator_name(), audit.LOGOUT_ALL, detail=f"{args.name}: {count} sessions")
                io.out(f"logged {args.name} out of {count} sessions")
            return EXIT_OK
        password = _read_password(io)
        check_password_strength(password)
        if command == "create":
            store.create_operator(
                args.name, hash_password(password), role=args.role, lang=args.lang, employer=args.employer
            )
            store.audit(cli_operator_name(), audit.OPERATOR_CREATED, detail=f"{args.name} ({args.role})")
            io.out(f"created operator {args.name}")
            return EXIT_OK
        if not store.set_password(args.name, hash_password(password)):
            return io.fail(f"no operator {args.name}")
        store.audit(cli_operator_name(), audit.PASSWORD_CHANGED, detail=args.name)
        io.out(f"new password set for {args.name}")
        return EXIT_OK
    except OperatorExistsError as exc:
        return io.fail(str(exc))
    except ValueError as exc:
        return io.fail(str(exc))
    finally:
        store.close()


def terminal_safe(value: object) -> str:
    """``value`` as text that cannot drive a terminal: control and format characters (ESC, line
    breaks, bidi overrides, zero-width marks…) are shown as escapes such as ``\\x1b`` or ``\\u202e``."""
    out: list[str] = []
    for char in str(value):
        if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _show_text(session_id: int, store: OperatorStore, sessions: SessionStore, io: _Io) -> int:
    safe = terminal_safe
    stored = store.get_session(session_id)
    if stored is None:
        return io.fail(f"no session {session_id}", EXIT_FAILURE)
    summary = store.summary(session_id)
    assert summary is not None
    io.out(
        f"Session {stored.id} · {stored.status} · {stored.lang} · {safe(stored.channel)} "
        f"user {safe(stored.user_key)}"
    )
    io.out(f"Started {to_iso(stored.created_at)} · last activity {to_iso(stored.updated_at)}")
    if summary.invite_token:
        io.out(f"Invite {safe(summary.invite_token)} ({safe(summary.employer or 'invite purged')})")
    log_entries = sessions.get_answers(session_id)
    io.out("\nAnswers")
    try:
        for label, value in answer_lines(rebuild_answers(stored.state, log_entries).answers):
            io.out(f"  {safe(label)}: {safe(value)}")
    except ValueError as exc:
        io.out(f"  (not readable: {safe(exc)})")
    io.out("\nTranscript")
    for line in sessions.get_transcript(session_id):
        who = "user" if line.direction == "in" else "bot "
        io.out(f"  [{to_iso(line.created_at)[:16]}] {who}: {safe(line.text)}")
    assessment = sessions.latest_assessment(session_id)
    io.out("\nAssessment")
    if assessment is None:
        io.out("  (none yet)")
    else:
        io.out(f"  route {assessment.route_code}, family {assessment.family.outcome}")
        io.out(f"  rules version {assessment.rules_version}, reference date {assessment.reference_date}")
        for review in assessment.review:
            io.out(f"  {review.code}: {text('en', f'review.{review.code}.title')}")
        for rendered in render_assessment_text(assessment, "en").split("\n"):
            io.out(safe(rendered))
    notes = store.notes(session_id)
    flags = [flag.flag for flag in store.flags(session_id)]
    io.out(f"\nFlags: {', '.join(flags) or '-'}")
    for note in notes:
        io.out(f"  note by {safe(note.operator)}, {to_iso(note.created_at)[:16]}: {safe(note.text)}")
    return EXIT_OK


def _show_json(session_id: int, store: OperatorStore, sessions: SessionStore, io: _Io) -> int:
    stored = store.get_session(session_id)
    summary = store.summary(session_id)
    if stored is None or summary is None:
        return io.fail(f"no session {session_id}", EXIT_FAILURE)
    assessment = sessions.latest_assessment(session_id)
    document = {
        "session": {**summary.as_record(), "user_key": stored.user_key, "state": stored.state},
        "answers": [
            {"seq": a.seq, "field": a.field, "value": a.value, "answered_at": to_iso(a.answered_at)}
            for a in sessions.get_answers(session_id)
        ],
        "transcript": [
            {"seq": t.seq, "direction": t.direction, "text": t.text, "created_at": to_iso(t.created_at)}
            for t in sessions.get_transcript(session_id)
        ],
        "assessment": None if assessment is None else assessment.model_dump(mode="json"),
        "notes": [
            {"operator": n.operator, "created_at": to_iso(n.created_at), "text": n.text}
            for n in store.notes(session_id)
        ],
    }
    io.out(json.dumps(document, ensure_ascii=False, indent=2))
    return EXIT_OK


def _sessions(args: argparse.Namespace, io: _Io) -> int:
    try:
        filters = _filters(args) if args.sessions_command in {"list", "export"} else SessionFilters()
    except FilterError as exc:
        return io.fail(str(exc))
    path = _db_path(args)
    sessions = SessionStore(path)
    store = OperatorStore(path)
    who = cli_operator_name()
    try:
        command = args.sessions_command
        if command == "list":
            page = store.list_sessions(filters, page=args.page, page_size=args.limit)
            store.audit(who, audit.LIST, detail=audit.describe_filters(filters, page=page.page))
            if args.format != "text":
                io.stdout.write(export(page.rows, args.format))
                return EXIT_OK
            io.out("\t".join(LIST_COLUMNS))
            for row in page.rows:
                io.out(_list_line(row))
            print(f"{page.total} sessions, page {page.page} of {page.pages}", file=io.stderr)
            return EXIT_OK
        if command == "export":
            rows = list(store.iter_sessions(filters))
            store.audit(
                who,
                audit.EXPORT,
                detail=f"{args.format}, {len(rows)} rows, " + audit.describe_filters(filters),
            )
            content = export(rows, args.format)
            if args.output:
                Path(args.output).write_text(content, encoding="utf-8")
                print(f"{len(rows)} sessions written to {args.output}", file=io.stderr)
            else:
                io.stdout.write(content)
            return EXIT_OK
        if command == "show":
            show: Callable[[int, OperatorStore, SessionStore, _Io], int] = (
                _show_json if args.format == "json" else _show_text
            )
            code = show(args.session_id, store, sessions, io)
            if code == EXIT_OK:
                store.audit(who, audit.VIEW, session_id=args.session_id)
            return code
        return _delete(args, store, io, who)
    finally:
        store.close()
        sessions.close()


def _delete(args: argparse.Namespace, store: OperatorStore, io: _Io, who: str) -> int:
    if store.get_session(args.session_id) is None:
        return io.fail(f"no session {args.session_id}", EXIT_FAILURE)
    if not args.yes:
        if not io.stdin.isatty():
            return io.fail("add --yes to erase without a question")
        print(f"Erase session {args.session_id} for good? [y/N] ", end="", file=io.stderr, flush=True)
        if io.stdin.readline().strip().lower() not in {"y", "yes"}:
            return io.fail("nothing erased", EXIT_FAILURE)
    deleted = store.erase_session(args.session_id)
    store.audit(who, audit.ERASE, session_id=args.session_id, detail=f"{deleted} rows")
    io.out(f"erased session {args.session_id} ({deleted} rows)")
    return EXIT_OK


def _purge(args: argparse.Namespace, io: _Io) -> int:
    from bot.settings import get_settings

    days = args.older_than if args.older_than is not None else get_settings().retention_days
    audit_days = args.audit_older_than
    if audit_days is None:
        audit_days = get_settings().audit_retention_days
    path = _db_path(args)
    sessions = SessionStore(path)
    try:
        deleted = sessions.purge_older_than(days)
    finally:
        sessions.close()
    store = OperatorStore(path)
    try:
        audit_deleted = store.purge_audit_older_than(audit_days)
        detail = (
            f"older than {days} days: {deleted} rows; audit older than {audit_days} days: {audit_deleted}"
        )
        store.audit(cli_operator_name(), audit.PURGE, detail=detail)
    finally:
        store.close()
    io.out(f"purged {deleted} rows older than {days} days")
    io.out(f"purged {audit_deleted} audit rows older than {audit_days} days")
    return EXIT_OK


def _backup(args: argparse.Namespace, io: _Io) -> int:
    path = _db_path(args)
    try:
        report = backup(path, args.destination)
    except (NotAStoreError, SchemaTooNewError, OSError) as exc:
        return io.fail(f"no backup made: {exc}", EXIT_FAILURE)
    store = OperatorStore(path)
    try:
        store.audit(cli_operator_name(), audit.BACKUP, detail=f"{report.sessions} sessions")
    finally:
        store.close()
    io.out(f"backed up {report.sessions} sessions (schema {report.schema_version}) to {report.path}")
    return EXIT_OK


def _restore(args: argparse.Namespace, io: _Io) -> int:
    from bot.settings import get_settings

    path = _db_path(args)
    if not args.yes:
        if not io.stdin.isatty():
            return io.fail("add --yes to replace the store without a question")
        question = f"Replace {path} with {args.source}? Stop the bot and the console first. [y/N] "
        print(question, end="", file=io.stderr, flush=True)
        if io.stdin.readline().strip().lower() not in {"y", "yes"}:
            return io.fail("nothing restored", EXIT_FAILURE)
    settings = get_settings()
    try:
        report = restore(
            args.source,
            path,
            retention_days=settings.retention_days,
            audit_retention_days=settings.audit_retention_days,
        )
    except (NotAStoreError, SchemaTooNewError, OSError) as exc:
        return io.fail(f"not restored: {exc}", EXIT_FAILURE)
    store = OperatorStore(path)
    try:
        detail = (
            f"{report.sessions} sessions; erased again {report.erased_again} rows; purged {report.purged}"
        )
        store.audit(cli_operator_name(), audit.RESTORE, detail=detail)
    finally:
        store.close()
    io.out(
        f"restored {report.sessions} sessions from {args.source}; erasures applied again: "
        f"{report.erased_again} rows; retention purge: {report.purged} rows"
    )
    return EXIT_OK


_COMMANDS: Final[dict[str, Callable[[argparse.Namespace, _Io], int]]] = {
    "review": _review,
    "operators": _operators,
    "sessions": _sessions,
    "purge": _purge,
    "backup": _backup,
    "restore": _restore,
}


def run_operator_command(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one of :data:`OPERATOR_COMMANDS`; returns the exit code (0 ok, 1 not found, 2 usage)."""
    io = _Io(stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)
    command = _COMMANDS.get(args.command)
    if command is None:
        return io.fail(f"unknown operator command {args.command}")
    return command(args, io)
