"""The webhook endpoint: Telegram's POST is answered 200 only once its update is handled.

python-telegram-bot's own webhook server answers as soon as the update is queued in memory, so a
crash loses every queued update (Telegram never sends them again). Here the answer waits until the
turn is committed: an update the bot acknowledged is never lost, and one it did not acknowledge is
sent again by Telegram and recognised by its id.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, Update

from bot.health import Check, health_route

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000

log = logging.getLogger(__name__)


def webhook_app(
    url_path: str,
    secret: str,
    bot: Bot,
    handle: Callable[[Update], Awaitable[None]],
    health: Check | None = None,
) -> Starlette:
    """A Starlette app with one route, ``POST /<url_path>``, that checks Telegram's secret header
    (403 otherwise), parses the update (400 if it is not one) and answers 200 after ``handle``; with
    ``health``, also ``GET /healthz`` (:func:`bot.health.health_route`)."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise TypeError("an update is a JSON object")
            update = Update.de_json(data, bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("webhook: a request that is not an update was refused")
            return Response(status_code=400)
        await handle(update)
        return Response(status_code=200)

    routes = [Route(f"/{url_path.strip('/')}", receive, methods=["POST"])]
    if health is not None:
        routes.append(health_route(health))
    return Starlette(routes=routes)


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without its own SIGINT/SIGTERM handlers: the bot's stop event decides."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class WebhookServer:
    """uvicorn serving :func:`webhook_app` on ``listen:port`` until :meth:`stop`."""

    def __init__(self, app: Starlette, listen: str, port: int) -> None:
        config = uvicorn.Config(
            app, host=listen, port=port, log_level="warning", access_log=False, lifespan="off"
        )
        self._server = _EmbeddedServer(config)
        self._listen, self._port = listen, port
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start serving; returns once the port is listening (OSError if it could not be opened).

        The socket is opened here, not by uvicorn, which would exit the process (SystemExit) when
        the port is taken."""
        family = socket.AF_INET6 if ":" in self._listen else socket.AF_INET
        listening = socket.create_server((self._listen, self._port), family=family, backlog=2048)
        self._task = asyncio.create_task(self._server.serve(sockets=[listening]))
        while not self._server.started:
            if self._task.done():
                listening.close()
                raise OSError("the webhook server stopped while starting")
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        """Stop accepting requests, let the ones in progress finish, and return."""
        self._server.should_exit = True
        if self._task is not None:
            await self._task
