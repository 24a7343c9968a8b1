"""Delivering the bot's answers on Telegram: record first, then send, then mark delivered.

Every answer takes one path (:meth:`Delivery.reply` for an answer that changes no answer,
:meth:`Delivery.deliver` for a dialogue turn already saved): it is recorded in the store *before*
the bot sends it, then sent, then marked delivered. So a crash never loses an answer, and an
update delivered twice is recognised by its id and ignored.

Delivery also keeps, per chat, which message carries the live question's buttons and which one
the live result's: when the question is asked again (a new turn, a stale press), the earlier
copies lose their buttons, so only one copy in the chat ever answers.

The handlers (:mod:`bot.telegram.handlers`), the reminder commands and the reminder scheduler's
sender (:mod:`bot.telegram.reminders`) all send through this module.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from telegram import Bot, CallbackQuery, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot import service
from bot.i18n import Lang
from bot.store import DuplicateUpdateError, StoredSession, UpdateCheck
from bot.telegram.context import CHANNEL, BotContext, user_key, user_lang
from bot.telegram.links import ResultLinks
from bot.telegram.transport import NotConnected, TransportError
from bot.telegram.views import Outgoing, OutgoingDocument, OutgoingMessage, messages_for
from flows.session import RESULT, SessionState

MAX_INPUT_CHARS = 1000
MAX_TRACKED_CHATS = 100_000
SEND_RETRY_DELAYS_S = (0.5, 1.0, 2.0)
NO_LINK_PREVIEW = {"is_disabled": True}
UNKNOWN_HTTP_ERROR = "Unknown error in HTTP implementation"  # PTB's wrapping of a client's own error

log = logging.getLogger(__name__)


class DeliveryUncertain(Exception):
    """Sending failed in a way that may or may not have delivered the message (reset, timeout)."""


def surely_not_sent(error: TelegramError) -> bool:
    """True when Telegram certainly did not send the message, so sending again cannot double it:
    an HTTP 5xx answer, or a connection that could not even be opened. A reset after the request
    left, a timeout, or an unexpected failure inside the HTTP client may have delivered it."""
    if isinstance(error, NotConnected):
        return True
    if isinstance(error, TimedOut | BadRequest | Forbidden | TransportError):
        return False
    if not isinstance(error, NetworkError):
        return False
    return not str(error).startswith(UNKNOWN_HTTP_ERROR)  # else: Telegram answered 5xx


def send_message_request(chat_id: int, item: OutgoingMessage) -> dict[str, Any]:
    """The ``sendMessage`` parameters for one message: HTML, no link previews, its keyboard."""
    request: dict[str, Any] = {
        "chat_id": chat_id,
        "text": item.html,
        "parse_mode": ParseMode.HTML.value,
        "link_preview_options": NO_LINK_PREVIEW,
    }
    if item.keyboard is not None:
        request["reply_markup"] = item.keyboard.markup()
    return request


@dataclass
class Sent:
    """The messages just sent that carry buttons: the question's (answerable once) and the result's."""

    prompt: int | None = None
    result: int | None = None


async def _send_one(bot: Bot, chat_id: int, item: Outgoing, sent: Sent) -> None:
    if isinstance(item, OutgoingDocument):
        await bot.send_document(chat_id, document=item.content, filename=item.filename, caption=item.caption)
        return
    answer = await bot.do_api_request("sendMessage", api_kwargs=send_message_request(chat_id, item))
    message_id = answer.get("message_id") if isinstance(answer, dict) else None
    if item.keyboard is None or not isinstance(message_id, int):
        return
    if item.result is not None:
        sent.result = message_id
    elif item.prompt:
        sent.prompt = message_id


async def send_outgoing(bot: Bot, chat_id: int, outgoing: Sequence[Outgoing]) -> Sent:
    """Send each item; retry what surely was not sent, never what may have been (no doubles).
    Returns the messages sent with live buttons.

    Sent with ``do_api_request`` and plain data: the reply is not parsed into python-telegram-bot
    objects (that cost as much as the dialogue's whole turn). The rate limiter and error handling
    are the same as ``send_message``'s.
    """
    sent = Sent()
    for item in outgoing:
        for delay in (*SEND_RETRY_DELAYS_S, None):
            try:
                await _send_one(bot, chat_id, item, sent)
                break
            except TelegramError as error:
                if surely_not_sent(error) and delay is not None:
                    await asyncio.sleep(delay)
                    continue
                transport = isinstance(error, NetworkError) and not isinstance(error, BadRequest | Forbidden)
                if transport and not surely_not_sent(error):
                    raise DeliveryUncertain(type(error).__name__) from error
                raise
    return sent


ChatActionName = Literal["typing", "upload_document"]


async def show_action(bot: Bot, chat_id: int, action: ChatActionName) -> None:
    """Show "typing…" or "sending a file…" while something slow is prepared (best effort)."""
    try:
        await bot.send_chat_action(chat_id, ChatAction(action))
    except TelegramError as error:
        log.debug("could not show a chat action (%s)", type(error).__name__)


async def drop_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
    """Remove the buttons of a message whose question is answered (best effort)."""
    try:
        await bot.do_api_request(
            "editMessageReplyMarkup",
            api_kwargs={
                "chat_id": chat_id,
                "message_id": message_id,
                "reply_markup": {"inline_keyboard": []},
            },
        )
    except TelegramError as error:
        log.debug("could not remove a keyboard (%s)", type(error).__name__)


async def edit_message(bot: Bot, chat_id: int, message_id: int, item: OutgoingMessage) -> bool:
    """Edit a message to show ``item`` (its keyboard, or none); False when Telegram refuses the edit
    (the caller then sends it anew)."""
    request = send_message_request(chat_id, item)
    request["message_id"] = message_id
    if item.keyboard is None:
        request["reply_markup"] = {"inline_keyboard": []}
    try:
        await bot.do_api_request("editMessageText", api_kwargs=request)
    except BadRequest as error:
        return "not modified" in str(error).lower()
    except TelegramError as error:  # sent anew: at worst the question shows twice, never lost
        log.info("could not edit a message in place (%s)", type(error).__name__)
        return False
    return True


async def acknowledge(query: CallbackQuery, notice: str | None = None) -> None:
    """Answer a callback query; a failure ("query is too old" after downtime, a 429, a timeout) is
    logged and the press is handled all the same."""
    try:
        await query.answer(notice)
    except TelegramError as error:
        log.info("could not acknowledge a button press (%s); handling it anyway", type(error).__name__)


def incoming_text(update: Update) -> str | None:
    """What the transcript keeps of an update: the text, or what kind of message it was."""
    message = update.effective_message
    if update.edited_message is not None:
        return "[edited message]"
    if update.callback_query is not None:
        return f"[button] {update.callback_query.data}"
    if message is None:
        return None
    if message.text is not None:
        return message.text[:MAX_INPUT_CHARS]
    kinds = ("sticker", "photo", "voice", "document", "video", "audio", "location", "contact", "animation")
    kind: Any = next((k for k in kinds if getattr(message, k, None)), "other")
    return f"[{kind}]"


class Delivery:
    """The one path from a recorded answer to the chat, and the live buttons of each chat."""

    def __init__(self, ctx: BotContext) -> None:
        self.ctx = ctx
        self._prompts: dict[int, int] = {}  # chat id → the message with the live question's buttons
        self._results: dict[int, int] = {}  # chat id → the message with the live result's buttons

    # -- opening an update ----------------------------------------------------------------------

    async def open(self, update: Update) -> UpdateCheck | None:
        """The store's view of a new update, with the user's latest session (one store call);
        None for an update already processed (Telegram delivers at least once).

        If its turn was committed but its replies were never recorded as sent (the bot stopped in
        between), the current question is sent again so the person is not left without an answer.
        """
        user = update.effective_user
        check = await self.ctx.store.check_update(CHANNEL, user_key(user) if user else "", update.update_id)
        if not check.processed:
            return check
        if check.undelivered:
            await self._resend_current_question(update, check.session)
        return None

    async def skip(self, update: Update) -> bool:
        """True for an update already processed (see :meth:`open`)."""
        return await self.open(update) is None

    async def current_lang(self, update: Update) -> Lang:
        """The language of the person's latest session, else of their Telegram app."""
        user = update.effective_user
        if user is None:
            return user_lang(None, None)
        stored = await self.ctx.store.load_state(CHANNEL, user_key(user))
        return user_lang(stored.lang if stored else None, user)

    async def _resend_current_question(self, update: Update, stored: StoredSession | None) -> None:
        chat = update.effective_chat
        state = service.saved_state(stored)
        if chat is None or stored is None or state is None:
            return
        prompt = self.prompt_messages(state, stored)
        sent = await send_outgoing(chat.get_bot(), chat.id, prompt)
        self._track(chat.id, sent)
        await self.ctx.store.mark_delivered(update.update_id)

    def prompt_messages(self, state: SessionState, stored: StoredSession | None) -> list[OutgoingMessage]:
        """The current question (or summary, or result) as messages, without "welcome back"; the
        result's buttons are bound to ``stored`` (and offer sharing when an invite opened it)."""
        links = None
        if state.current == RESULT and stored is not None:
            invited = stored.invite_token is not None
            links = ResultLinks(self.ctx.result_key, stored.user_key, stored.id, invited=invited)
        prompt = service.current_prompt(self.ctx.dialogue, state)
        adviser = self.ctx.adviser_enabled
        today = self.ctx.dialogue.today()
        return messages_for(prompt, state.lang, state.version, adviser=adviser, links=links, today=today)

    # -- answering ------------------------------------------------------------------------------

    async def reply(
        self, update: Update, outgoing: Sequence[Outgoing], lang: Lang, *, drop: int | None = None
    ) -> None:
        """Answer without changing any answer: record it (so a redelivered update is not answered
        twice), send it, mark it delivered. ``drop``: a message whose buttons no longer apply. When
        ``outgoing`` asks the current question again, the earlier copies lose their buttons."""
        if await self._mark_processed(update, outgoing, lang):
            await self.deliver(update, outgoing, drop=drop)

    async def deliver(
        self,
        update: Update,
        outgoing: Sequence[Outgoing],
        *,
        edit: int | None = None,
        drop: int | None = None,
        drop_as: OutgoingMessage | None = None,
    ) -> None:
        """Send a recorded answer, then mark its update delivered. ``edit``: the message to edit in
        place (a multiple choice showing its new state); ``drop``: a message whose buttons no longer
        apply, shown as ``drop_as`` when given (the question with the option chosen). A new question
        or result takes the buttons off the earlier copies."""
        chat = update.effective_chat
        if chat is None:
            return
        bot = chat.get_bot()
        asks = any(isinstance(item, OutgoingMessage) and item.prompt for item in outgoing)
        shows_result = any(isinstance(item, OutgoingMessage) and item.result for item in outgoing)
        earlier = [self._prompts.pop(chat.id, None) if asks or shows_result else None]
        earlier.append(self._results.pop(chat.id, None) if shows_result else None)
        stale = {message_id for message_id in (drop, *earlier) if message_id is not None}
        try:
            single = outgoing[0] if len(outgoing) == 1 else None
            edited = (
                edit is not None
                and isinstance(single, OutgoingMessage)
                and await edit_message(bot, chat.id, edit, single)
            )
            if edited:
                self._track(chat.id, Sent(prompt=edit))
                await self._drop_all(bot, chat.id, stale - {edit} if edit is not None else stale)
                await self.ctx.store.mark_delivered(update.update_id)
                return
            # the reply is not held up by removing the old buttons: both go out at once
            retire = self._retire(bot, chat.id, drop, drop_as) if drop_as is not None else asyncio.sleep(0)
            sent, *_ = await asyncio.gather(
                send_outgoing(bot, chat.id, outgoing),
                self._drop_all(
                    bot, chat.id, stale - {drop} if drop_as is not None and drop is not None else stale
                ),
                retire,
            )
            self._track(chat.id, sent)
        except DeliveryUncertain as uncertain:
            # The turn is saved; the reply may have arrived. Telling the person "something went
            # wrong, answer again" could make them answer the next question with the last answer.
            log.warning("update %s: reply delivery uncertain (%s)", update.update_id, uncertain)
            return
        await self.ctx.store.mark_delivered(update.update_id)

    async def _retire(self, bot: Bot, chat_id: int, message_id: int | None, shown: OutgoingMessage) -> None:
        """Show an answered question with what was chosen, without its buttons (else just drop them)."""
        if message_id is not None and not await edit_message(bot, chat_id, message_id, shown):
            await drop_keyboard(bot, chat_id, message_id)

    async def _drop_all(self, bot: Bot, chat_id: int, message_ids: set[int]) -> None:
        for message_id in message_ids:
            await drop_keyboard(bot, chat_id, message_id)

    def forget_chat(self, chat_id: int) -> None:
        """Forget a chat's live buttons (its data was erased)."""
        self._prompts.pop(chat_id, None)
        self._results.pop(chat_id, None)

    def live_result(self, chat_id: int) -> int | None:
        """The message with the chat's live result buttons, when known."""
        return self._results.get(chat_id)

    async def retire_result(self, bot: Bot, chat_id: int) -> None:
        """Take the buttons off the chat's live result (it no longer answers: a restart)."""
        message_id = self._results.pop(chat_id, None)
        if message_id is not None:
            await drop_keyboard(bot, chat_id, message_id)

    def _track(self, chat_id: int, sent: Sent) -> None:
        for live, message_id in ((self._prompts, sent.prompt), (self._results, sent.result)):
            if message_id is None:
                continue
            if len(live) >= MAX_TRACKED_CHATS:
                live.pop(next(iter(live)))
            live[chat_id] = message_id

    async def _mark_processed(self, update: Update, outgoing: Sequence[Outgoing], lang: Lang) -> bool:
        """Record a reply that changes no answer; False for an update already processed."""
        user = update.effective_user
        if user is None:
            return False
        stored = await self.ctx.store.load_state(CHANNEL, user_key(user))
        if stored is None or not stored.state:
            return await self.ctx.store.record_update(update.update_id)  # no session: the id only
        try:
            await self.ctx.store.save_turn(
                CHANNEL,
                user_key(user),
                stored.state,
                lang=stored.lang or lang,
                status=stored.status,
                incoming=incoming_text(update),
                outgoing=[m.plain for m in outgoing],
                update_id=update.update_id,
            )
        except DuplicateUpdateError:
            return False
        return True
