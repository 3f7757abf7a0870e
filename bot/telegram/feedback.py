"""What the Telegram bot records in SQLite: answered questions and 👍/👎 feedback.

Tables (all prefixed `bot_`, next to the index tables of index/store.py in the same database):

    bot_answers(id, created_at, chat_type, lang, question, answered, chunk_ids)
        one row per question the bot answered or declined; its id is what the
        "other sources" and feedback buttons carry, so they work after a restart.
    bot_feedback(answer_id, voter, vote, created_at, updated_at)
        one vote (+1/-1) per answer and voter; `voter` is a keyed hash of the Telegram
        user id, never the id itself.

Migrations are recorded in `_migrations(name TEXT PRIMARY KEY, applied_at TEXT)`, shared with
index/store.py; ours are named "bot_...". A `FeedbackStore` is not thread-safe: use it from
one thread at a time (the bot runs it in a single worker thread).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from sqlite_utils import Database

from index.answer import Answer

MIGRATIONS_TABLE: Final = "_migrations"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _create_answers(db: Database) -> None:
    db.table("bot_answers").create(
        {
            "id": int,
            "created_at": str,
            "chat_type": str,
            "lang": str,
            "question": str,
            "answered": int,
            "chunk_ids": str,
        },
        pk="id",
        not_null={"created_at", "question"},
    )
    db.table("bot_answers").create_index(["created_at"])


def _create_feedback(db: Database) -> None:
    db.table("bot_feedback").create(
        {"answer_id": int, "voter": str, "vote": int, "created_at": str, "updated_at": str},
        pk=("answer_id", "voter"),
        foreign_keys=[("answer_id", "bot_answers", "id")],
        not_null={"vote"},
    )


# Append only; never rename or reorder an applied migration.
MIGRATIONS: Final[tuple[tuple[str, Callable[[Database], None]], ...]] = (
    ("bot_001_answers", _create_answers),
    ("bot_002_feedback", _create_feedback),
)


def migrate(db: Database) -> list[str]:
    """Apply the bot's migrations that the database has not seen; return their names."""
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE}(name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    applied = {row[0] for row in db.execute(f"SELECT name FROM {MIGRATIONS_TABLE}").fetchall()}
    done = []
    for name, step in MIGRATIONS:
        if name in applied:
            continue
        with db.conn:
            step(db)
            db.execute(
                f"INSERT INTO {MIGRATIONS_TABLE}(name, applied_at) VALUES (?, ?)", [name, _now()]
            )
        done.append(name)
    return done


class FeedbackStore:
    """Answers and votes in SQLite."""

    def __init__(self, db_path: Path | str, *, voter_key: bytes = b"kha-bot feedback") -> None:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), check_same_thread=False, timeout=10)
        conn.execute("PRAGMA foreign_keys = ON")
        self.db = Database(conn)
        self._voter_key = voter_key
        migrate(self.db)

    def close(self) -> None:
        """Close the connection."""
        self.db.conn.close()

    def voter(self, user_id: int) -> str:
        """The pseudonym stored for a Telegram user id."""
        digest = hashlib.blake2b(str(user_id).encode(), key=self._voter_key, digest_size=12)
        return digest.hexdigest()

    def record_answer(self, answer: Answer, chat_type: str) -> int:
        """Store a question with the chunks it was answered from; return the row id."""
        row = {
            "created_at": _now(),
            "chat_type": chat_type,
            "lang": answer.lang,
            "question": answer.question,
            "answered": int(answer.answered),
            "chunk_ids": json.dumps([q.chunk_id for q in answer.quotes]),
        }
        with self.db.conn:
            pk = self.db.table("bot_answers").insert(row).last_pk
        assert isinstance(pk, int)
        return pk

    def question(self, answer_id: int) -> tuple[str, str] | None:
        """The question and its language for a recorded answer, or None."""
        found = self.db.execute(
            "SELECT question, lang FROM bot_answers WHERE id = ?", [answer_id]
        ).fetchone()
        return (found[0], found[1] or "kk") if found else None

    def vote(self, answer_id: int, user_id: int, vote: int) -> int | None:
        """Record a +1/-1 vote; return the previous vote (0 if none), or None if no such answer."""
        if vote not in (1, -1):
            raise ValueError("vote must be +1 or -1")
        voter = self.voter(user_id)
        with self.db.conn:
            if self.question(answer_id) is None:
                return None
            old = self.db.execute(
                "SELECT vote FROM bot_feedback WHERE answer_id = ? AND voter = ?",
                [answer_id, voter],
            ).fetchone()
            now = _now()
            self.db.execute(
                "INSERT INTO bot_feedback(answer_id, voter, vote, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(answer_id, voter)"
                " DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at",
                [answer_id, voter, vote, now, now],
            )
        return int(old[0]) if old else 0

    def totals(self) -> dict[str, int]:
        """Counts for reports: answers, declined answers, 👍 and 👎."""
        answers, declined = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(answered = 0), 0) FROM bot_answers"
        ).fetchone()
        up, down = self.db.execute(
            "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM bot_feedback"
        ).fetchone()
        return {"answers": answers, "declined": declined, "up": up, "down": down}

    def prune(self, keep_days: int) -> int:
        """Forget questions older than `keep_days` that got no feedback; return how many."""
        cutoff = (datetime.now(UTC) - timedelta(days=keep_days)).isoformat(timespec="seconds")
        with self.db.conn:
            cursor = self.db.execute(
                "DELETE FROM bot_answers WHERE created_at < ?"
                " AND id NOT IN (SELECT answer_id FROM bot_feedback)",
                [cutoff],
            )
        return cursor.rowcount
