"""Quizzes in Telegram, registered: /quiz (one question, or `/quiz N [topic]` for a class
round), the "next question" button, poll answers, /top and /myscore, and a teacher's tools
(bot/quiz/classroom.py): /preview with its "drop" and "start" buttons, the results file button.

Polls are non-anonymous, so every answer arrives as a poll answer and is scored in SQLite
(bot/quiz/rounds.py). A chat runs one round at a time; a chat is never asked a question twice
until its bank for the topic is exhausted.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    PollAnswerHandler,
    filters,
)

from bot.quiz import classroom, keyboards, render, texts
from bot.quiz.rounds import one_question, resume_rounds, score, start_round
from bot.quiz.state import Context, Quiz, get_quiz
from bot.quiz.store import QuizStore
from bot.quiz.topics import TOPIC_WORDS
from bot.telegram.callbacks import matches, parse
from bot.telegram.replies import button_flood_ok, thread_id, user_lang
from bot.telegram.services import Services, get_services
from bot.telegram.shared import keep, kept
from bot.telegram.texts import STALE_BUTTON, pick
from index.fold import fold
from index.translit import to_cyrillic


def parse_topic(word: str) -> str | None:
    """The topic a teacher's word names (`тарих`, `tarih`, `истории`), or None."""
    folded = fold(to_cyrillic(word.lower()), level=2)
    for topic, words in TOPIC_WORDS.items():
        if any(folded.startswith(fold(w, level=2)) for w in words):
            return topic
    return None


def parse_args(args: list[str]) -> tuple[int | None, str | None] | None:
    """(round size, topic) from `/quiz [N] [topic]`; None if the arguments make no sense."""
    size: int | None = None
    topic: str | None = None
    for arg in args:
        if arg.isdigit() and size is None:
            size = int(arg)
        elif (found := parse_topic(arg)) is not None and topic is None:
            topic = found
        else:
            return None
    return size, topic


async def quiz_command(update: Update, context: Context) -> None:
    """Send one question, or start a class round with `/quiz N [topic]`."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = user_lang(context)
    parsed = parse_args(context.args or [])
    if parsed is None:
        await message.reply_text(pick(texts.USAGE, lang), parse_mode=ParseMode.HTML)
        return
    size, topic = parsed
    if chat.id in get_quiz(context).rounds:
        await message.reply_text(pick(texts.ROUND_RUNNING, lang))
        return
    if size is None:
        refusal = await one_question(context, chat.id, thread_id(message), topic, lang)
    else:
        refusal = await start_round(update, context, size, topic, lang)
    if refusal:
        await message.reply_text(refusal)


async def preview_command(update: Update, context: Context) -> None:
    """`/preview [N] [topic]`: the teacher sees the chat's next round before starting it."""
    message = update.effective_message
    if message is None or update.effective_chat is None or update.effective_user is None:
        return
    parsed = parse_args(context.args or [])
    if parsed is None:
        await message.reply_text(pick(texts.USAGE, user_lang(context)), parse_mode=ParseMode.HTML)
        return
    reply = await classroom.preview(update, context, *parsed)
    if reply:
        await message.reply_text(reply)


async def next_question(update: Update, context: Context) -> None:
    """The "next question" button under a single question."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(context)
    message = query.message
    data = parse(query.data)
    if message is None or not isinstance(data, keyboards.NextQuestion):
        await query.answer(pick(STALE_BUTTON, lang))
        return
    if message.chat.id in get_quiz(context).rounds:
        await query.answer(pick(texts.ROUND_RUNNING, lang))
        return
    if not await button_flood_ok(query, context, get_services(context)):
        return
    await query.answer()
    forum_topic = thread_id(message)
    refusal = await one_question(context, message.chat.id, forum_topic, data.topic, lang)
    if refusal:
        await context.bot.send_message(message.chat.id, refusal, message_thread_id=forum_topic)


async def poll_answer(update: Update, context: Context) -> None:
    """Score an answer to a quiz poll, and move a round on once every player has answered."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return  # an anonymous admin or channel voting: nobody to score
    await score(context, answer.poll_id, answer.user, list(answer.option_ids))


async def top(update: Update, context: Context) -> None:
    """Show the chat's leaderboard."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = user_lang(context)
    quiz = get_quiz(context)
    scores = await get_services(context).db(quiz.store.leaderboard, chat.id)
    if not scores:
        await message.reply_text(pick(texts.TOP_EMPTY, lang))
        return
    await message.reply_text(render.leaderboard(scores, lang), parse_mode=ParseMode.HTML)


async def my_score(update: Update, context: Context) -> None:
    """Show the sender's own score in this chat and their place."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    lang = user_lang(context)
    quiz = get_quiz(context)
    found = await get_services(context).db(quiz.store.my_score, chat.id, user.id)
    if found is None:
        await message.reply_text(pick(texts.MY_SCORE_NONE, lang))
        return
    mine, place = found
    await message.reply_text(render.my_score(user.first_name, mine, place, lang))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the quiz handlers; call before the answers', whose catch-alls come last."""
    services = kept(application.bot_data, Services)
    store = QuizStore(services.settings.db_path)
    services.close_with(store.close)
    keep(application.bot_data, Quiz(services.settings, store))
    new = filters.UpdateType.MESSAGE
    application.add_handlers(
        [
            CommandHandler("quiz", quiz_command, filters=new),
            CommandHandler("top", top, filters=new),
            CommandHandler("myscore", my_score, filters=new),
            CommandHandler("preview", preview_command, filters=new),
            CallbackQueryHandler(next_question, pattern=matches(keyboards.NextQuestion)),
            CallbackQueryHandler(classroom.drop, pattern=matches(keyboards.DropQuestion)),
            CallbackQueryHandler(classroom.start, pattern=matches(keyboards.StartPlan)),
            CallbackQueryHandler(classroom.results, pattern=matches(keyboards.ResultsFile)),
            PollAnswerHandler(poll_answer),
        ]
    )
    if application.job_queue is not None:
        application.job_queue.run_once(resume_rounds, 0, name="quiz-resume")
