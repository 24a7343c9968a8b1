"""Telegram HTML: escaping and splitting long text within the 4096-character limit."""

from __future__ import annotations

import html

TELEGRAM_LIMIT = 4096


def escape(text: str) -> str:
    """Escape user- or locale-provided text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut ``text`` into chunks of at most ``limit`` characters, at paragraph, then line,
    then word boundaries; never inside an HTML entity. Empty text gives no chunk."""
    chunks: list[str] = []
    rest = text.strip("\n")
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0)
        if cut < limit // 3:
            cut = window.rfind("\n")
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut < limit // 3:
            cut = limit
            amp = window.rfind("&", limit - 10)
            if amp != -1 and ";" not in window[amp:]:
                cut = amp
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest.strip():
        chunks.append(rest)
    return chunks
