"""Runtime configuration from environment variables and a ``.env`` file (pydantic-settings).

Every setting is read from the variable named in its ``validation_alias``; Python code may also pass
the field name (``Settings(data_dir=...)``). The bot token and the webhook secret are ``SecretStr``:
they never appear in ``repr``, ``str`` or ``model_dump_json``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DB_FILE_NAME = "guichet.sqlite3"
# Telegram's X-Telegram-Bot-Api-Secret-Token: 1–256 characters of A-Z, a-z, 0-9, _ and -.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_BOT_USERNAME = re.compile(r"[A-Za-z0-9_]{5,32}")
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

Mode = Literal["polling", "webhook"]
LogFormat = Literal["json", "text"]
DOWNLOADS_DIR = "downloads"


class Settings(BaseSettings):
    """guichet's configuration; build it with :func:`get_settings` (cached) or directly in tests."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
    )

    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_BASE_URL"
    )
    telegram_api_file_url: str = Field(
        default="https://api.telegram.org/file/bot", validation_alias="TELEGRAM_API_FILE_URL"
    )
    data_dir: Path = Field(default=Path("./data"), validation_alias="GUICHET_DATA_DIR")
    db_path_override: Path | None = Field(default=None, validation_alias="GUICHET_DB_PATH")
    mode: Mode = Field(default="polling", validation_alias="GUICHET_MODE")
    webhook_url: str | None = Field(default=None, validation_alias="GUICHET_WEBHOOK_URL")
    webhook_listen: str = Field(default="127.0.0.1", validation_alias="GUICHET_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, ge=1, le=65535, validation_alias="GUICHET_WEBHOOK_PORT")
    webhook_secret: SecretStr | None = Field(default=None, validation_alias="GUICHET_WEBHOOK_SECRET")
    webhook_max_connections: int = Field(
        default=8, ge=1, le=100, validation_alias="GUICHET_WEBHOOK_MAX_CONNECTIONS"
    )
    concurrency: int = Field(default=8, ge=1, le=64, validation_alias="GUICHET_CONCURRENCY")
    retention_days: int = Field(default=180, ge=1, validation_alias="GUICHET_RETENTION_DAYS")
    audit_retention_days: int = Field(default=730, ge=1, validation_alias="GUICHET_AUDIT_RETENTION_DAYS")
    operator_chat_id: int | None = Field(default=None, validation_alias="GUICHET_OPERATOR_CHAT_ID")
    operator_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(), validation_alias="GUICHET_OPERATOR_IDS"
    )
    bot_username: str | None = Field(default=None, validation_alias="GUICHET_BOT_USERNAME")
    review_base_url: str | None = Field(default=None, validation_alias="GUICHET_REVIEW_URL")
    reminder_every_s: float = Field(default=30.0, gt=0, validation_alias="GUICHET_REMINDER_EVERY_S")
    # A deployment (the Docker image sets it): `guichet run` without a token fails instead of
    # starting the console conversation.
    require_token: bool = Field(default=False, validation_alias="GUICHET_REQUIRE_TOKEN")
    log_format: LogFormat = Field(default="json", validation_alias="GUICHET_LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias="GUICHET_LOG_LEVEL"
    )
    # An HTTP health endpoint (GET /healthz) beside the bot, in either mode; off when no port is set.
    health_listen: str = Field(default="127.0.0.1", validation_alias="GUICHET_HEALTH_LISTEN")
    health_port: int | None = Field(default=None, ge=1, le=65535, validation_alias="GUICHET_HEALTH_PORT")
    # Who is responsible for the data (the controller, GDPR art. 13), told by /privacy.
    controller_name: str | None = Field(default=None, validation_alias="GUICHET_CONTROLLER_NAME")
    controller_contact: str | None = Field(default=None, validation_alias="GUICHET_CONTROLLER_CONTACT")

    @property
    def db_path(self) -> Path:
        """The SQLite file: ``GUICHET_DB_PATH``, else ``<data dir>/guichet.sqlite3``."""
        return self.db_path_override or self.data_dir / DB_FILE_NAME

    @property
    def downloads_dir(self) -> Path:
        """Where the terminal console writes the PDF and the calendar file it is asked for."""
        return self.data_dir / DOWNLOADS_DIR

    @field_validator("operator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        """Accept ``"12, 34 56"`` or a JSON list ``"[12, 34]"`` from the environment."""
        if isinstance(value, str):
            return tuple(part for part in re.split(r"[\s,;\[\]]+", value) if part)
        return value

    @field_validator("bot_username", mode="before")
    @classmethod
    def _strip_at(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().removeprefix("@") or None
            if value is not None and not _BOT_USERNAME.fullmatch(value):
                raise ValueError("a Telegram bot username has 5–32 characters of A-Z, a-z, 0-9 and _")
        return value

    @field_validator("log_format", "log_level", mode="before")
    @classmethod
    def _any_case(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            return value.upper() if value.lower() in ("debug", "info", "warning", "error") else value.lower()
        return value

    @field_validator(
        "telegram_bot_token",
        "webhook_secret",
        "webhook_url",
        "health_port",
        "operator_chat_id",
        "review_base_url",
        "controller_name",
        "controller_contact",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @model_validator(mode="after")
    def _check_webhook(self) -> Settings:
        if self.webhook_secret is not None and not _WEBHOOK_SECRET.fullmatch(
            self.webhook_secret.get_secret_value()
        ):
            raise ValueError("GUICHET_WEBHOOK_SECRET must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
        if self.mode == "webhook":
            if not self.webhook_url or not _is_acceptable_webhook_url(self.webhook_url):
                raise ValueError(
                    "webhook mode needs an https:// GUICHET_WEBHOOK_URL (http:// only on loopback)"
                )
            if self.webhook_secret is None:
                raise ValueError("webhook mode needs GUICHET_WEBHOOK_SECRET (Telegram sends it back)")
        return self


def _is_acceptable_webhook_url(url: str) -> bool:
    """Telegram only calls https:// webhooks; plain http is accepted for a local emulator."""
    parsed = urlsplit(url)
    if parsed.scheme == "https" and parsed.hostname:
        return True
    return parsed.scheme == "http" and parsed.hostname in _LOOPBACK_HOSTS


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (``get_settings.cache_clear()`` re-reads them)."""
    return Settings()
