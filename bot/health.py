"""Liveness: the store opens, a token is configured, and a running bot beats its heart.

Two ways to ask: ``guichet health`` (the Docker health check: exit 0 or 1, the reason on standard
error) and ``GET /healthz`` over HTTP (200 ``{"status": "ok"}`` or 503 with the reason), served on the
webhook server, on the review console, and on ``GUICHET_HEALTH_LISTEN:GUICHET_HEALTH_PORT`` when set.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from bot.settings import Settings

HEARTBEAT_FILE = "heartbeat"
HEARTBEAT_MAX_AGE_S = 120.0
HEALTH_PATH = "/healthz"
NO_TOKEN = "no TELEGRAM_BOT_TOKEN is configured: the bot is not running"

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[str | None]]


def heartbeat_path(data_dir: Path) -> Path:
    """Where the running bot records that it is alive."""
    return data_dir / HEARTBEAT_FILE


def beat(data_dir: Path) -> None:
    """Record that the bot is alive now."""
    data_dir.mkdir(parents=True, exist_ok=True)
    heartbeat_path(data_dir).write_text(f"{time.time():.0f}\n", encoding="utf-8")


def heartbeat_problem(settings: Settings, now: float | None = None) -> str | None:
    """Why the bot is not alive (no token, or no heartbeat for two minutes), or None."""
    if settings.telegram_bot_token is None:
        return NO_TOKEN
    path = heartbeat_path(settings.data_dir)
    age = (now or time.time()) - path.stat().st_mtime if path.exists() else float("inf")
    if age > HEARTBEAT_MAX_AGE_S:
        return "the bot has not reported for more than two minutes"
    return None


def check_health() -> int:
    """`guichet health`: 0 when healthy, 1 otherwise (one line on standard error says why)."""
    from bot.settings import get_settings
    from bot.store import SessionStore

    try:
        settings = get_settings()
        SessionStore(settings.db_path).close()
    except Exception as exc:  # any failure means unhealthy; say which
        print(f"unhealthy: {type(exc).__name__}", file=sys.stderr)
        return 1
    problem = heartbeat_problem(settings)
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


def health_route(check: Check) -> Route:
    """``GET /healthz``: 200 ``{"status": "ok"}``, or 503 ``{"status": "unhealthy", "reason": …}``."""
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def healthz(_request: Request) -> Response:
        try:
            problem = await check()
        except Exception as exc:  # a failing check is an unhealthy answer, never a 500
            problem = type(exc).__name__
        if problem is None:
            return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
        return JSONResponse(
            {"status": "unhealthy", "reason": problem}, status_code=503, headers={"Cache-Control": "no-store"}
        )

    return Route(HEALTH_PATH, healthz, methods=["GET"])


def bot_check(settings: Settings) -> Check:
    """The running bot's own check: its heartbeat is fresh (it is written beside the store)."""

    async def check() -> str | None:
        return heartbeat_problem(settings)

    return check


def health_app(check: Check) -> Starlette:
    """An app with only ``GET /healthz``."""
    from starlette.applications import Starlette

    return Starlette(routes=[health_route(check)])


async def serve_health(settings: Settings, stop: asyncio.Event) -> None:
    """Serve ``GET /healthz`` on ``GUICHET_HEALTH_LISTEN:GUICHET_HEALTH_PORT`` until ``stop`` (nothing
    when no port is set)."""
    if settings.health_port is None:
        return
    from bot.telegram.webhook import WebhookServer

    where = f"{settings.health_listen}:{settings.health_port}"
    server = WebhookServer(health_app(bot_check(settings)), settings.health_listen, settings.health_port)
    try:
        await server.start()
    except OSError as error:  # the bot keeps serving; the failing probe shows the problem
        log.error("the health endpoint could not listen on %s", where, exc_info=error)
        return
    try:
        await stop.wait()
    finally:
        await server.stop()
