"""The `guichet` command line: assess answers, publish the answers schema, run the product."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from pydantic import ValidationError

from bot.contract import assessment_to_contract
from bot.engine import Answers, assess, today_in_brussels
from bot.i18n import LANGS, Lang
from bot.result import render_result

EXIT_OK, EXIT_USAGE = 0, 2


class InputError(Exception):
    """Input the engine cannot evaluate; its message is the one line shown to the user."""


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(answers)"
    if first["type"] == "extra_forbidden":
        return f"field '{field}': unknown field (see 'guichet schema answers')"
    return f"field '{field}': {first['msg']}"


def load_answers(raw: str) -> Answers:
    """Parse and validate an answers JSON document, or raise :class:`InputError`."""
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"unreadable JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise InputError("the answers must be a JSON object")
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        raise InputError(_describe(exc)) from exc


def _read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc


def _on_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("a date written YYYY-MM-DD") from exc


def cmd_assess(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """`guichet assess`: evaluate an answers file and print the assessment."""
    try:
        answers = load_answers(_read(args.answers, stdin))
    except InputError as exc:
        print(f"guichet: {exc}", file=stderr)
        return EXIT_USAGE
    lang: Lang = args.lang or answers.lang or "en"
    assessment = assess(answers, on=args.on or today_in_brussels())
    if args.format == "text":
        print(render_result("console", "document", assessment, lang), file=stdout)
    else:
        print(json.dumps(assessment_to_contract(assessment, lang), ensure_ascii=False, indent=2), file=stdout)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, stdout: TextIO) -> int:
    """`guichet schema answers`: the JSON Schema of the answers."""
    print(json.dumps(Answers.model_json_schema(), indent=2), file=stdout)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="guichet", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_assess = sub.add_parser("assess", help="assess an answers JSON file (or - for standard input)")
    p_assess.add_argument("answers")
    p_assess.add_argument("--on", type=_on_date, help="reference date YYYY-MM-DD (default: today, Brussels)")
    p_assess.add_argument("--format", choices=("json", "text"), default="json")
    p_assess.add_argument("--lang", choices=LANGS)
    p_schema = sub.add_parser("schema", help="print a JSON Schema")
    p_schema.add_argument("what", choices=("answers",))
    p_console = sub.add_parser("console", help="the interview in this terminal")
    p_console.add_argument("--lang", choices=LANGS)
    p_console.add_argument("--db", help="SQLite file (default: from configuration)")
    sub.add_parser("run", help="the Telegram bot when a token is configured, otherwise the console")
    sub.add_parser(
        "health", help="exit 0 when the store is usable and the bot is alive (Docker health check)"
    )
    p_invites = sub.add_parser("invites", help="HR invites: deep links with the employer's facts")
    inv = p_invites.add_subparsers(dest="invites_command", required=True)
    p_create = inv.add_parser("create", help="create an invite and print its link")
    p_create.add_argument("--employer", required=True, help="employer name shown to the new hire")
    where = p_create.add_mutually_exclusive_group()
    where.add_argument("--postcode", dest="work_postcode", help="postcode of the workplace")
    where.add_argument("--region", choices=("BXL", "FL", "WAL", "DG"))
    p_create.add_argument(
        "--salary-month", dest="salary_month_base", type=float, help="gross monthly base salary"
    )
    p_create.add_argument("--salary-year", dest="salary_year", type=float, help="gross annual salary")
    p_create.add_argument("--contract-months", type=int, help="contract length in months (0 = open-ended)")
    p_create.add_argument("--job-title", dest="occupation")
    p_create.add_argument(
        "--employer-type",
        choices=("belgian_employer", "foreign_employer_secondment", "group_transfer_from_non_EU_entity"),
    )
    p_create.add_argument("--expires-days", type=int, help="days until the link stops working")
    inv.add_parser("list", help="list invites")
    p_revoke = inv.add_parser("revoke", help="revoke an invite")
    p_revoke.add_argument("token")
    from bot.operators.cli import add_operator_commands

    add_operator_commands(sub)
    from bot.rules.cli import add_rules_commands

    add_rules_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `guichet` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "assess":
        return cmd_assess(args, sys.stdin, sys.stdout, sys.stderr)
    if args.command == "schema":
        return cmd_schema(args, sys.stdout)
    from bot.operators.cli import OPERATOR_COMMANDS, run_operator_command

    if args.command in OPERATOR_COMMANDS:
        return run_operator_command(args)
    if args.command == "rules":
        from bot.rules.cli import run_rules_command

        return run_rules_command(args)
    from bot.launch import run_command  # the channels load only when used

    return run_command(args)


if __name__ == "__main__":
    raise SystemExit(main())
