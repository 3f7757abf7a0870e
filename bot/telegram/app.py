"""Build and run the Telegram bot: long polling by default, a webhook when configured."""

from __future__ import annotations

import logging
import os
import re
from typing import Any, Final
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application, ContextTypes
from telegram.request import BaseRequest

from bot.config import ConfigError, Settings
from bot.moderation import telegram as moderation
from bot.quiz import telegram as quiz
from bot.telegram import handlers, redact
from bot.telegram.feedback import FeedbackStore
from bot.telegram.flood import FloodControl
from bot.telegram.ratelimit import BotRateLimiter
from bot.telegram.services import SERVICES_KEY, Engine, Services, attach, get_services

logger = logging.getLogger(__name__)

# What the bot asks Telegram for.
ALLOWED_UPDATES: Final[list[str]] = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.POLL_ANSWER,  # quiz answers (bot/quiz)
]
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_DAY: Final = 24 * 60 * 60

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
    attach(
        application,
        Services(
            settings=settings,
            engine=engine,
            store=FeedbackStore(settings.db_path),
            flood=FloodControl(tg.flood_max_questions, window),
            button_flood=FloodControl(2 * tg.flood_max_questions, window),
        ),
    )
    quiz.register(application)  # before the general handlers: their catch-alls come last
    handlers.register(application)
    moderation.register(application)
    return application


async def _post_init(application: TelegramApp) -> None:
    """Register the command menu and schedule the daily clean-up of old questions."""
    await handlers.set_commands(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(_prune, interval=_DAY, first=60, name="prune")


async def _post_shutdown(application: TelegramApp) -> None:
    """Stop the worker threads and close the database."""
    quiz.close(application)
    get_services_from_app(application).close()


async def _prune(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget questions older than `keep_answers_days` that got no feedback."""
    services = get_services(context)
    removed = await services.db(services.store.prune, services.settings.telegram.keep_answers_days)
    logger.info("forgot %d old questions", removed)


def get_services_from_app(application: TelegramApp) -> Services:
    """The `Services` attached to an application."""
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services


def webhook_secret(settings: Settings) -> str:
    """The webhook secret token from the environment, checked against Telegram's rules."""
    name = settings.telegram.webhook_secret_env
    secret = os.environ.get(name, "")
    if not _SECRET_TOKEN.fullmatch(secret):
        raise ConfigError(f"webhook mode needs {name}: 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return secret


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for `run_webhook`/`Updater.start_webhook`, checked; ConfigError if wrong."""
    tg = settings.telegram
    if not tg.webhook_url.startswith("https://"):
        raise ConfigError("[telegram] webhook_url must be the public https:// URL Telegram calls")
    return {
        "listen": tg.listen,
        "port": tg.port,
        "url_path": urlsplit(tg.webhook_url).path.lstrip("/"),
        "webhook_url": tg.webhook_url,
        "secret_token": webhook_secret(settings),
        "allowed_updates": ALLOWED_UPDATES,
        "max_connections": tg.webhook_max_connections,
        "bootstrap_retries": tg.max_retries,
    }


def run_telegram(settings: Settings, engine: Engine, token: str) -> None:
    """Run the bot until interrupted: long polling, or a webhook when `[telegram] mode` says so."""
    tg = settings.telegram
    if tg.mode not in ("polling", "webhook"):
        raise ConfigError(f'[telegram] mode must be "polling" or "webhook", not {tg.mode!r}')
    options = webhook_options(settings) if tg.mode == "webhook" else None
    application = build_application(settings, engine, token)
    if options is not None:
        logger.info("starting the webhook on %s:%d", tg.listen, tg.port)
        application.run_webhook(**options)
    else:
        logger.info("starting long polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=tg.max_retries)
