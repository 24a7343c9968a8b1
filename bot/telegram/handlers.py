"""Telegram handlers: an update becomes a dialogue event; the dialogue's turn is saved, then sent.

Sending is :mod:`bot.telegram.delivery`'s (record first, then send, then mark delivered). Button
presses are routed by python-telegram-bot's ``CallbackQueryHandler(pattern=…)`` to one method per
kind of button (:data:`PRESS_PATTERNS`); a press that is stale or forged always gets a short notice
and the current question, once (see :meth:`Handlers.stale_press`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram import CallbackQuery, Message, Update, User
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from bot import service
from bot.documents import calendar_file, pdf_file
from bot.engine import Answers, Assessment
from bot.i18n import Lang, normalise_lang, render, text
from bot.privacy import privacy_notice
from bot.result import build_view
from bot.store import DuplicateUpdateError, StoredSession
from bot.telegram.callback import NAV_ADVISER, NAV_BACK, NAV_LANGUAGE, decode, question_tag
from bot.telegram.consent import answer_share_press
from bot.telegram.context import CHANNEL, OPERATOR_LANG, BotContext, user_key, user_lang
from bot.telegram.delivery import (
    MAX_INPUT_CHARS,
    ChatActionName,
    Delivery,
    acknowledge,
    drop_keyboard,
    send_outgoing,
    show_action,
)
from bot.telegram.formatting import escape
from bot.telegram.links import (
    CONFIRM_PREFIX,
    RESULT_PREFIX,
    SHARE_PREFIX,
    TEXT_VIEWS,
    ConfirmAction,
    ResultLinks,
    confirm_data,
    read_confirm_press,
    read_result_press,
    read_share_press,
)
from bot.telegram.reminder_links import REMINDER_PREFIX
from bot.telegram.reminders import ReminderHandlers
from bot.telegram.views import (
    NAV_TAG_ID,
    InlineKeyboard,
    Outgoing,
    OutgoingDocument,
    OutgoingMessage,
    chosen_message,
    detail_messages,
    merge_short,
    messages_for,
)
from flows.control import RESULT_VIEWS, Control, UnknownCommand, read_control
from flows.dialogue import DONE, ChoiceInput, Command, CommandName, Dialogue, Event, TextInput
from flows.session import RESULT, SessionState, build_answers

DIALOGUE_COMMANDS: dict[str, CommandName] = {
    "back": "back",
    "restart": "restart",
    "language": "language",
    "summary": "summary",
    "help": "help",
}
ANSWER_PREFIX = "g1"
PDF_MIME = "application/pdf"
ICS_MIME = "text/calendar"

log = logging.getLogger(__name__)


def _position(state: SessionState | None) -> tuple[str, int | None] | None:
    return None if state is None else (state.current, state.member_index)


def _pressed_message(query: CallbackQuery) -> int | None:
    return query.message.message_id if isinstance(query.message, Message) else None


@dataclass(frozen=True)
class Press:
    """A button press, opened: the query, who pressed, their latest session and language."""

    update: Update
    query: CallbackQuery
    user: User
    stored: StoredSession | None
    lang: Lang

    @property
    def data(self) -> str | None:
        """The callback data (from the client: never trusted)."""
        return self.query.data

    @property
    def message_id(self) -> int | None:
        """The message the pressed button is on."""
        return _pressed_message(self.query)


PressHandler = Callable[["Handlers", Press], Awaitable[None]]


class Handlers:
    """The bot's handlers; thin: read the update, run the dialogue, save, send."""

    def __init__(self, ctx: BotContext) -> None:
        self.ctx = ctx
        self.delivery = Delivery(ctx)
        self.reminders = ReminderHandlers(ctx, self.delivery, self.stale_press)

    @property
    def dialogue(self) -> Dialogue:
        """The interview."""
        return self.ctx.dialogue

    # -- entry points --------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, with an optional HR-invite payload (deep link). An invite that is no longer valid
        is said so, and the usual interview starts (or resumes) right away."""
        user, message = update.effective_user, update.effective_message
        if user is None or message is None or (check := await self.delivery.open(update)) is None:
            return
        payload = context.args[0] if context.args else None
        stored = check.session
        lang = user_lang(stored.lang if stored else None, user)
        notice = None
        if payload:
            invite = await self.ctx.store.get_invite(payload)
            if invite is not None:
                step = service.open_session(
                    self.dialogue,
                    stored,
                    lang,
                    prefill=invite.prefill,
                    employer=invite.employer,
                    invited=True,
                )
                await self.ctx.store.new_session(
                    CHANNEL, user_key(user), lang=lang, invite_token=invite.token
                )
                await self._retire_result(update)
                await self._commit(update, step, incoming=message.text, invite=invite.token)
                return
            notice = text(lang, "telegram.invite_invalid")
        step = service.open_session(self.dialogue, stored, lang)
        if step.new_session:
            await self.ctx.store.new_session(CHANNEL, user_key(user), lang=lang)
            await self._retire_result(update)  # a new interview: the earlier result no longer answers
        await self._commit(update, step, incoming=message.text, notice=notice)

    async def _retire_result(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is not None:
            await self.delivery.retire_result(chat.get_bot(), chat.id)

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
            await self._event(update, TextInput(message.text))

    # -- button presses (one handler per kind, see PRESS_PATTERNS) -------------------------------

    def on_press(
        self, handle: PressHandler
    ) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
        """A CallbackQueryHandler callback that opens the press (once per update id) and passes it
        on. The press is acknowledged without ever being lost when acknowledging fails ("query is
        too old" after downtime)."""

        async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            query, user = update.callback_query, update.effective_user
            if query is None or user is None:
                return
            self.reminders.forget(user.id)  # a press answers no date the reminders asked for
            check = await self.delivery.open(update)
            if check is None:
                await acknowledge(query)
                return
            stored = check.session
            await handle(
                self, Press(update, query, user, stored, user_lang(stored.lang if stored else None, user))
            )

        return callback

    async def stale_press(self, press: Press) -> None:
        """A press that no longer applies (an earlier question or result) or was forged: a short
        notice, then the current question once; the pressed copy and earlier ones lose their
        buttons."""
        await acknowledge(press.query, text(press.lang, "telegram.stale_button_toast"))
        state = service.saved_state(press.stored)
        if state is None:  # nothing to continue: no session (deleted, or never started)
            notice = OutgoingMessage(escape(text(press.lang, "telegram.stale_button_none")))
            await self.delivery.reply(press.update, [notice], press.lang, drop=press.message_id)
            return
        notice = OutgoingMessage(escape(text(press.lang, "telegram.stale_button")))
        prompt = self.delivery.prompt_messages(state, press.stored)
        await self.delivery.reply(
            press.update, merge_short([notice, *prompt]), press.lang, drop=press.message_id
        )

    async def press_result(self, press: Press) -> None:
        """A result's detail button: answered from the current session's saved result; a result
        of an earlier session (before /restart or a new interview) no longer answers."""
        signed = read_result_press(press.data, self.ctx.result_key, user_key(press.user))
        if signed is None or (press.stored is not None and signed.session_id != press.stored.id):
            await self.stale_press(press)
            return
        await acknowledge(press.query)
        assessment = await self.ctx.store.latest_assessment(signed.session_id)
        if press.stored is None or assessment is None:
            gone = OutgoingMessage(escape(text(press.lang, "result.gone")))
            await self.delivery.reply(press.update, [gone], press.lang, drop=press.message_id)
            return
        await self._send_view(press.update, assessment, press.lang, signed.view, signed.page, press.stored)

    async def press_confirm(self, press: Press) -> None:
        """Yes or no under a /restart or /delete confirmation (only for the current session)."""
        confirm = read_confirm_press(press.data)
        current = press.stored.id if press.stored else 0
        if confirm is None or confirm.session_id != current:
            await self.stale_press(press)
            return
        await acknowledge(press.query)
        chat = press.update.effective_chat
        if press.message_id is not None and chat is not None:
            await drop_keyboard(chat.get_bot(), chat.id, press.message_id)
        state = service.saved_state(press.stored)
        if not confirm.yes:
            # the question is asked again; a result stays where it is, its buttons live
            asking = state is not None and state.current != RESULT
            prompt = self.delivery.prompt_messages(state, press.stored) if state and asking else []
            kept = OutgoingMessage(escape(text(press.lang, "telegram.confirm.kept")))
            await self.delivery.reply(press.update, merge_short([kept, *prompt]), press.lang)
            return
        if confirm.action == "delete":
            await self._erase(press.update, press.lang)
            return
        await self._restart(press, state)

    async def press_share(self, press: Press) -> None:
        """A press about sharing the current result with the employer who invited the person:
        checked like a result button, then applied (see :mod:`bot.telegram.consent`). The buttons of
        a pressed answer (yes / no / stop) are removed; the result's own stay."""
        signed = read_share_press(press.data, self.ctx.result_key, user_key(press.user))
        if signed is not None and press.stored is None:  # erased (/delete) or purged
            gone = OutgoingMessage(escape(text(press.lang, "result.gone")))
            await acknowledge(press.query)
            await self.delivery.reply(press.update, [gone], press.lang, drop=press.message_id)
            return
        if signed is None or press.stored is None or signed.session_id != press.stored.id:
            await self.stale_press(press)
            return
        await acknowledge(press.query)
        drop = press.message_id if signed.action != "ask" else None
        links = ResultLinks(self.ctx.result_key, user_key(press.user), signed.session_id, invited=True)
        answer = await answer_share_press(self.ctx.store, links, signed.action, press.lang)
        await self.delivery.reply(press.update, [answer], press.lang, drop=drop)

    async def press_answer(self, press: Press) -> None:
        """An answer button of the current question (or the back / language / adviser buttons):
        checked against the saved state, else stale."""
        state = service.saved_state(press.stored)
        decoded = decode(press.data)
        nav = decoded is not None and decoded.question_tag == question_tag(NAV_TAG_ID)
        current = decoded is not None and state is not None and decoded.state_version == state.version
        if nav and current and decoded is not None and decoded.value == NAV_ADVISER:
            await acknowledge(press.query)
            await self._hand_off(press.update, press.stored.id if press.stored else None, press.lang)
            return
        event = self._event_for_press(state, press.data)
        if event is None or state is None:
            await self.stale_press(press)
            return
        await acknowledge(press.query)
        if service.is_restart(state, event):
            await self._ask_confirmation(press.update, "restart", press.stored, press.lang)
            return
        on_result = state.current == RESULT  # a result keeps its buttons: its views stay available
        await self._event(
            press.update,
            event,
            state=state,
            loaded=True,
            incoming=f"[button] {press.data}",
            pressed=None if on_result else press.message_id,
            pressed_html=None if on_result else _html_of(press.query),
        )

    # -- other updates -------------------------------------------------------------------------

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
        if update.effective_message is None or await self.delivery.skip(update):
            return
        lang = await self.delivery.current_lang(update)
        notice = privacy_notice(lang, self.ctx.retention_days, self.ctx.controller)
        await self.delivery.reply(update, [OutgoingMessage(escape(notice))], lang)

    async def delete(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/delete: asks for confirmation; "yes" erases the user's sessions, answers, transcript and
        assessments for good."""
        user = update.effective_user
        if user is None or (check := await self.delivery.open(update)) is None:
            return
        stored = check.session
        await self._ask_confirmation(
            update, "delete", stored, user_lang(stored.lang if stored else None, user)
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
            if user is None or (check := await self.delivery.open(update)) is None:
                return
            lang = user_lang(check.session.lang if check.session else None, user)
            await self._ask_confirmation(update, "restart", check.session, lang)
            return
        command = control.as_command()
        if command is not None:
            await self._event(update, command)
            return
        if control.name in RESULT_VIEWS and await self._typed_view(update, control.name):
            return
        message = update.effective_message
        await self._event(update, TextInput(message.text if message and message.text else ""))

    async def _typed_view(self, update: Update, view: str) -> bool:
        """A result view asked for by a word ("pdf", "documents"…) once the result is shown; False
        when there is no result yet (the word is then read as an answer)."""
        user = update.effective_user
        if user is None:
            return False
        stored = await self.ctx.store.load_state(CHANNEL, user_key(user))
        state = service.saved_state(stored)
        if stored is None or state is None or state.current != RESULT:
            return False
        assessment = await self.ctx.store.latest_assessment(stored.id)
        if assessment is None or await self.delivery.skip(update):
            return assessment is not None
        await self._send_view(update, assessment, state.lang, view, 1, stored)
        return True

    async def _send_view(
        self, update: Update, assessment: Assessment, lang: Lang, view: str, page: int, stored: StoredSession
    ) -> None:
        """A detail view (a page of it), or the PDF / calendar file, with "sending a file…" or
        "typing…" shown while it is built."""
        chat = update.effective_chat
        if chat is not None:
            action: ChatActionName = "typing" if view in TEXT_VIEWS else "upload_document"
            await show_action(chat.get_bot(), chat.id, action)
        links = ResultLinks(self.ctx.result_key, stored.user_key, stored.id)
        state = service.saved_state(stored)
        answers = build_answers(state) if state is not None and state.current == RESULT else None
        outgoing = _result_file(assessment, lang, view, page, links, self.dialogue.today(), answers)
        await self.delivery.reply(update, outgoing, lang)

    async def _unknown_command(self, update: Update, word: str) -> None:
        if await self.delivery.skip(update):
            return
        lang = await self.delivery.current_lang(update)
        body = (
            f"{text(lang, 'telegram.unknown_command', command=word)}\n{text(lang, 'telegram.help_commands')}"
        )
        await self.delivery.reply(update, [OutgoingMessage(escape(body))], lang)

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
        await self.delivery.reply(update, [question], lang)

    async def _restart(self, press: Press, state: SessionState | None) -> None:
        """Restart confirmed: every earlier session of the person is erased (answers, conversation,
        results, reminders, shares), the old result's buttons stop answering, and the interview
        starts again (an employer's invite, when one opened the session, is offered again)."""
        invite = press.stored.invite_token if press.stored else None
        await self.ctx.store.erase_user(CHANNEL, user_key(press.user))
        await self._retire_result(press.update)
        step = service.handle(self.dialogue, state, Command("restart"), press.lang)
        await self.ctx.store.new_session(
            CHANNEL, user_key(press.user), lang=step.turn.state.lang, invite_token=invite
        )
        await self._commit(
            press.update,
            step,
            incoming="[confirm] restart",
            invite=invite,
            notice=text(press.lang, "telegram.restart_erased"),
        )

    async def _erase(self, update: Update, lang: Lang) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None:
            return
        await self.ctx.store.erase_user(CHANNEL, user_key(user))
        await self._retire_result(update)
        if chat is not None:
            self.delivery.forget_chat(chat.id)
        await self.ctx.store.record_update(update.update_id)  # the id only: nothing personal is kept
        await self.delivery.deliver(update, [OutgoingMessage(escape(text(lang, "telegram.deleted")))])

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
        pressed_html: str | None = None,
    ) -> None:
        user, message = update.effective_user, update.effective_message
        if user is None or message is None:
            return
        if not loaded:
            if (check := await self.delivery.open(update)) is None:
                return
            state = service.saved_state(check.session)
        step = service.handle(self.dialogue, state, event, user_lang(None, user))
        if step.new_session:
            await self.ctx.store.new_session(CHANNEL, user_key(user), lang=step.turn.state.lang)
        in_place = (
            pressed is not None
            and isinstance(event, ChoiceInput)
            and state is not None
            and event.question_id.split("@", 1)[0] == state.current
            and _position(state) == _position(step.turn.state)
        )
        chosen = None
        if pressed_html is not None and state is not None and not in_place:
            label = self._chosen_label(state, event)
            chosen = chosen_message(pressed_html, label) if label else None
        help_at_result = isinstance(event, Command) and event.name == "help" and state is not None
        await self._commit(
            update,
            step,
            incoming=incoming or message.text,
            edit=pressed if in_place and step.assessment is None else None,
            drop=pressed if not in_place else None,
            chosen=chosen,
            without_result=help_at_result and state is not None and state.current == RESULT,
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
        chosen: OutgoingMessage | None = None,
        notice: str | None = None,
        without_result: bool = False,
    ) -> None:
        """Save the turn (with its assessment), then send it (editing the pressed message in place
        when the question stays the same, or to show the option chosen), then mark it delivered.
        ``notice``: a sentence said before the turn's replies; ``without_result``: the turn's result
        is not sent again (help asked on the result)."""
        user = update.effective_user
        assert user is not None
        turn = step.turn
        lang = turn.state.lang
        replies = [r for r in turn.replies if not (without_result and r.kind == "result")]
        adviser = self.ctx.adviser_enabled
        outgoing: list[OutgoingMessage] = messages_for(replies, lang, turn.state.version, adviser=adviser)
        if notice is not None:
            outgoing = merge_short([OutgoingMessage(escape(notice)), *outgoing])
        try:
            session_id = await self.ctx.store.save_turn(
                CHANNEL,
                user_key(user),
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
            links = ResultLinks(self.ctx.result_key, user_key(user), session_id, invited=invited)
            outgoing = messages_for(replies, lang, turn.state.version, adviser=adviser, links=links)
            if notice is not None:
                outgoing = merge_short([OutgoingMessage(escape(notice)), *outgoing])
        await self.delivery.deliver(update, outgoing, edit=edit, drop=drop, drop_as=chosen)

    async def _notice(self, update: Update, key: str, **params: Any) -> None:
        if update.effective_message is None or await self.delivery.skip(update):
            return
        lang = await self.delivery.current_lang(update)
        await self.delivery.reply(update, [OutgoingMessage(escape(text(lang, key, **params)))], lang)

    async def _hand_off(self, update: Update, session_id: int | None, lang: Lang) -> None:
        """Pass a request to talk to an adviser to the operators' chat (a link, no personal data)."""
        chat = update.effective_chat
        if chat is None:
            return
        if self.ctx.operator_chat_id is None or session_id is None:
            unavailable = OutgoingMessage(escape(text(lang, "telegram.handoff.unavailable")))
            await self.delivery.reply(update, [unavailable], lang)
            return
        base = (self.ctx.review_base_url or "").rstrip("/")
        link = f"{base}/sessions/{session_id}" if base else f"#{session_id}"
        request = text(OPERATOR_LANG, "telegram.handoff.operator_request", session=session_id, link=link)
        posted = await chat.get_bot().send_message(chat_id=self.ctx.operator_chat_id, text=request)
        await self.ctx.store.create_handoff(session_id, self.ctx.operator_chat_id, posted.message_id)
        requested = OutgoingMessage(escape(text(lang, "telegram.handoff.requested")))
        await self.delivery.reply(update, [requested], lang)

    def _chosen_label(self, state: SessionState, event: Event) -> str | None:
        """What the person chose, in full, to show under the question once it is answered: the
        option pressed, or for a multiple choice the options ticked."""
        if not isinstance(event, ChoiceInput):
            return None
        prompt = service.prompt_of(self.dialogue.resume(state).replies)
        options = prompt.options if prompt else []
        if event.value == DONE:
            keys = [o.label.params.get("label_key") for o in options if o.value in (state.selection or [])]
            return ", ".join(text(state.lang, key) for key in keys if isinstance(key, str)) or None
        picked = [o for o in options if o.value == event.value]
        return render(picked[0].label, state.lang) if picked else None

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
        if press.question_tag == question_tag("language") and press.value in ("fr", "nl", "en"):
            return ChoiceInput("language", press.value, state.version)
        prompt = service.prompt_of(self.dialogue.resume(state).replies)
        for index, option in enumerate(prompt.options if prompt else []):
            if question_tag(option.question_id) != press.question_tag:
                continue
            if press.value == option.value or press.option_index == index:
                return ChoiceInput(option.question_id, option.value, option.state_version)
        return None


PRESS_PATTERNS: tuple[tuple[str, PressHandler], ...] = (
    (rf"^{RESULT_PREFIX}\|", Handlers.press_result),
    (rf"^{CONFIRM_PREFIX}\|", Handlers.press_confirm),
    (rf"^{SHARE_PREFIX}\|", Handlers.press_share),
    (rf"^{REMINDER_PREFIX}\|", lambda handlers, press: handlers.reminders.press(press)),
    (rf"^{ANSWER_PREFIX}\|", Handlers.press_answer),
)
"""Callback data prefix → the handler of that kind of button; anything else is a stale press."""


def _html_of(query: CallbackQuery) -> str | None:
    """The pressed message's text as HTML (to show the option chosen under it)."""
    if not isinstance(query.message, Message) or query.message.text is None:
        return None
    return query.message.text_html


def _result_file(
    assessment: Assessment,
    lang: Lang,
    view: str,
    page: int,
    links: ResultLinks,
    day: date,
    answers: Answers | None = None,
) -> list[Outgoing]:
    """A detail view (one page) as a message, or the result as a PDF (saying whose situation it is
    from ``answers``) / the dated steps to come as a calendar file; dates are said from ``day``."""
    if view in TEXT_VIEWS:
        return list(detail_messages(assessment, lang, view, page, links, today=day))
    result = build_view(assessment, lang, today=day, answers=answers)
    name = text(lang, "result.file.pdf" if view == "pdf" else "result.file.ics")
    if view == "pdf":
        return [OutgoingDocument(f"{name}.pdf", pdf_file(result), text(lang, "result.pdf_caption"), PDF_MIME)]
    calendar = calendar_file(result, today=day, owner=links.data("calendar"))
    if calendar is None:
        return [OutgoingMessage(escape(text(lang, "result.no_dates")))]
    return [OutgoingDocument(f"{name}.ics", calendar, text(lang, "result.ics_caption"), ICS_MIME)]
