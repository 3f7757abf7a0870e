"""Adding an article from Telegram: a file or pasted messages become a draft, the bot asks for
what is missing (title, source, once the year) and shows the preview until it is confirmed.

Where each moderator is in this dialogue lives in bot/moderation/dialogue.py (SQLite), the
draft itself in an open request (bot/moderation/requests.py), so a restart loses neither.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.moderation import keyboards, render, texts
from bot.moderation.access import moderators_button, moderators_only
from bot.moderation.files import (
    Extracted,
    FileCheckError,
    check_text,
    read_document,
    too_big,
)
from bot.moderation.preview import Draft, make_draft, not_an_answer, summarize, with_field
from bot.moderation.requests import Request, get_request, open_request, save_draft
from bot.moderation.roles import load_roles
from bot.moderation.shared import Context, get_moderation
from bot.telegram.replies import HTML, argument

logger = logging.getLogger(__name__)
_LETTER = re.compile(r"[^\W\d_]")


async def _start_draft(
    message: Message, context: Context, extracted: Extracted, file_name: str, caption: str
) -> None:
    """Store a draft from checked text and show its preview."""
    moderation = get_moderation(context)
    versions = await asyncio.to_thread(moderation.manager.versions)
    listing = await asyncio.to_thread(moderation.manager.listing)
    current = {a.id: (a.title, a.source, a.year) for a in listing}
    draft = make_draft(
        extracted, file_name=file_name, caption=caption, versions=versions, current=current
    )
    user_id = message.chat.id
    request_id = await asyncio.to_thread(
        open_request, moderation.settings, user_id, "put", draft.id, draft
    )
    await _show_draft(message, context, request_id, draft)


async def _show_draft(message: Message, context: Context, request_id: int, draft: Draft) -> None:
    """The preview, then a question for the first thing still missing."""
    moderation = get_moderation(context)
    chunking = moderation.settings.chunking
    embedder = await asyncio.to_thread(moderation.manager.embedder)
    summary = await asyncio.to_thread(
        summarize,
        draft.text,
        embedder.count_tokens,
        max_tokens=chunking.max_tokens,
        overlap=chunking.overlap_sentences,
    )
    changed = None
    if draft.replaces is not None:
        changed = await asyncio.to_thread(moderation.manager.changes, draft.id, draft.text)
    await message.reply_text(
        render.preview(draft, summary, changed),
        parse_mode=HTML,
        reply_markup=keyboards.preview(request_id, draft),
        allow_sending_without_reply=True,
    )
    await _ask_next(message, context, request_id, draft)


async def _ask_next(message: Message, context: Context, request_id: int, draft: Draft) -> bool:
    """Ask for a missing title or source, or once for an unknown year; False if none."""
    dialogue, user_id = get_moderation(context).dialogue, message.chat.id
    name = draft.missing[0] if draft.missing else None
    if name is None and draft.year is None and not await dialogue.year_asked(user_id, request_id):
        name = "year"
    if name is None:
        await dialogue.stop_waiting(user_id)
        return False
    await dialogue.wait_for(user_id, request_id, name)
    markup = None
    if name == "year":
        await dialogue.mark_year_asked(user_id, request_id)
        markup = keyboards.no_year(request_id)
    await message.reply_text(texts.ASK[name], reply_markup=markup, allow_sending_without_reply=True)
    return True


async def open_draft(context: Context, request_id: int) -> tuple[Request, Draft] | None:
    """The open request with a draft that a button or a message refers to, if it is open."""
    request = await asyncio.to_thread(get_request, get_moderation(context).settings, request_id)
    if request is None or request.state != "open" or request.draft is None:
        return None
    return request, request.draft


# --- pasted articles ----------------------------------------------------------------------------


@moderators_only()
async def add_command(update: Update, context: Context) -> None:
    """Start collecting a pasted article (text after /add counts as its beginning)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    dialogue = get_moderation(context).dialogue
    await dialogue.stop_waiting(user.id)
    first = argument(message)
    chars = await dialogue.start_paste(user.id, first, message.message_id)
    if first:
        await _paste_received(message, chars)
        return
    await message.reply_text(texts.PASTE_START, allow_sending_without_reply=True)


async def _paste_received(message: Message, chars: int) -> None:
    await message.reply_text(
        texts.PASTE_GOT.format(chars=chars),
        reply_markup=keyboards.pasting(),
        allow_sending_without_reply=True,
    )


async def _paste_done(update: Update, context: Context) -> None:
    """Turn the pasted pieces into a draft."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    moderation = get_moderation(context)
    user_id = query.from_user.id
    pieces = await moderation.dialogue.take_paste(user_id)
    if pieces is None:
        await query.answer(texts.REQUEST_GONE)
        return
    await query.answer()
    if not pieces:
        await query.message.reply_text(texts.PASTE_EMPTY)
        await moderation.dialogue.start_paste(user_id)
        return
    try:
        text = check_text("\n\n".join(pieces), moderation.limits)
    except FileCheckError as exc:  # the paste goes on with what was sent: nothing is lost
        await moderation.dialogue.start_paste(user_id, "\n\n".join(pieces))
        await query.message.reply_text(
            f"{exc}\n{texts.PASTE_KEPT}", reply_markup=keyboards.pasting()
        )
        return
    await _start_draft(query.message, context, Extracted(text, "text"), "", "")


# --- files and messages -------------------------------------------------------------------------


async def document(update: Update, context: Context) -> None:
    """Check a moderator's uploaded file and show the article's preview."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    moderation = get_moderation(context)
    roles = await asyncio.to_thread(load_roles, moderation.settings)
    if not roles.is_moderator(user.id):
        return  # for everyone else a file is just not a question (handled later)
    await moderation.dialogue.stop_pasting(user.id)
    doc = message.document
    limits = moderation.limits
    if doc.file_size and doc.file_size > limits.max_bytes:
        await message.reply_text(too_big(doc.file_size, limits), allow_sending_without_reply=True)
        raise ApplicationHandlerStop
    await message.reply_text(texts.CHECKING, allow_sending_without_reply=True)
    try:
        telegram_file = await doc.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        logger.warning("could not download a moderator's file: %s", exc)
        await message.reply_text(texts.DOWNLOAD_FAILED, allow_sending_without_reply=True)
        raise ApplicationHandlerStop from None
    name = doc.file_name or ""
    try:
        extracted = await asyncio.to_thread(read_document, name, data, limits)
    except FileCheckError as exc:
        await message.reply_text(str(exc), allow_sending_without_reply=True)
        raise ApplicationHandlerStop from None
    await _start_draft(message, context, extracted, name, message.caption or "")
    raise ApplicationHandlerStop


async def moderator_text(update: Update, context: Context) -> None:
    """A moderator's message that continues a pasted article or answers a draft's question."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    moderation = get_moderation(context)
    dialogue = moderation.dialogue
    if dialogue.is_pasting(user.id):
        roles = await asyncio.to_thread(load_roles, moderation.settings)
        if not roles.is_moderator(user.id):  # removed while pasting: a question again
            await dialogue.stop_pasting(user.id)
        elif not _LETTER.search(message.text):  # «✅», «ок 👍»: not the article's text
            await message.reply_text(
                texts.PASTE_NOT_TEXT,
                reply_markup=keyboards.pasting(),
                allow_sending_without_reply=True,
            )
            raise ApplicationHandlerStop
        else:
            chars = await dialogue.add_piece(user.id, message.message_id, message.text)
            if chars is not None:
                await _paste_received(message, chars)
                raise ApplicationHandlerStop
    waiting = await dialogue.waiting(user.id)
    if waiting is None:
        return  # an ordinary question
    found = await open_draft(context, waiting.request_id)
    if found is None:
        await dialogue.stop_waiting(user.id)
        return
    _, draft = found
    name = waiting.field
    wrong = not_an_answer(name, message.text)
    if wrong is not None:  # the question stands; nothing is stored
        text = texts.NOT_AN_ANSWER[wrong].format(what=texts.FIELD_WHAT[name], ask=texts.ASK[name])
        await message.reply_text(text, allow_sending_without_reply=True)
        raise ApplicationHandlerStop
    changed = with_field(draft, name, message.text)
    if changed is None:
        limit = 300 if name == "title" else 500
        error = texts.BAD_YEAR if name == "year" else texts.BAD_FIELD.format(limit=limit)
        await message.reply_text(error, allow_sending_without_reply=True)
        raise ApplicationHandlerStop
    await asyncio.to_thread(save_draft, moderation.settings, waiting.request_id, changed)
    await dialogue.stop_waiting(user.id)
    if name == "year" or not await _ask_next(message, context, waiting.request_id, changed):
        await _show_draft(message, context, waiting.request_id, changed)
    raise ApplicationHandlerStop


# --- buttons ------------------------------------------------------------------------------------


@moderators_button
async def draft_button(update: Update, context: Context, data: object) -> None:
    """A draft's buttons: finish or cancel pasting, edit a field, the year is unknown."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    dialogue, user_id = get_moderation(context).dialogue, query.from_user.id
    if isinstance(data, keyboards.PasteDone):
        await _paste_done(update, context)
        return
    if isinstance(data, keyboards.PasteCancel):
        await query.answer()
        await dialogue.stop_pasting(user_id)
        await query.message.reply_text(texts.CANCELLED)
        return
    assert isinstance(data, keyboards.Edit | keyboards.NoYear)
    found = await open_draft(context, data.request_id)
    if found is None:
        await query.answer(texts.REQUEST_GONE)
        return
    await query.answer()
    if isinstance(data, keyboards.Edit):
        await dialogue.wait_for(user_id, data.request_id, data.field)
        no_year = keyboards.no_year(data.request_id) if data.field == "year" else None
        await query.message.reply_text(texts.ASK[data.field], reply_markup=no_year)
        return
    await dialogue.stop_waiting(user_id)  # the year is unknown
    await dialogue.mark_year_asked(user_id, data.request_id)
    await _show_draft(query.message, context, data.request_id, found[1])
