"""A citizen's question, typed or sent after /ask: checked, answered with quotes, recorded.

Greetings, thanks and goodbyes get a reply in kind, a bare «неге?» asks for the whole question
and «тағы?» continues the last answer (followups.py); none of them is searched or recorded.
Retrieval and SQLite run in worker threads (bot/telegram/services.py), so a slow question never
stalls other chats.
"""

from __future__ import annotations

import logging
import math
import re

from telegram import Message, Update
from telegram.constants import MessageEntityType

from bot.answers import keyboards, texts
from bot.answers.followups import remember, send_more
from bot.answers.render import render_for_telegram
from bot.answers.shared import get_answers
from bot.answers.talk import Kind, classify, small_talk_reply
from bot.telegram.replies import (
    HTML,
    Context,
    in_group,
    remember_lang,
    thread_id,
    typing,
    user_lang,
)
from bot.telegram.services import Services, get_services
from index.answer import Answer

logger = logging.getLogger(__name__)
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script


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


async def answer_question(
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
    reply = small_talk_reply(question, lang)
    if reply is not None:  # in the greeting's own language, remembered by no one
        await message.reply_text(reply, allow_sending_without_reply=True)
        return
    talk = classify(question)
    if not await _flood_ok(update, context, services):  # thanks never use up the questions
        return
    if talk.kind is Kind.BARE:
        text = texts.pick(texts.WHOLE_QUESTION, talk.lang or lang)
        await message.reply_text(text, allow_sending_without_reply=True)
        return
    if talk.kind is Kind.MORE:
        await send_more(update, context, talk.lang)
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
    remember(context, answer)
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
    await answer_question(update, context, question, reply_to=message)


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
    await answer_question(update, context, text, reply_to=message)
