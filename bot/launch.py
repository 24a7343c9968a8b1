"""`guichet run` and `guichet console`: start a channel on the shared engine and store."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TextIO

from bot.i18n import Lang
from bot.settings import Settings

EXIT_NO_TOKEN = 78  # EX_CONFIG: the configuration does not allow the bot to start


def run_console_command(lang: Lang | None, db_path: str | None) -> int:
    """The interview in this terminal, saved in the same SQLite store as the bot; the PDF and the
    calendar file it is asked for go to ``<data dir>/downloads``."""
    from bot.console import run_console, terminal_input, terminal_output
    from bot.settings import get_settings
    from bot.store import SessionStore

    settings = get_settings()
    store = SessionStore(db_path or settings.db_path)
    try:
        return run_console(
            lang,
            store=store,
            input_fn=terminal_input(),
            output_fn=terminal_output(),
            output_dir=settings.downloads_dir,
        )
    finally:
        store.close()


def no_token_refusal(settings: Settings, stdin: TextIO) -> str | None:
    """Why `guichet run` without a token must fail rather than start the console conversation: a
    deployment (``GUICHET_REQUIRE_TOKEN``, set in the Docker image) or no terminal to talk to (standard
    input closed or not a terminal: ``docker run -d``, a service manager). None when there is a token
    or a person at a terminal."""
    if settings.telegram_bot_token is not None:
        return None
    if settings.require_token:
        why = "GUICHET_REQUIRE_TOKEN is set"
    elif stdin.closed or not stdin.isatty():
        why = "standard input is not a terminal, so the console conversation cannot start"
    else:
        return None
    return (
        f"guichet run: no TELEGRAM_BOT_TOKEN configured and {why}: the bot cannot start. Set "
        "TELEGRAM_BOT_TOKEN (the token from @BotFather); for the interview in a terminal, run "
        "'guichet console' (in Docker: docker run -it --rm IMAGE guichet console)."
    )


def invites_command(args: argparse.Namespace) -> int:
    """`guichet invites create|list|revoke`."""
    from bot.invites import PREFILL_FIELDS, deep_link, expiry, validate_prefill
    from bot.settings import get_settings
    from bot.store import SessionStore

    settings = get_settings()
    store = SessionStore(settings.db_path)
    try:
        if args.invites_command == "create":
            facts = {name: getattr(args, name, None) for name in PREFILL_FIELDS}
            try:
                prefill = validate_prefill({k: v for k, v in facts.items() if v is not None})
            except ValueError as exc:
                print(f"guichet: {str(exc).splitlines()[0]}", file=sys.stderr)
                return 2
            token = store.create_invite(args.employer, prefill, expires_at=expiry(args.expires_days))
            if settings.bot_username:
                print(deep_link(settings.bot_username, token))
            else:
                print(token)
                print("Set GUICHET_BOT_USERNAME to print the full t.me link.", file=sys.stderr)
            return 0
        if args.invites_command == "list":
            for invite in store.list_invites():
                state = "revoked" if invite.revoked_at else "active"
                print(f"{invite.token}\t{invite.employer}\t{state}\texpires={invite.expires_at or '-'}")
            return 0
        if store.revoke_invite(args.token):
            print(f"revoked {args.token}")
            return 0
        print(f"guichet: no invite {args.token}", file=sys.stderr)
        return 2
    finally:
        store.close()


def warn_without_controller(settings: Settings) -> None:
    """Log once at start when /privacy cannot name who is responsible for the data."""
    if not (settings.controller_name and settings.controller_contact):
        logging.getLogger(__name__).warning(
            "GUICHET_CONTROLLER_NAME and GUICHET_CONTROLLER_CONTACT are not both set: /privacy tells "
            "people that the data controller has not been named"
        )


def run_command(args: argparse.Namespace) -> int:
    """Dispatch the channel sub-commands of the CLI."""
    if args.command == "invites":
        return invites_command(args)
    if args.command == "health":
        from bot.health import check_health

        return check_health()
    if args.command == "console":
        return run_console_command(args.lang, args.db)
    if args.command == "run":
        from bot.settings import get_settings

        settings = get_settings()
        refusal = no_token_refusal(settings, sys.stdin)
        if refusal is not None:
            print(refusal, file=sys.stderr)
            return EXIT_NO_TOKEN
        if settings.telegram_bot_token is None:
            print(
                "No TELEGRAM_BOT_TOKEN configured: starting the console conversation instead.",
                file=sys.stderr,
            )
            return run_console_command(None, None)
        from bot.logs import configure_logging
        from bot.telegram.app import run_bot

        configure_logging(settings.log_format, settings.log_level)
        warn_without_controller(settings)
        return run_bot(settings)
    raise SystemExit(f"unknown command {args.command}")
