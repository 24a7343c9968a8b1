"""One bot process for the benchmark: the real guichet bot, or a bare python-telegram-bot echo bot.

``python -m bench.serve_bot guichet|echo`` reads the usual settings from the environment
(``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_BASE_URL``, ``GUICHET_MODE``, ``GUICHET_WEBHOOK_*``,
``GUICHET_DATA_DIR``) and serves until SIGTERM. Running the bot in its own process lets the benchmark
measure its CPU and memory apart from the emulator's. Benchmark-only switches:

``--unlimited``  lift the AIORateLimiter's overall 30 messages/s (so the code, not the limiter, is
                 measured); per-chat and retry behaviour are unchanged.
``--profile F``  run under cProfile and write the statistics to ``F`` on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import logging
import signal
from datetime import date

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

import bot.telegram.app as bot_app
from bot.settings import Settings
from flows.dialogue import Dialogue

BENCH_DAY = date(2026, 11, 23)


async def serve_guichet(settings: Settings, stop: asyncio.Event) -> None:
    """The product's own serve() with the benchmark's fixed day for the dialogue."""
    await bot_app.serve(settings, stop=stop, dialogue=Dialogue(today=BENCH_DAY))


async def serve_echo(settings: Settings, stop: asyncio.Event) -> None:
    """A bare PTB bot that echoes text, with PTB's own poller or webhook server."""

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None and update.effective_message.text is not None:
            await update.effective_message.reply_text(update.effective_message.text)

    assert settings.telegram_bot_token is not None
    app = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, reply))
    async with app:
        await app.start()
        await app.bot.set_my_commands([("start", "start")])  # the emulator's "ready" signal
        assert app.updater is not None
        if settings.mode == "webhook":
            assert settings.webhook_url is not None
            await app.updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=settings.webhook_url.rstrip("/").rsplit("/", 1)[-1],
                webhook_url=settings.webhook_url,
                max_connections=1,
            )
        else:
            await app.updater.start_polling(timeout=25)
        await stop.wait()
        await app.updater.stop()
        await app.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=("guichet", "echo"))
    parser.add_argument("--unlimited", action="store_true")
    parser.add_argument("--profile", default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    bot_app.quiet_logging()
    if args.unlimited:
        unlimited = functools.partial(AIORateLimiter, overall_max_rate=0)
        setattr(bot_app, "AIORateLimiter", unlimited)  # noqa: B010 - the benchmark's bot only
    settings = Settings()
    serve = serve_guichet if args.kind == "guichet" else serve_echo

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            asyncio.run(run())
        finally:
            profiler.disable()
            profiler.dump_stats(args.profile)
    else:
        asyncio.run(run())


if __name__ == "__main__":
    main()
