"""Moderation in Telegram, registered: upload or paste an article, preview, confirm
(drafts.py, changes.py); list, remove, restore, undo (changes.py); read what is missing and how
the bot is used, manage moderators (commands.py); who may (access.py); buttons (keyboards.py);
what they read (render.py, texts.py); start-up and reload jobs (jobs.py).

Handlers sit in group -1, before the question handlers, and stop the update once they have
handled it (`ApplicationHandlerStop`). Everything works in private chats only.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import BotCommand
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.moderation import changes, commands, drafts, jobs, keyboards
from bot.moderation.content import ContentManager
from bot.moderation.dialogue import Dialogue
from bot.moderation.files import Limits
from bot.moderation.shared import Moderation
from bot.runtime import make_embedder
from bot.telegram.callbacks import matches
from bot.telegram.services import Services
from bot.telegram.shared import keep, kept
from index.embedder import Embedder

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

COMMANDS: Final = {
    "add": drafts.add_command,
    "articles": changes.articles_command,
    "remove": changes.remove_command,
    "restore": changes.restore_command,
    "undo": changes.undo_command,
    "unanswered": commands.unanswered_command,
    "stats": commands.stats_command,
    "modhelp": commands.modhelp_command,
    "moderators": commands.moderators_command,
    "addmod": commands.addmod_command,
    "delmod": commands.delmod_command,
}


def _embedder_of(services: Services) -> Embedder:
    """The model the running engine already holds; loaded anew only if it has none."""
    embedder = getattr(services.engine, "embedder", None)
    if embedder is not None:
        return embedder
    return make_embedder(services.settings)


def register(application: TelegramApp, general_menu: list[BotCommand]) -> None:
    """Add the moderation handlers before the question handlers, and their jobs; a moderator's
    command menu is `general_menu` and the moderation commands."""
    services = kept(application.bot_data, Services)
    settings = services.settings
    manager = ContentManager(settings, lambda: _embedder_of(services))
    moderation = Moderation(
        settings,
        services,
        manager,
        Limits.of(settings.moderation),
        Dialogue.load(settings),
        general_menu,
        known_change=manager.last_change(),
    )
    keep(application.bot_data, moderation)
    private = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    in_groups = filters.UpdateType.MESSAGE & filters.ChatType.GROUPS
    draft_buttons = (keyboards.Edit, keyboards.NoYear, keyboards.PasteDone, keyboards.PasteCancel)
    application.add_handlers(
        [
            *(CommandHandler(name, fn, filters=private) for name, fn in COMMANDS.items()),
            CommandHandler(list(COMMANDS), commands.private_only, filters=in_groups),
            MessageHandler(private & filters.Document.ALL, drafts.document),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, drafts.moderator_text),
            CallbackQueryHandler(drafts.draft_button, pattern=matches(*draft_buttons)),
            CallbackQueryHandler(
                changes.request_button, pattern=matches(keyboards.Confirm, keyboards.Cancel)
            ),
        ],
        group=-1,
    )
    jobs_queue = application.job_queue
    if jobs_queue is not None:
        jobs_queue.run_once(jobs.recover_on_start, 0, name="moderation-recover")
        interval = settings.moderation.reload_check_seconds
        jobs_queue.run_repeating(
            jobs.reload_if_changed, interval, first=interval, name="moderation-reload"
        )
