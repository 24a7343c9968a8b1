"""Telegram handlers: an update becomes a dialogue event; the dialogue's turn is saved, then sent.

Every answer takes one path (:meth:`Handlers._reply` / :meth:`Handlers._commit`): it is recorded
in the store *before* the bot sends it (state, answers, transcript and the update id, in one
transaction), then sent, then marked delivered. So a crash never loses an answer, and an update
delivered twice is recognised by its id and ignored.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, CallbackQuery, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot import service
from bot.documents import calendar_file, pdf_file
from bot.engine import Assessment
from bot.i18n import LANGS, Lang, normalise_lang, text
from bot.privacy import Controller, privacy_notice
from bot.result import build_view
from bot.store import AsyncSessionStore, DuplicateUpdateError, StoredSession, UpdateCheck
from bot.telegram.callback import NAV_ADVISER, NAV_BACK, NAV_LANGUAGE, decode, question_tag
from bot.telegram.consent import answer_share_press
from bot.telegram.formatting import escape
from bot.telegram.links import (
    TEXT_VIEWS,
    ConfirmAction,
    ResultLinks,
    confirm_data,
    is_confirm_press,
    is_result_press,
    is_share_press,
    read_confirm_press,
    read_result_press,
    read_share_press,
)
from bot.telegram.reminder_links import is_reminder_press
from bot.telegram.reminders import ReminderHandlers
from bot.telegram.transport import NotConnected, TransportError
from bot.telegram.views import (
    NAV_TAG_ID,
    InlineKeyboard,
    Outgoing,
    OutgoingDocument,
    OutgoingMessage,
    detail_message,
    messages_for,
)
from flows.control import RESULT_VIEWS, Control, UnknownCommand, read_control
from flows.dialogue import ChoiceInput, Command, CommandName, Dialogue, Event, TextInput
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
MAX_LIVE_KEYBOARDS = 100_000
PDF_MIME = "application/pdf"
ICS_MIME = "text/calendar"

log = logging.getLogger(__name__)


OPERATOR_LANG: Lang = "en"


@dataclass
class BotContext:
    """What the handlers share: the dialogue, the store, the retention period, the hand-off
    configuration (the operators' chat, who may answer there, and the review console's address)
    and the key that signs the result's buttons."""

    dialogue: Dialogue
    store: AsyncSessionStore
    retention_days: int
    operator_chat_id: int | None = None
    operator_ids: tuple[int, ...] = ()
    review_base_url: str | None = None
    result_key: bytes = field(default=b"", repr=False)
    controller: Controller = field(default_factory=Controller)

    @property
    def adviser_enabled(self) -> bool:
        """True when requests to talk to an adviser can be passed on."""
        return self.operator_chat_id is not None


def _user_key(user: User) -> str:
    return str(user.id)


def _invited(stored: StoredSession) -> bool:
    """True when the session came through an employer's invite (its result offers sharing)."""
    return stored.invite_token is not None


def _position(state: SessionState | None) -> tuple[str, int | None] | None:
    return None if state is None else (state.current, state.member_index)


class Handlers:
    """The bot's handlers; thin: read the update, run the dialogue, save, send."""

    def __init__(self, ctx: BotContext) -> None:
        self.ctx = ctx
        self._live_keyboards: dict[int, int] = {}  # chat id → the message whose buttons are live
        self.reminders = ReminderHandlers(self)

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
                await self._reply(
                    update, [OutgoingMessage(escape(text(lang, "telegram.invite_invalid")))], lang
                )
                return
            step = service.open_session(
                self.ctx.dialogue,
                stored,
                lang,
                prefill=invite.prefill,
                employer=invite.employer,
                invited=True,
            )
            await self.ctx.store.new_session(CHANNEL, _user_key(user), lang=lang, invite_token=invite.token)
            await self._commit(update, step, incoming=message.text, invite=invite.token)
            return
        step = service.open_session(self.ctx.dialogue, stored, lang)
        if step.new_session:
            await self.ctx.store.new_session(CHANNEL, _user_key(user), lang=lang)
        await self._commit(update, step, incoming=message.text)

    async def dialogue_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/back, /restart (asks first), /language, /summary, /help."""
        message = update.effective_message
        if message is None or not message.text:
            return
        control = read_control(message.text)
        if isinstance(control, Control):
            await self._control(update, control)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Free text: a control word or unknown /command first, else an answer for the dialogue."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        if len(message.text) > MAX_INPUT_CHARS:
            await self._notice(update, "telegram.too_long", limit=MAX_INPUT_CHARS)
            return
        if await self.reminders.typed(update, message.text):  # a date the reminders asked for
            return
        control = read_control(message.text)
        if isinstance(control, UnknownCommand):
            await self._unknown_command(update, control.word)
        elif isinstance(control, Control):
            await self._control(update, control)
        else:
            await self._event(update, TextInput(message.text), typed=True)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A press on an inline button: a result view, a confirmation, or an answer checked against
        the current question (else "moved on"). The press is acknowledged without ever being lost
        when acknowledging fails ("query is too old" after downtime)."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        self.reminders.forget(user.id)  # a press answers no date the reminders asked for
        check = await self._open(update)
        if check is None:
            await _acknowledge(query)
            return
        stored = check.session
        lang = self._lang(stored.lang if stored else None, user)
        if is_result_press(query.data):
            await _acknowledge(query)
            await self._result_view(update, query.data, lang)
            return
        if is_confirm_press(query.data):
            await _acknowledge(query)
            await self._confirmed(update, query, stored, lang)
            return
        if is_share_press(query.data):
            await _acknowledge(query)
            await self._share(update, query, lang)
            return
        if is_reminder_press(query.data):
            await _acknowledge(query)
            await self.reminders.press(update, query.data, stored, lang)
            return
        state = service.saved_state(stored)
        press = decode(query.data)
        if (
            press is not None
            and press.question_tag == question_tag(NAV_TAG_ID)
            and press.value == NAV_ADVISER
        ):
            await _acknowledge(query)
            await self._hand_off(update, stored.id if stored else None, lang)
            return
        event = self._event_for_press(state, query.data)
        if event is None or state is None:
            await _acknowledge(query, text(lang, "telegram.stale_button_toast"))
            stale: list[Outgoing] = [OutgoingMessage(escape(text(lang, "telegram.stale_button")))]
            if state is not None and stored is not None:
                stale += self._prompt_messages(state, stored.id, stored.user_key, invited=_invited(stored))
            await self._reply(update, stale, lang)
            return
        await _acknowledge(query)
        if service.is_restart(state, event):
            await self._ask_confirmation(update, "restart", stored, lang)
            return
        on_result = state.current == RESULT  # a result keeps its buttons: its views stay available
        pressed = query.message.message_id if isinstance(query.message, Message) and not on_result else None
        await self._event(
            update, event, state=state, loaded=True, incoming=f"[button] {query.data}", pressed=pressed
        )

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
        """/privacy: what is kept, who can read it, for how long, who is responsible, how to delete it."""
        if update.effective_message is None or await self._skip(update):
            return
        lang = await self._current_lang(update)
        notice = privacy_notice(lang, self.ctx.retention_days, self.ctx.controller)
        await self._reply(update, [OutgoingMessage(escape(notice))], lang)

    async def delete(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/delete: asks for confirmation; "yes" erases the user's sessions, answers, transcript and
        assessments for good."""
        user = update.effective_user
        if user is None or (check := await self._open(update)) is None:
            return
        stored = check.session
        await self._ask_confirmation(
            update, "delete", stored, self._lang(stored.lang if stored else None, user)
        )

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
        await send_outgoing(message.get_bot(), int(stored.user_key), [OutgoingMessage(escape(body))])
        await self.ctx.store.append_transcript(stored.id, "out", f"[adviser] {message.text}")
        await message.reply_text(text(OPERATOR_LANG, "telegram.handoff.delivered"))

    async def ignore(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Other messages in the operators' chat: not for the bot."""

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a short line without personal data and tell the user their place is kept."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
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

    # -- control words, confirmations, result views --------------------------------------------

    async def _control(self, update: Update, control: Control) -> None:
        if control.name == "restart":
            user = update.effective_user
            if user is None or (check := await self._open(update)) is None:
                return
            lang = self._lang(check.session.lang if check.session else None, user)
            await self._ask_confirmation(update, "restart", check.session, lang)
            return
        command = control.as_command()
        if command is not None:
            await self._event(update, command, typed=True)
            return
        if control.name in RESULT_VIEWS and await self._typed_view(update, control.name):
            return
        message = update.effective_message
        await self._event(update, TextInput(message.text if message and message.text else ""), typed=True)

    async def _typed_view(self, update: Update, view: str) -> bool:
        """A result view asked for by a word ("pdf", "documents"…) once the result is shown; False
        when there is no result yet (the word is then read as an answer)."""
        user = update.effective_user
        if user is None:
            return False
        stored = await self.ctx.store.load_state(CHANNEL, _user_key(user))
        state = service.saved_state(stored)
        if stored is None or state is None or state.current != RESULT:
            return False
        assessment = await self.ctx.store.latest_assessment(stored.id)
        if assessment is None or await self._skip(update):
            return assessment is not None
        await self._reply(update, [_result_file(assessment, state.lang, view)], state.lang)
        return True

    async def _unknown_command(self, update: Update, word: str) -> None:
        if await self._skip(update):
            return
        lang = await self._current_lang(update)
        body = (
            f"{text(lang, 'telegram.unknown_command', command=word)}\n{text(lang, 'telegram.help_commands')}"
        )
        await self._reply(update, [OutgoingMessage(escape(body))], lang)

    async def _ask_confirmation(
        self, update: Update, action: ConfirmAction, stored: StoredSession | None, lang: Lang
    ) -> None:
        session_id = stored.id if stored else 0
        keyboard = InlineKeyboard(
            (
                ((text(lang, f"telegram.button.confirm_{action}"), confirm_data(action, session_id, True)),),
                ((text(lang, "telegram.button.cancel"), confirm_data(action, session_id, False)),),
            )
        )
        question = OutgoingMessage(escape(text(lang, f"telegram.confirm.{action}")), keyboard)
        await self._reply(update, [question], lang, drop_keyboard=True)

    async def _confirmed(
        self, update: Update, query: CallbackQuery, stored: StoredSession | None, lang: Lang
    ) -> None:
        press = read_confirm_press(query.data)
        chat = update.effective_chat
        if isinstance(query.message, Message) and chat is not None:
            await _drop_keyboard(chat.get_bot(), chat.id, query.message.message_id)
        current = stored.id if stored else 0
        state = service.saved_state(stored)
        prompt = (
            self._prompt_messages(state, current, stored.user_key, invited=_invited(stored))
            if state and stored
            else []
        )
        if press is None or press.session_id != current:
            moved: list[Outgoing] = [OutgoingMessage(escape(text(lang, "telegram.stale_button")))]
            await self._reply(update, moved + prompt, lang)
            return
        if not press.yes:
            await self._reply(
                update, [OutgoingMessage(escape(text(lang, "telegram.confirm.kept"))), *prompt], lang
            )
            return
        if press.action == "delete":
            await self._erase(update, lang)
            return
        await self._event(update, Command("restart"), state=state, loaded=True, incoming="[confirm] restart")

    async def _erase(self, update: Update, lang: Lang) -> None:
        user = update.effective_user
        if user is None:
            return
        count = await self.ctx.store.erase_user(CHANNEL, _user_key(user))
        self._live_keyboards.pop(user.id, None)
        await self.ctx.store.record_update(update.update_id)  # the id only: nothing personal is kept
        notice = OutgoingMessage(escape(text(lang, "telegram.deleted", count=count)))
        await self._deliver(update, [notice])

    async def _result_view(self, update: Update, data: str | None, lang: Lang) -> None:
        """A detail view of a saved result, from that result's assessment; a plain "no longer kept"
        when it was deleted or purged, "moved on" for anything forged."""
        user = update.effective_user
        if user is None:
            return
        press = read_result_press(data, self.ctx.result_key, _user_key(user))
        if press is None:
            await self._reply(update, [OutgoingMessage(escape(text(lang, "telegram.stale_button")))], lang)
            return
        assessment = await self.ctx.store.latest_assessment(press.session_id)
        if assessment is None:
            await self._reply(update, [OutgoingMessage(escape(text(lang, "result.gone")))], lang)
            return
        await self._reply(update, [_result_file(assessment, lang, press.view)], lang)

    async def _share(self, update: Update, query: CallbackQuery, lang: Lang) -> None:
        """A press about sharing a result with the employer who invited the person: checked like a
        result button ("moved on" for anything forged), then applied (see :mod:`bot.telegram.consent`).
        The buttons of a pressed answer (yes / no / stop) are removed; the result's own stay."""
        user, chat = update.effective_user, update.effective_chat
        if user is None:
            return
        press = read_share_press(query.data, self.ctx.result_key, _user_key(user))
        if press is None:
            await self._reply(update, [OutgoingMessage(escape(text(lang, "telegram.stale_button")))], lang)
            return
        if press.action != "ask" and isinstance(query.message, Message) and chat is not None:
            await _drop_keyboard(chat.get_bot(), chat.id, query.message.message_id)
        links = ResultLinks(self.ctx.result_key, _user_key(user), press.session_id, invited=True)
        await self._reply(update, [await answer_share_press(self.ctx.store, links, press.action, lang)], lang)

    # -- the common path ------------------------------------------------------------------------

    async def _event(
        self,
        update: Update,
        event: Event,
        *,
        state: SessionState | None = None,
        loaded: bool = False,
        incoming: str | None = None,
        pressed: int | None = None,
        typed: bool = False,
    ) -> None:
        user, message = update.effective_user, update.effective_message
        if user is None or message is None:
            return
        if not loaded:
            if (check := await self._open(update)) is None:
                return
            state = service.saved_state(check.session)
        step = service.handle(self.ctx.dialogue, state, event, self._lang(None, user))
        if step.new_session:
            await self.ctx.store.new_session(CHANNEL, _user_key(user), lang=step.turn.state.lang)
        in_place = (
            pressed is not None
            and isinstance(event, ChoiceInput)
            and state is not None
            and event.question_id.split("@", 1)[0] == state.current
            and _position(state) == _position(step.turn.state)
        )
        await self._commit(
            update,
            step,
            incoming=incoming or message.text,
            edit=pressed if in_place and step.assessment is None else None,
            drop=pressed if not in_place else None,
            typed=typed,
        )

    async def _commit(
        self,
        update: Update,
        step: service.Step,
        *,
        incoming: str | None,
        invite: str | None = None,
        edit: int | None = None,
        drop: int | None = None,
        typed: bool = False,
    ) -> None:
        """Save the turn (with its assessment), then send it (editing the pressed message in place
        when the question stays the same), then mark it delivered."""
        user = update.effective_user
        assert user is not None
        turn = step.turn
        lang = turn.state.lang
        adviser = self.ctx.adviser_enabled
        outgoing = messages_for(turn.replies, lang, turn.state.version, adviser=adviser)
        try:
            session_id = await self.ctx.store.save_turn(
                CHANNEL,
                _user_key(user),
                turn.state.to_dict(),
                lang=lang,
                status=step.status,
                answers=turn.new_answers,
                incoming=incoming,
                outgoing=[m.plain for m in outgoing],
                update_id=update.update_id,
                invite_token=invite,
            )
        except DuplicateUpdateError:
            return
        assessment = step.assessment
        if assessment is not None:
            await self.ctx.store.save_assessment(session_id, assessment)
            invited = await self.ctx.store.inviting_employer(session_id) is not None
            links = ResultLinks(self.ctx.result_key, _user_key(user), session_id, invited=invited)
            outgoing = messages_for(turn.replies, lang, turn.state.version, adviser=adviser, links=links)
        await self._deliver(update, list(outgoing), edit=edit, drop=drop, typed=typed)

    async def _reply(
        self, update: Update, outgoing: list[Outgoing], lang: Lang, *, drop_keyboard: bool = False
    ) -> None:
        """Answer without changing any answer: record it (so a redelivered update is not answered
        twice), send it, mark it delivered."""
        if await self._mark_processed(update, outgoing, lang):
            await self._deliver(update, outgoing, typed=drop_keyboard)

    async def _deliver(
        self,
        update: Update,
        outgoing: list[Outgoing],
        *,
        edit: int | None = None,
        drop: int | None = None,
        typed: bool = False,
    ) -> None:
        """Send a recorded answer, then mark its update delivered. ``edit``: the message to edit in
        place; ``drop``: a message whose buttons no longer apply; ``typed``: the person typed, so the
        buttons still live in the chat no longer apply either."""
        chat = update.effective_chat
        if chat is None:
            return
        bot = chat.get_bot()
        live = self._live_keyboards.pop(chat.id, None) if (typed or drop is not None) else None
        try:
            if edit is not None and await _edit_in_place(bot, chat.id, edit, outgoing):
                self._remember(chat.id, edit)
            else:  # the reply is not held up by removing the old buttons: both go out at once
                stale = {message_id for message_id in (drop, live) if message_id is not None}
                sent, *_ = await asyncio.gather(
                    send_outgoing(bot, chat.id, outgoing), *(_drop_keyboard(bot, chat.id, m) for m in stale)
                )
                self._remember(chat.id, sent)
        except DeliveryUncertain as uncertain:
            # The turn is saved; the reply may have arrived. Telling the person "something went
            # wrong, answer again" could make them answer the next question with the last answer.
            log.warning("update %s: reply delivery uncertain (%s)", update.update_id, uncertain)
            return
        await self.ctx.store.mark_delivered(update.update_id)

    def _remember(self, chat_id: int, message_id: int | None) -> None:
        if message_id is None:
            return
        if len(self._live_keyboards) >= MAX_LIVE_KEYBOARDS:
            self._live_keyboards.pop(next(iter(self._live_keyboards)))
        self._live_keyboards[chat_id] = message_id

    async def _notice(self, update: Update, key: str, **params: Any) -> None:
        if update.effective_message is None or await self._skip(update):
            return
        lang = await self._current_lang(update)
        await self._reply(update, [OutgoingMessage(escape(text(lang, key, **params)))], lang)

    async def _hand_off(self, update: Update, session_id: int | None, lang: Lang) -> None:
        """Pass a request to talk to an adviser to the operators' chat (a link, no personal data)."""
        chat = update.effective_chat
        if chat is None:
            return
        if self.ctx.operator_chat_id is None or session_id is None:
            await self._reply(
                update, [OutgoingMessage(escape(text(lang, "telegram.handoff.unavailable")))], lang
            )
            return
        base = (self.ctx.review_base_url or "").rstrip("/")
        link = f"{base}/sessions/{session_id}" if base else f"#{session_id}"
        request = text(OPERATOR_LANG, "telegram.handoff.operator_request", session=session_id, link=link)
        posted = await chat.get_bot().send_message(chat_id=self.ctx.operator_chat_id, text=request)
        await self.ctx.store.create_handoff(session_id, self.ctx.operator_chat_id, posted.message_id)
        await self._reply(update, [OutgoingMessage(escape(text(lang, "telegram.handoff.requested")))], lang)

    async def _mark_processed(self, update: Update, outgoing: list[Outgoing], lang: Lang) -> bool:
        """Record a reply that changes no answer; False for an update already processed."""
        user = update.effective_user
        if user is None:
            return False
        stored = await self.ctx.store.load_state(CHANNEL, _user_key(user))
        if stored is None or not stored.state:
            return await self.ctx.store.record_update(update.update_id)  # no session: the id only
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
            return False
        return True

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
        state = service.saved_state(stored)
        if chat is None or stored is None or state is None:
            return
        prompt = self._prompt_messages(state, stored.id, stored.user_key, invited=_invited(stored))
        await send_outgoing(chat.get_bot(), chat.id, prompt)
        await self.ctx.store.mark_delivered(update.update_id)

    def _prompt_messages(
        self,
        state: SessionState,
        session_id: int | None = None,
        user_key: str | None = None,
        *,
        invited: bool = False,
    ) -> list[Outgoing]:
        """The current question (or summary, or result) as messages, without "welcome back";
        ``invited``: the session came through an employer's invite (its result offers sharing)."""
        links = None
        if state.current == RESULT and session_id is not None and user_key is not None:
            links = ResultLinks(self.ctx.result_key, user_key, session_id, invited=invited)
        prompt = service.current_prompt(self.ctx.dialogue, state)
        return list(
            messages_for(prompt, state.lang, state.version, adviser=self.ctx.adviser_enabled, links=links)
        )

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
        prompt = service.prompt_of(self.ctx.dialogue.resume(state).replies)
        for index, option in enumerate(prompt.options if prompt else []):
            if question_tag(option.question_id) != press.question_tag:
                continue
            if press.value == option.value or press.option_index == index:
                return ChoiceInput(option.question_id, option.value, option.state_version)
        return None


def _result_file(assessment: Assessment, lang: Lang, view: str) -> Outgoing:
    """A detail view as a message, or the result as a PDF / the dated steps as a calendar file."""
    if view in TEXT_VIEWS:
        return detail_message(assessment, lang, view)
    result = build_view(assessment, lang)
    name = text(lang, "result.file.pdf" if view == "pdf" else "result.file.ics")
    if view == "pdf":
        return OutgoingDocument(f"{name}.pdf", pdf_file(result), text(lang, "result.pdf_caption"), PDF_MIME)
    calendar = calendar_file(result)
    if calendar is None:
        return OutgoingMessage(escape(text(lang, "result.no_dates")))
    return OutgoingDocument(f"{name}.ics", calendar, text(lang, "result.ics_caption"), ICS_MIME)


async def _acknowledge(query: CallbackQuery, notice: str | None = None) -> None:
    """Answer a callback query; a failure ("query is too old" after downtime, a 429, a timeout) is
    logged and the press is handled all the same."""
    try:
        await query.answer(notice)
    except TelegramError as error:
        log.info("could not acknowledge a button press (%s); handling it anyway", type(error).__name__)


async def _drop_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
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


async def _edit_in_place(bot: Bot, chat_id: int, message_id: int, outgoing: list[Outgoing]) -> bool:
    """Edit the pressed message to show the same question's new state (a multiple choice); False
    when the answer does not fit one message or Telegram refuses the edit (then it is sent anew)."""
    if len(outgoing) != 1 or not isinstance(outgoing[0], OutgoingMessage):
        return False
    request = send_message_request(chat_id, outgoing[0])
    request["message_id"] = message_id
    try:
        await bot.do_api_request("editMessageText", api_kwargs=request)
    except BadRequest as error:
        return "not modified" in str(error).lower()
    except TelegramError as error:  # sent anew: at worst the question shows twice, never lost
        log.info("could not edit a message in place (%s)", type(error).__name__)
        return False
    return True


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


async def _send_one(bot: Bot, chat_id: int, item: Outgoing) -> int | None:
    """Send one message or file; the message id when it carries buttons that stop applying once the
    question is answered (a result's buttons stay: its views can be opened at any time)."""
    if isinstance(item, OutgoingDocument):
        await bot.send_document(chat_id, document=item.content, filename=item.filename, caption=item.caption)
        return None
    sent = await bot.do_api_request("sendMessage", api_kwargs=send_message_request(chat_id, item))
    answerable = item.keyboard is not None and item.result is None
    if answerable and isinstance(sent, dict) and isinstance(sent.get("message_id"), int):
        return int(sent["message_id"])
    return None


async def send_outgoing(bot: Bot, chat_id: int, outgoing: list[Outgoing]) -> int | None:
    """Send each item; retry what surely was not sent, never what may have been (no doubles).
    Returns the id of the last message sent with buttons (None if none).

    Sent with ``do_api_request`` and plain data: the reply is not parsed into python-telegram-bot
    objects (that cost as much as the dialogue's whole turn). The rate limiter and error handling
    are the same as ``send_message``'s.
    """
    live: int | None = None
    for item in outgoing:
        for delay in (*SEND_RETRY_DELAYS_S, None):
            try:
                live = await _send_one(bot, chat_id, item) or live
                break
            except TelegramError as error:
                if surely_not_sent(error) and delay is not None:
                    await asyncio.sleep(delay)
                    continue
                transport = isinstance(error, NetworkError) and not isinstance(error, BadRequest | Forbidden)
                if transport and not surely_not_sent(error):
                    raise DeliveryUncertain(type(error).__name__) from error
                raise
    return live


def _incoming_text(update: Update) -> str | None:
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
