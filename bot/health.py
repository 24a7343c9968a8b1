"""Liveness for the Docker health check: the store opens, and a running bot beats its heart."""

from __future__ import annotations

import sys
import time
from pathlib import Path

HEARTBEAT_FILE = "heartbeat"
HEARTBEAT_MAX_AGE_S = 120.0


def heartbeat_path(data_dir: Path) -> Path:
    """Where the running bot records that it is alive."""
    return data_dir / HEARTBEAT_FILE


def beat(data_dir: Path) -> None:
    """Record that the bot is alive now."""
    data_dir.mkdir(parents=True, exist_ok=True)
    heartbeat_path(data_dir).write_text(f"{time.time():.0f}\n", encoding="utf-8")


def check_health() -> int:
    """0 when healthy, 1 otherwise (one line on standard error says why)."""
    from bot.settings import get_settings
    from bot.store import SessionStore

    try:
        settings = get_settings()
        SessionStore(settings.db_path).close()
    except Exception as exc:  # any failure means unhealthy; say which
        print(f"unhealthy: {type(exc).__name__}", file=sys.stderr)
        return 1
    if settings.telegram_bot_token is not None:
        path = heartbeat_path(settings.data_dir)
        age = time.time() - path.stat().st_mtime if path.exists() else float("inf")
        if age > HEARTBEAT_MAX_AGE_S:
            print("unhealthy: the bot has not reported for more than two minutes", file=sys.stderr)
            return 1
    return 0
