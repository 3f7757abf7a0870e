"""Who may change the content: moderators and admins from config.toml, plus moderators an
admin added from Telegram (kept in SQLite, so they survive restarts)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.moderation.db import opened
from index.database import now


@dataclass(frozen=True)
class Roles:
    """The moderators and admins right now."""

    admins: frozenset[int]
    configured: frozenset[int]  # moderators listed in config.toml
    added: frozenset[int]  # moderators added by an admin

    def is_admin(self, user_id: int) -> bool:
        """Admins manage moderators, and are moderators themselves."""
        return user_id in self.admins

    def is_moderator(self, user_id: int) -> bool:
        """May add, replace, remove and restore articles and read the reports."""
        return user_id in self.admins or user_id in self.configured or user_id in self.added


def load_roles(settings: Settings) -> Roles:
    """The roles from config.toml and the database."""
    with opened(settings.db_path) as db:
        added = {int(row["user_id"]) for row in db.query("SELECT user_id FROM mod_moderators")}
    moderation = settings.moderation
    return Roles(frozenset(moderation.admins), frozenset(moderation.moderators), frozenset(added))


def add_moderator(settings: Settings, user_id: int, by: int) -> bool:
    """Make `user_id` a moderator; False when they already were one."""
    with opened(settings.db_path) as db, db.conn:
        cursor = db.execute(
            "INSERT OR IGNORE INTO mod_moderators (user_id, added_by, added_at) VALUES (?, ?, ?)",
            [user_id, by, now()],
        )
    return cursor.rowcount == 1


def remove_moderator(settings: Settings, user_id: int) -> bool:
    """Take moderation away from `user_id`; False when an admin had not added them."""
    with opened(settings.db_path) as db, db.conn:
        cursor = db.execute("DELETE FROM mod_moderators WHERE user_id = ?", [user_id])
    return cursor.rowcount == 1
