"""The one error handler: log with the traceback, tell the user without details."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.telegram import texts
from bot.telegram.fit import TOAST_LIMIT
from bot.telegram.replies import Context, thread_id, user_lang

logger = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the error with its traceback and tell the user, without details, that it failed."""
    where = f"update {update.update_id}" if isinstance(update, Update) else "a job"
    if isinstance(context.error, BadRequest) and "query is too old" in str(context.error).lower():
        logger.warning("a button press was answered too late (%s)", where)
        return
    logger.error("Error while handling %s", where, exc_info=context.error)
    if not isinstance(update, Update) or isinstance(context.error, Forbidden):
        return
    lang = user_lang(context)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(texts.pick(texts.ERROR, lang)[:TOAST_LIMIT])
            return
        chat = update.effective_chat
        if chat is not None and update.effective_message is not None:
            await context.bot.send_message(
                chat.id,
                texts.pick(texts.ERROR, lang),
                message_thread_id=thread_id(update.effective_message),
            )
