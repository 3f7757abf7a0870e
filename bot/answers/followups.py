"""Follow-ups («тағы?», «ещё»): what a chat was last answered, and the next quotes for it.

Each answer shown is remembered per chat (in `chat_data`), so «тағы?» continues the same question
with quotes not read yet; a refusal forgets it, so a follow-up then asks for a whole question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from telegram import Update

from bot.answers import keyboards, texts
from bot.answers.more import next_quotes
from bot.answers.render import render_for_telegram, render_more_header
from bot.telegram.replies import HTML, Context, thread_id, typing, user_lang
from bot.telegram.services import get_services
from index.answer import Answer

_LAST: Final = "last_answer"  # chat_data: the last answered question and the quotes shown


@dataclass
class _Last:
    """The question a follow-up («тағы?») continues, and the texts of the quotes shown for it."""

    question: str
    lang: str
    shown: list[str]


def remember(context: Context, answer: Answer | None) -> None:
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


async def send_more(update: Update, context: Context, lang: str | None) -> None:
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
    remember(context, more)
    text = render_for_telegram(more, render_more_header(last.question, last.lang))
    await message.reply_text(
        text,
        parse_mode=HTML,
        reply_markup=keyboards.answer_keyboard(more, None),
        allow_sending_without_reply=True,
    )
