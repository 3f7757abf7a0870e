"""An article a moderator is pasting message by message, kept in SQLite until "✅ Дайын".

Each piece is written when it arrives, so a restart of the bot in the middle of pasting loses
nothing: the moderator goes on sending text, or presses "Дайын" on the last prompt. Pieces are
kept with their message ids and put in that order at the end: the bot handles updates
concurrently, so they may reach the database in another order than they were sent.
"""

from __future__ import annotations

import json

from bot.config import Settings
from bot.moderation.db import opened
from index.database import now


def start(settings: Settings, user_id: int, first: str = "", message_id: int = 0) -> int:
    """Begin a new paste (dropping an unfinished one); returns the characters received."""
    pieces = [[message_id, first]] if first else []
    with opened(settings.db_path) as db, db.conn:
        db.execute(
            "INSERT OR REPLACE INTO mod_pastes (user_id, started_at, pieces) VALUES (?, ?, ?)",
            [user_id, now(), json.dumps(pieces, ensure_ascii=False)],
        )
    return len(first)


def append(settings: Settings, user_id: int, message_id: int, text: str) -> int | None:
    """Add a piece; the characters received so far, or None when the user is not pasting."""
    piece = json.dumps([message_id, text], ensure_ascii=False)
    with opened(settings.db_path) as db, db.conn:
        cursor = db.execute(
            "UPDATE mod_pastes SET pieces = json_insert(pieces, '$[#]', json(?)) WHERE user_id = ?",
            [piece, user_id],
        )
        if cursor.rowcount != 1:
            return None
        (row,) = db.execute(
            "SELECT sum(length(json_extract(value, '$[1]')))"
            " FROM mod_pastes, json_each(pieces) WHERE user_id = ?",
            [user_id],
        ).fetchall()
    return int(row[0] or 0)


def take(settings: Settings, user_id: int) -> list[str] | None:
    """The pieces of the user's paste in the order they were sent, which then ends; None when
    there was none."""
    with opened(settings.db_path) as db, db.conn:
        rows = db.execute("SELECT pieces FROM mod_pastes WHERE user_id = ?", [user_id]).fetchall()
        db.execute("DELETE FROM mod_pastes WHERE user_id = ?", [user_id])
    if not rows:
        return None
    return [str(text) for _, text in sorted(json.loads(rows[0][0]), key=lambda p: p[0])]


def cancel(settings: Settings, user_id: int) -> None:
    """End the user's paste, if any, without keeping it."""
    with opened(settings.db_path) as db, db.conn:
        db.execute("DELETE FROM mod_pastes WHERE user_id = ?", [user_id])


def pasting(settings: Settings) -> set[int]:
    """The users with a paste under way (read at start-up)."""
    with opened(settings.db_path) as db:
        return {row[0] for row in db.execute("SELECT user_id FROM mod_pastes").fetchall()}
