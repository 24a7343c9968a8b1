"""Logging set-up for the long-running processes (the bot, the review console).

One JSON object a line on standard error by default (``GUICHET_LOG_FORMAT=json``: what log shippers
and operators expect), or plain lines for a developer's terminal (``GUICHET_LOG_FORMAT=text``). An
error logged with ``exc_info`` carries its traceback: the frames (file, line, function, code) and the
exception's type — not its message, which can quote what a person typed.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

from bot.settings import LogFormat

HANDLER_NAME = "guichet"
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# Libraries kept quiet: httpx logs request URLs (they contain the bot token) at INFO, transitions
# logs every state change at INFO, python-telegram-bot whole updates at DEBUG.
QUIET_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiohttp": logging.WARNING,
    "transitions": logging.WARNING,
    "telegram": logging.INFO,
    "uvicorn": logging.WARNING,
    "uvicorn.error": logging.WARNING,
    "uvicorn.access": logging.WARNING,
}


def describe_exception(exc_info: ExcInfo) -> str:
    """The traceback without the exception's message: for each exception of the chain (its cause
    first, as Python prints them), the frames and the exception's type."""
    _kind, error, tb = exc_info
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    blocks = []
    for index, exception in enumerate(chain):
        frames = traceback.extract_tb(tb if index == 0 else exception.__traceback__)
        kind = type(exception)
        name = kind.__qualname__
        if kind.__module__ != "builtins":
            name = f"{kind.__module__}.{name}"
        blocks.append("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) + name)
    return "\n\nwhich led to:\n\n".join(reversed(blocks))


def _exc_info(record: logging.LogRecord) -> ExcInfo | None:
    info = record.exc_info
    if info and info[0] is not None and info[1] is not None:
        return (info[0], info[1], info[2])
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, and, for an error
    logged with its exception, ``error`` (its type) and ``traceback``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (info := _exc_info(record)) is not None:
            entry["error"] = info[0].__qualname__
            entry["traceback"] = describe_exception(info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message``, and the traceback under it (without the exception's message)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text  # another handler's full traceback, message included: not reused
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: object) -> str:
        info = ei if isinstance(ei, tuple) and len(ei) == 3 and ei[1] is not None else None
        return describe_exception(info) if info is not None else ""


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record (as logging's last resort does)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(log_format: LogFormat, level: str = "INFO", *, stream: TextIO | None = None) -> None:
    """Send every log record to ``stream`` (standard error) in ``log_format`` at ``level``, with the
    noisy libraries quietened; replaces the handler an earlier call installed (and only that one)."""
    handler: logging.Handler = _CurrentStderr() if stream is None else logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(quiet, logging.getLevelName(level)))
