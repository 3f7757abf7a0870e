"""What the bot records of the citizens' questions: every question it answered or declined,
and 👍/👎 feedback. The only module whose SQL touches these tables; the moderators' reports
(/unanswered, /stats) read them through its methods, so both count the same declines.

Tables (all prefixed `bot_`, next to the index tables of index/store.py in the same database):

    bot_answers(id, created_at, chat_type, lang, question, answered, chunk_ids)
        one row per message the bot answered: `answered` is 1 when it quoted, 0 when it
        declined, NULL for a greeting or thanks (not a question: neither report counts it);
        its id is what the "other sources" and feedback buttons carry, so they work after a
        restart.
    bot_feedback(answer_id, voter, vote, created_at, updated_at)
        one vote (+1/-1) per answer and voter; `voter` is a keyed hash of the Telegram
        user id, never the id itself.

Migrations are named "bot_..." and run by index/migrations.py. A `FeedbackStore` is used from
one thread at a time (the bot runs it in its single database thread).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from sqlite_utils import Database

from index.answer import Answer
from index.database import connect, now
from index.migrations import Migration, migrate


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
MIGRATIONS: Final[list[Migration]] = [
    ("bot_001_answers", _create_answers),
    ("bot_002_feedback", _create_feedback),
]


class FeedbackStore:
    """Answers and votes in SQLite."""

    def __init__(self, db_path: Path | str, *, voter_key: bytes = b"kha-bot feedback") -> None:
        self.db = connect(db_path)
        self._voter_key = voter_key
        migrate(self.db, MIGRATIONS)

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
            "created_at": now(),
            "chat_type": chat_type,
            "lang": answer.lang,
            "question": answer.question,
            "answered": None if answer.small_talk else int(answer.answered),
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
            stamp = now()
            self.db.execute(
                "INSERT INTO bot_feedback(answer_id, voter, vote, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(answer_id, voter)"
                " DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at",
                [answer_id, voter, vote, stamp, stamp],
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

    # -- what moderators read --------------------------------------------------------------
    def declined(self, limit: int) -> list[tuple[str, str]]:
        """(asked at, question) of the newest declined questions, repeated ones once."""
        rows = self.db.execute(
            "SELECT max(created_at), question FROM bot_answers WHERE answered = 0"
            " GROUP BY lower(trim(question)) ORDER BY max(id) DESC LIMIT ?",
            [limit],
        ).fetchall()
        return [(str(at), str(q)) for at, q in rows]

    def disliked(self, limit: int) -> list[tuple[str, str]]:
        """(voted at, question) of the newest answers someone marked 👎."""
        rows = self.db.execute(
            "SELECT max(f.updated_at), a.question FROM bot_feedback f"
            " JOIN bot_answers a ON a.id = f.answer_id WHERE f.vote < 0"
            " GROUP BY a.id ORDER BY max(f.updated_at) DESC LIMIT ?",
            [limit],
        ).fetchall()
        return [(str(at), str(q)) for at, q in rows]

    def daily(self, since: str) -> dict[str, tuple[int, int]]:
        """(answered, declined) questions a day ("2025-05-01", UTC) from the date `since` on."""
        rows = self.db.execute(
            "SELECT substr(created_at, 1, 10), sum(answered != 0), sum(answered = 0)"
            " FROM bot_answers WHERE created_at >= ? AND answered IS NOT NULL GROUP BY 1",
            [since],
        ).fetchall()
        return {str(day): (int(a), int(d)) for day, a, d in rows}

    def votes(self, since: str) -> tuple[int, int]:
        """(👍, 👎) votes cast or changed from the date `since` on."""
        up, down = self.db.execute(
            "SELECT coalesce(sum(vote > 0), 0), coalesce(sum(vote < 0), 0) FROM bot_feedback"
            " WHERE updated_at >= ?",
            [since],
        ).fetchone()
        return int(up), int(down)
