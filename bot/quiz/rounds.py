"""Quiz polls in a chat: one question with a "next" button, or a class round of N polls that
moves on by itself (when the timer ends, or once everyone who plays has answered), then a
leaderboard; answers are scored as they arrive, and a restart resumes a round where it was."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from functools import partial
from typing import Final

from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatMemberStatus, ParseMode, PollType
from telegram.error import BadRequest, TelegramError

from bot.quiz import keyboards, render, texts
from bot.quiz.question import QUESTION_LIMIT, Question
from bot.quiz.state import Context, Round, get_quiz
from bot.quiz.store import Outcome
from bot.telegram import replies
from bot.telegram.services import get_services
from bot.telegram.texts import pick

logger = logging.getLogger(__name__)

ADMIN_STATUSES: Final = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
NEVER: Final = 1e18  # closes_at of a single question's poll: it has no timer
STALE_ROUND_SECONDS: Final = 600.0  # a round stopped longer ago is ended at start-up, not resumed


async def _send_poll(
    context: Context,
    chat_id: int,
    question: Question,
    *,
    thread_id: int | None,
    title: str = "",
    open_period: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    text = f"{title}{question.question}"
    if len(text) > QUESTION_LIMIT:
        text = question.question
    return await context.bot.send_poll(
        chat_id,
        text,
        list(question.options),
        is_anonymous=False,
        type=PollType.QUIZ,
        correct_option_ids=[question.correct],  # type: ignore[list-item]
        explanation=question.explanation,
        open_period=open_period,
        reply_markup=markup,
        message_thread_id=thread_id,
    )


async def _is_admin(update: Update, context: Context) -> bool:
    """Whether the sender may start a round: a group admin (or the group itself, anonymously)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or not replies.in_group(update):
        return True
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id  # an anonymous admin writes as the group
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except BadRequest:  # "user not found": Telegram knows no such member of this chat
        return False
    return member.status in ADMIN_STATUSES


async def one_question(
    context: Context, chat_id: int, thread_id: int | None, topic: str | None, lang: str
) -> str | None:
    """Send one question with a "next" button; the text to reply instead if there is none."""
    quiz = get_quiz(context)
    services = get_services(context)
    chosen, restarted = await services.db(quiz.pick, chat_id, topic, 1)
    if not chosen:
        return pick(texts.EMPTY_BANK, lang)
    if restarted:
        await context.bot.send_message(
            chat_id, pick(texts.BANK_RESTART, lang), message_thread_id=thread_id
        )
    question = chosen[0]
    sent = await _send_poll(
        context, chat_id, question, thread_id=thread_id, markup=keyboards.next_question(topic, lang)
    )
    assert sent.poll is not None
    await services.db(
        quiz.store.record_poll, sent.poll.id, chat_id, question.id, question.correct, NEVER
    )
    await _recorded(context, sent.poll.id)
    return None


async def _ask(context: Context, round_: Round) -> None:
    """Send the round's next question and set its timer."""
    quiz = get_quiz(context)
    question = round_.questions[round_.number]
    round_.number += 1
    period = quiz.settings.quiz.open_period
    sent = await _send_poll(
        context,
        round_.chat_id,
        question,
        thread_id=round_.thread_id,
        title=f"{round_.number}/{len(round_.questions)}. ",
        open_period=period,
    )
    assert sent.poll is not None
    round_.poll_id, round_.message_id = sent.poll.id, sent.message_id
    round_.answered, round_.closing = set(), False
    await get_services(context).db(
        quiz.store.record_poll,
        sent.poll.id,
        round_.chat_id,
        question.id,
        question.correct,
        time.time() + period,
        round_.id,
        sent.message_id,
    )
    assert context.job_queue is not None
    context.job_queue.run_once(
        _timer, period, data=(round_.chat_id, round_.poll_id), name=_job_name(round_)
    )
    await _recorded(context, sent.poll.id)


def _job_name(round_: Round) -> str:
    return f"quiz:{round_.chat_id}"


async def _timer(context: Context) -> None:
    """The current question's time is up: move the round on."""
    job = context.job
    assert job is not None and isinstance(job.data, tuple)
    chat_id, poll_id = job.data
    round_ = get_quiz(context).rounds.get(chat_id)
    if round_ is not None and round_.poll_id == poll_id:
        await _advance(context, round_)


async def _advance(context: Context, round_: Round) -> None:
    """Close the current question, then ask the next one or end the round."""
    if round_.closing:
        return
    round_.closing = True
    quiz = get_quiz(context)
    assert context.job_queue is not None
    for job in context.job_queue.get_jobs_by_name(_job_name(round_)):
        job.schedule_removal()
    try:
        with contextlib.suppress(BadRequest):  # Telegram closed it already when the timer ran out
            await context.bot.stop_poll(round_.chat_id, round_.message_id)
        await get_services(context).db(quiz.store.close_poll, round_.poll_id, time.time())
        if round_.number < len(round_.questions):
            await asyncio.sleep(quiz.settings.quiz.pause_seconds)
            await _ask(context, round_)
            return
    except Exception:
        await _abandon(context, round_)
        raise
    await _finish(context, round_)


async def _abandon(context: Context, round_: Round) -> None:
    """A round that failed: free the chat, and mark it finished so no restart resumes it."""
    get_quiz(context).rounds.pop(round_.chat_id, None)
    if round_.id:
        quiz = get_quiz(context)
        with contextlib.suppress(Exception):  # the error being handled is the one to report
            await get_services(context).db(quiz.store.finish_round, round_.id)


async def _finish(context: Context, round_: Round) -> None:
    """End a round: free the chat and send the round's leaderboard."""
    quiz = get_quiz(context)
    quiz.rounds.pop(round_.chat_id, None)
    services = get_services(context)
    await services.db(quiz.store.finish_round, round_.id)
    scores = await services.db(quiz.store.round_scores, round_.id)
    total = round_.number  # all of them, unless a restart cut the round short
    await context.bot.send_message(
        round_.chat_id,
        render.round_end(scores, total, round_.lang),
        parse_mode=ParseMode.HTML,
        message_thread_id=round_.thread_id,
        reply_markup=keyboards.results_file(round_.id, round_.lang) if scores else None,
    )


async def may_run_rounds(update: Update, context: Context) -> bool:
    """Whether the sender may start (or preview) a round here, or get a round's results."""
    return not get_quiz(context).settings.quiz.admins_only or await _is_admin(update, context)


async def start_round(
    update: Update, context: Context, size: int, topic: str | None, lang: str
) -> str | None:
    """Start a class round in this chat; the text to reply instead when it cannot start."""
    quiz = get_quiz(context)
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    low, high = quiz.settings.quiz.min_round, quiz.settings.quiz.max_round
    if not low <= size <= high:
        return pick(texts.ROUND_SIZE, lang).format(low=low, high=high)
    if not await may_run_rounds(update, context):
        return pick(texts.ADMINS_ONLY, lang)
    if chat.id in quiz.rounds:  # checked again: the admin check awaited
        return pick(texts.ROUND_RUNNING, lang)
    placeholder = Round(0, chat.id, replies.thread_id(message), [], lang)
    quiz.rounds[chat.id] = placeholder  # taken before anything else awaits
    try:
        questions, restarted = await get_services(context).db(quiz.pick, chat.id, topic, size)
    except Exception:
        await _abandon(context, placeholder)
        raise
    if not questions:
        quiz.rounds.pop(chat.id, None)
        return pick(texts.EMPTY_BANK, lang)
    user = update.effective_user
    await launch_round(context, placeholder, questions, topic, user.id if user else None, restarted)
    return None


async def launch_round(
    context: Context,
    placeholder: Round,
    questions: list[Question],
    topic: str | None,
    user_id: int | None,
    restarted: bool,
) -> None:
    """Record and announce a round whose placeholder holds its chat, then ask its first
    question (a round from /quiz N, or one a teacher previewed)."""
    quiz = get_quiz(context)
    chat_id, thread, lang = placeholder.chat_id, placeholder.thread_id, placeholder.lang
    try:
        placeholder.id = await get_services(context).db(
            partial(
                quiz.store.start_round,
                chat_id,
                questions,
                topic,
                user_id,
                thread_id=thread,
                lang=lang,
            )
        )
        placeholder.questions = questions
        if restarted:
            await context.bot.send_message(
                chat_id, pick(texts.BANK_RESTART, lang), message_thread_id=thread
            )
        seconds = quiz.settings.quiz.open_period
        await context.bot.send_message(
            chat_id,
            render.round_start(topic, len(questions), seconds, lang),
            parse_mode=ParseMode.HTML,
            message_thread_id=thread,
        )
        await _ask(context, placeholder)
    except Exception:
        await _abandon(context, placeholder)
        raise


async def resume_rounds(context: Context) -> None:
    """At start-up, go on with the class rounds a restart interrupted, where they stopped."""
    quiz = get_quiz(context)
    services = get_services(context)
    for saved in await services.db(quiz.store.unfinished_rounds):  # newest first
        poll_id, message_id, closes_at = (
            saved.polls[-1] if saved.polls else ("", 0, saved.started_at)
        )
        round_ = Round(
            saved.id,
            saved.chat_id,
            saved.thread_id,
            saved.questions,
            saved.lang,
            number=len(saved.polls),
            poll_id=poll_id,
            message_id=message_id,
            players=set(saved.players),
            answered=set(saved.answered),
        )
        if round_.chat_id in quiz.rounds:  # a newer round, or one started since the restart
            await services.db(quiz.store.finish_round, round_.id)
            continue
        quiz.rounds[round_.chat_id] = round_
        left = closes_at - time.time()
        try:
            if -left > STALE_ROUND_SECONDS:  # the class has moved on: its results, if any
                if saved.polls:
                    await _finish(context, round_)
                else:
                    await _abandon(context, round_)
                continue
            await context.bot.send_message(
                round_.chat_id,
                pick(texts.ROUND_RESUMED, round_.lang),
                message_thread_id=round_.thread_id,
            )
            if not saved.polls:
                await _ask(context, round_)
            elif left > 0:
                assert context.job_queue is not None
                context.job_queue.run_once(
                    _timer, left, data=(round_.chat_id, round_.poll_id), name=_job_name(round_)
                )
            else:
                await _advance(context, round_)
        except Exception:  # the bot left the chat, say: end the round rather than retry forever
            logger.exception("could not resume the quiz round %s", round_.id)
            await _abandon(context, round_)


async def score(context: Context, poll_id: str, user: User, option_ids: list[int]) -> None:
    quiz = get_quiz(context)
    result = await get_services(context).db(
        quiz.store.record_answer, poll_id, user.id, user.full_name, option_ids
    )
    if result.outcome is Outcome.UNKNOWN:  # may be a poll whose record is still being written
        quiz.keep_orphan(poll_id, user, option_ids)
        return
    if result.outcome is Outcome.LATE:
        logger.info("a quiz answer came after the timer")
        with contextlib.suppress(TelegramError):  # only users who started the bot can be told
            await context.bot.send_message(
                user.id, pick(texts.LATE_ANSWER, replies.user_lang(context))
            )
        return
    if result.outcome is not Outcome.COUNTED or result.chat_id is None:
        return
    round_ = quiz.rounds.get(result.chat_id)
    if round_ is None or round_.poll_id != poll_id:
        return
    round_.answered.add(user.id)
    everyone = round_.players <= round_.answered
    early = quiz.settings.quiz.advance_early and round_.number > 1 and bool(round_.players)
    round_.players.add(user.id)
    if early and everyone:
        await _advance(context, round_)


async def _recorded(context: Context, poll_id: str) -> None:
    """A poll is now in the database: score the answers that arrived before it was."""
    for user, option_ids in get_quiz(context).take_orphans(poll_id):
        await score(context, poll_id, user, option_ids)
