"""Changing what the bot knows from Telegram: /articles, /remove, /restore, /undo, and the
"yes"/"cancel" buttons that apply or drop a request (adding a draft, too).

A change runs in a worker thread one at a time; the bot keeps answering from its current
engine until a new one is built, then swaps it in (bot/moderation/shared.py).
"""

from __future__ import annotations

import asyncio

from telegram import CallbackQuery, Message, Update

from bot.moderation import keyboards, render, texts
from bot.moderation.access import moderators_button, moderators_only
from bot.moderation.content import ContentError, Outcome
from bot.moderation.requests import Request, get_request, move, open_request
from bot.moderation.shared import Context, Moderation, actor, get_moderation
from bot.telegram.replies import HTML, argument, reply_lines


@moderators_only()
async def articles_command(update: Update, context: Context) -> None:
    """List every article with its id, version and chunk count; removed ones apart."""
    message = update.effective_message
    assert message is not None
    listed = await asyncio.to_thread(get_moderation(context).manager.listing)
    if not listed:
        await message.reply_text(texts.ARTICLES_EMPTY, allow_sending_without_reply=True)
        return
    header, lines = render.article_lines(listed)
    await reply_lines(message, header, lines)


async def _ask_confirmation(update: Update, context: Context, kind: str) -> None:
    """Check the article id after a /remove, /restore or /undo and ask for a "yes"."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    article_id = argument(message).lower()
    if not article_id:
        await message.reply_text(
            texts.USAGE_ID.format(command=kind), allow_sending_without_reply=True
        )
        return
    moderation = get_moderation(context)
    listed = {a.id: a for a in await asyncio.to_thread(moderation.manager.listing)}
    article = listed.get(article_id)
    if article is None:
        text = render.no_article(article_id)
        await message.reply_text(text, parse_mode=HTML, allow_sending_without_reply=True)
        return
    if kind == "remove" and article.removed:
        await message.reply_text(render.already_removed(article))
        return
    if kind == "restore" and not article.removed:
        await message.reply_text(texts.NOT_REMOVED)
        return
    if kind == "undo":
        plan = await asyncio.to_thread(moderation.manager.undo_plan, article.id)
        if plan is None:
            await message.reply_text(render.nothing_to_undo(article), parse_mode=HTML)
            return
        text, yes = (
            render.confirm_undo(article, plan, moderation.settings.moderation.zone),
            texts.BUTTON_UNDO,
        )
    elif kind == "remove":
        text, yes = render.confirm_remove(article), texts.BUTTON_REMOVE
    else:
        text, yes = render.confirm_restore(article), texts.BUTTON_RESTORE
    request_id = await asyncio.to_thread(
        open_request, moderation.settings, user.id, kind, article.id
    )
    await message.reply_text(
        text,
        parse_mode=HTML,
        reply_markup=keyboards.confirm(request_id, yes),
        allow_sending_without_reply=True,
    )


@moderators_only()
async def remove_command(update: Update, context: Context) -> None:
    """Ask to confirm removing an article (soft: every version stays)."""
    await _ask_confirmation(update, context, "remove")


@moderators_only()
async def restore_command(update: Update, context: Context) -> None:
    """Ask to confirm bringing a removed article back."""
    await _ask_confirmation(update, context, "restore")


@moderators_only()
async def undo_command(update: Update, context: Context) -> None:
    """Ask to confirm reverting an article's last change."""
    await _ask_confirmation(update, context, "undo")


def _run_request(moderation: Moderation, request: Request, user_id: int) -> Outcome:
    """Apply a confirmed request (in a worker thread)."""
    manager, who = moderation.manager, actor(user_id)
    if request.kind == "put":
        assert request.draft is not None
        replace = request.draft.replaces is not None
        return manager.put(request.draft.article(), who, replace=replace)
    if request.kind == "remove":
        return manager.remove(request.article_id, who)
    if request.kind == "restore":
        return manager.restore(request.article_id, who)
    return manager.undo(request.article_id, who)


async def _confirm(query: CallbackQuery, context: Context, request_id: int) -> None:
    """Apply a request once, keep answering meanwhile, then switch to the new engine."""
    assert isinstance(query.message, Message)
    moderation = get_moderation(context)
    settings = moderation.settings
    request = await asyncio.to_thread(get_request, settings, request_id)
    if request is None or request.state not in ("open", "running"):
        await query.answer(texts.REQUEST_GONE)
        return
    if request.draft is not None and request.draft.missing:
        await query.answer(texts.NEED_FIELDS.format(missing=render.missing_words(request.draft)))
        return
    if not await asyncio.to_thread(move, settings, request_id, "open", "running"):
        await query.answer(texts.BUSY if request.state == "running" else texts.REQUEST_GONE)
        return
    await query.answer()
    message = query.message
    await message.edit_reply_markup(None)
    await message.reply_text(texts.WORKING, allow_sending_without_reply=True)
    try:
        async with moderation.lock:
            outcome = await asyncio.to_thread(_run_request, moderation, request, query.from_user.id)
            await moderation.swap_engine(outcome.change_id)
    except ContentError as exc:
        await asyncio.to_thread(move, settings, request_id, "running", "open")
        await message.reply_text(render.failed(exc), parse_mode=HTML)
        return
    except BaseException:
        await asyncio.to_thread(move, settings, request_id, "running", "open")
        raise
    await asyncio.to_thread(move, settings, request_id, "running", "done")
    await moderation.dialogue.stop_waiting(query.from_user.id)
    await message.reply_text(render.outcome(outcome), parse_mode=HTML)


async def _cancel(query: CallbackQuery, context: Context, request_id: int) -> None:
    moderation = get_moderation(context)
    if not await asyncio.to_thread(move, moderation.settings, request_id, "open", "cancelled"):
        await query.answer(texts.REQUEST_GONE)
        return
    await query.answer()
    await moderation.dialogue.stop_waiting(query.from_user.id)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(None)
        await query.message.reply_text(texts.CANCELLED)


@moderators_button
async def request_button(update: Update, context: Context, data: object) -> None:
    """A request's "yes" (apply it) or "cancel" button."""
    query = update.callback_query
    assert query is not None
    if isinstance(data, keyboards.Confirm):
        await _confirm(query, context, data.request_id)
    elif isinstance(data, keyboards.Cancel):
        await _cancel(query, context, data.request_id)
