"""Telegram handlers: commands, questions, buttons, and the one error handler.

One handler, one job. Retrieval and SQLite run in worker threads (see services.py), so a slow
question never stalls other chats. Everything sent is HTML with every inserted text escaped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
from collections.abc import AsyncIterator
from html import escape
from typing import Final
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import (
    CallbackQueryLimit,
    ChatAction,
    ChatType,
    MessageEntityType,
    MessageLimit,
    ParseMode,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.reply import render_answer, source_line
from bot.telegram import keyboards, texts
from bot.telegram.services import Services, get_services
from index.answer import Answer, ArticleInfo, Passage

logger = logging.getLogger(__name__)

TEXT_LIMIT: Final = int(MessageLimit.MAX_TEXT_LENGTH)
TOAST_LIMIT: Final = int(CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)
HTML: Final = ParseMode.HTML
GROUP_TYPES: Final = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
TYPING_RENEW_SECONDS: Final = 4.5  # a chat action shows for about 5 s
NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script

Context = ContextTypes.DEFAULT_TYPE


# --- small helpers ---------------------------------------------------------------------------


def _lang(context: Context) -> str:
    """The user's language: Russian once they asked in Russian, else Kazakh."""
    data = context.user_data
    lang = data.get("lang") if data is not None else None
    return lang if lang in texts.LANGS else texts.KK


def _in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in GROUP_TYPES


def _thread_id(message: Message | None) -> int | None:
    return message.message_thread_id if message is not None and message.is_topic_message else None


def _fit_escaped(text: str, room: int) -> str:
    """`text` escaped for HTML, cut at a word boundary so the escaped form fits `room`."""
    escaped = escape(text)
    if len(escaped) <= room:
        return escaped
    body = ""
    for word in text.split():
        piece = escape(word)
        if len(body) + len(piece) + 3 > room:
            break
        body = f"{body} {piece}" if body else piece
    return f"{body} …"


def _pack(header: str, lines: list[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Join lines into as few messages as fit `limit`, never splitting a line."""
    messages, current = [], header
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            messages.append(current)
            candidate = line
        current = candidate
    if current:
        messages.append(current)
    return messages


@contextlib.asynccontextmanager
async def _typing(context: Context, chat_id: int, thread_id: int | None) -> AsyncIterator[None]:
    """Show "typing…" while the body runs, renewed every few seconds.

    The first chat action is sent alongside the work and finished before the body's result is
    sent, so the indicator never outlives the reply.
    """

    async def send() -> None:
        try:
            await context.bot.send_chat_action(
                chat_id, ChatAction.TYPING, message_thread_id=thread_id
            )
        except TelegramError as exc:
            logger.debug("chat action failed: %s", exc)

    async def renew() -> None:
        while True:
            await asyncio.sleep(TYPING_RENEW_SECONDS)
            await send()

    first = asyncio.create_task(send())
    renewing = asyncio.create_task(renew())
    try:
        yield
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        await first


async def _flood_ok(update: Update, context: Context, services: Services) -> bool:
    """Per-user flood control for questions; warns once per window, then stays quiet."""
    user = update.effective_user
    if user is None:
        return True
    wait = services.flood.hit(user.id)
    if not wait:
        return True
    logger.info("flood control: user held back for %.0f s", wait)
    message = update.effective_message
    if services.flood.should_warn(user.id) and message is not None:
        text = texts.pick(texts.FLOOD, _lang(context)).format(seconds=math.ceil(wait))
        await message.reply_text(text, allow_sending_without_reply=True)
    return False


async def _button_flood_ok(query: CallbackQuery, context: Context, services: Services) -> bool:
    """Per-user flood control for buttons; the user is told with a short notice."""
    if not services.button_flood.hit(query.from_user.id):
        return True
    await query.answer(texts.pick(texts.SLOW_DOWN, _lang(context)))
    return False


async def _reply_to_button(
    query: CallbackQuery, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send `text` under the message that carried the pressed button."""
    message = query.message
    if isinstance(message, Message):
        await message.reply_text(
            text,
            parse_mode=HTML,
            reply_markup=markup,
            do_quote=True,
            allow_sending_without_reply=True,
        )
    elif message is not None:  # too old to be accessible: post it plainly in the same chat
        await context.bot.send_message(message.chat.id, text, parse_mode=HTML, reply_markup=markup)


def render_for_telegram(answer: Answer, header: str | None = None) -> str:
    """An answer as Telegram HTML within the message limit, optionally under a header."""
    if header is None:
        return render_answer(answer, html=True, limit=TEXT_LIMIT)
    body = render_answer(answer, html=True, limit=TEXT_LIMIT - len(header) - 2)
    return f"{header}\n\n{body}"


def render_passage(passage: Passage, lang: str) -> str:
    """A whole passage as a blockquote with its source, within the message limit."""
    header = texts.pick(texts.PASSAGE_HEADER, lang)
    source = source_line((passage.source,), html=True)
    room = TEXT_LIMIT - len(header) - len(source) - len("<blockquote></blockquote>") - 4
    return f"{header}\n<blockquote>{_fit_escaped(passage.text, room)}</blockquote>\n{source}"


def render_article(number: int, article: ArticleInfo) -> str:
    """One line of /sources: title, year, and where it was published."""
    line = f"{number}. <i>{_fit_escaped(article.title, 300)}</i>"
    if article.year:
        line += f" ({article.year})"
    source = (article.source or "").strip()
    parts = urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        line += f' — <a href="{escape(source, quote=True)}">{escape(parts.netloc)}</a>'
    elif source:
        line += f" — {_fit_escaped(source, 200)}"
    return line


# --- answering ---------------------------------------------------------------------------


async def _answer(
    update: Update,
    context: Context,
    question: str,
    *,
    header: str | None = None,
    reply_to: Message | None = None,
) -> None:
    """Check the question, ask the engine off the event loop, and send the quotes."""
    services = get_services(context)
    settings = services.settings.telegram
    chat = update.effective_chat
    message = update.effective_message
    if chat is None or message is None:
        return
    lang = _lang(context)
    question = question.strip()
    if len(question) > settings.max_question_chars:
        text = texts.pick(texts.TOO_LONG, lang).format(limit=settings.max_question_chars)
        await message.reply_text(text, allow_sending_without_reply=True)
        return
    if not _LETTER.search(question):
        await message.reply_text(
            texts.pick(texts.EMPTY_QUESTION, lang), allow_sending_without_reply=True
        )
        return
    if not await _flood_ok(update, context, services):
        return
    thread_id = _thread_id(message)
    try:
        async with _typing(context, chat.id, thread_id):
            answer = await services.answer(question)
    except TimeoutError:
        logger.warning("the engine took longer than %s s", settings.answer_timeout_seconds)
        await message.reply_text(texts.pick(texts.TIMEOUT, lang), allow_sending_without_reply=True)
        return
    if context.user_data is not None and answer.lang in texts.LANGS:
        context.user_data["lang"] = answer.lang
    try:
        answer_id: int | None = await services.db(services.store.record_answer, answer, chat.type)
    except Exception:  # the answer matters more than its record
        logger.exception("could not record an answer; sending it without feedback buttons")
        answer_id = None
    text = render_for_telegram(answer, header)
    markup = keyboards.answer_keyboard(answer, answer_id)
    if reply_to is not None:
        await reply_to.reply_text(
            text, parse_mode=HTML, reply_markup=markup, allow_sending_without_reply=True
        )
    else:
        await context.bot.send_message(
            chat.id, text, parse_mode=HTML, reply_markup=markup, message_thread_id=thread_id
        )


def _addressed_text(message: Message, bot_id: int, username: str) -> str | None:
    """In a group: the question if the message mentions or replies to the bot, else None."""
    text = message.text or ""
    mention = f"@{username}".lower()
    addressed = False
    for entity, value in message.parse_entities(
        [MessageEntityType.MENTION, MessageEntityType.TEXT_MENTION]
    ).items():
        if (entity.type == MessageEntityType.MENTION and value.lower() == mention) or (
            entity.user is not None and entity.user.id == bot_id
        ):
            addressed = True
            text = text.replace(value, " ")
    replied = message.reply_to_message
    if (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == bot_id
        and not (message.is_topic_message and replied.message_id == message.message_thread_id)
    ):
        addressed = True
    return text if addressed else None


# --- handlers ----------------------------------------------------------------------------


async def start(update: Update, context: Context) -> None:
    """Greet the user, say what the bot does, and offer example questions as buttons."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(
        texts.pick(texts.START, _lang(context)),
        parse_mode=HTML,
        reply_markup=keyboards.examples_keyboard(),
        allow_sending_without_reply=True,
    )


async def help_command(update: Update, context: Context) -> None:
    """Explain how to ask, what the buttons do, and how to use the bot in a group."""
    message = update.effective_message
    if message is None:
        return
    mention = escape(f"@{context.bot.username}")
    text = texts.pick(texts.HELP, _lang(context)).format(mention=mention)
    await message.reply_text(text, parse_mode=HTML, allow_sending_without_reply=True)


async def sources(update: Update, context: Context) -> None:
    """List the articles the bot knows, with their titles and years."""
    message = update.effective_message
    if message is None:
        return
    lang = _lang(context)
    articles = await get_services(context).articles()
    if not articles:
        await message.reply_text(
            texts.pick(texts.SOURCES_EMPTY, lang), allow_sending_without_reply=True
        )
        return
    ordered = sorted(articles, key=lambda a: (a.year is None, a.year or 0, a.title))
    header = texts.pick(texts.SOURCES_HEADER, lang).format(count=len(ordered))
    lines = [render_article(n, a) for n, a in enumerate(ordered, start=1)]
    for text in _pack(header, lines):
        await message.reply_text(
            text, parse_mode=HTML, allow_sending_without_reply=True, link_preview_options=NO_PREVIEW
        )


async def ask(update: Update, context: Context) -> None:
    """Answer the question written after /ask (how groups ask without mentioning the bot)."""
    message = update.effective_message
    if message is None:
        return
    parts = (message.text or "").split(maxsplit=1)
    question = parts[1] if len(parts) > 1 else ""
    if not question.strip():
        await message.reply_text(
            texts.pick(texts.ASK_USAGE, _lang(context)), allow_sending_without_reply=True
        )
        return
    await _answer(update, context, question, reply_to=message)


async def question(update: Update, context: Context) -> None:
    """Answer a free-text question; in groups only when the bot is mentioned or replied to."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or ""
    if _in_group(update):
        addressed = _addressed_text(message, context.bot.id, context.bot.username)
        if addressed is None:
            return
        text = addressed
    await _answer(update, context, text, reply_to=message)


async def not_text(update: Update, context: Context) -> None:
    """Tell a private chat that only text questions are understood (stickers, voice, …)."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(
            texts.pick(texts.NOT_TEXT, _lang(context)), allow_sending_without_reply=True
        )


async def unknown_command(update: Update, context: Context) -> None:
    """Say that a command does not exist; in groups only if it is addressed to this bot."""
    message = update.effective_message
    if message is None:
        return
    if _in_group(update):
        command = (message.text or "").split(maxsplit=1)[0].lower()
        if not command.endswith(f"@{context.bot.username}".lower()):
            return
    await message.reply_text(
        texts.pick(texts.UNKNOWN_COMMAND, _lang(context)), allow_sending_without_reply=True
    )


async def show_passage(update: Update, context: Context) -> None:
    """Send the whole passage a quote was cut from."""
    query = update.callback_query
    assert query is not None
    data = keyboards.parse(query.data)
    services = get_services(context)
    lang = _lang(context)
    if not isinstance(data, keyboards.PassageData) or query.message is None:
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    if not await _button_flood_ok(query, context, services):
        return
    passage = await services.passage(data.chunk_id)
    if passage is None:
        await query.answer(texts.pick(texts.PASSAGE_GONE, lang))
        return
    await query.answer()
    await _reply_to_button(query, context, render_passage(passage, lang))


async def other_sources(update: Update, context: Context) -> None:
    """Send quotes from other articles for an earlier answer."""
    query = update.callback_query
    assert query is not None
    data = keyboards.parse(query.data)
    services = get_services(context)
    lang = _lang(context)
    if not isinstance(data, keyboards.OthersData) or query.message is None:
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    if not await _button_flood_ok(query, context, services):
        return
    record = await services.db(services.store.question, data.answer_id)
    if record is None:
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    asked, lang = record
    try:
        answer = await services.answer(asked)
    except TimeoutError:
        await query.answer(texts.pick(texts.TIMEOUT, lang)[:TOAST_LIMIT])
        return
    if not answer.others:
        await query.answer(texts.pick(texts.NO_OTHERS, lang))
        return
    await query.answer()
    others = Answer(question=asked, quotes=answer.others, lang=answer.lang)
    text = render_for_telegram(others, texts.pick(texts.OTHERS_HEADER, answer.lang))
    await _reply_to_button(query, context, text, keyboards.answer_keyboard(others, None))


async def vote(update: Update, context: Context) -> None:
    """Store a 👍/👎 on an answer and tick the chosen button (in private chats)."""
    query = update.callback_query
    assert query is not None
    data = keyboards.parse(query.data)
    services = get_services(context)
    lang = _lang(context)
    if not isinstance(data, keyboards.VoteData):
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    if not await _button_flood_ok(query, context, services):
        return
    previous = await services.db(services.store.vote, data.answer_id, query.from_user.id, data.vote)
    if previous is None:
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    await query.answer(texts.pick(texts.VOTE_THANKS, lang))
    message = query.message
    if previous == data.vote or _in_group(update) or not isinstance(message, Message):
        return  # in a group the tick would show one member's vote to everyone
    markup = keyboards.with_vote_marked(message.reply_markup, data.answer_id, data.vote)
    if markup is None:
        return
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def example(update: Update, context: Context) -> None:
    """Answer one of the example questions offered by /start."""
    query = update.callback_query
    assert query is not None
    data = keyboards.parse(query.data)
    if not isinstance(data, keyboards.ExampleData) or query.message is None:
        await query.answer(texts.pick(texts.STALE_BUTTON, _lang(context)))
        return
    await query.answer()
    asked = texts.EXAMPLES[data.index]
    header = texts.QUESTION_HEADER.format(question=escape(asked))
    await _answer(update, context, asked, header=header)


async def stale_button(update: Update, context: Context) -> None:
    """Answer a button this version did not make (forged or outdated) without acting on it."""
    query = update.callback_query
    if query is not None:
        await query.answer(texts.pick(texts.STALE_BUTTON, _lang(context)))


async def on_error(update: object, context: Context) -> None:
    """Log the error with its traceback and tell the user, without details, that it failed."""
    where = f"update {update.update_id}" if isinstance(update, Update) else "a job"
    if isinstance(context.error, BadRequest) and "query is too old" in str(context.error).lower():
        logger.warning("a button press was answered too late (%s)", where)
        return
    logger.error("Error while handling %s", where, exc_info=context.error)
    if not isinstance(update, Update) or isinstance(context.error, Forbidden):
        return
    lang = _lang(context)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(texts.pick(texts.ERROR, lang)[:TOAST_LIMIT])
            return
        chat = update.effective_chat
        if chat is not None and update.effective_message is not None:
            await context.bot.send_message(
                chat.id,
                texts.pick(texts.ERROR, lang),
                message_thread_id=_thread_id(update.effective_message),
            )


# --- registration ------------------------------------------------------------------------


def bot_commands(lang: str) -> list[BotCommand]:
    """The command menu in one language."""
    return [BotCommand(name, description) for name, description in texts.COMMANDS[lang]]


async def set_commands(application: Application) -> None:
    """Register the command menu: Kazakh by default and for "kk", Russian for "ru"."""
    bot = application.bot
    try:
        await bot.set_my_commands(bot_commands(texts.KK))
        for lang in texts.LANGS:
            await bot.set_my_commands(bot_commands(lang), language_code=lang)
    except TelegramError as exc:  # the bot works without a menu
        logger.warning("could not register the command menu: %s", exc)


def register(application: Application) -> None:
    """Add every handler, most specific first, and the error handler."""
    new = filters.UpdateType.MESSAGE  # edited messages and channel posts are ignored
    application.add_handlers(
        [
            CommandHandler("start", start, filters=new),
            CommandHandler("help", help_command, filters=new),
            CommandHandler("sources", sources, filters=new),
            CommandHandler("ask", ask, filters=new),
            MessageHandler(new & filters.COMMAND, unknown_command),
            MessageHandler(new & filters.TEXT, question),
            MessageHandler(new & filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, not_text),
            CallbackQueryHandler(show_passage, pattern=keyboards.PASSAGE_PATTERN),
            CallbackQueryHandler(other_sources, pattern=keyboards.OTHERS_PATTERN),
            CallbackQueryHandler(vote, pattern=keyboards.VOTE_PATTERN),
            CallbackQueryHandler(example, pattern=keyboards.EXAMPLE_PATTERN),
            CallbackQueryHandler(stale_button),
        ]
    )
    application.add_error_handler(on_error)
