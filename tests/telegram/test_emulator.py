"""The Bot API emulator, exercised by a real python-telegram-bot 22 Application over HTTP.

The bot under test is bare PTB (echo, a button, media handlers), so these tests check the emulator
and its fit with PTB, not guichet's own bot.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.telegram.emulator import (
    ApiError,
    BotApiEmulator,
    FakeChat,
    FakeUser,
    parse_html,
    polling_app,
    utf16_length,
    webhook_app,
)

ANA = FakeUser(4201, "Ana", "fr")
BOB = FakeUser(4202, "Bob", "nl", username="bob_be")
GROUP = FakeChat(-100123, "Expats Liège", "supergroup")
SECRET = "s3cret-Token_42"
AnyApp = Application[Any, Any, Any, Any, Any, Any]

# --- the bot -----------------------------------------------------------------------------------


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def show_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    payload = " ".join(context.args or [])
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Oui", callback_data="yes"), InlineKeyboardButton("Non", callback_data="no")]]
    )
    await update.message.reply_text(f"Choisissez{f' ({payload})' if payload else ''}", reply_markup=keyboard)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"ok {query.data}")
    await query.edit_message_text(f"Choisi : <b>{html.escape(query.data or '')}</b>", parse_mode="HTML")


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.edited_message is not None and update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, f"edited: {update.edited_message.text}")


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None
    if message.document is not None:
        content = await (await message.document.get_file()).download_as_bytearray()
        await message.reply_text(f"document {message.document.file_name} {len(content)} bytes")
        return
    kind = next(k for k in ("sticker", "photo", "voice") if getattr(message, k))
    await message.reply_text(f"got {kind}")


def build_app(emu: BotApiEmulator, rate_limiter: AIORateLimiter | None = None) -> AnyApp:
    """A bare PTB Application: echo bot + button bot + media and edit handlers."""
    builder: Any = (
        Application.builder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    app: AnyApp = builder.build()
    app.add_handler(CommandHandler("start", show_buttons))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, edited))
    app.add_handler(
        MessageHandler(filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.Document.ALL, media)
    )
    return app


def running(mode: str, app: AnyApp, emu: BotApiEmulator) -> Any:
    if mode == "polling":
        return polling_app(app, emu, poll_interval=0.0, timeout=5)
    return webhook_app(app, emu, secret_token=SECRET)


def direct_bot(emu: BotApiEmulator, read_timeout: float = 5.0) -> Bot:
    request = HTTPXRequest(read_timeout=read_timeout)
    return Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url, request=request)


async def raw_call(
    emu: BotApiEmulator, method: str, token: str | None = None, http_timeout: float = 10.0, **params: Any
) -> tuple[int, dict[str, Any]]:
    url = f"{emu.base_url}{token or emu.token}/{method}"
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(url, json=params, timeout=http_timeout)
    return response.status_code, response.json()


# --- PTB for real ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_echo_and_buttons_run_for_real(emu: BotApiEmulator, mode: str) -> None:
    async with running(mode, build_app(emu), emu) as app:
        await app.bot.set_my_commands([("start", "Commencer")], language_code="fr")
        await emu.wait_until_ready(mode="polling" if mode == "polling" else "webhook")
        before = int(time.time())
        emu.user_sends_text(ANA, "bonjour")
        emu.user_sends_text(BOB, "hallo")
        [echoed] = await emu.wait_for_messages(ANA.id, 1)
        [bob_echo] = await emu.wait_for_messages(BOB.id, 1)
        emu.user_sends_command(ANA, "/start", payload="fr")
        keyboard_message = (await emu.wait_for_messages(ANA.id, 2))[1]
        press = emu.user_presses_button(ANA, keyboard_message, "Oui")
        await emu.wait_for_calls("editMessageText")
        info = await app.bot.get_webhook_info()

    assert (echoed.text, bob_echo.text) == ("bonjour", "hallo")
    assert [echoed.message_id, keyboard_message.message_id, bob_echo.message_id] == [2, 4, 2]
    assert before <= echoed.date <= int(time.time()) and isinstance(echoed.date, int)
    assert keyboard_message.history == [
        ("Choisissez (fr)", {"inline_keyboard": [[_button("Oui", "yes"), _button("Non", "no")]]})
    ]
    assert (keyboard_message.text, keyboard_message.buttons) == ("Choisi : yes", [])
    assert keyboard_message.entities == [{"type": "bold", "offset": 9, "length": 3}]
    assert keyboard_message.raw_text == "Choisi : <b>yes</b>"
    assert emu.callback_answer(press["callback_query"]["id"]) == {"text": "ok yes"}
    assert emu.commands("fr") == [{"command": "start", "description": "Commencer"}]
    assert emu.calls()[0].method == "getMe"
    if mode == "webhook":
        assert info.url.endswith("/telegram-webhook") and info.pending_update_count == 0
        assert [a.status for a in emu.webhook_attempts] == [200] * 4
        assert not emu.calls("getUpdates")
    else:
        assert info.url == "" and emu.calls("deleteWebhook")[0].ok


def _button(text: str, data: str) -> dict[str, str]:
    return {"text": text, "callback_data": data}


async def test_wrong_webhook_secret_is_refused_by_ptb_and_retried(emu: BotApiEmulator) -> None:
    emu.webhook_secret_override = "not-the-secret"
    async with webhook_app(build_app(emu), emu, secret_token=SECRET) as app:
        update = emu.user_sends_text(ANA, "bonjour")
        attempts = 1 + len(emu.webhook_retry_delays)
        await emu.wait_for(lambda: len(emu.webhook_attempts) == attempts, what="all attempts")
        await emu.wait_until_idle()
        info = await app.bot.get_webhook_info()
    assert [a.status for a in emu.webhook_attempts] == [403] * attempts
    assert emu.dropped_updates == [update["update_id"]]
    assert emu.sent_messages(ANA.id) == []
    assert info.last_error_message is not None and "403" in info.last_error_message


@pytest.mark.parametrize(("drop_pending", "delivered"), [(False, ["en attente"]), (True, [])])
async def test_updates_queued_before_the_webhook_follow_drop_pending_updates(
    emu: BotApiEmulator, drop_pending: bool, delivered: list[str]
) -> None:
    emu.user_sends_text(ANA, "en attente")
    app = build_app(emu)
    async with webhook_app(app, emu, secret_token=SECRET, drop_pending_updates=drop_pending):
        emu.user_sends_text(ANA, "après")
        messages = await emu.wait_for_messages(ANA.id, len(delivered) + 1)
    assert [m.text for m in messages] == [*delivered, "après"]


async def test_concurrent_webhook_delivery_reaches_every_chat() -> None:
    users = [FakeUser(5000 + n, f"U{n}") for n in range(6)]
    emu = BotApiEmulator(webhook_concurrency=4)
    async with emu, webhook_app(build_app(emu), emu, secret_token=SECRET, max_connections=40):
        for round_ in range(5):
            for user in users:
                emu.user_sends_text(user, f"{user.first_name}-{round_}")
        await emu.wait_for(lambda: all(len(emu.sent_messages(u.id)) == 5 for u in users), what="30 echoes")
    for user in users:
        assert sorted(m.text for m in emu.sent_messages(user.id)) == [
            f"{user.first_name}-{r}" for r in range(5)
        ]
    assert len(emu.webhook_attempts) == 30 and {a.status for a in emu.webhook_attempts} == {200}


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB reads retry_after
@pytest.mark.parametrize(("max_retries", "delivered"), [(2, True), (0, False)])
async def test_rate_limit_is_retried_by_aioratelimiter(
    emu: BotApiEmulator, max_retries: int, delivered: bool
) -> None:
    emu.inject_fault("sendMessage", "rate_limit", retry_after=1)
    async with polling_app(build_app(emu, AIORateLimiter(max_retries=max_retries)), emu, poll_interval=0.0):
        emu.user_sends_text(ANA, "vite")
        if delivered:
            await emu.wait_for_messages(ANA.id, 1, timeout=5.0)
        else:
            await emu.wait_for_calls("sendMessage")
            await asyncio.sleep(1.3)
    calls = emu.calls("sendMessage")
    assert [c.status for c in calls] == ([429, 200] if delivered else [429])
    assert calls[0].description == "Too Many Requests: retry after 1"
    if delivered:
        assert calls[1].at - calls[0].at >= 1.0
    assert len(emu.sent_messages(ANA.id)) == int(delivered)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_redelivered_update_reaches_the_bot_twice(emu: BotApiEmulator, mode: str) -> None:
    async with running(mode, build_app(emu), emu):
        update = emu.user_sends_text(ANA, "une fois")
        await emu.wait_for_messages(ANA.id, 1)
        emu.user_sends_text(ANA, "deux")
        await emu.wait_for_messages(ANA.id, 2)
        emu.redeliver(update["update_id"])
        messages = await emu.wait_for_messages(ANA.id, 3)
    assert [m.text for m in messages] == ["une fois", "deux", "une fois"]


@pytest.mark.parametrize(
    ("inject", "expected"),
    [
        (lambda emu: emu.user_sends_sticker(ANA), "got sticker"),
        (lambda emu: emu.user_sends_photo(ANA, caption="passeport"), "got photo"),
        (lambda emu: emu.user_sends_voice(ANA), "got voice"),
        (
            lambda emu: emu.user_sends_document(ANA, "permis.pdf", content=b"x" * 1234),
            "document permis.pdf 1234 bytes",
        ),
        (lambda emu: emu.user_sends_text(ANA, "salut", chat=GROUP), "salut"),
        (lambda emu: emu.user_sends_command(ANA, "start", chat=GROUP, mention=True), "Choisissez"),
    ],
)
async def test_user_inputs_reach_ptb_handlers(
    emu: BotApiEmulator, inject: Callable[[BotApiEmulator], dict[str, Any]], expected: str
) -> None:
    async with polling_app(build_app(emu), emu, poll_interval=0.0):
        update = inject(emu)
        chat_id = update["message"]["chat"]["id"]
        [reply] = await emu.wait_for_messages(chat_id, 1)
    assert reply.text == expected and reply.chat_id == chat_id


async def test_edited_text_is_an_edited_message_update(emu: BotApiEmulator) -> None:
    async with polling_app(build_app(emu), emu, poll_interval=0.0):
        original = emu.user_sends_text(ANA, "Bruxeles")
        await emu.wait_for_messages(ANA.id, 1)
        emu.user_sends_edited_text(ANA, original, "Bruxelles")
        messages = await emu.wait_for_messages(ANA.id, 2)
    assert [m.text for m in messages] == ["Bruxeles", "edited: Bruxelles"]


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parse_mode", "accepted"),
    [
        ("a" * 4096, None, True),
        ("a" * 4097, None, False),
        ("é" * 4096, None, True),
        ("<b>" + "a" * 4096 + "</b>", "HTML", True),
        ("<b>" + "a" * 4097 + "</b>", "HTML", False),
        ("&lt;" * 4096, "HTML", True),
        ("&lt;" * 4097, "HTML", False),
        ("<b>" + "a" * 4096 + "</b>", None, False),
    ],
)
async def test_text_length_is_checked_after_entity_parsing(
    emu: BotApiEmulator, text: str, parse_mode: str | None, accepted: bool
) -> None:
    emu.add_chat(ANA)
    async with direct_bot(emu) as bot:
        if accepted:
            await bot.send_message(ANA.id, text, parse_mode=parse_mode)
        else:
            with pytest.raises(BadRequest, match=r"(?i)too long"):
                await bot.send_message(ANA.id, text, parse_mode=parse_mode)
    assert len(emu.sent_messages(ANA.id)) == int(accepted)


@pytest.mark.parametrize(
    ("data", "accepted"),
    [("x" * 64, True), ("x" * 65, False), ("é" * 32, True), ("é" * 33, False), ("🇧🇪" * 8, True)],
    ids=["64-ascii", "65-ascii", "32-e-acute", "33-e-acute", "8-flags"],
)
async def test_callback_data_is_limited_to_64_bytes(emu: BotApiEmulator, data: str, accepted: bool) -> None:
    emu.add_chat(ANA)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data=data)]])
    async with direct_bot(emu) as bot:
        if accepted:
            message = await bot.send_message(ANA.id, "choose", reply_markup=markup)
            assert message.reply_markup == markup
        else:
            with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
                await bot.send_message(ANA.id, "choose", reply_markup=markup)


async def test_edits_return_the_message_and_refuse_identical_content(emu: BotApiEmulator) -> None:
    emu.add_chat(ANA)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    async with direct_bot(emu) as bot:
        sent = await bot.send_message(ANA.id, "<i>un</i>", parse_mode="HTML", reply_markup=markup)
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await bot.edit_message_text(
                "<i>un</i>", ANA.id, sent.message_id, parse_mode="HTML", reply_markup=markup
            )
        edited = await bot.edit_message_text("<b>un</b>", ANA.id, sent.message_id, parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await bot.edit_message_reply_markup(ANA.id, sent.message_id)
        remarked = await bot.edit_message_reply_markup(ANA.id, sent.message_id, reply_markup=markup)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("x", ANA.id, 999)
    assert isinstance(edited, type(sent)) and edited.edit_date is not None
    assert (edited.text, edited.reply_markup, edited.entities[0].type) == ("un", None, "bold")
    assert not isinstance(remarked, bool) and remarked.reply_markup == markup


async def test_commands_and_descriptions_per_language_and_scope(emu: BotApiEmulator) -> None:
    from telegram import BotCommandScopeAllPrivateChats

    private = BotCommandScopeAllPrivateChats()
    async with direct_bot(emu) as bot:
        await bot.set_my_commands([("start", "Commencer")], language_code="fr")
        await bot.set_my_commands([("start", "Beginnen")], language_code="nl")
        await bot.set_my_commands([("help", "Help")], scope=private)
        fr, default, scoped = (
            await bot.get_my_commands(language_code="fr"),
            await bot.get_my_commands(),
            await bot.get_my_commands(scope=private),
        )
        await bot.delete_my_commands(language_code="fr")
        after_delete = await bot.get_my_commands(language_code="fr")
        with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([("Start", "upper case")])
        await bot.set_my_description("d" * 512, language_code="nl")
        with pytest.raises(BadRequest, match=r"(?i)too long"):
            await bot.set_my_description("d" * 513)
        await bot.set_my_short_description("s" * 120)
        with pytest.raises(BadRequest, match=r"(?i)too long"):
            await bot.set_my_short_description("s" * 121, language_code="fr")
    assert [(c.command, c.description) for c in fr] == [("start", "Commencer")]
    assert (default, [c.command for c in scoped], after_delete) == ((), ["help"], ())
    assert emu.commands("nl") == [{"command": "start", "description": "Beginnen"}]
    assert (emu.descriptions, emu.short_descriptions) == ({"nl": "d" * 512}, {"": "s" * 120})


async def test_other_methods_and_errors(emu: BotApiEmulator) -> None:
    emu.add_chat(ANA)
    async with direct_bot(emu) as bot:
        me = await bot.get_me()
        assert await bot.send_chat_action(ANA.id, "typing")
        with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
            await bot.send_chat_action(ANA.id, "dancing")
        sent = await bot.send_message(ANA.id, "à effacer")
        assert await bot.delete_message(ANA.id, sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
            await bot.delete_message(ANA.id, sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(999, "personne")
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(ANA.id, "ligne<br>ligne", parse_mode="HTML")
        emu.user_blocks_bot(ANA)
        with pytest.raises(Forbidden, match=r"(?i)blocked"):
            await bot.send_message(ANA.id, "encore là ?")
        with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
            await bot.answer_callback_query("123")
    assert (me.is_bot, me.username, me.can_join_groups) == (True, "guichet_test_bot", True)
    assert emu.sent_messages(ANA.id, include_deleted=False) == []


async def test_invalid_token_and_unknown_method(emu: BotApiEmulator) -> None:
    wrong = Bot("999:wrong", base_url=emu.base_url)
    try:
        with pytest.raises(InvalidToken):
            await wrong.initialize()
    finally:
        await wrong.shutdown()
    status, body = await raw_call(emu, "getMe", token="999:wrong")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, body = await raw_call(emu, "sendTeleportation", chat_id=1)
    assert (status, body["description"]) == (404, "Not Found")


@pytest.mark.parametrize("encoding", ["json", "form", "query"])
async def test_json_form_and_query_parameters_are_equivalent(emu: BotApiEmulator, encoding: str) -> None:
    emu.add_chat(ANA)
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "12"}]]}'
    params = {"chat_id": str(ANA.id), "text": "123", "reply_markup": markup}
    url = f"{emu.base_url}{emu.token}/sendMessage"
    async with httpx.AsyncClient(trust_env=False) as client:
        if encoding == "json":
            body = {
                "chat_id": ANA.id,
                "text": "123",
                "reply_markup": {"inline_keyboard": [[_button("A", "12")]]},
            }
            response = await client.post(url, json=body)
        elif encoding == "form":
            response = await client.post(url, data=params)
        else:
            response = await client.get(url, params=params)
    result = response.json()["result"]
    assert (result["text"], result["chat"]["id"]) == ("123", ANA.id)
    assert result["reply_markup"] == {"inline_keyboard": [[_button("A", "12")]]}


# --- getUpdates --------------------------------------------------------------------------------


async def test_get_updates_offset_limit_and_negative_offset(emu: BotApiEmulator) -> None:
    ids = [emu.user_sends_text(ANA, str(n))["update_id"] for n in range(4)]
    _, first = await raw_call(emu, "getUpdates", limit=2)
    _, again = await raw_call(emu, "getUpdates")
    _, confirmed = await raw_call(emu, "getUpdates", offset=ids[2])
    _, last = await raw_call(emu, "getUpdates", offset=-1)
    _, nothing = await raw_call(emu, "getUpdates", offset=ids[3] + 1)
    assert [u["update_id"] for u in first["result"]] == ids[:2]
    assert [u["update_id"] for u in again["result"]] == ids
    assert [u["update_id"] for u in confirmed["result"]] == ids[2:]
    assert [u["update_id"] for u in last["result"]] == ids[3:]
    assert nothing["result"] == [] and emu.pending_update_count == 0


async def test_get_updates_long_polls_until_an_update_or_the_timeout(emu: BotApiEmulator) -> None:
    started = time.monotonic()
    _, empty = await raw_call(emu, "getUpdates", timeout=0.4)
    waited = time.monotonic() - started
    poll = asyncio.ensure_future(raw_call(emu, "getUpdates", timeout=5))
    await emu.wait_for(lambda: len(emu.calls("getUpdates")) == 2, what="second poll")
    started = time.monotonic()
    update = emu.user_sends_text(ANA, "réveil")
    _, woken = await poll
    assert empty["result"] == [] and waited >= 0.4
    assert [u["update_id"] for u in woken["result"]] == [update["update_id"]]
    assert time.monotonic() - started < 1.0


async def test_allowed_updates_filter_and_conflicts(emu: BotApiEmulator) -> None:
    emu.user_sends_text(ANA, "ignored")
    emu.add_chat(ANA)
    async with direct_bot(emu) as bot:
        sent = await bot.send_message(
            ANA.id,
            "menu",
            reply_markup=InlineKeyboardMarkup.from_button(InlineKeyboardButton("go", callback_data="go")),
        )
    press = emu.user_presses(ANA, sent.message_id, "go")
    _, only_queries = await raw_call(emu, "getUpdates", allowed_updates=["callback_query"])
    first = asyncio.ensure_future(raw_call(emu, "getUpdates", offset=press["update_id"] + 1, timeout=5))
    await emu.wait_for(lambda: len(emu.calls("getUpdates")) == 2, what="first poll")
    second = asyncio.ensure_future(raw_call(emu, "getUpdates", timeout=0))
    status_first, body_first = await first
    await second
    await raw_call(emu, "setWebhook", url="http://127.0.0.1:9/hook")
    status_webhook, body_webhook = await raw_call(emu, "getUpdates")
    assert [u["update_id"] for u in only_queries["result"]] == [press["update_id"]]
    assert only_queries["result"][0]["callback_query"]["chat_instance"]
    assert status_first == 409 and "terminated by other getUpdates" in body_first["description"]
    assert status_webhook == 409 and "webhook is active" in body_webhook["description"]


# --- faults ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error", "sent"),
    [
        ({"kind": "server_error", "status": 500}, NetworkError, 0),
        ({"kind": "server_error", "status": 502}, NetworkError, 0),
        ({"kind": "reset"}, NetworkError, 0),
        ({"kind": "reset", "after": True}, NetworkError, 1),
        ({"kind": "timeout", "seconds": 3.0}, TimedOut, 0),
        ({"kind": "timeout", "seconds": 3.0, "after": True}, TimedOut, 1),
        ({"kind": "delay", "seconds": 0.3}, None, 1),
    ],
)
async def test_faults_reach_ptb_as_its_own_errors(
    emu: BotApiEmulator, fault: dict[str, Any], error: type[Exception] | None, sent: int
) -> None:
    emu.add_chat(ANA)
    injected = emu.inject_fault("sendMessage", **fault)
    async with direct_bot(emu, read_timeout=0.5) as bot:
        started = time.monotonic()
        if error is None:
            await bot.send_message(ANA.id, "test")
        else:
            with pytest.raises(error):
                await bot.send_message(ANA.id, "test")
        elapsed = time.monotonic() - started
        await bot.send_message(ANA.id, "after the fault")
    assert len(emu.sent_messages(ANA.id)) == sent + 1
    assert injected.applied == 1 and injected.remaining == 0
    assert emu.calls("sendMessage")[0].fault == fault["kind"]
    assert elapsed < 2.0 and (fault["kind"] != "delay" or elapsed >= 0.3)


async def test_fault_count_and_wildcard(emu: BotApiEmulator) -> None:
    emu.add_chat(ANA)
    async with direct_bot(emu) as bot:
        emu.inject_fault("*", "server_error", count=2)
        for _ in range(2):
            with pytest.raises(NetworkError):
                await bot.send_chat_action(ANA.id, "typing")
        assert await bot.send_chat_action(ANA.id, "typing")
    assert [c.status for c in emu.calls("sendChatAction")] == [500, 500, 200]
    with pytest.raises(ValueError, match="does not implement"):
        emu.inject_fault("sendTeleportation", "reset")


# --- harness -----------------------------------------------------------------------------------


async def test_waits_are_bounded_and_explain_what_is_missing(emu: BotApiEmulator) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"expected 1 message\(s\) in chat 4201"):
        await emu.wait_for_messages(ANA.id, 1, timeout=0.3)
    with pytest.raises(TimeoutError, match="bot ready"):
        await emu.wait_until_ready(timeout=0.2)
    assert time.monotonic() - started < 1.5


async def test_stop_ends_a_pending_long_poll_and_closes_the_port() -> None:
    emu = BotApiEmulator()
    await emu.start()
    poll = asyncio.ensure_future(raw_call(emu, "getUpdates", timeout=30))
    await emu.wait_for(lambda: bool(emu.calls("getUpdates")), what="poll")
    started = time.monotonic()
    await emu.stop()
    with pytest.raises(httpx.HTTPError):
        await poll
    with pytest.raises(httpx.ConnectError):
        await raw_call(emu, "getMe")
    assert time.monotonic() - started < 2.0


async def test_each_emulator_has_its_own_port(emu: BotApiEmulator) -> None:
    async with BotApiEmulator() as other:
        assert other.port != emu.port and other.base_url.startswith("http://127.0.0.1:")


# --- HTML parsing ------------------------------------------------------------------------------

_texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)  # no lone surrogates


@given(_texts)
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    assert parse_html(html.escape(text, quote=False)) == (text, [])


@given(_texts, _texts, _texts)
def test_entity_offsets_count_utf16_units(before: str, inside: str, after: str) -> None:
    plain, entities = parse_html(f"{html.escape(before)}<b>{html.escape(inside)}</b>{html.escape(after)}")
    assert plain == before + inside + after
    expected = [{"type": "bold", "offset": utf16_length(before), "length": utf16_length(inside)}]
    assert entities == (expected if inside else [])


@pytest.mark.parametrize(
    ("source", "plain", "entities"),
    [
        (
            '<a href="https://dofi.ibz.be">OE</a>',
            "OE",
            [{"type": "text_link", "offset": 0, "length": 2, "url": "https://dofi.ibz.be"}],
        ),
        (
            '<pre><code class="language-python">x</code></pre>',
            "x",
            [{"type": "pre", "offset": 0, "length": 1, "language": "python"}],
        ),
        ("&#233;t&#xE9; &nbsp;", "été &nbsp;", []),
        (
            '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">p</span>',
            "sp",
            [{"type": "spoiler", "offset": 0, "length": 1}, {"type": "spoiler", "offset": 1, "length": 1}],
        ),
    ],
)
def test_html_entities(source: str, plain: str, entities: list[dict[str, Any]]) -> None:
    assert parse_html(source) == (plain, entities)


@pytest.mark.parametrize(
    "source", ["a<br>b", "<b>open", "<b>x</i>", "a < b", "<span>x</span>", "<a>x</a>", "x</b>", "<br/>"]
)
def test_html_that_telegram_rejects(source: str) -> None:
    with pytest.raises(ApiError, match=r"(?i)can't parse entities"):
        parse_html(source)
