"""Numbers written as words ("vingt-cinq", "drieëntwintig", "twenty five") turned into digits with
``text2num`` (French, Dutch, English), so the parsers read them like typed digits. Small numbers
that are also articles ("un", "een", "a") are left as words: the word lists decide those."""

from __future__ import annotations

from text_to_num import alpha2digit

from bot.i18n import Lang


def spelled_out(text: str, lang: Lang) -> tuple[str, bool]:
    """The text with its spelled-out numbers in digits, and whether anything was changed."""
    try:
        converted = alpha2digit(text, lang)
    except (ValueError, IndexError):  # text2num refuses some inputs rather than returning them
        return text, False
    return converted, converted != text
