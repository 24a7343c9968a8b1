"""An in-process Telegram Bot API emulator for end-to-end tests of an unmodified python-telegram-bot.

It serves ``/bot<TOKEN>/<method>`` and ``/file/bot<TOKEN>/<path>`` over plain HTTP/1.1 on 127.0.0.1
and POSTs updates to a webhook, both with the standard library's asyncio streams (no dependency).
Tests inject updates as a user would cause them, then assert on what the bot sent::

    async with BotApiEmulator(token="123:abc") as emu:
        app = Application.builder().token(emu.token).base_url(emu.base_url)...build()
        ...
        emu.user_sends_text(FakeUser(1, "Ana", "fr"), "bonjour")
        [reply] = await emu.wait_for_messages(1, count=1)

Faults (429, 5xx, dropped connections, delays, timeouts) are injected per method with
:meth:`BotApiEmulator.inject_fault`; :meth:`BotApiEmulator.redeliver` delivers an update twice.
Every wait is bounded by a timeout, and :meth:`BotApiEmulator.stop` ends all tasks it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import email.parser
import email.policy
import itertools
import json
import re
import socket
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any, Literal, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from telegram.ext import Application

JsonDict = dict[str, Any]
FaultKind = Literal["rate_limit", "server_error", "client_error", "reset", "delay", "timeout"]

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_DESCRIPTION_LENGTH = 512
MAX_SHORT_DESCRIPTION_LENGTH = 120
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_CAPTION_LENGTH = 1024
MAX_LONG_POLL_SECONDS = 50.0
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_HEADERS = 100
FILENAME_PARAM = "{}.filename"  # where an uploaded file's name is kept beside its content
MIME_PARAM = "{}.mime_type"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DEFAULT_UPDATE_TYPES = _words(
    "message edited_message channel_post edited_channel_post business_connection "
    "business_message edited_business_message deleted_business_messages inline_query "
    "chosen_inline_result callback_query shipping_query pre_checkout_query purchased_paid_media "
    "poll poll_answer my_chat_member chat_join_request chat_boost removed_chat_boost"
)
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = _words(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note"
)
# Form fields PTB sends as raw strings (every other field is JSON-encoded, see RequestData.json_parameters).
_STRING_FIELDS = _words(
    "text parse_mode url secret_token callback_query_id description short_description "
    "language_code action inline_message_id caption ip_address file_id business_connection_id "
    "message_effect_id name"
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LEADING_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram ``description`` and optional ``parameters``."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def bad_request(reason: str) -> ApiError:
    """A 400 error worded like Telegram's (``Bad Request: <reason>``)."""
    return ApiError(400, f"Bad Request: {reason}")


# --------------------------------------------------------------------------------------------------
# Test-facing value objects
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user; their private chat with the bot has the same id."""

    id: int
    first_name: str = "Test"
    language_code: str | None = None
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False

    def as_dict(self) -> JsonDict:
        """The Bot API ``User`` object."""
        user: JsonDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                user[key] = value
        return user

    def private_chat(self) -> JsonDict:
        """The Bot API ``Chat`` object of this user's private chat with the bot."""
        chat: JsonDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class FakeChat:
    """A group or supergroup the bot is a member of (ids are negative, as in Telegram)."""

    id: int
    title: str = "Test group"
    type: Literal["group", "supergroup"] = "group"

    def as_dict(self) -> JsonDict:
        """The Bot API ``Chat`` object."""
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class SentMessage:
    """A message the bot sent, in its current state (edits applied), with its edit history."""

    chat: JsonDict
    message_id: int
    date: int
    text: str
    raw_text: str
    parse_mode: str | None
    entities: list[JsonDict]
    reply_markup: JsonDict | None
    bot_user: JsonDict
    edit_date: int | None = None
    deleted: bool = False
    history: list[tuple[str, JsonDict | None]] = field(default_factory=list)

    @property
    def chat_id(self) -> int:
        """Id of the chat the message is in."""
        return int(self.chat["id"])

    @property
    def keyboard(self) -> list[list[JsonDict]]:
        """Rows of inline keyboard buttons (empty without an inline keyboard)."""
        if not self.reply_markup:
            return []
        return cast(list[list[JsonDict]], self.reply_markup.get("inline_keyboard", []))

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Every inline button as ``(label, callback_data)``, row by row."""
        return [(b["text"], b.get("callback_data")) for row in self.keyboard for b in row]

    def callback_data_for(self, label: str) -> str:
        """The callback data of the button labelled ``label`` (KeyError if there is none)."""
        for text, data in self.buttons:
            if text == label and data is not None:
                return data
        raise KeyError(f"no callback button {label!r} in {self.buttons!r}")

    def as_dict(self) -> JsonDict:
        """The Bot API ``Message`` object as Telegram returns it."""
        message: JsonDict = {
            "message_id": self.message_id,
            "from": self.bot_user,
            "chat": self.chat,
            "date": self.date,
            "text": self.text,
        }
        if self.entities:
            message["entities"] = self.entities
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


@dataclass(frozen=True)
class SentDocument:
    """A file the bot sent with ``sendDocument``: its name, type, caption and bytes."""

    chat_id: int
    message_id: int
    filename: str
    mime_type: str
    caption: str
    content: bytes


@dataclass
class ApiCall:
    """One HTTP request the emulator received, with how it was answered."""

    method: str
    params: JsonDict
    at: float
    status: int | None = None
    result: Any = None
    description: str | None = None
    fault: str | None = None

    @property
    def ok(self) -> bool:
        """True if the call was answered with 200."""
        return self.status == 200


@dataclass
class Fault:
    """A fault waiting to be applied to the next ``remaining`` calls of ``method`` (``*``: any)."""

    method: str
    kind: FaultKind
    remaining: int
    retry_after: int = 1
    status: int = 500
    seconds: float = 1.0
    after: bool = False
    applied: int = 0
    description: str | None = None


@dataclass
class WebhookAttempt:
    """One POST of an update to the webhook: HTTP status (None if no answer) and error text."""

    update_id: int
    status: int | None
    error: str | None
    at: float


@dataclass
class _Webhook:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _CallbackQuery:
    id: str
    user_id: int
    data: str | None
    answered: bool = False
    answer: JsonDict = field(default_factory=dict)


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes


@dataclass
class _HttpRequest:
    verb: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


_current_reader: contextvars.ContextVar[asyncio.StreamReader | None] = contextvars.ContextVar(
    "_current_reader", default=None
)


def _client_gone() -> bool:
    """True if the client of the request being answered has closed its connection."""
    reader = _current_reader.get()
    return reader is not None and reader.at_eof()


class _ClientGone(Exception):
    """The client closed the connection while its request was pending."""


class _DropConnection(Exception):
    """Close the connection without answering (fault ``reset`` / ``timeout``)."""


# --------------------------------------------------------------------------------------------------
# Text: HTML / Markdown entity parsing as Telegram does it (lengths in UTF-16 code units for offsets)
# --------------------------------------------------------------------------------------------------


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (the unit of Telegram entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class _TelegramHtmlParser(HTMLParser):
    """Turns Telegram-flavoured HTML into plain text + entities; records the first error."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.tg_parts: list[str] = []
        self._tg_offset = 0
        self.tg_entities: list[JsonDict] = []
        self.tg_stack: list[tuple[str, JsonDict]] = []
        self.tg_error: str | None = None

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        index = self._line_starts[line - 1] + column
        return len(self._source[:index].encode())

    def _fail(self, reason: str) -> None:
        if self.tg_error is None:
            self.tg_error = f"{reason} at byte offset {self._byte_offset()}"

    def _append(self, text: str) -> None:
        self.tg_parts.append(text)
        self._tg_offset += utf16_length(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = _HTML_TAGS.get(tag)
        attributes = dict(attrs)
        if kind is None or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            self._fail(f'Unsupported start tag "{tag}"')
            return
        entity: JsonDict = {"type": kind, "offset": self._tg_offset}
        if tag == "a":
            href = attributes.get("href") or ""
            if not href:
                self._fail('Can\'t find "href" attribute of "a" tag')
                return
            entity["url"] = href
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id") or ""
        elif tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag == "code" and self.tg_stack and self.tg_stack[-1][0] == "pre":
            language = attributes.get("class") or ""
            if language.startswith("language-"):
                self.tg_stack[-1][1]["language"] = language.removeprefix("language-")
        self.tg_stack.append((tag, entity))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._fail(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.tg_stack:
            self._fail(f'Unexpected end tag "{tag}"')
            return
        open_tag, entity = self.tg_stack.pop()
        if open_tag != tag:
            self._fail(f'Can\'t find end tag corresponding to start tag "{open_tag}"')
            return
        entity["length"] = self._tg_offset - entity["offset"]
        nested_code = tag == "code" and self.tg_stack and self.tg_stack[-1][0] == "pre"
        if entity["length"] > 0 and not nested_code:
            self.tg_entities.append(entity)

    def handle_data(self, data: str) -> None:
        self._append(data)

    def handle_entityref(self, name: str) -> None:
        self._append(_HTML_NAMED_ENTITIES.get(name, f"&{name};"))

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in "xX" else int(name)
            self._append(chr(code))
        except (ValueError, OverflowError):
            self._append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._fail("Unsupported comment")

    def handle_decl(self, decl: str) -> None:
        self._fail("Unsupported declaration")

    def handle_pi(self, data: str) -> None:
        self._fail("Unsupported processing instruction")

    def unknown_decl(self, data: str) -> None:
        self._fail("Unsupported declaration")


def parse_html(source: str) -> tuple[str, list[JsonDict]]:
    """Plain text and entities of a Telegram HTML text; raises ApiError 400 like Telegram."""
    stray = re.search(r"<(?![A-Za-z/])", source)
    if stray:
        offset = len(source[: stray.start()].encode())
        raise bad_request(f'can\'t parse entities: Unsupported start tag "" at byte offset {offset}')
    parser = _TelegramHtmlParser(source)
    parser.feed(source)
    parser.close()
    if parser.tg_error is None and parser.tg_stack:
        parser.tg_error = f'Can\'t find end tag corresponding to start tag "{parser.tg_stack[-1][0]}"'
    if parser.tg_error is not None:
        raise bad_request(f"can't parse entities: {parser.tg_error}")
    entities = sorted(parser.tg_entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.tg_parts), entities


_MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MARKDOWN_V2_MARKUP = frozenset("_*~|`[]()>")


def parse_markdown_v2(source: str) -> str:
    """Plain text of a MarkdownV2 text (entities are not computed); rejects unescaped reserved chars."""
    plain: list[str] = []
    chars = iter(enumerate(source))
    for index, char in chars:
        if char == "\\":
            escaped = next(chars, None)
            if escaped is not None:
                plain.append(escaped[1])
            continue
        if char in _MARKDOWN_V2_MARKUP:
            continue
        if char in _MARKDOWN_V2_RESERVED:
            raise bad_request(
                f"can't parse entities: Character '{char}' is reserved and must be escaped with the "
                f"preceding '\\' (offset {index})"
            )
        plain.append(char)
    return "".join(plain)


def parse_formatted(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JsonDict]]:
    """Plain text and entities for a text sent with ``parse_mode`` or explicit ``entities``."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text), []
    if mode == "markdown":
        return re.sub(r"(?<!\\)[*_`\[]", "", text), []
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    return text, list(entities) if isinstance(entities, list) else []


def _check_text(plain: str) -> None:
    if not plain.strip():
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")


def _check_markup(markup: Any) -> JsonDict | None:
    """Validate a reply_markup the way Telegram does for the parts a bot can get wrong."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for button in itertools.chain.from_iterable(rows):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad_request("can't parse inline keyboard button: Text must be a String")
        if not button["text"].strip():
            raise bad_request("BUTTON_TEXT_EMPTY")
        data = button.get("callback_data")
        if data is not None:
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
        elif "url" in button:
            if not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                raise bad_request("BUTTON_URL_INVALID")
        elif not any(k != "text" for k in button):
            raise bad_request("text buttons are unallowed in the inline keyboard")
    return markup


# --------------------------------------------------------------------------------------------------
# HTTP/1.1 on asyncio streams
# --------------------------------------------------------------------------------------------------


async def _read_http_request(reader: asyncio.StreamReader) -> _HttpRequest | None:
    """Read one request; None at a clean end of the connection; ValueError if malformed."""
    line = await reader.readline()
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise ValueError("malformed request line")
    verb, target, version = parts
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS):
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n"):
            break
        if not raw:
            raise ValueError("connection closed in headers")
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    else:
        raise ValueError("too many headers")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    else:
        length = int(headers.get("content-length") or 0)
        if not 0 <= length <= MAX_BODY_BYTES:
            raise ValueError("body too large")
        body = await reader.readexactly(length)
    split = urlsplit(target)
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    return _HttpRequest(verb.upper(), unquote(split.path), split.query, headers, body, keep_alive)


async def _read_http_response(reader: asyncio.StreamReader) -> tuple[int, str, bool]:
    """Read one response (body discarded): status, reason and whether the connection stays open."""
    parts = (await reader.readline()).decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ValueError("malformed status line")
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS):
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        await _read_chunked(reader)
    elif "content-length" in headers:
        await reader.readexactly(min(int(headers["content-length"]), MAX_BODY_BYTES))
    else:
        return int(parts[1]), parts[2].strip() if len(parts) > 2 else "", False
    keep_alive = headers.get("connection", "").lower() != "close"
    return int(parts[1]), parts[2].strip() if len(parts) > 2 else "", keep_alive


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            await reader.readline()
            return b"".join(chunks)
        total += size
        if total > MAX_BODY_BYTES:
            raise ValueError("body too large")
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _http_response(status: int, body: bytes, content_type: str, keep_alive: bool) -> bytes:
    reason = HTTPStatus(status).phrase
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Server: guichet-bot-api-emulator\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def _coerce(name: str, value: str) -> Any:
    """A form field as Telegram reads it: raw string for text fields, JSON for the others."""
    if name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _decode_params(request: _HttpRequest) -> JsonDict:
    params: JsonDict = {k: _coerce(k, v) for k, v in parse_qsl(request.query, keep_blank_values=True)}
    content_type = request.headers.get("content-type", "").lower()
    if not request.body:
        return params
    if content_type.startswith("application/json"):
        decoded = json.loads(request.body)
        if not isinstance(decoded, dict):
            raise bad_request("parameters must be a JSON object")
        params.update(decoded)
    elif content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode("latin-1")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                filename = part.get_filename()
                params[name] = payload if filename is not None else _coerce(name, payload.decode())
                if filename is not None:
                    params[FILENAME_PARAM.format(name)] = filename
                    params[MIME_PARAM.format(name)] = part.get_content_type()
    else:
        body = request.body.decode()
        params.update({k: _coerce(k, v) for k, v in parse_qsl(body, keep_blank_values=True)})
    return params


def _int_param(params: JsonDict, name: str, default: int | None = None) -> int:
    value = params.get(name, default)
    if value is None or value == "":
        if default is None:
            raise bad_request(f"{name} is empty")
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


def _chat_id_param(params: JsonDict) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None


# --------------------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------------------

Handler = Callable[[JsonDict], Awaitable[Any]]


# Counted across every emulator of the process, by test folder (set by tests/conftest.py).
TALLY: Counter[tuple[str, str]] = Counter()
TALLY_AREA = ["other"]


class BotApiEmulator:
    """A Telegram Bot API server for one bot token, on a fresh port of 127.0.0.1."""

    def __init__(
        self,
        token: str = "123456789:TEST-token_for-the-emulator",
        *,
        bot_username: str = "guichet_test_bot",
        bot_first_name: str = "Guichet (test)",
        webhook_concurrency: int = 1,
        webhook_retry_delays: Sequence[float] = (0.05, 0.2, 0.5),
        webhook_timeout: float = 10.0,
        idle_timeout: float = 60.0,
        call_log_limit: int = 200_000,
        first_update_id: int = 10_000,
    ) -> None:
        bot_id, sep, _ = token.partition(":")
        if not sep or not bot_id.isdigit():
            raise ValueError("token must look like '<bot id>:<secret>'")
        self.token = token
        self.bot_user: JsonDict = {
            "id": int(bot_id),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.webhook_concurrency = max(1, webhook_concurrency)
        self.webhook_retry_delays = tuple(webhook_retry_delays)
        self.webhook_timeout = webhook_timeout
        self.idle_timeout = idle_timeout
        self.webhook_secret_override: str | None = None
        self.webhook_attempts: list[WebhookAttempt] = []
        self.dropped_updates: list[int] = []
        self.port = 0
        self._call_log: deque[ApiCall] = deque(maxlen=call_log_limit)
        self.answered: Counter[str] = Counter()  # successful calls per method (all, never trimmed)
        self.idle_checks: list[Callable[[], bool]] = []  # more conditions for wait_until_idle
        self._server: asyncio.Server | None = None
        self._webhook_pool: list[tuple[tuple[str, int], asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._webhook_task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._update_ids = itertools.count(first_update_id)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._updates: dict[int, JsonDict] = {}
        self._pending: deque[JsonDict] = deque()
        self._redelivery: deque[JsonDict] = deque()
        self._in_flight: set[int] = set()
        self._chats_in_flight: set[Any] = set()
        self._allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._webhook = _Webhook()
        self._chats: dict[int, JsonDict] = {}
        self._blocked: set[int] = set()
        self._sent: dict[int, list[SentMessage]] = {}
        self._sent_index: dict[tuple[int, int], SentMessage] = {}
        self._documents: dict[int, list[SentDocument]] = {}
        self._user_messages: dict[tuple[int, int], JsonDict] = {}
        self._callback_queries: dict[str, _CallbackQuery] = {}
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._faults: list[Fault] = []
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self._handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "sendDocument": self._send_document,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "answerCallbackQuery": self._answer_callback_query,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setMyDescription": self._set_my_description,
                "getMyDescription": self._get_my_description,
                "setMyShortDescription": self._set_my_short_description,
                "getMyShortDescription": self._get_my_short_description,
                "sendChatAction": self._send_chat_action,
                "deleteMessage": self._delete_message,
                "getFile": self._get_file,
            }.items()
        }

    # ---------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """Value for PTB's ``ApplicationBuilder.base_url``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``ApplicationBuilder.base_file_url``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        self._changed = asyncio.Event()
        self._server = await asyncio.start_server(self._serve_connection, "127.0.0.1", 0, limit=1 << 20)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening, end every connection and background task, close webhook connections."""
        if self._server is not None:
            self._server.close()
        tasks = [*self._tasks, *([self._webhook_task] if self._webhook_task else [])]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5.0)
        if self._server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5.0)
            self._server = None
        for _, _, writer in self._webhook_pool:
            writer.close()
        self._webhook_pool.clear()
        self._webhook_task = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_for_change(self, deadline: float, slice_seconds: float = 0.25) -> None:
        remaining = min(deadline - asyncio.get_running_loop().time(), slice_seconds)
        if remaining > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    # ---------------------------------------------------------------- HTTP layer

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            while True:
                request = await asyncio.wait_for(_read_http_request(reader), self.idle_timeout)
                if request is None:
                    break
                status, body, content_type = await self._answer(request, reader)
                writer.write(_http_response(status, body, content_type, request.keep_alive))
                await asyncio.wait_for(writer.drain(), self.idle_timeout)
                if not request.keep_alive:
                    break
        except (_DropConnection, _ClientGone):
            writer.transport.abort()
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        except asyncio.CancelledError:
            writer.transport.abort()  # emulator stopping; end quietly (asyncio logs a cancelled handler)
        finally:
            writer.close()
            if task is not None:
                self._tasks.discard(task)

    async def _answer(self, request: _HttpRequest, reader: asyncio.StreamReader) -> tuple[int, bytes, str]:
        path = request.path
        if path.startswith("/file/bot"):
            return self._serve_file(path.removeprefix("/file/bot"))
        if not path.startswith("/bot") or path.count("/") != 2:
            return _error_body(ApiError(404, "Not Found"))
        token, _, method = path.removeprefix("/bot").partition("/")
        call = ApiCall(method=method, params={}, at=time.monotonic())
        self._call_log.append(call)
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            entry = self._handlers.get(method.lower())
            if entry is None:
                raise ApiError(404, "Not Found")
            call.method, handler = entry
            call.params = _decode_params(request)
            _current_reader.set(reader)
            call.result = await self._run_with_faults(call, handler, reader)
            call.status = 200
            self.answered[call.method] += 1
            return 200, json.dumps({"ok": True, "result": call.result}).encode(), "application/json"
        except ApiError as error:
            call.status, call.description = error.status, error.description
            if error.status == 502:
                return 502, _BAD_GATEWAY_HTML, "text/html"
            return _error_body(error)
        except (ValueError, UnicodeDecodeError) as error:
            call.status, call.description = 400, f"Bad Request: {error}"
            return _error_body(ApiError(400, call.description))
        except (_DropConnection, _ClientGone):
            call.status = 499
            raise
        finally:
            self._notify()

    async def _run_with_faults(self, call: ApiCall, handler: Handler, reader: asyncio.StreamReader) -> Any:
        fault = self._take_fault(call.method)
        if fault is None:
            return await handler(call.params)
        call.fault = fault.kind
        if fault.kind == "rate_limit":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "server_error":
            raise ApiError(fault.status, HTTPStatus(fault.status).phrase)
        if fault.kind == "client_error":
            raise ApiError(fault.status, fault.description or HTTPStatus(fault.status).phrase)
        if fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
            return await handler(call.params)
        if fault.after:
            await handler(call.params)
        if fault.kind == "timeout":
            deadline = asyncio.get_running_loop().time() + fault.seconds
            while asyncio.get_running_loop().time() < deadline and not reader.at_eof():
                await asyncio.sleep(min(0.05, fault.seconds))
        raise _DropConnection

    def _serve_file(self, rest: str) -> tuple[int, bytes, str]:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return _error_body(ApiError(401, "Unauthorized"))
        stored = self._files_by_path.get(file_path)
        if stored is None:
            return _error_body(ApiError(404, "Not Found"))
        return 200, stored.content, "application/octet-stream"

    # ---------------------------------------------------------------- faults

    def inject_fault(
        self,
        method: str,
        kind: FaultKind,
        count: int = 1,
        *,
        retry_after: int = 1,
        status: int = 500,
        seconds: float = 1.0,
        after: bool = False,
        description: str | None = None,
    ) -> Fault:
        """Make the next ``count`` calls of ``method`` (``"*"``: any method) fail with ``kind``.

        ``rate_limit``: 429 with ``parameters.retry_after``; ``server_error``: ``status`` 500 (JSON) or
        502 (an HTML gateway page); ``client_error``: ``status`` 400–499 with ``description`` (e.g. a
        404, or "query is too old" on ``answerCallbackQuery``); ``reset``: close the connection
        without answering; ``delay``: answer normally after ``seconds``; ``timeout``: hold the request
        ``seconds`` (or until the client gives up), then close without answering. With
        ``after=True``, ``reset``/``timeout`` let the call take effect first (a message is sent but
        the bot never learns it).
        """
        if kind not in ("rate_limit", "server_error", "client_error", "reset", "delay", "timeout"):
            raise ValueError(f"unknown fault kind {kind!r}")
        if kind == "client_error":
            if not 400 <= status <= 499:
                raise ValueError("a client_error needs a 4xx status")
            fault = Fault(
                method.lower(), kind, count, retry_after, status, seconds, after, description=description
            )
            self._faults.append(fault)
            return fault
        if method != "*" and method.lower() not in self._handlers:
            raise ValueError(f"the emulator does not implement {method!r}")
        if count < 1 or seconds < 0 or retry_after < 0 or not 500 <= status <= 599:
            raise ValueError("count ≥ 1, seconds ≥ 0, retry_after ≥ 0 and a 5xx status are required")
        fault = Fault(method.lower(), kind, count, retry_after, status, seconds, after)
        self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Forget every fault not yet applied."""
        self._faults.clear()

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            if fault.remaining > 0 and fault.method in ("*", method.lower()):
                fault.remaining -= 1
                fault.applied += 1
                TALLY[TALLY_AREA[0], "faults injected"] += 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ---------------------------------------------------------------- updates: injection

    def inject_update(self, payload: JsonDict) -> JsonDict:
        """Queue a raw update (``update_id`` is assigned); returns it.

        Like Telegram, an update whose type the bot's ``allowed_updates`` exclude is not queued.
        """
        update = {"update_id": next(self._update_ids), **payload}
        self._updates[update["update_id"]] = update
        TALLY[TALLY_AREA[0], "updates injected"] += 1
        if _update_type(update) in self._allowed:
            self._pending.append(update)
        self._notify()
        return update

    def redeliver(self, update_id: int) -> JsonDict:
        """Deliver an already injected update once more, as Telegram's at-least-once delivery may."""
        update = self._updates.get(update_id)
        if update is None:
            raise KeyError(f"no update {update_id}")
        if _update_type(update) in self._allowed:
            self._redelivery.append(update)
        self._notify()
        return update

    def add_chat(self, chat: FakeUser | FakeChat) -> None:
        """Make a chat known without a message (the bot can then write to it)."""
        chat_dict = chat.private_chat() if isinstance(chat, FakeUser) else chat.as_dict()
        self._chats[chat_dict["id"]] = chat_dict

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _user_message(self, user: FakeUser, chat: FakeChat | None, content: JsonDict) -> JsonDict:
        chat_dict = chat.as_dict() if chat is not None else user.private_chat()
        self._chats[chat_dict["id"]] = chat_dict
        message: JsonDict = {
            "message_id": self._next_message_id(chat_dict["id"]),
            "from": user.as_dict(),
            "chat": chat_dict,
            "date": int(time.time()),
            **content,
        }
        self._user_messages[(chat_dict["id"], message["message_id"])] = message
        return message

    def user_sends_text(
        self, user: FakeUser, text: str, chat: FakeChat | None = None, entities: list[JsonDict] | None = None
    ) -> JsonDict:
        """The user sends ``text`` (privately, or in ``chat``); a leading /command gets its entity."""
        content: JsonDict = {"text": text}
        command = _LEADING_COMMAND_RE.match(text)
        if entities is None and command:
            entities = [{"type": "bot_command", "offset": 0, "length": utf16_length(command.group())}]
        if entities:
            content["entities"] = entities
        return self.inject_update({"message": self._user_message(user, chat, content)})

    def user_sends_command(
        self,
        user: FakeUser,
        command: str,
        payload: str | None = None,
        chat: FakeChat | None = None,
        mention: bool = False,
    ) -> JsonDict:
        """The user sends ``/command [payload]`` (``mention``: ``/command@bot_username``)."""
        name = command if command.startswith("/") else f"/{command}"
        if mention:
            name = f"{name}@{self.bot_user['username']}"
        text = name if payload is None else f"{name} {payload}"
        entity = {"type": "bot_command", "offset": 0, "length": utf16_length(name)}
        return self.user_sends_text(user, text, chat=chat, entities=[entity])

    def user_sends_edited_text(
        self, user: FakeUser, message: JsonDict | int, new_text: str, chat: FakeChat | None = None
    ) -> JsonDict:
        """The user edits one of their earlier messages (an injected update, message or message id)."""
        chat_id = chat.id if chat is not None else user.id
        original = self._user_messages.get((chat_id, _message_id_of(message)))
        if original is None:
            raise KeyError(f"user message {_message_id_of(message)} not found in chat {chat_id}")
        edited = {**original, "text": new_text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        self._user_messages[(chat_id, edited["message_id"])] = edited
        return self.inject_update({"edited_message": edited})

    def user_sends_sticker(self, user: FakeUser, emoji: str = "👍", chat: FakeChat | None = None) -> JsonDict:
        """The user sends a regular sticker."""
        stored = self._store_file("sticker", b"RIFF-sticker", "webp")
        sticker = {
            **_file_fields(stored),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self.inject_update({"message": self._user_message(user, chat, {"sticker": sticker})})

    def user_sends_photo(
        self,
        user: FakeUser,
        caption: str | None = None,
        content: bytes = b"\xff\xd8photo",
        chat: FakeChat | None = None,
    ) -> JsonDict:
        """The user sends a photo (two sizes), optionally captioned."""
        sizes = []
        for width in (90, 800):
            stored = self._store_file("photo", content, "jpg")
            sizes.append({**_file_fields(stored), "width": width, "height": width * 3 // 4})
        body: JsonDict = {"photo": sizes}
        if caption is not None:
            body["caption"] = caption
        return self.inject_update({"message": self._user_message(user, chat, body)})

    def user_sends_voice(
        self, user: FakeUser, duration: int = 3, content: bytes = b"OggS-voice", chat: FakeChat | None = None
    ) -> JsonDict:
        """The user sends a voice note."""
        stored = self._store_file("voice", content, "oga")
        voice = {**_file_fields(stored), "duration": duration, "mime_type": "audio/ogg"}
        return self.inject_update({"message": self._user_message(user, chat, {"voice": voice})})

    def user_sends_document(
        self,
        user: FakeUser,
        file_name: str = "document.pdf",
        content: bytes = b"%PDF-1.4 test",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        chat: FakeChat | None = None,
    ) -> JsonDict:
        """The user sends a file; its bytes can be downloaded through ``getFile`` and the file URL."""
        stored = self._store_file("document", content, file_name.rpartition(".")[2] or "bin")
        document = {**_file_fields(stored), "file_name": file_name, "mime_type": mime_type}
        body: JsonDict = {"document": document}
        if caption is not None:
            body["caption"] = caption
        return self.inject_update({"message": self._user_message(user, chat, body)})

    def user_presses(
        self, user: FakeUser, message: SentMessage | int, callback_data: str, chat: FakeChat | None = None
    ) -> JsonDict:
        """The user presses an inline button: a callback query carrying ``callback_data`` as given.

        Like a modified client, the data need not match a button of the message (bots must validate it).
        """
        chat_id = chat.id if chat is not None else user.id
        sent = message if isinstance(message, SentMessage) else self._sent_index.get((chat_id, message))
        if sent is None:
            raise KeyError(f"bot message {message} not found in chat {chat_id}")
        query_id = f"{self.bot_user['id']}{next(self._query_ids):08d}"
        self._callback_queries[query_id] = _CallbackQuery(query_id, user.id, callback_data)
        query = {
            "id": query_id,
            "from": user.as_dict(),
            "message": sent.as_dict(),
            "chat_instance": f"-{abs(sent.chat_id) * 7919 + 1}",
            "data": callback_data,
        }
        return self.inject_update({"callback_query": query})

    def user_presses_button(self, user: FakeUser, message: SentMessage, label: str) -> JsonDict:
        """The user presses the inline button labelled ``label`` of ``message``."""
        return self.user_presses(user, message, message.callback_data_for(label))

    def user_blocks_bot(self, user: FakeUser) -> JsonDict:
        """The user blocks the bot: later sends to them get 403, and a ``my_chat_member`` update comes."""
        self._blocked.add(user.id)
        return self.inject_update(self._membership_update(user, "member", "kicked"))

    def user_unblocks_bot(self, user: FakeUser) -> JsonDict:
        """The user restarts the bot after blocking it."""
        self._blocked.discard(user.id)
        return self.inject_update(self._membership_update(user, "kicked", "member"))

    def _membership_update(self, user: FakeUser, old: str, new: str) -> JsonDict:
        self._chats[user.id] = user.private_chat()
        member = {"user": self.bot_user}
        return {
            "my_chat_member": {
                "chat": user.private_chat(),
                "from": user.as_dict(),
                "date": int(time.time()),
                "old_chat_member": {**member, "status": old} | ({"until_date": 0} if old == "kicked" else {}),
                "new_chat_member": {**member, "status": new} | ({"until_date": 0} if new == "kicked" else {}),
            }
        }

    def _store_file(self, kind: str, content: bytes, extension: str) -> _StoredFile:
        number = next(self._file_ids)
        stored = _StoredFile(
            file_id=f"EMU-{kind}-{number:06d}",
            file_unique_id=f"U{kind[:2]}{number:06d}",
            file_path=f"{kind}s/file_{number}.{extension}",
            content=content,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    # ---------------------------------------------------------------- test-facing queries and waits

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every API call received (or those of ``method``, case-insensitive), oldest first."""
        if method is None:
            return list(self._call_log)
        wanted = method.lower()
        return [c for c in self._call_log if c.method.lower() == wanted]

    def sent_messages(self, chat_id: int, include_deleted: bool = True) -> list[SentMessage]:
        """Messages the bot sent to ``chat_id``, in order, in their current (edited) state."""
        return [m for m in self._sent.get(chat_id, []) if include_deleted or not m.deleted]

    def commands(self, language_code: str = "", scope: JsonDict | None = None) -> list[JsonDict]:
        """The commands set for ``scope`` (default scope if None) and ``language_code``."""
        return list(self._commands.get((_scope_key(scope), language_code), []))

    def callback_answer(self, query_id: str) -> JsonDict | None:
        """How the bot answered a callback query (None if not answered)."""
        query = self._callback_queries[query_id]
        return query.answer if query.answered else None

    @property
    def webhook_url(self) -> str:
        """The webhook URL currently set ("" in polling mode)."""
        return self._webhook.url

    @property
    def pending_update_count(self) -> int:
        """Updates not yet confirmed (polling) or delivered (webhook)."""
        return len(self._pending) + len(self._redelivery) + len(self._in_flight)

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,
        what: str = "condition",
        *,
        recheck_every: float = 0.25,
    ) -> None:
        """Wait until ``predicate()`` holds; TimeoutError after ``timeout`` seconds. The predicate is
        checked on every change the emulator sees, and at least every ``recheck_every`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() >= deadline:
                raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
            await self._wait_for_change(deadline, recheck_every)

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``; returns all of them."""
        try:
            await self.wait_for(lambda: len(self._sent.get(chat_id, [])) >= count, timeout)
        except TimeoutError:
            got = [m.text for m in self._sent.get(chat_id, [])]
            raise TimeoutError(
                f"expected {count} message(s) in chat {chat_id} within {timeout} s, got {got!r}"
            ) from None
        return self.sent_messages(chat_id)

    async def wait_for_calls(self, method: str, count: int = 1, timeout: float = 5.0) -> list[ApiCall]:
        """Wait until ``count`` answered calls of ``method`` were received; returns them."""

        def answered() -> list[ApiCall]:
            return [c for c in self.calls(method) if c.status is not None]

        await self.wait_for(lambda: len(answered()) >= count, timeout, f"{count} call(s) of {method}")
        return answered()

    async def wait_until_ready(
        self,
        methods: Sequence[str] = ("setMyCommands",),
        mode: Literal["polling", "webhook"] = "polling",
        timeout: float = 5.0,
    ) -> None:
        """Wait until ``methods`` succeeded once and the bot receives updates (polls, or set a webhook)."""

        def ready() -> bool:
            done = all(any(c.ok for c in self.calls(m)) for m in methods)
            if mode == "webhook":
                return done and bool(self._webhook.url)
            return done and any(c.method == "getUpdates" for c in self._call_log)

        await self.wait_for(ready, timeout, f"bot ready ({mode}, {', '.join(methods)})")

    async def wait_until_idle(self, timeout: float = 5.0) -> None:
        """Wait until every injected update was confirmed (polling) or delivered (webhook), and every
        check in :attr:`idle_checks` holds (e.g. "the bot's inbox is empty": a polling bot confirms a
        batch once it is safely stored, before it is handled)."""
        await self.wait_for(
            lambda: self.pending_update_count == 0 and all(check() for check in self.idle_checks),
            timeout,
            "all updates consumed",
            recheck_every=0.01 if self.idle_checks else 0.25,
        )

    # ---------------------------------------------------------------- getUpdates and webhooks

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
        elif offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()

    def _set_allowed(self, value: Any) -> None:
        """Apply ``allowed_updates``: queued updates of other types are dropped, as Telegram does."""
        self._allowed = _allowed_types(value)
        self._pending = deque(u for u in self._pending if _update_type(u) in self._allowed)
        self._redelivery = deque(u for u in self._redelivery if _update_type(u) in self._allowed)

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        if self._webhook.url:
            raise ApiError(409, _WEBHOOK_ACTIVE)
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), MAX_LONG_POLL_SECONDS)
        if params.get("allowed_updates") is not None:
            self._set_allowed(params["allowed_updates"])
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._redelivery or self._pending:
                again = [self._redelivery.popleft() for _ in range(min(limit, len(self._redelivery)))]
                fresh = list(itertools.islice(self._pending, limit - len(again)))
                return sorted(again, key=lambda u: int(u["update_id"])) + fresh
            if loop.time() >= deadline:
                return []
            if generation != self._poll_generation:
                raise ApiError(409, _TERMINATED_BY_OTHER)
            if self._webhook.url:
                raise ApiError(409, _WEBHOOK_ACTIVE)
            if _client_gone():
                raise _ClientGone
            await self._wait_for_change(deadline)

    async def _set_webhook(self, params: JsonDict) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        if not re.match(r"^https?://[^\s/]+", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        max_connections = _int_param(params, "max_connections", 40)
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        if params.get("allowed_updates") is not None:
            self._set_allowed(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            self._pending.clear()
            self._redelivery.clear()
        self._webhook = _Webhook(url, None if secret is None else str(secret), max_connections)
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.ensure_future(self._webhook_loop())
        return True

    async def _delete_webhook(self, params: JsonDict) -> bool:
        self._webhook = _Webhook()
        if params.get("drop_pending_updates"):
            self._pending.clear()
            self._redelivery.clear()
        return True

    async def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        info: JsonDict = {
            "url": self._webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": self.pending_update_count,
        }
        if self._webhook.url:
            info |= {
                "max_connections": self._webhook.max_connections,
                "ip_address": "127.0.0.1",
                "allowed_updates": sorted(self._allowed),
            }
            if self._webhook.last_error_date is not None:
                info["last_error_date"] = self._webhook.last_error_date
                info["last_error_message"] = self._webhook.last_error_message
        return info

    async def _webhook_loop(self) -> None:
        """Deliver queued updates to the webhook while one is set (cancelled by stop)."""
        deliveries: set[asyncio.Task[None]] = set()
        try:
            while self._webhook.url or deliveries:
                limit = min(self._webhook.max_connections, self.webhook_concurrency)
                while self._webhook.url and len(deliveries) < limit:
                    update = self._next_for_webhook()
                    if update is None:
                        break
                    self._in_flight.add(update["update_id"])
                    self._chats_in_flight.add(_queue_key(update))
                    deliveries.add(asyncio.ensure_future(self._deliver(update, self._webhook)))
                if deliveries:
                    done, _ = await asyncio.wait(
                        deliveries, timeout=0.25, return_when=asyncio.FIRST_COMPLETED
                    )
                    deliveries -= done
                else:
                    await self._wait_for_change(asyncio.get_running_loop().time() + 1.0)
        finally:
            for task in deliveries:
                task.cancel()

    def _next_for_webhook(self) -> JsonDict | None:
        """The oldest queued update whose chat has none in flight (Telegram's Bot API server keeps
        one queue per chat and sends a chat's next update only once the previous one is answered)."""
        for queue in (self._redelivery, self._pending):
            for index, update in enumerate(queue):
                if _queue_key(update) not in self._chats_in_flight:
                    del queue[index]
                    return update
        return None

    async def _deliver(self, update: JsonDict, webhook: _Webhook) -> None:
        update_id = int(update["update_id"])
        try:
            for delay in (0.0, *self.webhook_retry_delays):
                if delay:
                    await asyncio.sleep(delay)
                if self._webhook is not webhook:
                    self._pending.appendleft(update)
                    return
                status, error = await self._post_update(update, webhook)
                self.webhook_attempts.append(WebhookAttempt(update_id, status, error, time.monotonic()))
                self._notify()
                if status is not None and 200 <= status < 300:
                    return
                webhook.last_error_date = int(time.time())
                webhook.last_error_message = error
            self.dropped_updates.append(update_id)
        finally:
            self._in_flight.discard(update_id)
            self._chats_in_flight.discard(_queue_key(update))
            self._notify()

    async def _post_update(self, update: JsonDict, webhook: _Webhook) -> tuple[int | None, str | None]:
        """POST one update on a pooled keep-alive connection; (status, error) — status None if no answer."""
        target = urlsplit(webhook.url)
        if target.scheme != "http" or target.hostname is None:
            return None, "Connection error: the emulator delivers to http:// webhooks only"
        address = (target.hostname, target.port or 80)
        secret = self.webhook_secret_override or webhook.secret_token
        body = json.dumps(update).encode()
        head = (
            f"POST {target.path or '/'}{'?' + target.query if target.query else ''} HTTP/1.1\r\n"
            f"Host: {target.netloc}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            + (f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n" if secret is not None else "")
            + "\r\n"
        )
        connection = self._webhook_pool.pop() if self._webhook_pool else None
        try:
            if connection is None or connection[0] != address:
                if connection is not None:
                    connection[2].close()
                opened = await asyncio.wait_for(asyncio.open_connection(*address), self.webhook_timeout)
                connection = (address, *opened)
            _, reader, writer = connection
            writer.write(head.encode("latin-1") + body)
            status, reason, keep_alive = await asyncio.wait_for(
                _read_http_response(reader), self.webhook_timeout
            )
        except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError) as error:
            if connection is not None:
                connection[2].close()
            return None, f"Connection error: {type(error).__name__}"
        except asyncio.CancelledError:
            if connection is not None:
                connection[2].close()
            raise
        if keep_alive and len(self._webhook_pool) < self.webhook_concurrency:
            self._webhook_pool.append(connection)
        else:
            connection[2].close()
        if 200 <= status < 300:
            return status, None
        return status, f"Wrong response from the webhook: {status} {reason}"

    # ---------------------------------------------------------------- bot methods

    async def _get_me(self, params: JsonDict) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _writable_chat(self, params: JsonDict) -> JsonDict:
        chat_id = _chat_id_param(params)
        chat = self._chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    async def _send_message(self, params: JsonDict) -> JsonDict:
        chat = self._writable_chat(params)
        raw_text = str(params.get("text") or "")
        parse_mode = params.get("parse_mode")
        plain, entities = parse_formatted(raw_text, parse_mode, params.get("entities"))
        _check_text(plain)
        markup = _check_markup(params.get("reply_markup"))
        sent = SentMessage(
            chat=chat,
            message_id=self._next_message_id(chat["id"]),
            date=int(time.time()),
            text=plain,
            raw_text=raw_text,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=markup,
            bot_user=self.bot_user,
        )
        self._sent.setdefault(chat["id"], []).append(sent)
        self._sent_index[(chat["id"], sent.message_id)] = sent
        return sent.as_dict()

    async def _send_document(self, params: JsonDict) -> JsonDict:
        chat = self._writable_chat(params)
        content = params.get("document")
        if not isinstance(content, bytes) or not content:
            raise bad_request("there is no document in the request")
        caption = str(params.get("caption") or "")
        if len(caption) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        filename = str(params.get(FILENAME_PARAM.format("document")) or "document")
        mime_type = str(params.get(MIME_PARAM.format("document")) or "application/octet-stream")
        stored = self._store_file("document", content, filename.rsplit(".", 1)[-1])
        document = SentDocument(
            chat["id"], self._next_message_id(chat["id"]), filename, mime_type, caption, content
        )
        self._documents.setdefault(chat["id"], []).append(document)
        return {
            "message_id": document.message_id,
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
            "caption": caption,
            "document": {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": filename,
                "mime_type": mime_type,
                "file_size": len(content),
            },
        }

    def sent_documents(self, chat_id: int) -> list[SentDocument]:
        """Every file the bot sent to the chat with ``sendDocument``, in order."""
        return list(self._documents.get(chat_id, []))

    def _editable(self, params: JsonDict) -> SentMessage:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._writable_chat(params)
        message_id = _int_param(params, "message_id")
        sent = self._sent_index.get((chat["id"], message_id))
        if sent is None or sent.deleted:
            if (chat["id"], message_id) in self._user_messages:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return sent

    def _apply_edit(
        self, sent: SentMessage, text: tuple[str, str, str | None, list[JsonDict]], markup: Any
    ) -> JsonDict:
        plain, raw_text, parse_mode, entities = text
        new_markup = _check_markup(markup)
        if plain == sent.text and entities == sent.entities and new_markup == sent.reply_markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        sent.history.append((sent.text, sent.reply_markup))
        sent.text, sent.raw_text, sent.parse_mode, sent.entities = plain, raw_text, parse_mode, entities
        sent.reply_markup = new_markup
        sent.edit_date = int(time.time())
        return sent.as_dict()

    async def _edit_message_text(self, params: JsonDict) -> JsonDict:
        sent = self._editable(params)
        raw_text = str(params.get("text") or "")
        parse_mode = params.get("parse_mode")
        plain, entities = parse_formatted(raw_text, parse_mode, params.get("entities"))
        _check_text(plain)
        return self._apply_edit(sent, (plain, raw_text, parse_mode, entities), params.get("reply_markup"))

    async def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict:
        sent = self._editable(params)
        text = (sent.text, sent.raw_text, sent.parse_mode, sent.entities)
        return self._apply_edit(sent, text, params.get("reply_markup"))

    async def _answer_callback_query(self, params: JsonDict) -> bool:
        query = self._callback_queries.get(str(params.get("callback_query_id") or ""))
        if query is None or query.answered:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {k: params[k] for k in ("text", "show_alert", "url", "cache_time") if k in params}
        return True

    def _commands_key(self, params: JsonDict) -> tuple[str, str]:
        language = str(params.get("language_code") or "")
        if language and not re.match(r"^[a-z]{2}$", language):
            raise bad_request("invalid language code specified")
        scope = params.get("scope")
        if scope is not None and not (isinstance(scope, dict) and isinstance(scope.get("type"), str)):
            raise bad_request("can't parse BotCommandScope JSON object")
        return _scope_key(scope), language

    async def _set_my_commands(self, params: JsonDict) -> bool:
        key = self._commands_key(params)
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def _get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        return list(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: JsonDict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _set_text_setting(self, params: JsonDict, name: str, store: dict[str, str], limit: int) -> bool:
        language = self._commands_key(params)[1]
        value = str(params.get(name) or "")
        if len(value) > limit:
            raise bad_request(f"{name.replace('_', ' ')} is too long")
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    async def _set_my_description(self, params: JsonDict) -> bool:
        return self._set_text_setting(params, "description", self.descriptions, MAX_DESCRIPTION_LENGTH)

    async def _get_my_description(self, params: JsonDict) -> JsonDict:
        return {"description": self.descriptions.get(self._commands_key(params)[1], "")}

    async def _set_my_short_description(self, params: JsonDict) -> bool:
        limit = MAX_SHORT_DESCRIPTION_LENGTH
        return self._set_text_setting(params, "short_description", self.short_descriptions, limit)

    async def _get_my_short_description(self, params: JsonDict) -> JsonDict:
        return {"short_description": self.short_descriptions.get(self._commands_key(params)[1], "")}

    async def _send_chat_action(self, params: JsonDict) -> bool:
        self._writable_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _delete_message(self, params: JsonDict) -> bool:
        chat = self._writable_chat(params)
        key = (chat["id"], _int_param(params, "message_id"))
        sent = self._sent_index.get(key)
        if sent is not None and not sent.deleted:
            sent.deleted = True
            return True
        if key in self._user_messages:
            del self._user_messages[key]
            return True
        raise bad_request("message to delete not found")

    async def _get_file(self, params: JsonDict) -> JsonDict:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return {**_file_fields(stored), "file_path": stored.file_path}


_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)
_TERMINATED_BY_OTHER = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
_BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def _error_body(error: ApiError) -> tuple[int, bytes, str]:
    payload: JsonDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        payload["parameters"] = error.parameters
    return error.status, json.dumps(payload).encode(), "application/json"


def _file_fields(stored: _StoredFile) -> JsonDict:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }


def _update_type(update: JsonDict) -> str:
    return next((k for k in update if k != "update_id"), "")


def _queue_key(update: JsonDict) -> Any:
    """The chat an update belongs to (its sender, else the update itself), as Telegram queues them."""
    content = update.get(_update_type(update))
    if not isinstance(content, dict):
        return update["update_id"]
    message = content.get("message") if isinstance(content.get("message"), dict) else content
    chat = message.get("chat") if isinstance(message, dict) else None
    if isinstance(chat, dict) and "id" in chat:
        return ("chat", chat["id"])
    sender = content.get("from")
    if isinstance(sender, dict) and "id" in sender:
        return ("user", sender["id"])
    return update["update_id"]


def _allowed_types(value: Any) -> frozenset[str]:
    types: Iterable[Any] = value if isinstance(value, list) else []
    chosen = frozenset(str(t) for t in types)
    return chosen or DEFAULT_UPDATE_TYPES


def _scope_key(scope: JsonDict | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _message_id_of(message: JsonDict | int) -> int:
    if isinstance(message, int):
        return message
    inner = message.get("message") or message.get("edited_message") or message
    return int(inner["message_id"])


# --------------------------------------------------------------------------------------------------
# Running a python-telegram-bot Application against the emulator
# --------------------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port of 127.0.0.1 that was free a moment ago (for PTB's webhook server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def polling_app(
    app: Application[Any, Any, Any, Any, Any, Any],
    emu: BotApiEmulator,
    *,
    ready: Sequence[str] = (),
    timeout: float = 5.0,
    **polling: Any,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run ``app`` for real in polling mode until the block ends (ready: ``ready`` calls done, polling)."""
    assert app.updater is not None, "the Application needs an Updater"
    async with app:
        await app.start()
        await app.updater.start_polling(**polling)
        try:
            await emu.wait_until_ready(ready, "polling", timeout)
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@contextlib.asynccontextmanager
async def webhook_app(
    app: Application[Any, Any, Any, Any, Any, Any],
    emu: BotApiEmulator,
    *,
    secret_token: str | None = None,
    url_path: str = "telegram-webhook",
    ready: Sequence[str] = (),
    timeout: float = 5.0,
    **webhook: Any,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run ``app`` for real with PTB's webhook server on a free port of 127.0.0.1."""
    assert app.updater is not None, "the Application needs an Updater"
    port = free_port()
    async with app:
        await app.start()
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path=url_path,
            webhook_url=f"http://127.0.0.1:{port}/{url_path}",
            secret_token=secret_token,
            **webhook,
        )
        try:
            await emu.wait_until_ready(ready, "webhook", timeout)
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
