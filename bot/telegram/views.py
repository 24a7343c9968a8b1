"""Dialogue replies → Telegram messages (HTML text and inline keyboards). No network here.

Replies are told apart by their kind, never by their position in the turn. A result becomes a
short first message (``bot/result/templates/telegram.html.j2``) whose buttons open each detail
view, the PDF and the calendar file; help and the welcome get the Telegram commands.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from bot.engine import Assessment, Message
from bot.i18n import Lang, catalog, render, text
from bot.result import ResultView, build_view, render_pages, render_view
from bot.telegram.callback import NAV_ADVISER, NAV_BACK, NAV_LANGUAGE, encode
from bot.telegram.formatting import TELEGRAM_LIMIT, escape, split_message
from bot.telegram.links import RESULT_VIEW_KEYS, ResultLinks
from bot.telegram.reminder_links import opt_in_row
from flows.dialogue import Reply

NAV_TAG_ID = "!nav"
_TAG = re.compile(r"</?[a-z]+[^>]*>")
SHORT_LABEL = 18
MAX_LABEL = 30
SHORT_PREFIX = "telegram.short."
HELP_KINDS = frozenset({"help"})
HELP_COMMANDS_KEY = "dialogue.help.commands"
WELCOME_KEY = "dialogue.welcome"
PAGE_LIMIT = TELEGRAM_LIMIT - 200  # room for the page line


Button = tuple[str, str]  # (label, callback data)


@dataclass(frozen=True)
class InlineKeyboard:
    """Rows of inline buttons, kept as plain data: no python-telegram-bot objects are built for a
    reply (on the turn's path, they cost more than the rest of the rendering)."""

    rows: tuple[tuple[Button, ...], ...]

    def markup(self) -> dict[str, Any]:
        """The Bot API's ``InlineKeyboardMarkup`` as JSON-ready data."""
        return {
            "inline_keyboard": [
                [{"text": label, "callback_data": data} for label, data in row] for row in self.rows
            ]
        }


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to send: HTML text and an optional keyboard (only on the last chunk).
    ``result`` is set on a result's first message, whose buttons need the saved session's id;
    ``prompt`` on the message that asks the current question (its earlier copies lose their buttons)."""

    html: str
    keyboard: InlineKeyboard | None = None
    result: Reply | None = field(default=None, compare=False)
    prompt: bool = False  # the dialogue's current question: its buttons answer it once

    @property
    def plain(self) -> str:
        """The text as kept in the transcript: HTML tags removed, entities decoded."""
        return html.unescape(_TAG.sub("", self.html))


@dataclass(frozen=True)
class OutgoingDocument:
    """A file to send with ``sendDocument`` (the PDF or the calendar), with a short caption."""

    filename: str
    content: bytes
    caption: str
    mime_type: str

    @property
    def plain(self) -> str:
        """What the transcript keeps: the file's name and caption, not its content."""
        return f"[{self.filename}] {self.caption}"


Outgoing = OutgoingMessage | OutgoingDocument


def short_label(label: Message, lang: Lang) -> str:
    """An option's button label: its short form ``telegram.short.<key>`` when the full wording is
    too long for a phone (the full wording is then listed in the message); a label built from
    others ("✓ {label_key}", "Change: {label_key}") uses their short forms too."""
    messages = catalog(lang)

    def shorter(key: str) -> str:
        return f"{SHORT_PREFIX}{key}" if f"{SHORT_PREFIX}{key}" in messages else key

    params = {
        name: shorter(value) if name.endswith("_key") and isinstance(value, str) else value
        for name, value in label.params.items()
    }
    return text(lang, shorter(label.key), **params)


def button_label(index: int, label: str) -> str:
    """A label that fits on a phone (at most 30 characters). Every long option has a short form in
    the locales (tested); this cut, numbered and at a word, is only a safety net."""
    if len(label) <= MAX_LABEL:
        return label
    prefix = f"{index + 1}. "
    room = MAX_LABEL - len(prefix) - 1
    cut = label[:room].rsplit(" ", 1)[0] if " " in label[:room] else label[:room]
    return f"{prefix}{cut.rstrip(' ,;:')}…"


def long_option_list(reply: Reply, lang: Lang) -> str:
    """The full wording of the options, when some buttons show a short form ('' otherwise)."""
    if all(short_label(option.label, lang) == render(option.label, lang) for option in reply.options):
        return ""
    return "\n".join(f"• {escape(render(option.label, lang))}" for option in reply.options)


def chosen_message(question_html: str, label: str) -> OutgoingMessage:
    """An answered question as it stays in the chat: its text and the option chosen, no buttons."""
    return OutgoingMessage(f"{question_html}\n\n<b>✓ {escape(label)}</b>")


def _option_rows(reply: Reply, lang: Lang) -> list[tuple[Button, ...]]:
    """One button per option, two per row when labels are short."""
    rows: list[tuple[Button, ...]] = []
    row: list[Button] = []
    for index, option in enumerate(reply.options):
        label = button_label(index, short_label(option.label, lang))
        button = (label, encode(option.question_id, option.state_version, option.value, index))
        if len(label) <= SHORT_LABEL:
            row.append(button)
            if len(row) == 2:
                rows.append(tuple(row))
                row = []
        else:
            if row:
                rows.append(tuple(row))
                row = []
            rows.append((button,))
    if row:
        rows.append(tuple(row))
    return rows


def _adviser_row(lang: Lang, state_version: int) -> tuple[Button, ...]:
    return ((text(lang, "telegram.button.adviser"), encode(NAV_TAG_ID, state_version, NAV_ADVISER, 2)),)


def keyboard_for(
    reply: Reply, lang: Lang, state_version: int, *, navigation: bool, adviser: bool = False
) -> InlineKeyboard | None:
    """The reply's options, plus "talk to an adviser" and back / language buttons when asked."""
    rows = _option_rows(reply, lang)
    if adviser:
        rows.append(_adviser_row(lang, state_version))
    if navigation:
        rows.append(
            (
                (text(lang, "telegram.button.back"), encode(NAV_TAG_ID, state_version, NAV_BACK, 0)),
                (text(lang, "telegram.button.language"), encode(NAV_TAG_ID, state_version, NAV_LANGUAGE, 1)),
            )
        )
    return InlineKeyboard(tuple(rows)) if rows else None


def result_keyboard(
    reply: Reply,
    view: ResultView,
    lang: Lang,
    state_version: int,
    links: ResultLinks | None,
    *,
    adviser: bool,
) -> InlineKeyboard | None:
    """The result's buttons: each detail view, the PDF, the calendar (when a step has a date), sharing
    with the employer when an invite opened the session, the adviser when hand-off is on, then the
    dialogue's own options (review answers, start again)."""
    rows: list[tuple[Button, ...]] = []
    if links is not None:
        offered = {"calendar": bool(view.dated_steps), "documents": bool(view.documents)}
        names = [name for name in RESULT_VIEW_KEYS if offered.get(name, True)]
        buttons = [(text(lang, f"result.button.{name}"), links.data(name)) for name in names]
        rows += [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        if links.invited:
            rows.append((share_button(lang, links),))
        if reminder := opt_in_row(lang, links.session_id, reply.assessment):
            rows.append(reminder)
    if adviser:
        rows.append(_adviser_row(lang, state_version))
    rows += _option_rows(reply, lang)
    return InlineKeyboard(tuple(rows)) if rows else None


def share_button(lang: Lang, links: ResultLinks) -> Button:
    """The button that offers to share the result with the employer who invited the person."""
    return (text(lang, "result.button.share"), links.share_data("ask"))


@cache
def _channel_sentence(lang: Lang, key: str) -> str:
    """A fixed Telegram sentence (no placeholder), escaped once per language."""
    return escape(text(lang, key))


def _body(reply: Reply, lang: Lang) -> str:
    """The reply's sentences; help gets the Telegram commands instead of the dialogue's generic
    list, the welcome gets a word on buttons and /help."""
    help_text = reply.kind in HELP_KINDS
    welcome = False
    lines: list[str] = []
    for message in reply.messages:
        if message.key == HELP_COMMANDS_KEY:
            help_text = True
            continue
        welcome = welcome or message.key == WELCOME_KEY
        lines.append(escape(render(message, lang)))
    if help_text:
        lines.append(_channel_sentence(lang, "telegram.help_commands"))
    if welcome:
        lines.append(_channel_sentence(lang, "telegram.welcome_hint"))
    return "\n".join(lines)


def messages_for(
    replies: list[Reply],
    lang: Lang,
    state_version: int,
    *,
    adviser: bool = False,
    links: ResultLinks | None = None,
    today: date | None = None,
) -> list[OutgoingMessage]:
    """Every reply of a turn as Telegram messages within the 4096-character limit. A result gets its
    detail buttons when ``links`` (bound to the saved session) is given, and its dates are said
    from ``today`` (by default the day it was worked out)."""
    out: list[OutgoingMessage] = []
    for reply in replies:
        if reply.kind == "result" and reply.assessment is not None:
            view = build_view(reply.assessment, lang, today=today)
            body = render_view("telegram", "first", view, limit=TELEGRAM_LIMIT)
            keyboard = result_keyboard(reply, view, lang, state_version, links, adviser=adviser)
            out.append(OutgoingMessage(body, keyboard, result=reply))
            continue
        body = _body(reply, lang)
        listing = long_option_list(reply, lang)
        if listing:
            body = f"{body}\n\n{listing}"
        language_menu = bool(reply.options) and all(o.question_id == "language" for o in reply.options)
        navigation = reply.kind == "question" and not language_menu
        keyboard = keyboard_for(reply, lang, state_version, navigation=navigation)
        chunks = split_message(body) or ["…"]
        out += [OutgoingMessage(chunk) for chunk in chunks[:-1]]
        out.append(OutgoingMessage(chunks[-1], keyboard, prompt=keyboard is not None))
    return merge_short(out)


def detail_messages(
    assessment: Assessment,
    lang: Lang,
    name: str,
    page: int,
    links: ResultLinks,
    *,
    today: date | None = None,
) -> list[OutgoingMessage]:
    """One page of a detail view of a saved result (all steps, documents, why and sources), with
    buttons to the previous and next pages when the view takes more than one message."""
    pages = render_pages("telegram", name, build_view(assessment, lang, today=today), limit=PAGE_LIMIT)
    shown = min(max(page, 1), len(pages))
    body = pages[shown - 1]
    if len(pages) == 1:
        return [OutgoingMessage(body)]
    body += "\n\n" + escape(text(lang, "result.page", page=str(shown), pages=str(len(pages))))
    row: list[Button] = []
    if shown > 1:
        row.append((text(lang, "result.button.previous_page"), links.data(name, shown - 1)))
    if shown < len(pages):
        row.append((text(lang, "result.button.next_page"), links.data(name, shown + 1)))
    return [OutgoingMessage(body, InlineKeyboard((tuple(row),)))]


def merge_short(messages: list[OutgoingMessage]) -> list[OutgoingMessage]:
    """Join consecutive messages into one when it fits (only the last may carry a keyboard): a
    notice and the question that follows arrive as one message, one notification, one request."""
    merged: list[OutgoingMessage] = []
    for item in messages:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.keyboard is None
            and previous.result is None
            and item.result is None
            and len(previous.html) + len(item.html) + 2 <= TELEGRAM_LIMIT
        ):
            merged[-1] = OutgoingMessage(f"{previous.html}\n\n{item.html}", item.keyboard, prompt=item.prompt)
        else:
            merged.append(item)
    return merged
