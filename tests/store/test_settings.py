"""Settings: environment and .env parsing, defaults, validation, and the token kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, get_settings

TOKEN = "123456:AAH-very-secret-token-xyz"
ALL_VARS = [
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_FILE_URL",
    "GUICHET_DATA_DIR",
    "GUICHET_DB_PATH",
    "GUICHET_MODE",
    "GUICHET_WEBHOOK_URL",
    "GUICHET_WEBHOOK_LISTEN",
    "GUICHET_WEBHOOK_PORT",
    "GUICHET_WEBHOOK_SECRET",
    "GUICHET_RETENTION_DAYS",
    "GUICHET_OPERATOR_CHAT_ID",
    "GUICHET_OPERATOR_IDS",
    "GUICHET_BOT_USERNAME",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ALL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the project folder
    get_settings.cache_clear()


def test_defaults() -> None:
    settings = Settings()
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.mode == "polling"
    assert settings.retention_days == 180
    assert settings.data_dir == Path("data")
    assert settings.db_path == Path("data") / "guichet.sqlite3"
    assert settings.operator_ids == ()


def test_reads_every_variable_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9000/bot",
        "TELEGRAM_API_FILE_URL": "http://127.0.0.1:9000/file/bot",
        "GUICHET_DATA_DIR": "/srv/guichet",
        "GUICHET_MODE": "webhook",
        "GUICHET_WEBHOOK_URL": "https://bot.example.be/hook",
        "GUICHET_WEBHOOK_LISTEN": "0.0.0.0",
        "GUICHET_WEBHOOK_PORT": "8080",
        "GUICHET_WEBHOOK_SECRET": "s3cret_-X",
        "GUICHET_RETENTION_DAYS": "30",
        "GUICHET_OPERATOR_CHAT_ID": "-1001234",
        "GUICHET_OPERATOR_IDS": "11, 22 33",
        "GUICHET_BOT_USERNAME": "@GuichetBot",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = get_settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert settings.telegram_api_base_url == "http://127.0.0.1:9000/bot"
    assert settings.telegram_api_file_url == "http://127.0.0.1:9000/file/bot"
    assert settings.db_path == Path("/srv/guichet/guichet.sqlite3")
    assert (settings.mode, settings.webhook_url) == ("webhook", "https://bot.example.be/hook")
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 8080)
    assert settings.webhook_secret is not None and settings.webhook_secret.get_secret_value() == "s3cret_-X"
    assert settings.retention_days == 30
    assert settings.operator_chat_id == -1001234
    assert settings.operator_ids == (11, 22, 33)
    assert settings.bot_username == "GuichetBot"
    assert get_settings() is settings  # cached


def test_dotenv_file_and_explicit_db_path(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nGUICHET_DB_PATH=/var/lib/g.sqlite3\nGUICHET_OPERATOR_IDS=[5, 6]\n"
        "SOMETHING_ELSE=ignored\n",
        encoding="utf-8",
    )
    settings = Settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert settings.db_path == Path("/var/lib/g.sqlite3")
    assert settings.operator_ids == (5, 6)


def test_environment_overrides_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("GUICHET_RETENTION_DAYS=10\n", encoding="utf-8")
    monkeypatch.setenv("GUICHET_RETENTION_DAYS", "20")
    assert Settings().retention_days == 20


def test_token_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("GUICHET_WEBHOOK_SECRET", "hook_secret_value")
    settings = Settings()
    shown = [repr(settings), str(settings), settings.model_dump_json(), repr(settings.model_dump())]
    for text in shown:
        assert TOKEN not in text
        assert "hook_secret_value" not in text


@pytest.mark.parametrize(
    "env",
    [
        {"GUICHET_MODE": "carrier-pigeon"},
        {"GUICHET_MODE": "webhook", "GUICHET_WEBHOOK_SECRET": "abc"},  # no URL
        {"GUICHET_MODE": "webhook", "GUICHET_WEBHOOK_URL": "https://x.be/h"},  # no secret
        {"GUICHET_MODE": "webhook", "GUICHET_WEBHOOK_URL": "http://x.be/h", "GUICHET_WEBHOOK_SECRET": "abc"},
        {"GUICHET_WEBHOOK_SECRET": "has space"},
        {"GUICHET_WEBHOOK_PORT": "70000"},
        {"GUICHET_RETENTION_DAYS": "0"},
        {"GUICHET_OPERATOR_IDS": "12,abc"},
        {"GUICHET_BOT_USERNAME": "a-b"},
    ],
)
def test_invalid_configuration_is_refused(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_plain_http_webhook_allowed_on_loopback_for_an_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUICHET_MODE", "webhook")
    monkeypatch.setenv("GUICHET_WEBHOOK_URL", "http://127.0.0.1:8443/hook")
    monkeypatch.setenv("GUICHET_WEBHOOK_SECRET", "abc")
    assert Settings().webhook_url == "http://127.0.0.1:8443/hook"


def test_field_names_work_in_code() -> None:
    settings = Settings(data_dir=Path("/tmp/x"), retention_days=7)
    assert settings.db_path == Path("/tmp/x/guichet.sqlite3")
    assert settings.retention_days == 7
