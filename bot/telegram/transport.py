"""python-telegram-bot's HTTP requests made with aiohttp instead of httpx.

Profiling the bot under load showed httpx/httpcore/anyio taking about a third of the event loop's
time for each reply; aiohttp does the same work with C-accelerated parsing and far fewer Python
calls. Requests are sent as one JSON body (Telegram accepts ``application/json``), files as
multipart form data.

Errors are told apart for the retry policy (see :func:`bot.telegram.handlers.surely_not_sent`):
:class:`NotConnected` when the connection could not even be opened (nothing left this machine, so
sending again cannot double a message), :class:`TransportError` for everything else that went wrong
on the way (the request may have arrived), :class:`telegram.error.TimedOut` for timeouts.

A ``sendMessage`` that was reset or timed out is *confirmed or sent once more* here, so the person
neither misses the reply nor gets it twice. Message ids in a chat follow each other, and the
transport knows the last one it was answered for that chat; the messages after it are probed with an
``editMessageText`` carrying exactly the same content: Telegram answers "message is not modified"
for the reply that did arrive (nothing changes on the person's screen), "can't be edited" for the
person's own messages, "not found" past the end. Found: the send is reported as done; not found:
it is sent again, once. Sends to one chat go one at a time (a probe never meets another reply of
ours still in flight). Without a known last id, or if the probe itself fails, the error is raised as
before and the handlers' policy applies (the question is sent again when the person writes).

Proxies: ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` from the environment are honoured (aiohttp's
``trust_env``).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Final

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT_POOL_SIZE = 256
# Methods that put a message in a chat: one at a time per chat, and the id they are answered with is
# the chat's last known message id.
MESSAGE_METHODS: Final = frozenset(
    {"sendmessage", "senddocument", "sendphoto", "copymessage", "forwardmessage"}
)
PROBE_WINDOW: Final = 4  # message ids after the last known one probed for a reply that may have arrived
CONFIRM_AFTER_TIMEOUT_S: Final = 1.0  # a timed-out request may still be delivered: let it land first
MAX_CHATS_REMEMBERED: Final = 50_000
_MESSAGE_ID: Final = re.compile(rb'"message_id":\s*(\d+)')
_EDIT_FIELDS: Final = ("text", "parse_mode", "entities", "link_preview_options", "reply_markup")
_NOT_MODIFIED: Final = "message is not modified"
_NOT_FOUND: Final = "message to edit not found"
_NOT_EDITABLE: Final = "message can't be edited"


class TransportError(NetworkError):
    """The request failed on the way (reset, closed connection…): it may have reached Telegram."""


class NotConnected(TransportError):
    """The connection to the Bot API could not be opened: the request certainly did not leave."""


class AiohttpRequest(BaseRequest):
    """A :class:`telegram.request.BaseRequest` on one :class:`aiohttp.ClientSession` (keep-alive
    connections, at most ``connection_pool_size`` at once). Timeouts in seconds, as in PTB's
    ``HTTPXRequest``; ``None`` waits for ever."""

    def __init__(
        self,
        connection_pool_size: int = DEFAULT_POOL_SIZE,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        """A request object; the session is opened by :meth:`initialize` (inside the event loop)."""
        self._pool_size = connection_pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
            "media_write": media_write_timeout,
        }
        self._session: aiohttp.ClientSession | None = None
        self._last_ids: dict[int, int] = {}  # chat id → the highest message id answered for it
        self._chat_turns: dict[int, tuple[asyncio.Lock, list[int]]] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds the long-polling timeout to it for getUpdates)."""
        return self._timeouts["read"]

    async def initialize(self) -> None:
        """Open the HTTP session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300),
                headers={"User-Agent": self.USER_AGENT},
                json_serialize=json.dumps,
                trust_env=True,  # HTTPS_PROXY / HTTP_PROXY / NO_PROXY
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return the HTTP status and the body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = self._given(read_timeout, "read")
        connect = self._given(connect_timeout, "connect")
        pool = self._given(pool_timeout, "pool")
        write = self._given(write_timeout, "media_write" if files else "write")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            # aiohttp has no write timeout: the whole exchange after connecting gets both.
            sock_read=None if read is None or write is None else read + write,
        )
        body = _body(request_data, files)
        chat_id = _chat_id(url, request_data, body)
        if chat_id is None:
            return await self._exchange(method, url, timeout, body)
        async with self._chat_turn(chat_id):
            try:
                status, answer = await self._exchange(method, url, timeout, body)
            except (TransportError, TimedOut) as error:
                sent = body.get("json")
                if isinstance(error, NotConnected) or not url.endswith("/sendMessage") or sent is None:
                    raise
                recovered = await self._confirm_or_resend(url, timeout, sent, chat_id, error)
                if recovered is None:
                    self._last_ids.pop(chat_id, None)  # unknown now: no probe until the next answer
                    raise
                return recovered
            self._remember(chat_id, answer)
            return status, answer

    async def _exchange(
        self, method: str, url: str, timeout: aiohttp.ClientTimeout, body: Mapping[str, Any]
    ) -> tuple[int, bytes]:
        assert self._session is not None
        try:
            async with self._session.request(method, url, timeout=timeout, **body) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientConnectorError as error:
            raise NotConnected(f"aiohttp.{type(error).__name__}: {error}") from error
        except (aiohttp.ClientError, OSError) as error:
            raise TransportError(f"aiohttp.{type(error).__name__}: {error}") from error

    @asynccontextmanager
    async def _chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """One message-creating request at a time for ``chat_id`` (the lock is dropped when idle)."""
        lock, users = self._chat_turns.setdefault(chat_id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._chat_turns[chat_id]

    def _remember(self, chat_id: int, answer: bytes) -> None:
        """Keep the highest message id of an answer as the chat's last known one."""
        found = [int(match) for match in _MESSAGE_ID.findall(answer)]
        if not found:
            return
        newest = max(max(found), self._last_ids.pop(chat_id, 0))
        if len(self._last_ids) >= MAX_CHATS_REMEMBERED:
            self._last_ids.pop(next(iter(self._last_ids)))
        self._last_ids[chat_id] = newest

    async def _confirm_or_resend(
        self,
        url: str,
        timeout: aiohttp.ClientTimeout,
        parameters: Mapping[str, Any],
        chat_id: int,
        error: Exception,
    ) -> tuple[int, bytes] | None:
        """After a reset or timeout: the message found delivered, or sent once more; None when that
        cannot be told (no known last id, or the probe failed)."""
        last = self._last_ids.get(chat_id)
        if last is None:
            return None
        if isinstance(error, TimedOut):
            await asyncio.sleep(CONFIRM_AFTER_TIMEOUT_S)
        delivered = await self._find_delivered(url, timeout, parameters, chat_id, last)
        if delivered is None:
            return None
        if delivered:
            self._last_ids[chat_id] = delivered
            return 200, _sent_answer(chat_id, delivered, parameters)
        try:
            status, answer = await self._exchange("POST", url, timeout, {"json": dict(parameters)})
        except (TransportError, TimedOut):
            return None
        self._remember(chat_id, answer)
        return status, answer

    async def _find_delivered(
        self,
        url: str,
        timeout: aiohttp.ClientTimeout,
        parameters: Mapping[str, Any],
        chat_id: int,
        last: int,
    ) -> int | None:
        """The id of the message after ``last`` that holds exactly this content, 0 when there is
        none, None when the probe itself failed."""
        edit_url = url.rsplit("/", 1)[0] + "/editMessageText"
        content = {name: parameters[name] for name in _EDIT_FIELDS if name in parameters}
        for message_id in range(last + 1, last + 1 + PROBE_WINDOW):
            probe = {"chat_id": chat_id, "message_id": message_id, **content}
            try:
                status, answer = await self._exchange("POST", edit_url, timeout, {"json": probe})
            except (TransportError, TimedOut):
                return None
            if status == 200:  # our message, shown differently: it now shows this reply
                return message_id
            description = _description(answer)
            if _NOT_MODIFIED in description:
                return message_id
            if _NOT_FOUND in description:
                return 0
            if _NOT_EDITABLE not in description:  # 429, 5xx…: cannot tell
                return None
        return 0

    def _given(self, value: Any, name: str) -> float | None:
        if value is BaseRequest.DEFAULT_NONE:
            return self._timeouts[name]
        return None if value is None else float(value)


def _chat_id(url: str, request_data: RequestData | None, body: Mapping[str, Any]) -> int | None:
    """The chat a message-creating request writes to (None for any other request)."""
    if request_data is None or url.rsplit("/", 1)[-1].lower() not in MESSAGE_METHODS:
        return None
    parameters = body.get("json")
    chat_id = (parameters if parameters is not None else request_data.parameters).get("chat_id")
    return chat_id if isinstance(chat_id, int) else None


def _description(answer: bytes) -> str:
    """The ``description`` of a Bot API error answer ('' when there is none)."""
    try:
        payload = json.loads(answer)
    except ValueError:
        return ""
    description = payload.get("description") if isinstance(payload, dict) else None
    return description if isinstance(description, str) else ""


def _sent_answer(chat_id: int, message_id: int, parameters: Mapping[str, Any]) -> bytes:
    """The Bot API's answer for a message found delivered (what ``sendMessage`` would have said)."""
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": ""}
    message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat,
        "text": parameters.get("text", ""),
    }
    return json.dumps({"ok": True, "result": message}).encode()


def _body(request_data: RequestData | None, files: dict[str, Any] | None) -> dict[str, Any]:
    """The request body: JSON, or multipart form data when files are uploaded."""
    if request_data is None:
        return {}
    if not files:
        return {"json": request_data.parameters}
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in files.items():
        content, filename, mimetype = _file_part(part)
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return {"data": form}


def _file_part(part: Any) -> tuple[Any, str | None, str | None]:
    """PTB gives each upload as ``content`` or ``(filename, content[, mimetype])``."""
    if isinstance(part, tuple):
        filename, content, *rest = part
        return content, filename, (rest[0] if rest else None)
    return part, None, None
