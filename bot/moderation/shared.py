"""What the moderation handlers share, kept in `application.bot_data`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from telegram import BotCommand
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.moderation.content import ContentManager
from bot.moderation.dialogue import Dialogue
from bot.moderation.files import Limits
from bot.telegram.services import Services
from bot.telegram.shared import kept

Context = ContextTypes.DEFAULT_TYPE


@dataclass
class Moderation:
    """The content manager, the moderators' dialogues, and the engine swap after a change."""

    settings: Settings
    services: Services
    manager: ContentManager
    limits: Limits
    dialogue: Dialogue
    general_menu: list[BotCommand]  # what everyone sees; a moderator's menu adds to it
    known_change: int = 0  # the newest content change the current engine includes
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def swap_engine(self, change: int) -> None:
        """Build an engine over the new index off the event loop, then switch to it at once."""
        engine = await asyncio.to_thread(self.manager.open_engine)
        self.services.swap_engine(engine)  # answers in flight finish on the old one
        self.known_change = max(self.known_change, change)


def actor(user_id: int) -> str:
    """How the audit log names a Telegram user."""
    return f"telegram:{user_id}"


def get_moderation(context: Context) -> Moderation:
    """The `Moderation` of the running application."""
    return kept(context.bot_data, Moderation)
