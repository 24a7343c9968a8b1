"""One bot process for the benchmark: the real guichet bot, or a bare python-telegram-bot echo bot.

``python -m bench.serve_bot guichet|echo|echo-guichet-reply|echo-aiohttp`` reads the usual settings
from the environment (``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_BASE_URL``, ``GUICHET_MODE``,
``GUICHET_WEBHOOK_*``, ``GUICHET_DATA_DIR``) and serves until SIGTERM. Running the bot in its own
process lets the benchmark measure its CPU and memory apart from the emulator's.
``echo-guichet-reply`` is the echo bot answering every text with guichet's first question (the
same HTML text and keyboard, so the same request and response sizes): what python-telegram-bot
alone costs for guichet's messages.
``echo-aiohttp`` is the bare echo bot on guichet's HTTP client (``bot.telegram.transport``), so
guichet can also be compared with an echo bot on the very same stack.
Benchmark-only switches:

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
from collections.abc import Awaitable, Callable
from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

import bot.telegram.app as bot_app
from bot.settings import Settings
from bot.telegram.transport import AiohttpRequest
from bot.telegram.views import OutgoingMessage, messages_for
from flows.dialogue import Dialogue

BENCH_DAY = date(2026, 11, 23)
KINDS = ("guichet", "echo", "echo-guichet-reply", "echo-aiohttp")


async def serve_guichet(settings: Settings, stop: asyncio.Event) -> None:
    """The product's own serve() with the benchmark's fixed day for the dialogue."""
    await bot_app.serve(settings, stop=stop, dialogue=Dialogue(today=BENCH_DAY))


def first_question() -> OutgoingMessage:
    """guichet's reply to /start in English, as the bot sends it."""
    turn = Dialogue(today=BENCH_DAY).start("en")
    (message,) = messages_for(turn.replies, "en", turn.state.version)
    return message


async def serve_echo(
    settings: Settings, stop: asyncio.Event, *, guichet_reply: bool = False, aiohttp: bool = False
) -> None:
    """A bare PTB bot that echoes text (or sends guichet's first question), with PTB's own poller
    or webhook server; on PTB's default HTTP client (httpx), or on guichet's (``aiohttp``)."""
    canned = first_question()
    markup = InlineKeyboardMarkup.de_json(canned.keyboard.markup(), None) if canned.keyboard else None

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        if guichet_reply:
            await message.reply_text(canned.html, parse_mode=ParseMode.HTML, reply_markup=markup)
        else:
            await message.reply_text(message.text)

    assert settings.telegram_bot_token is not None
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
    )
    if aiohttp:
        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(1))
    app = builder.build()
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
            )
        else:
            await app.updater.start_polling(timeout=25)
        await stop.wait()
        await app.updater.stop()
        await app.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--unlimited", action="store_true")
    parser.add_argument("--profile", default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    bot_app.quiet_logging()
    if args.unlimited:
        unlimited = functools.partial(AIORateLimiter, overall_max_rate=0)
        setattr(bot_app, "AIORateLimiter", unlimited)  # noqa: B010 - the benchmark's bot only
    settings = Settings()
    serves: dict[str, Callable[[Settings, asyncio.Event], Awaitable[None]]] = {
        "guichet": serve_guichet,
        "echo": serve_echo,
        "echo-guichet-reply": functools.partial(serve_echo, guichet_reply=True),
        "echo-aiohttp": functools.partial(serve_echo, aiohttp=True),
    }
    serve = serves[args.kind]

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
