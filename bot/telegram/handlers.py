"""Telegram handlers: an update becomes a dialogue event; the dialogue's turn is saved, then sent.

Every turn is committed to the store (state, answers, transcript and the update id, in one
transaction) *before* the bot replies, so a crash never loses an answer; an update delivered twice
is recognised by its id and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot.i18n import LANGS, Lang, normalise_lang, text
from bot.store import (
    COMPLETED,
    IN_PROGRESS,
    NEEDS_REVIEW,
    AsyncSessionStore,
    DuplicateUpdateError,
    StoredSession,
    UpdateCheck,
)
from bot.telegram.callback import NAV_ADVISER, NAV_BACK, NAV_LANGUAGE, decode, question_tag
from bot.telegram.formatting import escape
from bot.telegram.transport import NotConnected, TransportError
from bot.telegram.views import NAV_TAG_ID, OutgoingMessage, messages_for
from flows.dialogue import ChoiceInput, Command, CommandName, Dialogue, Event, TextInput, Turn
from flows.session import RESULT, SessionState

CHANNEL = "telegram"
MAX_INPUT_CHARS = 1000
DIALOGUE_COMMANDS: dict[str, CommandName] = {
    "back": "back",
    "restart": "restart",
    "language": "language",
    "summary": "summary",
    "help": "help",
}

log = logging.getLogger(__name__)


OPERATOR_LANG: Lang = "en"


@dataclass
class BotContext:
    """What the handlers share: the dialogue, the store, the retention period and the hand-off
    configuration (the operators' chat, who may answer there, and the review console's address)."""

    dialogue: Dialogue
    store: AsyncSessionStore
    retention_days: int
    operator_chat_id: int | None = None
    operator_ids: tuple[int, ...] = ()
    review_base_url: str | None = None

    @property
    def adviser_enabled(self) -> bool:
        """True when requests to talk to an adviser can be passed on."""
        return self.operator_chat_id is not None


def _user_key(user: User) -> str:
    return str(user.id)


class Handlers:
    """The bot's handlers; thin: parse the update, run the dialogue, save, send."""

    def __init__(self, ctx: BotContext) -> None:
        self.ctx = ctx

    # -- entry points --------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, with an optional HR-invite payload (deep link)."""
        user, message = update.effective_user, update.effective_message
        if user is None or message is None or (check := await self._open(update)) is None:
            return
        payload = context.args[0] if context.args else None
        stored = check.session
        lang = self._lang(stored.lang if stored else None, user)
        if payload:
            invite = await self.ctx.store.get_invite(payload)
            if invite is None:
                await self._send(message, [OutgoingMessage(text(lang, "telegram.invite_invalid"))])
            else:
                await self.ctx.store.new_session(
                    CHANNEL, _user_key(user), lang=lang, invite_token=invite.token
                )
                turn = self.ctx.dialogue.start(lang, prefill=invite.prefill, employer=invite.employer)
                await self._commit_and_send(update, message, turn, incoming=message.text, invite=invite.token)
                return
        if stored is not None and stored.status == IN_PROGRESS and stored.state:
            turn = self.ctx.dialogue.resume(SessionState.from_dict(stored.state))
        else:
            if stored is not None:
                await self.ctx.store.new_session(CHANNEL, _user_key(user), lang=lang)
            turn = self.ctx.dialogue.start(lang)
        await self._commit_and_send(update, message, turn, incoming=message.text)

    async def dialogue_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/back, /restart, /language, /summary, /help."""
        message = update.effective_message
        if message is None or not message.text:
            return
        name = message.text.split()[0].lstrip("/").split("@")[0].lower()
        arg = context.args[0] if context.args else None
        await self._event(update, Command(DIALOGUE_COMMANDS[name], arg))

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Free text: an answer, or words matched against the options."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        if len(message.text) > MAX_INPUT_CHARS:
            if not await self._skip(update):
                lang = await self._current_lang(update)
                notice = [OutgoingMessage(text(lang, "telegram.too_long", limit=MAX_INPUT_CHARS))]
                await self._mark_processed(update, notice, lang)
                await self._send(message, notice)
                await self.ctx.store.mark_delivered(update.update_id)
            return
        await self._event(update, TextInput(message.text))

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A press on an inline button: checked against the current question, else "moved on"."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        if (check := await self._open(update)) is None:
            await query.answer()
            return
        stored = check.session
        state = SessionState.from_dict(stored.state) if stored and stored.state else None
        press = decode(query.data)
        if (
            press is not None
            and press.question_tag == question_tag(NAV_TAG_ID)
            and press.value == NAV_ADVISER
        ):
            await query.answer()
            await self._hand_off(
                update, stored.id if stored else None, self._lang(stored.lang if stored else None, user)
            )
            return
        event = self._event_for_press(state, query.data)
        if event is None or state is None:
            lang = self._lang(stored.lang if stored else None, user)
            await query.answer(text(lang, "telegram.stale_button_toast"))
            if isinstance(query.message, Message):
                replies: list[OutgoingMessage] = [OutgoingMessage(text(lang, "telegram.stale_button"))]
                if state is not None:
                    resumed = self.ctx.dialogue.resume(state)
                    replies += messages_for(
                        resumed.replies[1:], state.lang, state.version, adviser=self.ctx.adviser_enabled
                    )
                await self._mark_processed(update, replies, lang)
                await self._send(query.message, replies)
                await self.ctx.store.mark_delivered(update.update_id)
            return
        await query.answer()
        if isinstance(query.message, Message):
            with contextlib.suppress(BadRequest):
                await query.message.edit_reply_markup(reply_markup=None)
        await self._event(update, event, state=state, incoming=f"[button] {query.data}")

    async def edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message: explained, not taken as an answer."""
        await self._notice(update, "telegram.edited")

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice, documents…: a clear answer, nothing changes."""
        await self._notice(update, "telegram.not_text")

    async def group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Group chats: the bot only talks in private (immigration data is personal)."""
        message = update.effective_message
        if message is None or update.effective_chat is None:
            return
        lang = normalise_lang(update.effective_user.language_code if update.effective_user else None)
        if message.text and message.text.startswith("/"):
            await message.reply_text(text(lang, "telegram.group_chat"))

    async def privacy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/privacy: what is kept, for how long, and how to delete it."""
        message = update.effective_message
        if message is None or await self._skip(update):
            return
        lang = await self._current_lang(update)
        notice = text(lang, "telegram.privacy", days=self.ctx.retention_days)
        await self._mark_processed(update, [OutgoingMessage(notice)], lang)
        await self._send(message, [OutgoingMessage(notice)])
        await self.ctx.store.mark_delivered(update.update_id)

    async def delete(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/delete: erase the user's sessions, answers, transcript and assessments for good."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if await self._skip(update):
            return
        lang = await self._current_lang(update)
        count = await self.ctx.store.erase_user(CHANNEL, _user_key(user))
        await self.ctx.store.record_update(update.update_id)  # the id only: nothing personal is kept
        await self._send(message, [OutgoingMessage(text(lang, "telegram.deleted", count=count))])
        await self.ctx.store.mark_delivered(update.update_id)

    async def operator_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An operator answers a hand-off message in the operators' chat: passed on to the person."""
        message, sender = update.effective_message, update.effective_user
        if message is None or message.reply_to_message is None or not message.text:
            return
        if not await self.ctx.store.record_update(update.update_id):
            return
        if sender is None or sender.id not in self.ctx.operator_ids:
            await message.reply_text(text(OPERATOR_LANG, "telegram.handoff.not_operator"))
            return
        stored = await self.ctx.store.find_handoff(message.chat_id, message.reply_to_message.message_id)
        if stored is None:
            await message.reply_text(text(OPERATOR_LANG, "telegram.handoff.session_gone"))
            return
        lang = normalise_lang(stored.lang)
        body = text(lang, "telegram.handoff.from_adviser", message=message.text)
        await _send_to(message.get_bot(), int(stored.user_key), [OutgoingMessage(escape(body))])
        await self.ctx.store.append_transcript(stored.id, "out", f"[adviser] {message.text}")
        await message.reply_text(text(OPERATOR_LANG, "telegram.handoff.delivered"))

    async def ignore(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Other messages in the operators' chat: not for the bot."""

    async def _hand_off(self, update: Update, session_id: int | None, lang: Lang) -> None:
        """Pass a request to talk to an adviser to the operators' chat (a link, no personal data)."""
        chat = update.effective_chat
        if chat is None or await self._skip(update):
            return
        bot = chat.get_bot()
        if self.ctx.operator_chat_id is None or session_id is None:
            await _send_to(bot, chat.id, [OutgoingMessage(text(lang, "telegram.handoff.unavailable"))])
            return
        base = (self.ctx.review_base_url or "").rstrip("/")
        link = f"{base}/sessions/{session_id}" if base else f"#{session_id}"
        request = text(OPERATOR_LANG, "telegram.handoff.operator_request", session=session_id, link=link)
        posted = await bot.send_message(chat_id=self.ctx.operator_chat_id, text=request)
        await self.ctx.store.create_handoff(session_id, self.ctx.operator_chat_id, posted.message_id)
        confirmation = [OutgoingMessage(text(lang, "telegram.handoff.requested"))]
        await self._mark_processed(update, confirmation, lang)
        await _send_to(bot, chat.id, confirmation)
        await self.ctx.store.mark_delivered(update.update_id)

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a short line without personal data and tell the user their place is kept."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed: %s", update_id, type(error).__name__)
        if (
            isinstance(update, Update)
            and update.effective_message is not None
            and not isinstance(error, Forbidden)
        ):
            lang = normalise_lang(update.effective_user.language_code if update.effective_user else None)
            try:
                await update.effective_message.reply_text(text(lang, "telegram.error"))
            except Exception:  # the error handler itself must never raise
                log.error("could not tell update %s about the failure", update_id)

    # -- the common path ------------------------------------------------------------------------

    async def _event(
        self,
        update: Update,
        event: Event,
        *,
        state: SessionState | None = None,
        incoming: str | None = None,
    ) -> None:
        user, message = update.effective_user, update.effective_message
        if user is None or message is None:
            return
        if state is None:
            if (check := await self._open(update)) is None:
                return
            stored = check.session
            if stored is not None and stored.state:
                state = SessionState.from_dict(stored.state)
        if state is None:
            turn = self.ctx.dialogue.start(self._lang(None, user))
        else:
            if isinstance(event, Command) and event.name == "restart":
                await self.ctx.store.new_session(CHANNEL, _user_key(user), lang=state.lang)
            turn = self.ctx.dialogue.handle(state, event)
        await self._commit_and_send(update, message, turn, incoming=incoming or message.text)

    async def _commit_and_send(
        self,
        update: Update,
        message: Message,
        turn: Turn,
        *,
        incoming: str | None,
        invite: str | None = None,
    ) -> None:
        user = update.effective_user
        assert user is not None
        lang = turn.state.lang
        outgoing = messages_for(turn.replies, lang, turn.state.version, adviser=self.ctx.adviser_enabled)
        assessment = next((r.assessment for r in turn.replies if r.assessment is not None), None)
        at_result = turn.state.current == RESULT and assessment is not None
        status = (
            (NEEDS_REVIEW if assessment and assessment.review else COMPLETED) if at_result else IN_PROGRESS
        )
        try:
            session_id = await self.ctx.store.save_turn(
                CHANNEL,
                _user_key(user),
                turn.state.to_dict(),
                lang=lang,
                status=status,
                answers=turn.new_answers,
                incoming=incoming,
                outgoing=[m.plain for m in outgoing],
                update_id=update.update_id,
                invite_token=invite,
            )
        except DuplicateUpdateError:
            return
        if at_result and assessment is not None:
            await self.ctx.store.save_assessment(session_id, assessment)
        try:
            await self._send(message, outgoing)
        except DeliveryUncertain as uncertain:
            # The turn is saved; the reply may have arrived. Telling the person "something went
            # wrong, answer again" could make them answer the next question with the last answer.
            log.warning("update %s: reply delivery uncertain (%s)", update.update_id, uncertain)
            return
        await self.ctx.store.mark_delivered(update.update_id)

    async def _notice(self, update: Update, key: str) -> None:
        message = update.effective_message
        if message is None or await self._skip(update):
            return
        lang = await self._current_lang(update)
        notice = [OutgoingMessage(text(lang, key))]
        await self._mark_processed(update, notice, lang)
        await self._send(message, notice)
        await self.ctx.store.mark_delivered(update.update_id)

    async def _mark_processed(self, update: Update, outgoing: list[OutgoingMessage], lang: Lang) -> None:
        """Record a reply that changes no answer (so a redelivered update is not answered twice)."""
        user = update.effective_user
        if user is None:
            return
        stored = await self.ctx.store.load_state(CHANNEL, _user_key(user))
        if stored is None or not stored.state:
            await self.ctx.store.record_update(update.update_id)  # no session: remember the id only
            return
        try:
            await self.ctx.store.save_turn(
                CHANNEL,
                _user_key(user),
                stored.state,
                lang=stored.lang or lang,
                status=stored.status,
                incoming=_incoming_text(update),
                outgoing=[m.plain for m in outgoing],
                update_id=update.update_id,
            )
        except DuplicateUpdateError:
            return

    async def _skip(self, update: Update) -> bool:
        """True for an update already processed (see :meth:`_open`)."""
        return await self._open(update) is None

    async def _open(self, update: Update) -> UpdateCheck | None:
        """The store's view of a new update, with the user's latest session (one store call);
        None for an update already processed (Telegram delivers at least once).

        If its turn was committed but its replies were never recorded as sent (the bot stopped in
        between), the current question is sent again so the person is not left without an answer.
        """
        user = update.effective_user
        check = await self.ctx.store.check_update(CHANNEL, _user_key(user) if user else "", update.update_id)
        if not check.processed:
            return check
        if check.undelivered:
            await self._resend_current_question(update, check.session)
        return None

    async def _resend_current_question(self, update: Update, stored: StoredSession | None) -> None:
        chat = update.effective_chat
        if chat is None or stored is None or not stored.state:
            return
        state = SessionState.from_dict(stored.state)
        prompt = self.ctx.dialogue.resume(state).replies[1:]  # without the "welcome back"
        await _send_to(
            chat.get_bot(),
            chat.id,
            messages_for(prompt, state.lang, state.version, adviser=self.ctx.adviser_enabled),
        )
        await self.ctx.store.mark_delivered(update.update_id)

    async def _current_lang(self, update: Update) -> Lang:
        user = update.effective_user
        if user is None:
            return normalise_lang(None)
        stored = await self.ctx.store.load_state(CHANNEL, _user_key(user))
        return self._lang(stored.lang if stored else None, user)

    @staticmethod
    def _lang(saved: str | None, user: User) -> Lang:
        if saved in LANGS:
            return normalise_lang(saved)
        return normalise_lang(user.language_code)

    def _event_for_press(self, state: SessionState | None, data: str | None) -> Event | None:
        press = decode(data)
        if press is None or state is None or press.state_version != state.version:
            return None
        if press.question_tag == question_tag(NAV_TAG_ID):
            if press.value == NAV_BACK:
                return Command("back")
            if press.value == NAV_LANGUAGE:
                return Command("language")
            return None
        if press.question_tag == question_tag("language") and press.value in LANGS:
            return ChoiceInput("language", press.value, state.version)
        prompt = self.ctx.dialogue.resume(state).replies[-1]
        for index, option in enumerate(prompt.options):
            if question_tag(option.question_id) != press.question_tag:
                continue
            if press.value == option.value or press.option_index == index:
                return ChoiceInput(option.question_id, option.value, option.state_version)
        return None

    @staticmethod
    async def _send(message: Message, outgoing: list[OutgoingMessage]) -> None:
        await _send_to(message.get_bot(), message.chat_id, outgoing)


class DeliveryUncertain(Exception):
    """Sending failed in a way that may or may not have delivered the message (reset, timeout)."""


SEND_RETRY_DELAYS_S = (0.5, 1.0, 2.0)
NO_LINK_PREVIEW = {"is_disabled": True}
UNKNOWN_HTTP_ERROR = "Unknown error in HTTP implementation"  # PTB's wrapping of a client's own error


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


async def _send_to(bot: Bot, chat_id: int, outgoing: list[OutgoingMessage]) -> None:
    """Send each message; retry what surely was not sent, never what may have been (no doubles).

    Sent with ``do_api_request`` and plain data: the reply is not needed, and building the keyboard
    and parsing the returned Message into python-telegram-bot objects cost as much as the dialogue's
    whole turn. The rate limiter and error handling are the same as ``send_message``'s.
    """
    for item in outgoing:
        for delay in (*SEND_RETRY_DELAYS_S, None):
            try:
                await bot.do_api_request("sendMessage", api_kwargs=send_message_request(chat_id, item))
                break
            except TelegramError as error:
                if surely_not_sent(error) and delay is not None:
                    await asyncio.sleep(delay)
                    continue
                transport = isinstance(error, NetworkError) and not isinstance(error, BadRequest | Forbidden)
                if transport and not surely_not_sent(error):
                    raise DeliveryUncertain(type(error).__name__) from error
                raise


def _incoming_text(update: Update) -> str | None:
    message = update.effective_message
    if update.edited_message is not None:
        return "[edited message]"
    if message is None:
        return None
    if message.text is not None:
        return message.text[:MAX_INPUT_CHARS]
    kinds = ("sticker", "photo", "voice", "document", "video", "audio", "location", "contact", "animation")
    kind: Any = next((k for k in kinds if getattr(message, k, None)), "other")
    return f"[{kind}]"
