"""The Telegram channel: a thin python-telegram-bot adapter around the dialogue and the store."""
