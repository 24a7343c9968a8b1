"""What a person reads on a console page: the visible text and the attributes shown on screen
(placeholder, alt, aria-label), without tooltips (``title``), people's own words (``bdi`` / ``.user-text``:
answers, messages, names), commands and tokens to type or compare (``code.cmd``, ``code.token``), and
text declared in another language (``lang="en"``: a source with no title in the page's language) and the
reply as the person read it in the chat (``.quoted``: the chat's wording, checked by its own tests)."""

from __future__ import annotations

from html.parser import HTMLParser

SHOWN_ATTRIBUTES = ("placeholder", "alt", "aria-label")
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
SKIPPED = frozenset({"head", "script", "style", "bdi", "textarea"})


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = self.skipping or tag in SKIPPED
        classes = (values.get("class") or "").split()
        # text declared in another language (a source without a title in this one), the chat's own reply
        quoted = (tag != "html" and bool(values.get("lang"))) or "quoted" in classes
        skipped = skipped or quoted or "user-text" in classes
        skipped = skipped or (tag == "code" and bool({"cmd", "token"} & set(classes)))
        if not skipped:
            self.parts += [values[name] or "" for name in SHOWN_ATTRIBUTES if values.get(name)]
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def shown_text(html: str) -> str:
    """The page's text as read on screen, spaces collapsed."""
    reader = _Reader()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())
