"""The one way into the SQLite file, and the one clock its rows are stamped with.

Every module that owns tables (index/store.py, the bot's answers, quiz and moderation stores)
opens the file here, so each connection behaves the same: WAL (readers never wait for the
writer), a busy timeout (two processes writing at once wait instead of failing), foreign keys.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import sqlite_utils

BUSY_TIMEOUT_MS: Final = 10_000


def now() -> str:
    """A UTC timestamp in ISO form, as stored everywhere in the database."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path | str) -> sqlite_utils.Database:
    """A connection to the database at `path` (":memory:" for a private one).

    The connection may be closed from another thread than the one that opened it (an engine is
    built in one thread and closed from another); each store still uses it from one thread at a
    time.
    """
    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        db = sqlite_utils.Database(conn)
        db.enable_wal()
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    return db
