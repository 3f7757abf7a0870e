"""Who may use a moderation command or button: moderators, and admins for the moderator list.
Everyone else is refused and the attempt written to the audit log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.moderation import texts
from bot.moderation.roles import load_roles
from bot.moderation.shared import Context, actor, get_moderation
from bot.telegram.callbacks import parse

logger = logging.getLogger(__name__)

Handler = Callable[[Update, Context], Awaitable[None]]


async def allowed(update: Update, context: Context, *, admin: bool = False) -> bool:
    """True for moderators (admins with `admin`); others are refused and the attempt logged."""
    user, message = update.effective_user, update.effective_message
    if user is None:
        return False
    moderation = get_moderation(context)
    roles = await asyncio.to_thread(load_roles, moderation.settings)
    if roles.is_admin(user.id) if admin else roles.is_moderator(user.id):
        return True
    what = (message.text or "")[:100] if message is not None else "button"
    logger.info("refused a moderator command from a non-moderator")
    await asyncio.to_thread(moderation.manager.log_event, actor(user.id), "denied", what)
    refusal = texts.ADMIN_ONLY if admin else texts.MODERATORS_ONLY
    if update.callback_query is not None:
        await update.callback_query.answer(refusal)
    elif message is not None:
        await message.reply_text(refusal, allow_sending_without_reply=True)
    return False


def moderators_only(admin: bool = False) -> Callable[[Handler], Callable[..., Any]]:
    """Run the handler for moderators only, and end the update there either way."""

    def wrap(handler: Handler) -> Callable[..., Any]:
        async def run(update: Update, context: Context) -> None:
            if await allowed(update, context, admin=admin):
                await handler(update, context)
            raise ApplicationHandlerStop

        run.__doc__ = handler.__doc__
        run.__name__ = handler.__name__
        return run

    return wrap


def moderators_button(
    handler: Callable[[Update, Context, Any], Awaitable[None]],
) -> Callable[..., Any]:
    """A moderation button's handler, with its parsed data, for moderators only; the update
    ends there. A button on a message too old to reach falls through to the stale answer."""

    async def run(update: Update, context: Context) -> None:
        query = update.callback_query
        data = parse(query.data) if query is not None else None
        if data is None or query is None or not isinstance(query.message, Message):
            return  # PTB hands empty callback data to every pattern: not ours
        if await allowed(update, context):
            await handler(update, context, data)
        raise ApplicationHandlerStop

    run.__doc__ = handler.__doc__
    run.__name__ = handler.__name__
    return run
