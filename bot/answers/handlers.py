"""The citizen's side: questions, /start, /help, /sources, /ask, and the buttons under answers.

One handler, one job. Retrieval and SQLite run in worker threads (bot/telegram/services.py),
so a slow question never stalls other chats. Everything sent is HTML with every inserted text
escaped (bot/answers/render.py builds it).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from html import escape
from typing import Any, Final, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.constants import MessageEntityType
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.answers import keyboards, texts
from bot.answers.more import next_quotes, other_articles
from bot.answers.render import (
    render_for_telegram,
    render_help,
    render_more_header,
    render_passage,
    render_question,
    render_sources,
)
from bot.answers.store import FeedbackStore
from bot.answers.talk import Kind, classify
from bot.telegram.callbacks import matches
from bot.telegram.fit import TOAST_LIMIT
from bot.telegram.replies import (
    HTML,
    NO_PREVIEW,
    Context,
    button_flood_ok,
    in_group,
    remember_lang,
    reply_to_button,
    thread_id,
    typing,
    user_lang,
)
from bot.telegram.services import Services, get_services
from bot.telegram.shared import keep, kept
from index.answer import Answer

logger = logging.getLogger(__name__)
T = TypeVar("T")

_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script
_DAY: Final = 24 * 60 * 60
_LAST: Final = "last_answer"  # chat_data: the last answered question and the quotes shown
_SMALL_TALK_REPLIES: Final = {
    Kind.GREETING: texts.GREETING_REPLY,
    Kind.THANKS: texts.THANKS_REPLY,
    Kind.GOODBYE: texts.GOODBYE_REPLY,
}


@dataclass
class _Last:
    """The question a follow-up («тағы?») continues, and the texts of the quotes shown for it."""

    question: str
    lang: str
    shown: list[str]


def _remember(context: Context, answer: Answer | None, shown: tuple[object, ...] = ()) -> None:
    """Keep what a follow-up in this chat continues (nothing after a refusal)."""
    if context.chat_data is None:
        return
    if answer is None or not answer.answered:
        context.chat_data.pop(_LAST, None)
        return
    last = context.chat_data.get(_LAST)
    if isinstance(last, _Last) and last.question == answer.question:
        last.shown.extend(q.text for q in answer.quotes)
    else:
        context.chat_data[_LAST] = _Last(
            answer.question, answer.lang, [q.text for q in answer.quotes]
        )


@dataclass
class Answers:
    """What the answer handlers keep besides `Services`; in `application.bot_data`."""

    store: FeedbackStore


def get_answers(context: Context) -> Answers:
    """The `Answers` of the running application."""
    return kept(context.bot_data, Answers)


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
        text = texts.pick(texts.FLOOD, user_lang(context)).format(seconds=math.ceil(wait))
        await message.reply_text(text, allow_sending_without_reply=True)
    return False


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
    lang = user_lang(context)
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
    talk = classify(question)
    if talk.kind in _SMALL_TALK_REPLIES:  # in the greeting's own language, remembered by no one
        text = texts.pick(_SMALL_TALK_REPLIES[talk.kind], talk.lang or lang)
        await message.reply_text(text, allow_sending_without_reply=True)
        return
    if talk.kind is Kind.BARE:
        text = texts.pick(texts.WHOLE_QUESTION, talk.lang or lang)
        await message.reply_text(text, allow_sending_without_reply=True)
        return
    if talk.kind is Kind.MORE:
        await _more(update, context, talk.lang)
        return
    topic = thread_id(message)
    try:
        async with typing(context, chat.id, topic):
            answer = await services.answer(question)
    except TimeoutError:
        logger.warning("the engine took longer than %s s", settings.answer_timeout_seconds)
        await message.reply_text(texts.pick(texts.TIMEOUT, lang), allow_sending_without_reply=True)
        return
    remember_lang(context, answer.lang)
    _remember(context, answer)
    answer_id = await _record(context, answer, chat.type)
    text = render_for_telegram(answer, header)
    markup = keyboards.answer_keyboard(answer, answer_id)
    if reply_to is not None:
        await reply_to.reply_text(
            text, parse_mode=HTML, reply_markup=markup, allow_sending_without_reply=True
        )
    else:
        await context.bot.send_message(
            chat.id, text, parse_mode=HTML, reply_markup=markup, message_thread_id=topic
        )


async def _more(update: Update, context: Context, lang: str | None) -> None:
    """Further quotes for the chat's last answered question, other articles first."""
    message = update.effective_message
    assert message is not None
    last = context.chat_data.get(_LAST) if context.chat_data is not None else None
    if not isinstance(last, _Last):
        text = texts.pick(texts.NOTHING_BEFORE, lang or user_lang(context))
        await message.reply_text(text, allow_sending_without_reply=True)
        return
    chat = update.effective_chat
    assert chat is not None
    try:
        async with typing(context, chat.id, thread_id(message)):
            answer = await get_services(context).answer(last.question)
    except TimeoutError:
        await message.reply_text(
            texts.pick(texts.TIMEOUT, last.lang), allow_sending_without_reply=True
        )
        return
    quotes = next_quotes(answer, last.shown)
    if not quotes:
        text = texts.pick(texts.NO_MORE, last.lang)
        await message.reply_text(text, allow_sending_without_reply=True)
        return
    more = Answer(last.question, quotes, lang=last.lang)
    _remember(context, more)
    text = render_for_telegram(more, render_more_header(last.question, last.lang))
    await message.reply_text(
        text,
        parse_mode=HTML,
        reply_markup=keyboards.answer_keyboard(more, None),
        allow_sending_without_reply=True,
    )


async def _record(context: Context, answer: Answer, chat_type: str) -> int | None:
    """Keep the question (answered or declined: the one record of declines) and return the id
    its buttons carry."""
    store = get_answers(context).store
    try:
        return await get_services(context).db(store.record_answer, answer, chat_type)
    except Exception:  # the answer matters more than its record
        logger.exception("could not record an answer; sending it without feedback buttons")
        return None


def _addressed_text(message: Message, bot_id: int, username: str) -> str | None:
    """In a group: the question if the message mentions or replies to the bot, else None."""
    text = message.text or message.caption or ""
    mention = f"@{username}".lower()
    addressed = False
    kinds: list[str | None] = [MessageEntityType.MENTION, MessageEntityType.TEXT_MENTION]
    entities = (
        message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    )
    for entity, value in entities.items():
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


async def ask(update: Update, context: Context) -> None:
    """Answer the question written after /ask (how groups ask without mentioning the bot)."""
    message = update.effective_message
    if message is None:
        return
    parts = (message.text or "").split(maxsplit=1)
    question = parts[1] if len(parts) > 1 else ""
    if not question.strip():
        await message.reply_text(
            texts.pick(texts.ASK_USAGE, user_lang(context)), allow_sending_without_reply=True
        )
        return
    await _answer(update, context, question, reply_to=message)


async def question(update: Update, context: Context) -> None:
    """Answer a free-text question; in groups only when the bot is mentioned or replied to."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or message.caption or ""
    if in_group(update):
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


async def _pressed(
    update: Update, context: Context, kind: type[T], *, on_message: bool = True, flood: bool = True
) -> tuple[CallbackQuery, T] | None:
    """The pressed button's query and data; None once the press is answered instead: data of
    another kind (forged, from an older version), a message too old to reply under (with
    `on_message`), or too many presses (with `flood`)."""
    query = update.callback_query
    assert query is not None
    data = keyboards.parse(query.data)
    if not isinstance(data, kind) or (on_message and query.message is None):
        await query.answer(texts.pick(texts.STALE_BUTTON, user_lang(context)))
        return None
    if flood and not await button_flood_ok(query, context, get_services(context)):
        return None
    return query, data


async def show_passage(update: Update, context: Context) -> None:
    """Send the whole passage a quote was cut from."""
    if (pressed := await _pressed(update, context, keyboards.PassageData)) is None:
        return
    query, data = pressed
    services, lang = get_services(context), user_lang(context)
    passage = await services.passage(data.chunk_id)
    if passage is None:
        await query.answer(texts.pick(texts.PASSAGE_GONE, lang))
        return
    await query.answer()
    await reply_to_button(query, context, render_passage(passage, lang))


async def other_sources(update: Update, context: Context) -> None:
    """Send quotes from other articles for an earlier answer."""
    if (pressed := await _pressed(update, context, keyboards.OthersData)) is None:
        return
    query, data = pressed
    services, lang = get_services(context), user_lang(context)
    record = await services.db(get_answers(context).store.question, data.answer_id)
    if record is None:
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    asked, lang = record
    try:
        answer = await services.answer(asked)
    except TimeoutError:
        await query.answer(texts.pick(texts.TIMEOUT, lang)[:TOAST_LIMIT])
        return
    if not other_articles(answer):
        await query.answer(texts.pick(texts.NO_OTHERS, lang))
        return
    await query.answer()
    others = Answer(question=asked, quotes=other_articles(answer), lang=answer.lang)
    _remember(context, others)
    text = render_for_telegram(others, texts.pick(texts.OTHERS_HEADER, answer.lang))
    await reply_to_button(query, context, text, keyboards.answer_keyboard(others, None))


async def vote(update: Update, context: Context) -> None:
    """Store a 👍/👎 on an answer and tick the chosen button (in private chats)."""
    if (pressed := await _pressed(update, context, keyboards.VoteData, on_message=False)) is None:
        return
    query, data = pressed
    services, lang = get_services(context), user_lang(context)
    if not keyboards.carries(query.message, query.data):  # not under the answer it names
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    store = get_answers(context).store
    previous = await services.db(store.vote, data.answer_id, query.from_user.id, data.vote)
    if previous is None:
        await query.answer(texts.pick(texts.STALE_BUTTON, lang))
        return
    await query.answer(texts.pick(texts.VOTE_THANKS, lang))
    message = query.message
    if previous == data.vote or in_group(update) or not isinstance(message, Message):
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
    if (pressed := await _pressed(update, context, keyboards.ExampleData, flood=False)) is None:
        return
    query, data = pressed
    await query.answer()
    asked = texts.EXAMPLES[data.index]
    await _answer(update, context, asked, header=render_question(asked))


async def suggestion(update: Update, context: Context) -> None:
    """Answer one of the example questions offered under a refusal."""
    pressed = await _pressed(update, context, keyboards.SuggestionData, flood=False)
    if pressed is None:
        return
    query, data = pressed
    examples = await get_services(context).examples()
    if data.index >= len(examples):  # the articles changed since
        await query.answer(texts.pick(texts.STALE_BUTTON, user_lang(context)))
        return
    await query.answer()
    asked = examples[data.index]
    await _answer(update, context, asked, header=render_question(asked))


async def stale_button(update: Update, context: Context) -> None:
    """Answer a button this version did not make (forged or outdated) without acting on it."""
    query = update.callback_query
    if query is not None:
        await query.answer(texts.pick(texts.STALE_BUTTON, user_lang(context)))


# --- registration ------------------------------------------------------------------------


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
