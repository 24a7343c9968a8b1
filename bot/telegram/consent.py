"""Sharing a result with the employer whose invite opened the session, with the person's consent
given in the chat: each press on a share button acts on the store and is answered by one message.

``ask`` (the result's button) asks a one-tap confirmation saying what the employer will see (the
result's text, never the answers or the conversation); ``yes`` shares, ``no`` keeps it private,
``stop`` withdraws the consent. A press on a result that was deleted answers "no longer kept".
"""

from __future__ import annotations

from typing import Any

from bot.i18n import Lang, text
from bot.store import AsyncSessionStore, UnknownSessionError
from bot.telegram.formatting import escape
from bot.telegram.links import ResultLinks, ShareAction
from bot.telegram.views import Button, InlineKeyboard, OutgoingMessage, share_button


def _message(lang: Lang, key: str, *buttons: Button, **params: Any) -> OutgoingMessage:
    keyboard = InlineKeyboard(tuple((button,) for button in buttons)) if buttons else None
    return OutgoingMessage(escape(text(lang, key, **params)), keyboard)


async def answer_share_press(
    store: AsyncSessionStore, links: ResultLinks, action: ShareAction, lang: Lang
) -> OutgoingMessage:
    """Apply a (signature-checked) press on a share button of the result ``links`` points to, and
    say plainly what is now shared, with the button that undoes it."""
    session_id = links.session_id
    stop = (text(lang, "result.button.share_stop"), links.share_data("stop"))
    try:
        employer = await store.inviting_employer(session_id)
        if employer is None:
            return _message(lang, "result.share.unavailable")
        if action == "yes":
            share = await store.share_result(session_id)
            return _message(lang, "result.share.done", stop, employer=share.employer)
        if action == "stop":
            withdrawn = await store.withdraw_result_share(session_id)
            key = "result.share.stopped" if withdrawn else "result.share.not_shared"
            return _message(lang, key, share_button(lang, links), employer=employer)
        if await store.result_share(session_id) is not None:
            return _message(lang, "result.share.already", stop, employer=employer)
        if action == "no":
            return _message(lang, "result.share.declined", employer=employer)
        yes = (text(lang, "result.button.share_yes"), links.share_data("yes"))
        no = (text(lang, "result.button.share_no"), links.share_data("no"))
        return _message(lang, "result.share.ask", yes, no, employer=employer)
    except UnknownSessionError:
        return _message(lang, "result.gone")
    except ValueError:  # the session has no result (any more): nothing to share
        return _message(lang, "result.share.unavailable")
