"""Dialogue replies → Telegram messages (HTML text and inline keyboards). No network here."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.i18n import Lang, render, text
from bot.render import render_assessment_text
from bot.telegram.callback import NAV_ADVISER, NAV_BACK, NAV_LANGUAGE, encode
from bot.telegram.formatting import TELEGRAM_LIMIT, escape, split_message
from flows.dialogue import Reply

NAV_TAG_ID = "!nav"
_TAG = re.compile(r"</?[a-z]+>")
SHORT_LABEL = 18
LONG_LABEL = 40


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
    """One message to send: HTML text and an optional keyboard (only on the last chunk)."""

    html: str
    keyboard: InlineKeyboard | None = None

    @property
    def plain(self) -> str:
        """The text as kept in the transcript: HTML tags removed, entities decoded."""
        return html.unescape(_TAG.sub("", self.html))


def assessment_html(reply: Reply, lang: Lang) -> str:
    """The result as HTML: headings (upper-case lines) in bold, everything else escaped."""
    assert reply.assessment is not None
    lines = []
    for line in render_assessment_text(reply.assessment, lang).splitlines():
        stripped = line.strip()
        is_heading = stripped and stripped == stripped.upper() and any(c.isalpha() for c in stripped)
        lines.append(f"<b>{escape(line)}</b>" if is_heading else escape(line))
    return "\n".join(lines)


def button_label(index: int, label: str) -> str:
    """A label that fits on a phone: long ones are numbered and cut (listed in full in the text)."""
    if len(label) <= LONG_LABEL:
        return label
    return f"{index + 1}. {label[: LONG_LABEL - 4].rstrip()}…"


def long_option_list(reply: Reply, lang: Lang) -> str:
    """The full labels, numbered, when some are too long for a button ('' otherwise)."""
    labels = [render(option.label, lang) for option in reply.options]
    if all(len(label) <= LONG_LABEL for label in labels):
        return ""
    return "\n".join(f"{number}. {escape(label)}" for number, label in enumerate(labels, 1))


def keyboard_for(
    reply: Reply, lang: Lang, state_version: int, *, navigation: bool, adviser: bool = False
) -> InlineKeyboard | None:
    """One button per option (two per row when labels are short), plus back / language buttons."""
    rows: list[tuple[Button, ...]] = []
    row: list[Button] = []
    for index, option in enumerate(reply.options):
        label = button_label(index, render(option.label, lang))
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
    if adviser:
        label = text(lang, "telegram.button.adviser")
        rows.append(((label, encode(NAV_TAG_ID, state_version, NAV_ADVISER, 2)),))
    if navigation:
        rows.append(
            (
                (text(lang, "telegram.button.back"), encode(NAV_TAG_ID, state_version, NAV_BACK, 0)),
                (text(lang, "telegram.button.language"), encode(NAV_TAG_ID, state_version, NAV_LANGUAGE, 1)),
            )
        )
    return InlineKeyboard(tuple(rows)) if rows else None


def messages_for(
    replies: list[Reply], lang: Lang, state_version: int, *, adviser: bool = False
) -> list[OutgoingMessage]:
    """Every reply of a turn as Telegram messages within the 4096-character limit (results get a
    "talk to an adviser" button when ``adviser`` is on)."""
    out: list[OutgoingMessage] = []
    for reply in replies:
        body = "\n".join(escape(render(message, lang)) for message in reply.messages)
        listing = long_option_list(reply, lang)
        if listing:
            body = f"{body}\n\n{listing}"
        if reply.assessment is not None:
            body = f"{body}\n\n{assessment_html(reply, lang)}" if body else assessment_html(reply, lang)
        language_menu = bool(reply.options) and all(o.question_id == "language" for o in reply.options)
        navigation = reply.kind == "question" and not language_menu
        offers_adviser = adviser and reply.assessment is not None
        keyboard = keyboard_for(reply, lang, state_version, navigation=navigation, adviser=offers_adviser)
        chunks = split_message(body) or ["…"]
        out += [OutgoingMessage(chunk) for chunk in chunks[:-1]]
        out.append(OutgoingMessage(chunks[-1], keyboard))
    return merge_short(out)


def merge_short(messages: list[OutgoingMessage]) -> list[OutgoingMessage]:
    """Join consecutive messages into one when it fits (only the last may carry a keyboard): a
    notice and the question that follows arrive as one message, one notification, one request."""
    merged: list[OutgoingMessage] = []
    for item in messages:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.keyboard is None
            and len(previous.html) + len(item.html) + 2 <= TELEGRAM_LIMIT
        ):
            merged[-1] = OutgoingMessage(f"{previous.html}\n\n{item.html}", item.keyboard)
        else:
            merged.append(item)
    return merged
