"""Build and run the python-telegram-bot Application (polling or webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import warnings
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.engine import today_in_brussels
from bot.health import beat, bot_check, serve_health
from bot.i18n import LANGS, text
from bot.logs import configure_logging
from bot.privacy import Controller
from bot.reminders.notices import notice_rules_change
from bot.reminders.scheduler import ReminderScheduler
from bot.rules.live import follow_rules
from bot.settings import Settings
from bot.store import AsyncSessionStore
from bot.store.records import Clock, InboxBatch, utc_now
from bot.telegram.context import BotContext
from bot.telegram.handlers import DIALOGUE_COMMANDS, PRESS_PATTERNS, Handlers
from bot.telegram.lanes import ChatLanes
from bot.telegram.links import signing_key
from bot.telegram.reminders import DATE_COMMANDS, telegram_sender
from bot.telegram.transport import AiohttpRequest
from bot.telegram.webhook import WebhookServer, webhook_app
from flows.dialogue import Dialogue

COMMANDS = ("start", "restart", "back", "language", "summary", "help", "privacy", "delete", "reminders")
POLL_TIMEOUT_S = 25
GET_UPDATES_READ_MARGIN_S = 5.0
MAX_IN_FLIGHT = 1000
HEARTBEAT_EVERY_S = 30.0
PURGE_EVERY_S = 24 * 3600.0
PROFILE_RETRY_S = (30.0, 120.0, 600.0, 3600.0)

log = logging.getLogger(__name__)

BotApp = Application[Any, Any, Any, Any, Any, Any]


def quiet_logging() -> None:
    """Keep the token and personal data out of the logs: httpx logs request URLs (which contain
    the token) at INFO; python-telegram-bot logs its API URL and whole updates at DEBUG; aiohttp
    (the bot's HTTP client) and uvicorn (the webhook) are kept to warnings too."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.INFO)


def build_application(
    settings: Settings, store: AsyncSessionStore, dialogue: Dialogue | None = None
) -> BotApp:
    """The Application with every handler registered (private chats only for the interview)."""
    if settings.telegram_bot_token is None:
        raise InvalidToken("TELEGRAM_BOT_TOKEN is not configured")
    quiet_logging()
    # Replies and getUpdates go through do_api_request on purpose (delivery.send_outgoing, poll_updates).
    warnings.filterwarnings(
        "ignore",
        message=r"Please use 'Bot\.(sendMessage|getUpdates|editMessageText|editMessageReplyMarkup)'",
        category=PTBUserWarning,
    )
    app = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(1))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .updater(None)  # updates come from poll_updates or the webhook server below
        .build()
    )
    handlers = Handlers(
        BotContext(
            dialogue or Dialogue(),
            store,
            settings.retention_days,
            operator_chat_id=settings.operator_chat_id,
            operator_ids=settings.operator_ids,
            review_base_url=settings.review_base_url,
            result_key=signing_key(settings.telegram_bot_token.get_secret_value()),
            controller=Controller(settings.controller_name, settings.controller_contact),
        )
    )
    private = filters.ChatType.PRIVATE
    if settings.operator_chat_id is not None:
        operators_chat = filters.Chat(chat_id=settings.operator_chat_id)
        replies = filters.UpdateType.MESSAGE & filters.REPLY & filters.TEXT
        app.add_handler(MessageHandler(operators_chat & replies, handlers.operator_reply))
        app.add_handler(MessageHandler(operators_chat, handlers.ignore))
    app.add_handler(MessageHandler(filters.ChatType.GROUPS, handlers.group))
    app.add_handler(CommandHandler("start", handlers.start, filters=private))
    app.add_handler(CommandHandler(list(DIALOGUE_COMMANDS), handlers.dialogue_command, filters=private))
    app.add_handler(CommandHandler("privacy", handlers.privacy, filters=private))
    app.add_handler(CommandHandler("delete", handlers.delete, filters=private))
    app.add_handler(CommandHandler("reminders", handlers.reminders.list_command, filters=private))
    app.add_handler(CommandHandler(list(DATE_COMMANDS), handlers.reminders.date_command, filters=private))
    for pattern, press in PRESS_PATTERNS:
        app.add_handler(CallbackQueryHandler(handlers.on_press(press), pattern=pattern))
    app.add_handler(CallbackQueryHandler(handlers.on_press(Handlers.stale_press)))  # forged or foreign
    app.add_handler(MessageHandler(filters.UpdateType.EDITED & private, handlers.edited))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & private, handlers.text))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT & private, handlers.not_text))
    app.add_error_handler(handlers.error)
    return app


ProfileCall = tuple[str, str | None, Callable[[], Awaitable[object]]]


def _profile_calls(app: BotApp) -> list[ProfileCall]:
    """The start-up calls that set the bot's commands and descriptions, per language (and the
    default): (method, language, call)."""
    calls: list[ProfileCall] = []
    for lang in (*LANGS, None):
        shown = lang or "en"
        commands = [BotCommand(name, text(shown, f"telegram.command.{name}")) for name in COMMANDS]
        description = text(shown, "telegram.description")
        short = text(shown, "telegram.short_description")
        calls += [
            ("setMyCommands", lang, partial(app.bot.set_my_commands, commands, language_code=lang)),
            ("setMyDescription", lang, partial(app.bot.set_my_description, description, language_code=lang)),
            (
                "setMyShortDescription",
                lang,
                partial(app.bot.set_my_short_description, short, language_code=lang),
            ),
        ]
    return calls


async def _try_calls(calls: list[ProfileCall]) -> list[ProfileCall]:
    """Make each call; return those that failed (any Telegram error: 400, 404, 429, 5xx, timeout)."""
    failed: list[ProfileCall] = []
    for call in calls:
        try:
            await call[2]()
        except TelegramError as error:  # PTB maps a 404 to InvalidToken: here it is cosmetic
            failed.append(call)
            log.debug("%s (%s) failed: %s", call[0], call[1] or "default", type(error).__name__)
    return failed


async def register_commands(
    app: BotApp, stop: asyncio.Event | None = None, *, retry_delays_s: tuple[float, ...] | None = None
) -> asyncio.Task[None] | None:
    """Set the commands and descriptions in each language (and English as the default).

    These calls are cosmetic: a failure is logged once and never stops the bot. With ``stop``, the
    calls that failed are retried in the background, later and later, until they succeed or the bot
    stops; the retrying task is returned (None when everything succeeded)."""
    failed = await _try_calls(_profile_calls(app))
    if not failed:
        return None
    methods = sorted({call[0] for call in failed})
    log.warning("start-up calls failed (%s); the bot runs and retries them later", ", ".join(methods))
    if stop is None:
        return None
    return asyncio.create_task(_retry_profile(failed, stop, retry_delays_s or PROFILE_RETRY_S))


async def _retry_profile(failed: list[ProfileCall], stop: asyncio.Event, delays: tuple[float, ...]) -> None:
    attempt = 0
    while failed and not stop.is_set():
        await _sleep_or_stop(stop, delays[min(attempt, len(delays) - 1)])
        if stop.is_set():
            return
        failed = await _try_calls(failed)
        attempt += 1
    if not failed:
        log.info("start-up calls succeeded after %d retries", attempt)


async def poll_updates(
    app: BotApp,
    stop: asyncio.Event,
    store: AsyncSessionStore,
    *,
    timeout: int = POLL_TIMEOUT_S,
    lanes: ChatLanes | None = None,
    max_in_flight: int = MAX_IN_FLIGHT,
) -> None:
    """Long polling through a durable inbox.

    python-telegram-bot's own poller confirms updates as soon as they are queued in memory, so a
    crash loses them. Here each batch is written to the store's inbox (one transaction, shared with
    the turns being committed) before the next getUpdates confirms it; its updates are handed to
    the ``lanes`` at once (chats side by side, each chat in order) and the batch leaves the inbox
    once every update in it has been handled. So one slow turn — a person's 429, a slow answer —
    never holds anybody else's updates, and after a crash the inbox's batches are handled again
    (updates already processed are recognised by their id in the store). At most
    ``max_in_flight`` updates are in hand at once: fetching waits above that.
    """
    lanes = lanes or ChatLanes(app.process_update)
    for batch in await store.inbox():
        _dispatch(app, lanes, store, batch, json.loads(batch.updates_json))
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        while lanes.busy >= max_in_flight and not stop.is_set():
            await _sleep_or_stop(stop, 0.01)
        fetch = asyncio.ensure_future(
            app.bot.do_api_request(
                "getUpdates",
                api_kwargs={"offset": offset, "timeout": timeout, "allowed_updates": Update.ALL_TYPES},
                read_timeout=timeout + GET_UPDATES_READ_MARGIN_S,
            )
        )
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetch
            break
        try:
            updates: list[dict[str, Any]] = fetch.result()
            backoff = 1.0
        except RetryAfter as exc:
            await _sleep_or_stop(
                stop, float(exc.retry_after if isinstance(exc.retry_after, int | float) else 1)
            )
            continue
        except (TimedOut, NetworkError, TelegramError) as exc:
            if isinstance(exc, InvalidToken):
                raise
            log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, backoff)
            await _sleep_or_stop(stop, backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        if updates:
            ids = [int(update["update_id"]) for update in updates]
            batch = InboxBatch(ids[0], ids[-1], json.dumps(updates, ensure_ascii=False))
            written = store.add_to_inbox(batch)  # queued now, before any of its updates is handled
            _dispatch(app, lanes, store, batch, updates)
            try:
                await written  # committed: the next getUpdates may confirm the batch
            except Exception as error:  # not stored, so not confirmed: fetched again, recognised then
                name = type(error).__name__
                log.error("inbox write failed (%s); retrying in %.0f s", name, backoff, exc_info=error)
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            offset = max(ids) + 1
    await lanes.wait_idle()


def _dispatch(
    app: BotApp, lanes: ChatLanes, store: AsyncSessionStore, batch: InboxBatch, updates: list[dict[str, Any]]
) -> None:
    """Hand a batch's updates to the lanes; the batch leaves the inbox once all are handled (not if
    one failed or the bot stopped first: it is then handled again at the next start)."""
    remaining = len(updates)
    failed = False

    def handled(error: BaseException | None) -> None:
        nonlocal remaining, failed
        remaining -= 1
        if error is not None:
            failed = True
            if not isinstance(error, asyncio.CancelledError):
                log.error("batch %d: an update failed: %s", batch.first_update_id, type(error).__name__)
        if remaining == 0 and not failed:
            store.remove_from_inbox(batch)

    for raw in updates:
        try:
            update = Update.de_json(raw, app.bot)
        except Exception as error:  # not an update this version can read: nothing to handle
            log.warning(
                "batch %d: an unreadable update skipped: %s", batch.first_update_id, type(error).__name__
            )
            handled(None)
            continue
        lanes.submit(update, handled)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def _heartbeat(settings: Settings, stop: asyncio.Event) -> None:
    while not stop.is_set():
        beat(settings.data_dir)
        await _sleep_or_stop(stop, HEARTBEAT_EVERY_S)


async def purge_daily(
    store: AsyncSessionStore, retention_days: int, stop: asyncio.Event, *, every_s: float = PURGE_EVERY_S
) -> None:
    """Delete sessions older than the retention period now, then once a day until stopped."""
    while not stop.is_set():
        try:
            removed = await store.purge_older_than(retention_days)
            log.info("retention purge: %d rows older than %d days deleted", removed, retention_days)
        except Exception as exc:  # a failed purge must not stop the bot; it is retried next time
            log.error("retention purge failed: %s", type(exc).__name__, exc_info=exc)
        await _sleep_or_stop(stop, every_s)


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event,
    dialogue: Dialogue | None = None,
    ready: Callable[[], Awaitable[None]] | None = None,
    reminder_clock: Clock = utc_now,
) -> None:
    """Run the bot until ``stop`` is set: polling by default, webhook when configured. The reminder
    scheduler runs beside it, on ``reminder_clock``."""
    store = AsyncSessionStore(settings.db_path)
    rules = asyncio.create_task(  # the pack in force, kept current; the results it changes noticed
        follow_rules(
            settings.db_path,
            stop,
            on_change=lambda version: notice_rules_change(store, version, today_in_brussels()),
        )
    )
    try:
        app = build_application(settings, store, dialogue)
        lanes = ChatLanes(app.process_update, settings.concurrency)
        async with app:
            await app.start()
            beats = asyncio.create_task(_heartbeat(settings, stop))
            probes = asyncio.create_task(serve_health(settings, stop))
            purges = asyncio.create_task(purge_daily(store, settings.retention_days, stop))
            reminders = asyncio.create_task(_send_reminders(app, settings, store, stop, reminder_clock))
            retries: asyncio.Task[None] | None = None
            try:
                retries = await register_commands(app, stop)
                if settings.mode == "webhook":
                    await _serve_webhook(app, settings, lanes, stop, ready)
                else:
                    await app.bot.delete_webhook()
                    if ready:
                        await ready()
                    await poll_updates(app, stop, store, lanes=lanes)
            finally:
                # Stopped before leaving the context, so a failure above is the error raised, not
                # python-telegram-bot's "This Application is still running!".
                beats.cancel()
                if not stop.is_set():  # else it is closing its port: let it finish
                    probes.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await probes
                purges.cancel()
                await _stop_reminders(reminders, stop)
                if retries is not None:
                    retries.cancel()
                if app.running:
                    await app.stop()
    finally:
        rules.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await rules
        await store.close()


REMINDERS_STOP_S = 10.0


async def _send_reminders(
    app: BotApp, settings: Settings, store: AsyncSessionStore, stop: asyncio.Event, clock: Clock
) -> None:
    """The reminder scheduler, as its own task (never inside a turn), sending through the bot's rate
    limiter."""
    assert settings.telegram_bot_token is not None
    key = signing_key(settings.telegram_bot_token.get_secret_value())
    scheduler = ReminderScheduler(
        store, telegram_sender(app.bot, store, key), channel="telegram", clock=clock
    )
    await scheduler.run(stop, settings.reminder_every_s)


async def _stop_reminders(task: asyncio.Task[None], stop: asyncio.Event) -> None:
    """Let the scheduler finish the reminder it is sending (a cut send is recorded as uncertain at the
    next start, never sent twice); cancelled at once when the bot stops on an error."""
    if not stop.is_set():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError, TimeoutError, Exception):
        await asyncio.wait_for(task, REMINDERS_STOP_S)


async def _serve_webhook(
    app: BotApp,
    settings: Settings,
    lanes: ChatLanes,
    stop: asyncio.Event,
    ready: Callable[[], Awaitable[None]] | None,
) -> None:
    """Listen for Telegram's POSTs (each answered once its turn is committed), register the URL,
    serve until ``stop``. The webhook stays registered, so Telegram keeps updates during a restart."""
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    url_path = urlsplit(settings.webhook_url).path.rstrip("/").rsplit("/", 1)[-1]  # a proxy may add a prefix
    server = WebhookServer(
        webhook_app(url_path, secret, app.bot, lanes.process, bot_check(settings)),
        settings.webhook_listen,
        settings.webhook_port,
    )
    await server.start()
    try:
        await app.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
            max_connections=settings.webhook_max_connections,
        )
        if ready:
            await ready()
        await stop.wait()
    finally:
        await server.stop()


def run_bot(settings: Settings) -> int:
    """`guichet run` with a token: serve until SIGINT/SIGTERM."""
    configure_logging(settings.log_format, settings.log_level)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        log.info("guichet bot starting in %s mode", settings.mode)
        await serve(settings, stop=stop)

    asyncio.run(main())
    return 0
