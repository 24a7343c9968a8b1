"""What the Telegram adapter's parts share: the dialogue, the store and the bot's settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import User

from bot.i18n import LANGS, Lang, normalise_lang
from bot.privacy import Controller
from bot.store import AsyncSessionStore
from flows.dialogue import Dialogue

CHANNEL = "telegram"
OPERATOR_LANG: Lang = "en"


@dataclass
class BotContext:
    """What the handlers share: the dialogue, the store, the retention period, the hand-off
    configuration (the operators' chat, who may answer there, and the review console's address)
    the key that signs the result's buttons, and who answers for the data (for /privacy)."""

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


def user_key(user: User) -> str:
    """The store's key for a Telegram user."""
    return str(user.id)


def user_lang(saved: str | None, user: User | None) -> Lang:
    """The session's language when it has one, else the language of the person's Telegram app."""
    if saved in LANGS:
        return normalise_lang(saved)
    return normalise_lang(user.language_code if user else None)
