"""`guichet rules …`: check, diff, apply, list, rollback, stale and export rules packs.

``bot/cli.py`` adds the commands with :func:`add_rules_commands` and runs them with
:func:`run_rules_command`. Exit 0 when done, 2 when the pack or the request is refused (each
problem on standard error as ``file:line: reason``); nothing changes in the store then.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final, TextIO

from bot.rules.check import check_files
from bot.rules.diff import diff_sessions, format_report
from bot.rules.pack import PackError, Problem, RulesPack, default_pack, read_pack_files, write_pack_files
from bot.rules.registry import RulesError, apply_pack, pack_in_force, pack_of, rollback
from bot.rules.stale import DEFAULT_WITHIN, stale_amounts, stale_lists
from bot.store.packs import PackStore

EXIT_OK, EXIT_REFUSED = 0, 2
RULES_COMMAND: Final = "rules"


def _within(value: str) -> timedelta:
    found = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", value)
    if not found:
        raise argparse.ArgumentTypeError("a number of days, e.g. 60d (or weeks: 8w)")
    number = int(found.group(1))
    return timedelta(weeks=number) if found.group(2) == "w" else timedelta(days=number)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("a date written YYYY-MM-DD") from exc


def add_rules_commands(subparsers: Any) -> None:
    """Add `rules check|diff|apply|list|rollback|stale|export` to the `guichet` sub-commands."""
    p_rules = subparsers.add_parser(RULES_COMMAND, help="rules packs: the dated amounts, fees and sources")
    rules = p_rules.add_subparsers(dest="rules_command", required=True)
    p_check = rules.add_parser("check", help="check a pack (folder or .zip); exit 2 with file:line: reason")
    p_check.add_argument("pack")
    p_diff = rules.add_parser("diff", help="the saved sessions a pack would answer differently")
    p_diff.add_argument("pack")
    p_diff.add_argument("--on", type=_day, help="assess as of this day (default: today, Brussels)")
    p_diff.add_argument("--export", help="also write the changes to this .csv or .json file")
    p_apply = rules.add_parser("apply", help="check a pack, store it and put it in force")
    p_apply.add_argument("pack")
    p_apply.add_argument("--by", help="who applies it (default: the system user name)")
    rules.add_parser("list", help="the stored packs and the history of the pack in force")
    p_rollback = rules.add_parser("rollback", help="put an earlier pack back in force ('default': packaged)")
    p_rollback.add_argument("version")
    p_rollback.add_argument("--by", help="who rolls back (default: the system user name)")
    p_stale = rules.add_parser("stale", help="amounts due, or soon due, for an update")
    p_stale.add_argument("pack", nargs="?", help="a pack to look at (default: the pack in force)")
    p_stale.add_argument("--within", type=_within, default=DEFAULT_WITHIN, help="look ahead (default 60d)")
    p_stale.add_argument("--on", type=_day, help="as of this day (default: today, Brussels)")
    p_export = rules.add_parser("export", help="write a pack's files to a folder, to edit them")
    p_export.add_argument("folder")
    p_export.add_argument("--version", help="a stored version or 'default' (default: the pack in force)")
    for parser in (p_diff, p_apply, p_rollback, p_stale, p_export, rules.choices["list"]):
        parser.add_argument("--db", help="SQLite file (default: from configuration)")


def _db_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    from bot.settings import get_settings

    return get_settings().db_path


def _today() -> date:
    from bot.engine import today_in_brussels

    return today_in_brussels()


def _refuse(problems: list[Problem], stderr: TextIO) -> int:
    for problem in problems:
        print(str(problem), file=stderr)
    print(f"guichet rules: refused ({len(problems)} problem{'s' if len(problems) != 1 else ''})", file=stderr)
    return EXIT_REFUSED


def _checked(path: str) -> RulesPack:
    """The pack at ``path``, or PackError with every problem."""
    pack, problems = check_files(read_pack_files(path))
    if problems or pack is None:
        raise PackError(problems)
    return pack


def run_rules_command(
    args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run one `guichet rules` sub-command; the exit status."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        return _run(args, out)
    except PackError as exc:
        return _refuse(exc.problems, err)
    except (RulesError, OSError) as exc:  # OSError: a file or folder that cannot be written
        print(f"guichet rules: {exc}", file=err)
        return EXIT_REFUSED


def _operator(args: argparse.Namespace) -> str:
    """``--by``, else the system user name ("unknown" where the system has none, e.g. a container)."""
    if getattr(args, "by", None):
        return str(args.by)
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _run(args: argparse.Namespace, out: TextIO) -> int:
    command = args.rules_command
    if command == "check":
        pack = _checked(args.pack)
        print(
            f"{args.pack}: pack {pack.version} is valid "
            f"({len(pack.rows)} amounts, {len(pack.sources)} sources)",
            file=out,
        )
        return EXIT_OK
    by = _operator(args)
    store = PackStore(_db_path(args))
    try:
        if command == "apply":
            pack = apply_pack(store, read_pack_files(args.pack), by)
            print(
                f"pack {pack.version} stored and in force (applied by {by}); "
                "the bot takes it up within seconds",
                file=out,
            )
        elif command == "rollback":
            version = rollback(store, args.version, by)
            print(f"pack {version} is in force again (by {by})", file=out)
        elif command == "list":
            _print_list(store, out)
        elif command == "diff":
            new = _checked(args.pack)
            report = diff_sessions(
                store.finished_sessions(), pack_in_force(store).table, new.table, args.on or _today()
            )
            print("\n".join(format_report(report)), file=out)
            if args.export:
                target = Path(args.export)
                target.write_text(
                    report.to_json() if target.suffix == ".json" else report.to_csv(), encoding="utf-8"
                )
                print(f"changes written to {target}", file=out)
        elif command == "stale":
            pack = _checked(args.pack) if args.pack else pack_in_force(store)
            _print_stale(pack, args.on or _today(), args.within, out)
        elif command == "export":
            pack = pack_of(store, args.version) if args.version else pack_in_force(store)
            folder = write_pack_files(pack.files, args.folder)
            print(
                f"pack {pack.version} written to {folder}; edit it, change its version, then 'rules check'",
                file=out,
            )
    finally:
        store.close()
    return EXIT_OK


def _print_list(store: PackStore, out: TextIO) -> None:
    in_force = pack_in_force(store).version
    packaged = default_pack()
    print(
        f"{'':2}{'version':<24} {'date':<10}  {'author':<16} {'applied by':<14} "
        f"{'applied at (UTC)':<16}  note",
        file=out,
    )
    for pack in store.packs():
        mark = "*" if pack.version == in_force else ""
        when = pack.pack_date.isoformat() if pack.pack_date else "—"
        applied = pack.applied_at.strftime("%Y-%m-%d %H:%M")
        print(
            f"{mark:<2}{pack.version:<24} {when:<10}  {pack.author:<16} {pack.applied_by:<14} "
            f"{applied:<16}  {pack.note}",
            file=out,
        )
    mark = "*" if packaged.version == in_force else ""
    print(
        f"{mark:<2}{packaged.version:<24} {'—':<10}  {'release':<16} {'—':<14} {'—':<16}  packaged tables",
        file=out,
    )
    history = store.history()
    if history:
        print("history (latest first):", file=out)
        for event in history:
            print(
                f"  {event.at.strftime('%Y-%m-%d %H:%M')}  {event.action:<8} {event.version} by {event.by}",
                file=out,
            )


def _print_stale(pack: RulesPack, on: date, within: timedelta, out: TextIO) -> None:
    found = stale_amounts(pack.table.rows, on, within)
    lists = stale_lists(pack.lists, on, within)
    print(
        f"pack {pack.version}, as of {on.isoformat()}, looking {within.days} days ahead: "
        f"{len(found)} amount(s) and {len(lists)} list(s) due",
        file=out,
    )
    for item in found:
        row = item.row
        amount = f"{row.amount:,.2f} {row.unit}".replace(",", " ")
        print(
            f"  {'DUE ' if item.overdue else 'SOON'} {row.id:<22} {amount:>14}  {item.describe()}  "
            f"({', '.join(row.sources)})",
            file=out,
        )
    for stale in lists:
        print(
            f"  {'DUE ' if stale.overdue else 'SOON'} list {stale.id:<17} {stale.name}: {stale.describe()}  "
            f"({', '.join(stale.sources)})",
            file=out,
        )
