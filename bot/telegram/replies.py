"""What every feature needs to talk in a chat: the user's language, groups and forum topics,
the "typing…" indicator, replies under a pressed button, and flood control for buttons."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Final

from telegram import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.telegram import texts
from bot.telegram.fit import pack
from bot.telegram.services import Services

logger = logging.getLogger(__name__)

HTML: Final = ParseMode.HTML
GROUP_TYPES: Final = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)
TYPING_RENEW_SECONDS: Final = 4.5  # a chat action shows for about 5 s
LANG_KEY: Final = "lang"  # user_data: the language of the user's last question

Context = ContextTypes.DEFAULT_TYPE


def user_lang(context: Context) -> str:
    """The user's language: Russian once they asked in Russian, else Kazakh."""
    data = context.user_data
    lang = data.get(LANG_KEY) if data is not None else None
    return lang if lang in texts.LANGS else texts.KK


def remember_lang(context: Context, lang: str) -> None:
    """Answer this user in `lang` from now on (the language of their last question)."""
    if context.user_data is not None and lang in texts.LANGS:
        context.user_data[LANG_KEY] = lang


def in_group(update: Update) -> bool:
    """Whether the update comes from a group or a supergroup."""
    chat = update.effective_chat
    return chat is not None and chat.type in GROUP_TYPES


def thread_id(message: object) -> int | None:
    """The forum topic a message was sent in, so the reply goes to the same topic."""
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


def argument(message: Message) -> str:
    """The text after a command (`/ask what` → "what")."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


@contextlib.asynccontextmanager
async def typing(context: Context, chat_id: int, topic: int | None) -> AsyncIterator[None]:
    """Show "typing…" while the body runs, renewed every few seconds.

    The first chat action is sent alongside the work and finished before the body's result is
    sent, so the indicator never outlives the reply.
    """

    async def send() -> None:
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING, message_thread_id=topic)
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


async def button_flood_ok(query: CallbackQuery, context: Context, services: Services) -> bool:
    """Per-user flood control for buttons; the user is told with a short notice."""
    if not services.button_flood.hit(query.from_user.id):
        return True
    await query.answer(texts.pick(texts.SLOW_DOWN, user_lang(context)))
    return False


async def reply_to_button(
    query: CallbackQuery, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send `text` (HTML) under the message that carried the pressed button."""
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


async def reply_lines(message: Message, header: str, lines: list[str]) -> None:
    """Reply with `lines` (HTML) under `header`, in as few messages as fit Telegram's limit."""
    for text in pack(header, lines):
        await message.reply_text(text, parse_mode=HTML, allow_sending_without_reply=True)
