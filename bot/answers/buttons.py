"""The buttons under answers, /start and refusals: the whole passage, other sources, 👍/👎, and
example questions. Every press is checked first: data of another kind, a message too old or too
many presses are answered with a short notice and nothing else.
"""

from __future__ import annotations

from typing import TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest

from bot.answers import keyboards, texts
from bot.answers.asking import answer_question
from bot.answers.followups import remember
from bot.answers.more import other_articles
from bot.answers.render import render_for_telegram, render_passage, render_question
from bot.answers.shared import get_answers
from bot.telegram.fit import TOAST_LIMIT
from bot.telegram.replies import Context, button_flood_ok, in_group, reply_to_button, user_lang
from bot.telegram.services import get_services
from index.answer import Answer

T = TypeVar("T")


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
    remember(context, others)
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
    await answer_question(update, context, asked, header=render_question(asked))


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
    await answer_question(update, context, asked, header=render_question(asked))


async def stale_button(update: Update, context: Context) -> None:
    """Answer a button this version did not make (forged or outdated) without acting on it."""
    query = update.callback_query
    if query is not None:
        await query.answer(texts.pick(texts.STALE_BUTTON, user_lang(context)))
