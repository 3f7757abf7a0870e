"""What moderators read and who they are: /unanswered, /stats, /modhelp, /moderators,
/addmod, /delmod, and the command menu a moderator sees in their own chat."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.moderation import render, reports, texts
from bot.moderation.access import moderators_only
from bot.moderation.roles import Roles, add_moderator, load_roles, remove_moderator
from bot.moderation.shared import Context, actor, get_moderation
from bot.telegram.replies import HTML, argument, reply_lines

logger = logging.getLogger(__name__)


@moderators_only()
async def unanswered_command(update: Update, context: Context) -> None:
    """Show recent declined questions and 👎 answers: what content is missing."""
    message = update.effective_message
    assert message is not None
    settings = get_moderation(context).settings
    lines = settings.moderation.report_lines
    asked, disliked = await asyncio.to_thread(reports.missing, settings.db_path, lines)
    if not asked and not disliked:
        await message.reply_text(texts.UNANSWERED_EMPTY, allow_sending_without_reply=True)
        return
    header = texts.UNANSWERED_HEADER.format(count=len(asked))
    await reply_lines(message, header, render.unanswered(asked, disliked, settings.moderation.zone))


@moderators_only()
async def stats_command(update: Update, context: Context) -> None:
    """Send usage as a chart: questions a day, the share answered, and feedback."""
    message = update.effective_message
    assert message is not None
    settings = get_moderation(context).settings
    days = settings.moderation.stats_days
    stats = await asyncio.to_thread(reports.usage, settings.db_path, days)
    if not stats.questions:
        await message.reply_text(texts.STATS_EMPTY.format(days=days))
        return
    png = await asyncio.to_thread(reports.chart_png, stats)
    await message.reply_photo(png, caption=render.stats_caption(stats, days), parse_mode=HTML)


@moderators_only()
async def modhelp_command(update: Update, context: Context) -> None:
    """Explain to a moderator what they can do."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(texts.MODHELP, parse_mode=HTML, allow_sending_without_reply=True)


@moderators_only()
async def moderators_command(update: Update, context: Context) -> None:
    """List moderators and admins (any moderator may read it; only admins change it)."""
    message = update.effective_message
    assert message is not None
    roles = await asyncio.to_thread(load_roles, get_moderation(context).settings)
    await reply_lines(message, texts.MODERATORS_HEADER, render.moderator_lines(roles))


async def _change_moderator(update: Update, context: Context, add: bool) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    value = argument(message)
    command = "addmod" if add else "delmod"
    if not value.isdigit() or not 0 < int(value) < 2**53:
        await message.reply_text(texts.MOD_USAGE.format(command=command))
        return
    target = int(value)
    moderation = get_moderation(context)
    settings = moderation.settings
    if add:
        await asyncio.to_thread(add_moderator, settings, target, user.id)
        text = texts.MOD_ADDED
    elif await asyncio.to_thread(remove_moderator, settings, target):
        text = texts.MOD_REMOVED
    elif target in settings.moderation.moderators or target in settings.moderation.admins:
        text = texts.MOD_IN_CONFIG
    else:
        text = texts.MOD_UNKNOWN
    if text in (texts.MOD_ADDED, texts.MOD_REMOVED):
        action = "moderator added" if add else "moderator removed"
        await asyncio.to_thread(moderation.manager.log_event, actor(user.id), action, str(target))
        roles = await asyncio.to_thread(load_roles, settings)
        await set_menu(context.bot, roles, target, moderation.general_menu)
    await message.reply_text(text.format(id=target), parse_mode=HTML)


@moderators_only(admin=True)
async def addmod_command(update: Update, context: Context) -> None:
    """Make a Telegram user a moderator (admins only)."""
    await _change_moderator(update, context, add=True)


@moderators_only(admin=True)
async def delmod_command(update: Update, context: Context) -> None:
    """Take moderation away from a Telegram user (admins only)."""
    await _change_moderator(update, context, add=False)


async def private_only(update: Update, context: Context) -> None:
    """A moderation command sent in a group (`/stats@Bot`): it works in a private chat only."""
    message = update.effective_message
    if message is not None:
        text = texts.PRIVATE_ONLY.format(bot=context.bot.username)
        await message.reply_text(text, allow_sending_without_reply=True)
    raise ApplicationHandlerStop


async def set_menu(bot: Bot, roles: Roles, user_id: int, general: list[BotCommand]) -> None:
    """Show a moderator the `general` menu and the moderation commands in their own chat; take
    them away from someone who is no longer one (everyone else sees the general menu)."""
    scope = BotCommandScopeChat(user_id)
    try:
        if not roles.is_moderator(user_id):
            await bot.delete_my_commands(scope=scope)
            return
        extra = texts.MENU + (texts.ADMIN_MENU if roles.is_admin(user_id) else ())
        menu = general + [BotCommand(name, about) for name, about in extra]
        await bot.set_my_commands(menu, scope=scope)
    except TelegramError as exc:  # a user who never opened the bot has no chat yet
        logger.info("no moderator menu for %s: %s", user_id, exc)
