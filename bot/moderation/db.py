"""The moderation tables, in the bot's SQLite database next to the index and feedback tables.

    mod_moderators(user_id, added_by, added_at)
        moderators an admin added from Telegram (those in config.toml are not stored).
    mod_requests(id, created_at, user_id, kind, article_id, draft, state)
        what a moderator asked for and has not confirmed yet: a draft article (JSON) to add or
        replace, or a removal, restore or undo awaiting its "yes"; its id is what the buttons
        carry, so a preview survives a restart.
    mod_pastes(user_id, started_at, pieces)
        an article being pasted message by message (a JSON list of the messages), until
        "✅ Дайын" or "Бас тарту" (bot/moderation/pastes.py).

Migrations are recorded in `_migrations`, prefixed "mod_". Every call opens its own short
connection, so any thread may use these functions.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from index.migrations import Migration, migrate


def _moderators(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE mod_moderators ("
        " user_id INTEGER PRIMARY KEY, added_by INTEGER NOT NULL, added_at TEXT NOT NULL)"
    )


def _requests(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE mod_requests ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL,"
        " user_id INTEGER NOT NULL, kind TEXT NOT NULL, article_id TEXT NOT NULL,"
        " draft TEXT, state TEXT NOT NULL)"
    )


def _pastes(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE mod_pastes ("
        " user_id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, pieces TEXT NOT NULL)"
    )


MIGRATIONS: list[Migration] = [
    ("mod_001_moderators", _moderators),
    ("mod_002_requests", _requests),
    ("mod_003_pastes", _pastes),
]


@contextlib.contextmanager
def connect(path: Path) -> Iterator[sqlite_utils.Database]:
    """A migrated connection of its own, closed afterwards."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10)
    try:
        db = sqlite_utils.Database(conn)
        migrate(db, MIGRATIONS)
        yield db
    finally:
        conn.close()
