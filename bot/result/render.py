"""A :class:`ResultView` through its channel's template: Telegram HTML, console text, PDF HTML.

One template per channel (``bot/result/templates``), one macro per view, the same templates for
every language (the wording comes from ``locales/*/result.toml`` through ``t``). A view that would
not fit the channel's limit is rendered compactly, then with fewer items and a pointer to the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from bot.engine import Assessment
from bot.i18n import Lang, text
from bot.result.view import ResultView, build_view

Channel = Literal["telegram", "console", "pdf"]
View = Literal["first", "steps", "documents", "why"]
VIEWS: tuple[View, ...] = ("first", "steps", "documents", "why")
TEMPLATES: dict[Channel, str] = {
    "telegram": "telegram.html.j2",
    "console": "console.txt.j2",
    "pdf": "pdf.html.j2",
}
_BLANK_LINES = re.compile(r"\n{3,}")


@cache
def _environment(escaped: bool) -> Environment:
    return Environment(
        loader=PackageLoader("bot.result", "templates"),
        autoescape=escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=StrictUndefined,
    )


@cache
def _template(channel: Channel) -> Template:
    return _environment(channel != "console").get_template(TEMPLATES[channel])


def _module(channel: Channel, lang: Lang) -> Any:
    def t(key: str, **params: Any) -> str:
        return text(lang, key, **params)

    return _template(channel).make_module({"t": t})


def _tidy(rendered: str | Markup) -> str:
    lines = [line.rstrip() for line in str(rendered).splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def _count(view: ResultView, name: str) -> int:
    items = {"steps": view.steps, "documents": view.documents, "why": view.sources}
    return len(items.get(name, ()))


def render_view(channel: Channel, name: str, view: ResultView, *, limit: int | None = None) -> str:
    """One view (``first``, ``steps``, ``documents``, ``why``, or ``document`` for the PDF) of the
    result through ``channel``'s template; within ``limit`` characters when one is given."""
    macro: Callable[..., str] = getattr(_module(channel, view.lang), name)
    total = _count(view, name)
    rendered = _tidy(macro(view, total, False))
    if limit is None or len(rendered) <= limit:
        return rendered
    for compact in (False, True):  # fewer items first, then the short form
        for shown in range(total, -1, -1):
            rendered = _tidy(macro(view, shown, compact))
            if len(rendered) <= limit:
                return rendered
    return rendered[:limit]


PAGED = ("steps", "documents")


def render_pages(channel: Channel, name: str, view: ResultView, *, limit: int) -> list[str]:
    """A view as pages of at most ``limit`` characters, every item in full on one of them (the
    steps and the checklist); the other views fit one page (compacted when needed)."""
    items: tuple[Any, ...] = getattr(view, name) if name in PAGED else ()
    whole = render_view(channel, name, view)
    if name not in PAGED or len(whole) <= limit or len(items) < 2:
        return [render_view(channel, name, view, limit=limit)]
    macro: Callable[..., str] = getattr(_module(channel, view.lang), name)
    pages: list[str] = []
    chunk: list[Any] = []
    for item in items:
        trial = _tidy(macro(_only(view, name, (*chunk, item)), len(chunk) + 1, False))
        if chunk and len(trial) > limit:
            pages.append(_tidy(macro(_only(view, name, tuple(chunk)), len(chunk), False)))
            chunk = []
        chunk.append(item)
    pages.append(_tidy(macro(_only(view, name, tuple(chunk)), len(chunk), False)))
    return [page[:limit] for page in pages]


def _only(view: ResultView, name: str, items: tuple[Any, ...]) -> ResultView:
    """The view with only ``items`` in its steps or checklist (one page of them)."""
    return replace(view, steps=items) if name == "steps" else replace(view, documents=items)


def render_result(
    channel: Channel, name: str, assessment: Assessment, lang: Lang, limit: int | None = None
) -> str:
    """Shorthand: build the view of ``assessment`` and render one of its views."""
    return render_view(channel, name, build_view(assessment, lang), limit=limit)
