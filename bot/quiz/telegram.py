"""Quizzes in Telegram: /quiz, class rounds, /top and /myscore.

`/quiz` sends one quiz poll with a "next question" button. `/quiz N [topic]` starts a class
round: N polls, each open for `[quiz] open_period` seconds, one after the other by themselves
(the job queue moves on when the timer ends, or earlier once everyone who has played in the
round has answered), then a leaderboard. Polls are non-anonymous, so every answer arrives as a
poll answer and is scored in SQLite. A chat runs one round at a time; a chat is never asked a
question twice until its bank for the topic is exhausted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import time
from dataclasses import dataclass, field
from functools import partial
from html import escape
from typing import Any, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType, ParseMode, PollLimit, PollType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    PollAnswerHandler,
    filters,
)

from bot.config import ConfigError, Settings
from bot.quiz import texts
from bot.quiz.bank import Bank, load_bank
from bot.quiz.question import QUESTION_LIMIT, Question
from bot.quiz.rounds import build_round
from bot.quiz.standings import mark, places
from bot.quiz.store import Outcome, QuizStore
from bot.quiz.topics import ALL, TOPIC_NAMES, TOPIC_PATTERN, TOPIC_WORDS
from bot.telegram.services import SERVICES_KEY, Services, get_services
from bot.telegram.texts import SLOW_DOWN, STALE_BUTTON, pick
from index.fold import fold
from index.translit import to_cyrillic

logger = logging.getLogger(__name__)

QUIZ_KEY: Final = "kha_quiz"
NEXT_PATTERN: Final = re.compile(rf"qz:({TOPIC_PATTERN})")
GROUP_TYPES: Final = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
ADMIN_STATUSES: Final = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})
NEVER: Final = 1e18  # closes_at of a single question's poll: it has no timer
MAX_OPEN_PERIOD: Final = 600  # what Telegram clients before Bot API 9.6 accept
ORPHAN_SECONDS: Final = 60.0
STALE_ROUND_SECONDS: Final = 600.0  # a round stopped longer ago is ended at start-up, not resumed

Context = ContextTypes.DEFAULT_TYPE


@dataclass
class Round:
    """A class round in progress in one chat."""

    id: int
    chat_id: int
    thread_id: int | None
    questions: list[Question]
    lang: str
    number: int = 0  # questions sent so far
    poll_id: str = ""
    message_id: int = 0
    players: set[int] = field(default_factory=set)  # answered an earlier question
    answered: set[int] = field(default_factory=set)  # answered the current one
    closing: bool = False


@dataclass
class Quiz:
    """The quiz state of a running bot, kept in `application.bot_data`."""

    settings: Settings
    store: QuizStore
    rounds: dict[int, Round] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    # Answers to polls not recorded yet: Telegram may deliver a vote before sendPoll returns.
    orphans: dict[str, list[tuple[float, User, list[int]]]] = field(default_factory=dict)

    def keep_orphan(self, poll_id: str, user: User, option_ids: list[int]) -> None:
        """Hold an answer to an unknown poll for a while, forgetting old ones."""
        now = time.monotonic()
        for key in [k for k, v in self.orphans.items() if now - v[0][0] > ORPHAN_SECONDS]:
            del self.orphans[key]
        self.orphans.setdefault(poll_id, []).append((now, user, option_ids))

    def take_orphans(self, poll_id: str) -> list[tuple[User, list[int]]]:
        """The held answers to a poll that has just been recorded."""
        return [(user, options) for _, user, options in self.orphans.pop(poll_id, [])]

    def bank(self) -> Bank:
        """The current bank (runs in the database thread); content problems are logged once."""
        bank = load_bank(self.settings, self.store)
        if bank.problems != self.problems:
            self.problems = bank.problems
            for problem in bank.problems:
                logger.error("quiz content: %s", problem)
        return bank

    def pick(self, chat_id: int, topic: str | None, count: int) -> tuple[list[Question], bool]:
        """Questions the chat has not had yet, none giving another away or repeating the ones
        just asked (database thread); True when the topic restarted."""
        bank = self.bank()
        pool = bank.by_topic(topic)
        if not pool:
            return [], False
        # a run of "next" questions is kept free of giveaways; a round only of the last question
        window = self.settings.quiz.max_round if count == 1 else 1
        recent_ids = self.store.recent_questions(chat_id, window)
        recent = [q for q in map(bank.get, recent_ids) if q is not None]
        asked = self.store.asked(chat_id)
        chosen, restarted = build_round(pool, count, random.Random(), asked, recent)
        if restarted:
            self.store.forget_asked(chat_id, [q.id for q in pool])
        return chosen, restarted


def get_quiz(context: Context) -> Quiz:
    """The `Quiz` of the running application."""
    quiz = context.bot_data[QUIZ_KEY]
    assert isinstance(quiz, Quiz)
    return quiz


def _lang(context: Context) -> str:
    data = context.user_data
    lang = data.get("lang") if data is not None else None
    return lang if isinstance(lang, str) else "kk"


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


def _thread(message: Message | None) -> int | None:
    return message.message_thread_id if message is not None and message.is_topic_message else None


def _next_button(topic: str | None, lang: str) -> InlineKeyboardMarkup:
    data = f"qz:{topic or ALL}"
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(pick(texts.NEXT_BUTTON, lang), callback_data=data)]]
    )


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
    if chat is None or chat.type not in GROUP_TYPES:
        return True
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id  # an anonymous admin writes as the group
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in ADMIN_STATUSES


async def _one_question(
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
        context, chat_id, question, thread_id=thread_id, markup=_next_button(topic, lang)
    )
    assert sent.poll is not None
    await services.db(
        quiz.store.record_poll, sent.poll.id, chat_id, question.id, question.correct, NEVER
    )
    await _recorded(context, sent.poll.id)
    return None


# --- rounds --------------------------------------------------------------------------------


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
    lines = [pick(texts.ROUND_END, round_.lang)]
    total = round_.number  # all of them, unless a restart cut the round short
    for place, score in zip(places(scores, lambda s: s.correct), scores, strict=True):
        medal = mark(place, score.correct)
        lines.append(
            texts.ROUND_LINE.format(
                medal=medal, name=escape(score.name), correct=score.correct, total=total
            )
        )
    if not scores:
        lines.append(pick(texts.ROUND_NOBODY, round_.lang))
    lines.append(pick(texts.ROUND_FOOTER, round_.lang))
    await context.bot.send_message(
        round_.chat_id,
        "\n".join(lines),
        parse_mode=ParseMode.HTML,
        message_thread_id=round_.thread_id,
    )


async def _start_round(
    update: Update, context: Context, size: int, topic: str | None, lang: str
) -> str | None:
    """Start a class round in this chat; the text to reply instead when it cannot start."""
    quiz = get_quiz(context)
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    low, high = quiz.settings.quiz.min_round, quiz.settings.quiz.max_round
    if not low <= size <= high:
        return pick(texts.ROUND_SIZE, lang).format(low=low, high=high)
    if quiz.settings.quiz.admins_only and not await _is_admin(update, context):
        return pick(texts.ADMINS_ONLY, lang)
    if chat.id in quiz.rounds:  # checked again: the admin check awaited
        return pick(texts.ROUND_RUNNING, lang)
    placeholder = Round(0, chat.id, _thread(message), [], lang)
    quiz.rounds[chat.id] = placeholder  # taken before anything else awaits
    try:
        services = get_services(context)
        questions, restarted = await services.db(quiz.pick, chat.id, topic, size)
        if not questions:
            quiz.rounds.pop(chat.id, None)
            return pick(texts.EMPTY_BANK, lang)
        user = update.effective_user
        placeholder.id = await services.db(
            partial(
                quiz.store.start_round,
                chat.id,
                questions,
                topic,
                user.id if user else None,
                thread_id=placeholder.thread_id,
                lang=lang,
            )
        )
        placeholder.questions = questions
        if restarted:
            await message.reply_text(pick(texts.BANK_RESTART, lang))
        await message.reply_text(
            pick(texts.ROUND_START, lang).format(
                topic=escape(pick(TOPIC_NAMES[topic or ALL], lang)),
                count=len(questions),
                seconds=quiz.settings.quiz.open_period,
            ),
            parse_mode=ParseMode.HTML,
        )
        await _ask(context, placeholder)
    except Exception:
        await _abandon(context, placeholder)
        raise
    return None


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


# --- handlers ------------------------------------------------------------------------------


async def quiz_command(update: Update, context: Context) -> None:
    """Send one question, or start a class round with `/quiz N [topic]`."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = _lang(context)
    parsed = parse_args(context.args or [])
    if parsed is None:
        await message.reply_text(pick(texts.USAGE, lang), parse_mode=ParseMode.HTML)
        return
    size, topic = parsed
    if chat.id in get_quiz(context).rounds:
        await message.reply_text(pick(texts.ROUND_RUNNING, lang))
        return
    if size is None:
        refusal = await _one_question(context, chat.id, _thread(message), topic, lang)
    else:
        refusal = await _start_round(update, context, size, topic, lang)
    if refusal:
        await message.reply_text(refusal)


async def next_question(update: Update, context: Context) -> None:
    """The "next question" button under a single question."""
    query = update.callback_query
    assert query is not None
    lang = _lang(context)
    message = query.message
    match = NEXT_PATTERN.fullmatch(query.data or "")
    if message is None or match is None:  # PTB hands empty callback data to every pattern
        await query.answer(pick(STALE_BUTTON, lang))
        return
    topic = match[1]
    if message.chat.id in get_quiz(context).rounds:
        await query.answer(pick(texts.ROUND_RUNNING, lang))
        return
    services = get_services(context)
    if services.button_flood.hit(query.from_user.id):
        await query.answer(pick(SLOW_DOWN, lang))
        return
    await query.answer()
    thread = (
        message.message_thread_id
        if isinstance(message, Message) and message.is_topic_message
        else None
    )
    refusal = await _one_question(
        context, message.chat.id, thread, None if topic == ALL else topic, lang
    )
    if refusal:
        await context.bot.send_message(message.chat.id, refusal, message_thread_id=thread)


async def poll_answer(update: Update, context: Context) -> None:
    """Score an answer to a quiz poll, and move a round on once every player has answered."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return  # an anonymous admin or channel voting: nobody to score
    await _score(context, answer.poll_id, answer.user, list(answer.option_ids))


async def _score(context: Context, poll_id: str, user: User, option_ids: list[int]) -> None:
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
            await context.bot.send_message(user.id, pick(texts.LATE_ANSWER, _lang(context)))
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
        await _score(context, poll_id, user, option_ids)


async def top(update: Update, context: Context) -> None:
    """Show the chat's leaderboard."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = _lang(context)
    quiz = get_quiz(context)
    scores = await get_services(context).db(quiz.store.leaderboard, chat.id)
    if not scores:
        await message.reply_text(pick(texts.TOP_EMPTY, lang))
        return
    lines = [pick(texts.TOP_HEADER, lang)]
    for place, score in zip(places(scores, lambda s: (s.correct, s.answered)), scores, strict=True):
        lines.append(
            pick(texts.TOP_LINE, lang).format(
                place=place, name=escape(score.name), correct=score.correct, answered=score.answered
            )
        )
    await message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


async def my_score(update: Update, context: Context) -> None:
    """Show the sender's own score in this chat and their place."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    lang = _lang(context)
    quiz = get_quiz(context)
    found = await get_services(context).db(quiz.store.my_score, chat.id, user.id)
    if found is None:
        await message.reply_text(pick(texts.MY_SCORE_NONE, lang))
        return
    score, place = found
    await message.reply_text(
        pick(texts.MY_SCORE, lang).format(
            name=user.first_name, correct=score.correct, answered=score.answered, place=place
        )
    )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the quiz handlers; call before the general handlers, whose catch-alls come last."""
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    settings = services.settings
    period = settings.quiz.open_period
    if not PollLimit.MIN_OPEN_PERIOD <= period <= MAX_OPEN_PERIOD:
        raise ConfigError(
            f"[quiz] open_period must be {PollLimit.MIN_OPEN_PERIOD}-{MAX_OPEN_PERIOD} seconds"
        )
    application.bot_data[QUIZ_KEY] = Quiz(settings, QuizStore(settings.db_path))
    new = filters.UpdateType.MESSAGE
    application.add_handlers(
        [
            CommandHandler("quiz", quiz_command, filters=new),
            CommandHandler("top", top, filters=new),
            CommandHandler("myscore", my_score, filters=new),
            CallbackQueryHandler(next_question, pattern=NEXT_PATTERN),
            PollAnswerHandler(poll_answer),
        ]
    )
    if application.job_queue is not None:
        application.job_queue.run_once(resume_rounds, 0, name="quiz-resume")


def close(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Close the quiz database connection."""
    quiz = application.bot_data.get(QUIZ_KEY)
    if isinstance(quiz, Quiz):
        quiz.store.close()
