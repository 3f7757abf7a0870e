"""Moderation's background work: at start-up, menus and changes a crash interrupted; then,
regularly, an engine over content changed by another process (the command line)."""

from __future__ import annotations

import asyncio
import logging

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.moderation import render
from bot.moderation.commands import set_menu
from bot.moderation.roles import load_roles
from bot.moderation.shared import Context, get_moderation

logger = logging.getLogger(__name__)

_TELEGRAM_ACTOR = "telegram:"


async def recover_on_start(context: Context) -> None:
    """Give moderators their menu; finish changes a crash interrupted, switch to the result and
    tell their moderators."""
    moderation = get_moderation(context)
    roles = await asyncio.to_thread(load_roles, moderation.settings)
    for user_id in roles.admins | roles.configured | roles.added:
        await set_menu(context.bot, roles, user_id, moderation.general_menu)
    finished = await asyncio.to_thread(moderation.manager.recover)
    if not finished:
        return
    async with moderation.lock:
        await moderation.swap_engine(max(c.id for c in finished))
    for change in finished:
        if change.actor.startswith(_TELEGRAM_ACTOR):
            user_id = int(change.actor.removeprefix(_TELEGRAM_ACTOR))
            try:
                await context.bot.send_message(
                    user_id, render.recovered(change), parse_mode=ParseMode.HTML
                )
            except TelegramError as exc:
                logger.warning("could not tell a moderator about a recovered change: %s", exc)


async def reload_if_changed(context: Context) -> None:
    """Switch to a new engine when the content was changed by another process (the CLI)."""
    moderation = get_moderation(context)
    latest = await asyncio.to_thread(moderation.manager.last_change)
    if latest <= moderation.known_change:
        return
    async with moderation.lock:
        logger.info("the content changed elsewhere; switching to the new index")
        await moderation.swap_engine(latest)
