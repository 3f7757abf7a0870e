"""Where a moderator is in their dialogue with the bot, in one place that survives a restart.

Two things make a moderator's next message mean more than a question: an article being pasted
message by message (bot/moderation/pastes.py keeps its pieces), and a draft's field the bot
asked for (title, source, year; this module's table `mod_dialogue`, which also remembers the
drafts whose unknown year was asked about once). Both live in SQLite, so a restart loses
neither; the users with either are also kept in memory, so an ordinary question costs no
database read.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from bot.config import Settings
from bot.moderation import pastes
from bot.moderation.db import opened
from index.database import now


@dataclass(frozen=True)
class Waiting:
    """The draft field a moderator's next message fills in."""

    request_id: int
    field: str  # title, source or year


def _waiting(settings: Settings, user_id: int) -> Waiting | None:
    with opened(settings.db_path) as db:
        row = db.execute(
            "SELECT request_id, field FROM mod_dialogue WHERE user_id = ? AND field IS NOT NULL",
            [user_id],
        ).fetchone()
    return Waiting(int(row[0]), str(row[1])) if row else None


def _set_waiting(settings: Settings, user_id: int, waiting: Waiting | None) -> None:
    request_id, name = (waiting.request_id, waiting.field) if waiting else (None, None)
    with opened(settings.db_path) as db, db.conn:
        db.execute(
            "INSERT INTO mod_dialogue (user_id, request_id, field, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET request_id = excluded.request_id,"
            " field = excluded.field, updated_at = excluded.updated_at",
            [user_id, request_id, name, now()],
        )


def _year_asked(settings: Settings, user_id: int) -> set[int]:
    with opened(settings.db_path) as db:
        row = db.execute(
            "SELECT year_asked FROM mod_dialogue WHERE user_id = ?", [user_id]
        ).fetchone()
    return set(json.loads(row[0])) if row else set()


def _mark_year_asked(settings: Settings, user_id: int, request_id: int) -> None:
    asked = sorted(_year_asked(settings, user_id) | {request_id})
    with opened(settings.db_path) as db, db.conn:
        db.execute(
            "INSERT INTO mod_dialogue (user_id, year_asked, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET year_asked = excluded.year_asked,"
            " updated_at = excluded.updated_at",
            [user_id, json.dumps(asked), now()],
        )


def _waiting_users(settings: Settings) -> set[int]:
    with opened(settings.db_path) as db:
        rows = db.execute("SELECT user_id FROM mod_dialogue WHERE field IS NOT NULL").fetchall()
    return {int(row[0]) for row in rows}


@dataclass
class Dialogue:
    """Every moderator's dialogue state; its methods run the SQL off the event loop."""

    settings: Settings
    pasting: set[int] = field(default_factory=set)  # users with a paste under way
    waiting_users: set[int] = field(default_factory=set)  # users asked for a draft's field

    @classmethod
    def load(cls, settings: Settings) -> Dialogue:
        """The dialogues as a restart left them."""
        return cls(settings, pastes.pasting(settings), _waiting_users(settings))

    # -- pasting --------------------------------------------------------------------------
    def is_pasting(self, user_id: int) -> bool:
        """Whether the user is pasting an article (no database read)."""
        return user_id in self.pasting

    async def start_paste(self, user_id: int, first: str = "", message_id: int = 0) -> int:
        """Begin a paste (the text after /add is its start); the characters so far."""
        chars = await asyncio.to_thread(pastes.start, self.settings, user_id, first, message_id)
        self.pasting.add(user_id)
        return chars

    async def add_piece(self, user_id: int, message_id: int, text: str) -> int | None:
        """Add a pasted message; the characters so far, or None when the paste has ended."""
        args = (self.settings, user_id, message_id, text)
        chars = await asyncio.to_thread(pastes.append, *args)
        if chars is None:
            self.pasting.discard(user_id)  # ended elsewhere
        return chars

    async def take_paste(self, user_id: int) -> list[str] | None:
        """The pasted pieces in order, ending the paste; None when there was none."""
        pieces = await asyncio.to_thread(pastes.take, self.settings, user_id)
        self.pasting.discard(user_id)
        return pieces

    async def stop_pasting(self, user_id: int) -> None:
        """End the user's paste, if any, without keeping it."""
        if user_id in self.pasting:  # the set mirrors the table: nothing to delete otherwise
            self.pasting.discard(user_id)
            await asyncio.to_thread(pastes.cancel, self.settings, user_id)

    # -- the field a draft waits for -------------------------------------------------------
    async def waiting(self, user_id: int) -> Waiting | None:
        """The draft field the user's next message fills in, if the bot asked for one."""
        if user_id not in self.waiting_users:
            return None
        return await asyncio.to_thread(_waiting, self.settings, user_id)

    async def wait_for(self, user_id: int, request_id: int, name: str) -> None:
        """Take the user's next message as the draft's `name` (title, source or year)."""
        waiting = Waiting(request_id, name)
        await asyncio.to_thread(_set_waiting, self.settings, user_id, waiting)
        self.waiting_users.add(user_id)

    async def stop_waiting(self, user_id: int) -> None:
        """The user's next message is an ordinary one again."""
        if user_id in self.waiting_users:
            self.waiting_users.discard(user_id)
            await asyncio.to_thread(_set_waiting, self.settings, user_id, None)

    async def year_asked(self, user_id: int, request_id: int) -> bool:
        """Whether the user was already asked for this draft's unknown year."""
        return request_id in await asyncio.to_thread(_year_asked, self.settings, user_id)

    async def mark_year_asked(self, user_id: int, request_id: int) -> None:
        """Remember that the draft's year was asked about (it is asked once)."""
        await asyncio.to_thread(_mark_year_asked, self.settings, user_id, request_id)
