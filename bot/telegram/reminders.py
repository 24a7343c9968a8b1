"""Telegram side of the reminders: the opt-in at the result, /reminders, the dates the bot asks for
(/arrived, /cardexpiry, /refusal or their buttons), and the sender the scheduler uses.

Every answer goes through the one delivery path (:meth:`bot.telegram.delivery.Delivery.reply`). The question
"which date?" waits in memory for the person's next typed message (a restart forgets it: pressing
the button again asks again); a command may carry the date itself ("/arrived 2 March").
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.engine import Message
from bot.i18n import Lang, normalise_lang, render, text
from bot.reminders.plan import (
    BRUSSELS,
    DATE_KINDS,
    DATE_STEPS,
    DateKind,
    answer_date,
    date_bounds,
    dates_that_matter,
    plan_from_result,
)
from bot.reminders.scheduler import Send, SendOutcome
from bot.store import AsyncSessionStore, StoredSession
from bot.store.reminders import Reminder
from bot.telegram.context import CHANNEL, BotContext, user_lang
from bot.telegram.delivery import Delivery, DeliveryUncertain, acknowledge, send_outgoing, surely_not_sent
from bot.telegram.formatting import escape
from bot.telegram.links import ResultLinks
from bot.telegram.reminder_links import ReminderPress, date_rows, read_reminder_press, reminder_data
from bot.telegram.views import Button, InlineKeyboard, Outgoing, OutgoingMessage, messages_for
from flows.control import Control, read_control
from flows.parsing.dates import parse_date
from flows.turns import Reply

if TYPE_CHECKING:
    from bot.telegram.handlers import Press

DATE_COMMANDS: dict[str, DateKind] = {"arrived": "arrival", "cardexpiry": "expiry", "refusal": "refusal"}
CANCEL_LABEL_DATE = "%d/%m/%Y"

log = logging.getLogger(__name__)


def _say(lang: Lang, key: str, **params: Any) -> str:
    return escape(text(lang, key, **params))


def describe(reminder: Reminder, lang: Lang) -> str:
    """What a reminder is about, in one short phrase (for /reminders)."""
    if reminder.kind == "step":
        return render(Message.model_validate(reminder.params["title"]), lang)
    return text(lang, f"reminders.what.{reminder.kind}", event_date=reminder.event_date)


def reminder_text(reminder: Reminder, lang: Lang) -> str:
    """The reminder itself, as sent on its day (HTML)."""
    params = {name: value for name, value in reminder.params.items() if name.endswith("_date")}
    params["event_date"] = reminder.event_date
    if reminder.kind == "step":
        title = render(Message.model_validate(reminder.params["title"]), lang)
        if reminder.params.get("ask") == "arrival":
            variant = "arrival"
        elif "window_start_date" in reminder.params:
            variant = "window"
        else:
            variant = "deadline" if reminder.params.get("timing") == "deadline" else "from"
        body = text(lang, f"reminders.send.step_{variant}", title=title, **params)
    else:
        body = text(lang, f"reminders.send.{reminder.kind}", **params)
    return f"{escape(body)}\n\n{_say(lang, 'reminders.footer')}"


class ReminderHandlers:
    """The reminder commands and buttons; replies go through the bot's delivery path. A press that
    no longer applies goes to ``stale`` (the handlers' short notice and the current question)."""

    def __init__(
        self, ctx: BotContext, delivery: Delivery, stale: Callable[[Press], Awaitable[None]]
    ) -> None:
        self.ctx = ctx
        self.delivery = delivery
        self.stale = stale
        self._asked: dict[str, tuple[DateKind, int]] = {}  # user → (date asked for, session id)

    @property
    def store(self) -> AsyncSessionStore:
        """The bot's store."""
        return self.ctx.store

    def today(self) -> date:
        """Today, as the interview sees it (injectable through the dialogue)."""
        return self.ctx.dialogue.today()

    async def _reply(
        self,
        update: Update,
        lang: Lang,
        body: str,
        rows: list[tuple[Button, ...]],
        *,
        drop: int | None = None,
    ) -> None:
        keyboard = InlineKeyboard(tuple(rows)) if rows else None
        await self.delivery.reply(update, [OutgoingMessage(body, keyboard)], lang, drop=drop)

    async def _result(self, update: Update) -> tuple[StoredSession | None, Lang] | None:
        """The person's latest session and language; None for an update already processed."""
        user = update.effective_user
        if user is None or (check := await self.delivery.open(update)) is None:
            return None
        stored = check.session
        return stored, user_lang(stored.lang if stored else None, user)

    # -- /reminders ---------------------------------------------------------------------------------

    async def list_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/reminders: the scheduled reminders, each with a button to cancel it."""
        opened = await self._result(update)
        if opened is None or update.effective_user is None:
            return
        stored, lang = opened
        await self._send_list(update, str(update.effective_user.id), stored, lang, prefix="")

    async def _send_list(
        self,
        update: Update,
        user_key: str,
        stored: StoredSession | None,
        lang: Lang,
        *,
        prefix: str,
        drop: int | None = None,
    ) -> None:
        reminders = await self.store.user_reminders(CHANNEL, user_key)
        rows: list[tuple[Button, ...]] = []
        if reminders:
            lines = [_say(lang, "reminders.list.title")]
            for reminder in reminders:
                day = reminder.due_at.astimezone(BRUSSELS).date()
                lines.append(
                    f"• {_say(lang, 'reminders.list.item', remind_date=day.isoformat())} "
                    f"{escape(describe(reminder, lang))}"
                )
                label = text(lang, "reminders.button.cancel", short=day.strftime(CANCEL_LABEL_DATE))
                rows.append(((label, reminder_data("x", reminder.id)),))
            rows.append(((text(lang, "reminders.button.off"), reminder_data("off")),))
            body = "\n".join(lines)
        else:
            body = _say(lang, "reminders.list.empty")
        rows += await self._date_rows(stored)
        await self._reply(update, lang, f"{prefix}{body}", rows, drop=drop)

    async def _date_rows(self, stored: StoredSession | None) -> list[tuple[Button, ...]]:
        if stored is None or not await self.store.has_reminder_consent(stored.id):
            return []
        assessment = await self.store.latest_assessment(stored.id)
        return (
            []
            if assessment is None
            else date_rows(normalise_lang(stored.lang), dates_that_matter(assessment))
        )

    # -- buttons ------------------------------------------------------------------------------------

    async def press(self, press: Press) -> None:
        """A press on a reminder button: forged, malformed or belonging to an earlier result, it is
        stale; a press on the /reminders list replaces that list."""
        reminder = read_reminder_press(press.data)
        stored, lang, update = press.stored, press.lang, press.update
        if reminder is None or (reminder.action == "ask" and reminder.date_kind is None):
            await self.stale(press)
            return
        if reminder.action == "on" and (
            stored is None
            or reminder.number != stored.id
            or await self.store.latest_assessment(stored.id) is None
        ):
            await self.stale(press)  # an older result (the person has moved on), or no result at all
            return
        await acknowledge(press.query)
        user_key = str(press.user.id)
        if reminder.action == "on":
            await self._opt_in(update, reminder, stored, lang)
        elif reminder.action == "ask":
            await self._ask(update, reminder.date_kind, stored, lang)
        elif reminder.action == "x":
            done = reminder.number is not None and await self.store.cancel_reminder(
                CHANNEL, user_key, reminder.number
            )
            note = _say(lang, "reminders.cancelled" if done else "reminders.not_found")
            await self._send_list(update, user_key, stored, lang, prefix=f"{note}\n\n", drop=press.message_id)
        else:
            count = await self.store.withdraw_reminders(CHANNEL, user_key)
            self._asked.pop(user_key, None)
            await self._reply(
                update, lang, _say(lang, "reminders.withdrawn", count=count), [], drop=press.message_id
            )

    async def _opt_in(
        self, update: Update, press: ReminderPress, stored: StoredSession | None, lang: Lang
    ) -> None:
        if stored is None:
            return
        assessment = await self.store.latest_assessment(stored.id)
        if assessment is None:
            await self._reply(update, lang, _say(lang, "result.gone"), [])
            return
        planned = plan_from_result(assessment, self.today())
        count = await self.store.agree_to_reminders(stored.id, planned)
        days = self.ctx.retention_days
        if planned:
            last = max(p.remind_on for p in planned).isoformat()
            body = _say(lang, "reminders.agreed", count=count, until_date=last, days=days)
        else:
            body = _say(lang, "reminders.agreed_no_dates", days=days)
        kinds = dates_that_matter(assessment)
        if kinds:
            body += "\n\n" + _say(lang, "reminders.dates_intro")
        await self._reply(update, lang, body, date_rows(lang, kinds))

    # -- the dates the bot asks for -----------------------------------------------------------------

    async def date_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/arrived, /cardexpiry, /refusal: with a date, answered at once; without, the date is asked."""
        message = update.effective_message
        if message is None or not message.text:
            return
        command = message.text.split()[0].lstrip("/").split("@")[0].lower()
        kind = DATE_COMMANDS.get(command)
        opened = await self._result(update)
        if opened is None or kind is None:
            return
        stored, lang = opened
        typed = " ".join(context.args or [])
        if typed:
            await self._given(update, kind, stored, lang, typed)
        else:
            await self._ask(update, kind, stored, lang)

    async def _ask(
        self, update: Update, kind: DateKind | None, stored: StoredSession | None, lang: Lang
    ) -> None:
        user = update.effective_user
        if kind is None or user is None:
            return
        if stored is None or await self.store.latest_assessment(stored.id) is None:
            await self._reply(update, lang, _say(lang, "reminders.no_result"), [])
            return
        self._asked[str(user.id)] = (kind, stored.id)
        await self._reply(update, lang, _say(lang, f"reminders.ask.{kind}"), [])

    async def typed(self, update: Update, typed: str) -> bool:
        """The answer to a date asked for, when one is awaited: True when it was handled here. A
        command or control word ("back", "help"…) drops the question and is handled as usual."""
        user = update.effective_user
        asked = self._asked.get(str(user.id)) if user else None
        if user is None or asked is None:
            return False
        if isinstance(read_control(typed), Control) or typed.startswith("/"):
            self._asked.pop(str(user.id), None)
            return False
        opened = await self._result(update)
        if opened is None:
            return True
        stored, lang = opened
        if stored is None or stored.id != asked[1]:  # erased, or started again since: not a date any more
            self.forget(user.id)
            return False
        await self._given(update, asked[0], stored, lang, typed)
        return True

    def forget(self, user_id: int) -> None:
        """Stop waiting for a date from this person (they pressed a button, or moved on)."""
        self._asked.pop(str(user_id), None)

    async def _given(
        self, update: Update, kind: DateKind, stored: StoredSession | None, lang: Lang, typed: str
    ) -> None:
        """Read the date; refuse it with a fitting example, or say what it means and schedule the
        reminder (when the person agreed to reminders)."""
        user = update.effective_user
        if stored is None or user is None or await self.store.latest_assessment(stored.id) is None:
            await self._reply(update, lang, _say(lang, "reminders.no_result"), [])
            return
        today = self.today()
        bounds = date_bounds(kind, today, stored.created_at.astimezone(BRUSSELS).date())
        parsed = parse_date(typed, lang, earliest=bounds.earliest, latest=bounds.latest, today=today)
        if parsed.value is None or parsed.error is not None:
            error = render(parsed.error, lang) if parsed.error else ""
            hint = text(lang, f"reminders.bounds.{kind}", earliest_date=bounds.earliest.isoformat())
            self._asked[str(user.id)] = (kind, stored.id)  # still waiting for the date
            await self._reply(update, lang, escape(f"{hint} {error}"), [])
            return
        self._asked.pop(str(user.id), None)
        answer = answer_date(kind, parsed.value, today)
        params: dict[str, Any] = {
            "given_date": answer.given.isoformat(),
            "deadline_date": answer.deadline.isoformat(),
            "window_start_date": (answer.window_start or answer.deadline).isoformat(),
        }
        lines = [_say(lang, f"reminders.answer.{kind}", **params)]
        rows: list[tuple[Button, ...]] = []
        if answer.reminder is None:
            lines.append(
                _say(lang, f"reminders.past.{kind}" if answer.deadline < today else "reminders.too_soon")
            )
        elif await self.store.schedule_reminders(
            stored.id, [answer.reminder], replaces=sorted(DATE_STEPS[kind])
        ):
            lines.append(_say(lang, "reminders.scheduled", remind_date=answer.reminder.remind_on.isoformat()))
        else:
            lines.append(_say(lang, "reminders.offer"))
            rows.append(((text(lang, "reminders.button.opt_in"), reminder_data("on", stored.id)),))
        await self._reply(update, lang, "\n\n".join(lines), rows)


# -- the scheduler's sender ---------------------------------------------------------------------


def rules_notice_messages(
    reminder: Reminder, lang: Lang, result: Reply, links: ResultLinks
) -> list[Outgoing]:
    """A rules-change notice: what changed, in one sentence, then the new result with its buttons."""
    changed = [text(lang, f"reminders.changed.{name}") for name in reminder.params.get("changed", [])]
    intro = _say(lang, "reminders.send.rules", changes=", ".join(changed), event_date=reminder.event_date)
    return [OutgoingMessage(intro), *messages_for([result], lang, 0, links=links)]


def telegram_sender(bot: Bot, store: AsyncSessionStore, result_key: bytes) -> Send:
    """The scheduler's :data:`~bot.reminders.scheduler.Send` for Telegram: through the bot (and so
    its rate limiter), with the delivery's send-and-retry rules."""

    async def send(reminder: Reminder) -> SendOutcome:
        lang = normalise_lang(reminder.lang)
        asks = [kind for kind in DATE_KINDS if reminder.params.get("ask") == kind]
        keyboard = InlineKeyboard(tuple(date_rows(lang, asks))) if asks else None
        outgoing: list[Outgoing] = [OutgoingMessage(reminder_text(reminder, lang), keyboard)]
        if reminder.kind == "rules":
            assessment = await store.latest_assessment(reminder.session_id)
            if assessment is None:
                return "failed"
            result = Reply(kind="result", messages=[], assessment=assessment)
            links = ResultLinks(result_key, reminder.user_key, reminder.session_id)
            outgoing = rules_notice_messages(reminder, lang, result, links)
        try:
            await send_outgoing(bot, int(reminder.user_key), outgoing)
        except Forbidden:
            return "blocked"
        except DeliveryUncertain:
            return "uncertain"
        except RetryAfter:
            return "retry"
        except BadRequest as error:
            log.warning("reminder %d refused by Telegram: %s", reminder.id, error)
            return "failed"
        except TelegramError as error:
            return "retry" if surely_not_sent(error) else "uncertain"
        try:
            plain = "\n".join(item.plain for item in outgoing)
            await store.append_transcript(reminder.session_id, "out", f"[reminder] {plain}")
        except Exception as error:  # the reminder went out; the transcript line is a convenience
            log.info("reminder %d: transcript not written (%s)", reminder.id, type(error).__name__)
        return "sent"

    return send
