"""A teacher's tools in Telegram: the next round seen before it starts, a question dropped from
it with one button (switched off in the bank, as `quiz disable` does), and a finished round's
results as a CSV file. Previews and files go to the teacher's private chat, so a class never
sees the answers; the teacher must have started the bot there."""

from __future__ import annotations

import time

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.quiz import keyboards, render, texts
from bot.quiz.rounds import launch_round, may_run_rounds
from bot.quiz.state import Context, Plan, Round, get_quiz
from bot.quiz.teacher import disable_question
from bot.telegram.callbacks import parse
from bot.telegram.replies import button_flood_ok, thread_id, user_lang
from bot.telegram.services import get_services
from bot.telegram.texts import STALE_BUTTON, pick

DEFAULT_SIZE = 10  # questions in a previewed round when the teacher names no number


async def preview(update: Update, context: Context, size: int | None, topic: str | None) -> str:
    """Pick the chat's next round and send it to the teacher privately, a "drop" button under
    each question and a "start" button at the end; the text to reply in the chat."""
    quiz = get_quiz(context)
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    assert chat is not None and message is not None and user is not None
    lang = user_lang(context)
    low, high = quiz.settings.quiz.min_round, quiz.settings.quiz.max_round
    size = min(max(DEFAULT_SIZE, low), high) if size is None else size
    if not low <= size <= high:
        return pick(texts.ROUND_SIZE, lang).format(low=low, high=high)
    if not await may_run_rounds(update, context):
        return pick(texts.ADMINS_ONLY, lang)
    if chat.id in quiz.rounds:
        return pick(texts.ROUND_RUNNING, lang)
    questions, restarted = await get_services(context).db(quiz.pick, chat.id, topic, size)
    if not questions:
        return pick(texts.EMPTY_BANK, lang)
    plan = Plan(
        time.time_ns() // 1_000_000, chat.id, thread_id(message), topic, questions, lang, restarted
    )
    title = chat.title or user.full_name
    try:
        await context.bot.send_message(
            user.id,
            render.plan_header(title, topic, len(questions), lang),
            parse_mode=ParseMode.HTML,
        )
    except TelegramError:  # the teacher never started the bot in a private chat
        return pick(texts.PLAN_NO_PRIVATE, lang)
    quiz.plans[user.id] = plan  # a newer preview replaces an older one
    for n, question in enumerate(questions):
        await context.bot.send_message(
            user.id,
            render.plan_question(n + 1, question),
            parse_mode=ParseMode.HTML,
            reply_markup=keyboards.drop_question(plan.id, n, lang),
        )
    await context.bot.send_message(
        user.id, pick(texts.PLAN_FOOTER, lang), reply_markup=keyboards.start_plan(plan.id, lang)
    )
    return "" if user.id == chat.id else pick(texts.PLAN_SENT, lang)


def _plan(context: Context, user_id: int, plan_id: int) -> Plan | None:
    plan = get_quiz(context).plans.get(user_id)
    return plan if plan is not None and plan.id == plan_id else None


async def drop(update: Update, context: Context) -> None:
    """The "drop" button: take the question out of the preview and switch it off for good."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(context)
    data = parse(query.data)
    if not isinstance(data, keyboards.DropQuestion):
        await query.answer(pick(STALE_BUTTON, lang))
        return
    plan = _plan(context, query.from_user.id, data.plan)
    if plan is None or data.index >= len(plan.questions) or data.index in plan.dropped:
        await query.answer(pick(STALE_BUTTON, lang))
        return
    if not await button_flood_ok(query, context, get_services(context)):
        return
    question = plan.questions[data.index]
    plan.dropped.add(data.index)
    reason = texts.DROP_REASON.format(user_id=query.from_user.id)
    await get_services(context).db(
        disable_question, get_quiz(context).settings.quiz_dir, question.id, reason
    )
    await query.answer()
    await query.edit_message_text(
        render.plan_dropped(data.index + 1, question, lang), parse_mode=ParseMode.HTML
    )


async def start(update: Update, context: Context) -> None:
    """The "start" button: the previewed round, less the dropped questions, starts in its chat."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(context)
    data = parse(query.data)
    quiz = get_quiz(context)
    user_id = query.from_user.id
    plan = _plan(context, user_id, data.plan) if isinstance(data, keyboards.StartPlan) else None
    if plan is None:
        await query.answer(pick(STALE_BUTTON, lang))
        return
    questions = plan.kept()
    if not questions:
        await query.answer(pick(texts.PLAN_EMPTY, lang), show_alert=True)
        return
    if plan.chat_id in quiz.rounds:
        await query.answer(pick(texts.ROUND_RUNNING, lang), show_alert=True)
        return
    del quiz.plans[user_id]
    placeholder = Round(0, plan.chat_id, plan.thread_id, [], plan.lang)
    quiz.rounds[plan.chat_id] = placeholder  # taken before anything else awaits
    await query.answer()
    await query.edit_message_text(pick(texts.PLAN_STARTED, lang))
    await launch_round(context, placeholder, questions, plan.topic, user_id, plan.restarted)


async def results(update: Update, context: Context) -> None:
    """The "results (CSV)" button under a round's leaderboard: the file goes to the teacher."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(context)
    data = parse(query.data)
    message = query.message
    if message is None or not isinstance(data, keyboards.ResultsFile):
        await query.answer(pick(STALE_BUTTON, lang))
        return
    if not await may_run_rounds(update, context):
        await query.answer(pick(texts.RESULTS_ADMINS_ONLY, lang), show_alert=True)
        return
    if not await button_flood_ok(query, context, get_services(context)):
        return
    quiz = get_quiz(context)
    found = await get_services(context).db(quiz.store.round_results, data.round_id, message.chat.id)
    if found is None:
        await query.answer(pick(STALE_BUTTON, lang))
        return
    players = len({a.user_id for a in found.answers})
    document = InputFile(
        render.results_csv(found, lang),
        filename=texts.RESULTS_FILE.format(round_id=found.round_id),
    )
    caption = pick(texts.RESULTS_CAPTION, lang).format(
        players=players, questions=len(found.questions)
    )
    try:
        await context.bot.send_document(query.from_user.id, document, caption=caption)
    except TelegramError:
        await query.answer(pick(texts.RESULTS_NO_PRIVATE, lang), show_alert=True)
        return
    private = query.from_user.id == message.chat.id
    await query.answer(None if private else pick(texts.RESULTS_SENT, lang))
