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
    mod_dialogue(user_id, request_id, field, year_asked, updated_at)
        what a moderator's next message means: the draft field it fills in, and the drafts
        whose unknown year was already asked about (bot/moderation/dialogue.py).

Each table has one module whose functions are its only SQL: roles.py, requests.py, pastes.py,
dialogue.py. Migrations are named "mod_..." and run by index/migrations.py, once per database
file and process. Every call opens its own short connection, so any thread may use them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from index.database import connect
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


def _dialogue(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE mod_dialogue ("
        " user_id INTEGER PRIMARY KEY, request_id INTEGER, field TEXT,"
        " year_asked TEXT NOT NULL DEFAULT '[]', updated_at TEXT NOT NULL)"
    )


# Append only; never rename or reorder an applied migration.
MIGRATIONS: list[Migration] = [
    ("mod_001_moderators", _moderators),
    ("mod_002_requests", _requests),
    ("mod_003_pastes", _pastes),
    ("mod_004_dialogue", _dialogue),
]

_migrated: set[tuple[str, int, int]] = set()  # (path, device, inode): a new file migrates
_lock = threading.Lock()


@contextlib.contextmanager
def opened(path: Path) -> Iterator[sqlite_utils.Database]:
    """A connection of its own to a migrated database, closed afterwards."""
    db = connect(path)
    try:
        found = Path(path).stat()
        key = (str(Path(path).resolve()), found.st_dev, found.st_ino)
        if key not in _migrated:
            with _lock:
                migrate(db, MIGRATIONS)
                _migrated.add(key)
        yield db
    finally:
        db.close()
