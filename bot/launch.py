"""`guichet run` and `guichet console`: start a channel on the shared engine and store."""

from __future__ import annotations

import argparse
import sys

from bot.i18n import Lang


def run_console_command(lang: Lang | None, db_path: str | None) -> int:
    """The interview in this terminal, saved in the same SQLite store as the bot."""
    from bot.console import run_console
    from bot.settings import get_settings
    from bot.store import SessionStore

    settings = get_settings()
    store = SessionStore(db_path or settings.db_path)
    try:
        return run_console(lang, store=store)
    finally:
        store.close()


def run_command(args: argparse.Namespace) -> int:
    """Dispatch the channel sub-commands of the CLI."""
    if args.command == "console":
        return run_console_command(args.lang, args.db)
    if args.command == "run":
        from bot.settings import get_settings

        settings = get_settings()
        if settings.telegram_bot_token is None:
            print("No TELEGRAM_BOT_TOKEN configured: starting the console conversation instead.", file=sys.stderr)
            return run_console_command(None, None)
        from bot.telegram.app import run_bot

        return run_bot(settings)
    raise SystemExit(f"unknown command {args.command}")
