"""The citizen's side: /start, /help, /sources, what is not a question, and registration of
every handler (questions in asking.py, follow-ups in followups.py, buttons in buttons.py).

Everything sent is HTML with every inserted text escaped (bot/answers/render.py builds it).
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any, Final

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.answers import keyboards, texts
from bot.answers.asking import ask, question
from bot.answers.buttons import example, other_sources, show_passage, stale_button, suggestion, vote
from bot.answers.render import render_help, render_sources
from bot.answers.shared import Answers, get_answers
from bot.answers.store import FeedbackStore
from bot.telegram.callbacks import matches
from bot.telegram.replies import HTML, NO_PREVIEW, Context, in_group, user_lang
from bot.telegram.services import Services, get_services
from bot.telegram.shared import keep, kept

logger = logging.getLogger(__name__)
_DAY: Final = 24 * 60 * 60


async def start(update: Update, context: Context) -> None:
    """Greet the user, say what the bot does (in a group: how to address it), and offer example
    questions as buttons."""
    message = update.effective_message
    if message is None:
        return
    start_text = texts.GROUP_START if in_group(update) else texts.START
    await message.reply_text(
        texts.pick(start_text, user_lang(context)).format(
            mention=escape(f"@{context.bot.username}")
        ),
        parse_mode=HTML,
        reply_markup=keyboards.examples_keyboard(),
        allow_sending_without_reply=True,
    )


async def help_command(update: Update, context: Context) -> None:
    """Explain how to ask, what the buttons do, and how to use the bot in a group."""
    message = update.effective_message
    if message is None:
        return
    text = render_help(context.bot.username, user_lang(context))
    await message.reply_text(text, parse_mode=HTML, allow_sending_without_reply=True)


async def sources(update: Update, context: Context) -> None:
    """List the articles the bot knows, with their titles and years."""
    message = update.effective_message
    if message is None:
        return
    lang = user_lang(context)
    articles = await get_services(context).articles()
    if not articles:
        await message.reply_text(
            texts.pick(texts.SOURCES_EMPTY, lang), allow_sending_without_reply=True
        )
        return
    for text in render_sources(articles, lang):
        await message.reply_text(
            text, parse_mode=HTML, allow_sending_without_reply=True, link_preview_options=NO_PREVIEW
        )


async def not_text(update: Update, context: Context) -> None:
    """Tell a private chat that only text questions are understood (stickers, voice, …)."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(
            texts.pick(texts.NOT_TEXT, user_lang(context)), allow_sending_without_reply=True
        )


async def unknown_command(update: Update, context: Context) -> None:
    """Say that a command does not exist; in groups only if it is addressed to this bot."""
    message = update.effective_message
    if message is None:
        return
    if in_group(update):
        command = (message.text or "").split(maxsplit=1)[0].lower()
        if not command.endswith(f"@{context.bot.username}".lower()):
            return
    await message.reply_text(
        texts.pick(texts.UNKNOWN_COMMAND, user_lang(context)), allow_sending_without_reply=True
    )


async def prune(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget questions older than `keep_answers_days` that got no feedback."""
    services = get_services(context)
    store = get_answers(context).store
    removed = await services.db(store.prune, services.settings.telegram.keep_answers_days)
    logger.info("forgot %d old questions", removed)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler, most specific first, and the daily clean-up of old questions."""
    services = kept(application.bot_data, Services)
    store = FeedbackStore(services.settings.db_path)
    services.close_with(store.close)
    keep(application.bot_data, Answers(store))
    new = filters.UpdateType.MESSAGE  # edited messages and channel posts are ignored
    application.add_handlers(
        [
            CommandHandler("start", start, filters=new),
            CommandHandler("help", help_command, filters=new),
            CommandHandler("sources", sources, filters=new),
            CommandHandler("ask", ask, filters=new),
            MessageHandler(new & filters.COMMAND, unknown_command),
            MessageHandler(new & filters.TEXT, question),
            MessageHandler(new & filters.CAPTION & ~filters.Document.ALL, question),
            MessageHandler(new & filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, not_text),
            CallbackQueryHandler(show_passage, pattern=matches(keyboards.PassageData)),
            CallbackQueryHandler(other_sources, pattern=matches(keyboards.OthersData)),
            CallbackQueryHandler(vote, pattern=matches(keyboards.VoteData)),
            CallbackQueryHandler(example, pattern=matches(keyboards.ExampleData)),
            CallbackQueryHandler(suggestion, pattern=matches(keyboards.SuggestionData)),
            CallbackQueryHandler(stale_button),
        ]
    )
    if application.job_queue is not None:
        application.job_queue.run_repeating(prune, interval=_DAY, first=60, name="prune")
