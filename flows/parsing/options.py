"""Choice answers given in the person's own words ("ma femme", "CDI", "je sais pas", "bachelor
verpleegkunde"), read from per-language word lists rather than from the option labels."""

from __future__ import annotations

from bot.i18n import Lang
from flows.parsing.common import Parsed, failure


def parse_option_words(question_id: str, text: str, lang: Lang) -> Parsed[str]:
    """The option value of ``question_id`` that ``text`` names in ``lang``'s word lists.

    Returns the value (with ``understood`` set), or ``alternatives`` when the words fit several
    options (e.g. a girlfriend: married or not?), or an error when nothing matches.
    """
    return failure("option.unknown")
