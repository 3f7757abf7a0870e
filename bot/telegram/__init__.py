"""The Telegram front end of the ҚХА bot (python-telegram-bot 22)."""

from bot.telegram.app import ALLOWED_UPDATES, build_application, run_telegram

__all__ = ["ALLOWED_UPDATES", "build_application", "run_telegram"]
