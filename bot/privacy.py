"""The privacy notice (/privacy): what is kept, who can read it, for how long, and who answers for it.

The controller (who is responsible for the data, GDPR art. 13) comes from the settings
``GUICHET_CONTROLLER_NAME`` and ``GUICHET_CONTROLLER_CONTACT``; until both are set the notice says
plainly that they have not been given.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Lang, text


@dataclass(frozen=True)
class Controller:
    """Who is responsible for the data and how to reach them (unset until configured)."""

    name: str | None = None
    contact: str | None = None


def privacy_notice(lang: Lang, retention_days: int, controller: Controller) -> str:
    """The /privacy text in ``lang``."""
    if controller.name and controller.contact:
        who = text(lang, "telegram.privacy_controller", name=controller.name, contact=controller.contact)
    else:
        who = text(lang, "telegram.privacy_controller_unset")
    return text(lang, "telegram.privacy", days=retention_days, controller=who)
