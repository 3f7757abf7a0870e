"""The application, assembled: the shared base (bot/telegram), then each feature (quiz,
answers, moderation) registers its handlers; run by long polling or a webhook.

The one module that knows every feature: features never import it, nor one another's handlers.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Final
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.answers import handlers as answers
from bot.answers import texts as answer_texts
from bot.config import ConfigError, Settings, webhook_secret
from bot.moderation import telegram as moderation
from bot.quiz import telegram as quiz
from bot.quiz import texts as quiz_texts
from bot.telegram import redact
from bot.telegram.errors import on_error
from bot.telegram.flood import FloodControl
from bot.telegram.ratelimit import BotRateLimiter
from bot.telegram.services import Engine, Services
from bot.telegram.shared import keep, kept
from bot.telegram.texts import KK, LANGS

logger = logging.getLogger(__name__)

# What the bot asks Telegram for.
ALLOWED_UPDATES: Final[list[str]] = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.POLL_ANSWER,  # quiz answers (bot/quiz)
]

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    settings: Settings,
    engine: Engine,
    token: str,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> TelegramApp:
    """The configured PTB application for `engine`; nothing is sent until it is started.

    `request` and `get_updates_request` replace PTB's HTTP client (tests use an in-process
    fake); otherwise requests go to `[telegram] base_url` and `base_file_url`.
    """
    if not token or not token.strip():
        raise ConfigError("TELEGRAM_BOT_TOKEN is empty")
    tg = settings.telegram
    redact.install(token, os.environ.get(tg.webhook_secret_env))
    builder = (
        Application.builder()
        .token(token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .rate_limiter(
            BotRateLimiter(
                overall_max_rate=tg.overall_max_rate,
                group_max_rate=tg.group_max_rate,
                max_retries=tg.max_retries,
            )
        )
        .concurrent_updates(tg.concurrent_updates)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    window = tg.flood_window_seconds
    keep(
        application.bot_data,
        Services(
            settings=settings,
            engine=engine,
            flood=FloodControl(tg.flood_max_questions, window),
            button_flood=FloodControl(2 * tg.flood_max_questions, window),
        ),
    )
    quiz.register(application)  # before the answers: their catch-alls come last
    answers.register(application)
    moderation.register(application, command_menu(KK))  # group -1: before both
    application.add_error_handler(on_error)
    return application


def command_menu(lang: str) -> list[BotCommand]:
    """The command menu everyone sees, in one language: the answers' commands, the quiz's."""
    lines = (*answer_texts.COMMANDS[lang], *quiz_texts.COMMANDS[lang])
    return [BotCommand(name, description) for name, description in lines]


async def _post_init(application: TelegramApp) -> None:
    """Register the command menu: Kazakh by default and for "kk", Russian for "ru"."""
    bot = application.bot
    try:
        await bot.set_my_commands(command_menu(KK))
        for lang in LANGS:
            await bot.set_my_commands(command_menu(lang), language_code=lang)
    except TelegramError as exc:  # the bot works without a menu
        logger.warning("could not register the command menu: %s", exc)


async def _post_shutdown(application: TelegramApp) -> None:
    """Stop the worker threads and close the stores."""
    get_services_from_app(application).close()


def get_services_from_app(application: TelegramApp) -> Services:
    """The `Services` attached to an application."""
    return kept(application.bot_data, Services)


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for `run_webhook`/`Updater.start_webhook`, checked; ConfigError if wrong."""
    tg = settings.telegram
    secret = webhook_secret(tg)
    return {
        "listen": tg.listen,
        "port": tg.port,
        "url_path": urlsplit(tg.webhook_url).path.lstrip("/"),
        "webhook_url": tg.webhook_url,
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
        "max_connections": tg.webhook_max_connections,
        "bootstrap_retries": tg.max_retries,
    }


def run_telegram(settings: Settings, engine: Engine, token: str) -> None:
    """Run the bot until interrupted: long polling, or a webhook when `[telegram] mode` says so."""
    tg = settings.telegram
    options = webhook_options(settings) if tg.mode == "webhook" else None
    application = build_application(settings, engine, token)
    if options is not None:
        logger.info("starting the webhook on %s:%d", tg.listen, tg.port)
        application.run_webhook(**options)
    else:
        logger.info("starting long polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=tg.max_retries)
