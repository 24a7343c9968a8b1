"""python-telegram-bot's HTTP requests made with aiohttp instead of httpx.

Profiling the bot under load showed httpx/httpcore/anyio taking about a third of the event loop's
time for each reply; aiohttp does the same work with C-accelerated parsing and far fewer Python
calls. Requests are sent as one JSON body (Telegram accepts ``application/json``), files as
multipart form data.

Errors are told apart for the retry policy (see :func:`bot.telegram.handlers.surely_not_sent`):
:class:`NotConnected` when the connection could not even be opened (nothing left this machine, so
sending again cannot double a message), :class:`TransportError` for everything else that went wrong
on the way (the request may have arrived), :class:`telegram.error.TimedOut` for timeouts.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT_POOL_SIZE = 256


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
        try:
            async with self._session.request(
                method, url, timeout=timeout, **_body(request_data, files)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientConnectorError as error:
            raise NotConnected(f"aiohttp.{type(error).__name__}: {error}") from error
        except (aiohttp.ClientError, OSError) as error:
            raise TransportError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _given(self, value: Any, name: str) -> float | None:
        if value is BaseRequest.DEFAULT_NONE:
            return self._timeouts[name]
        return None if value is None else float(value)


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
