"""What quizzes keep in SQLite, next to the index and the bot's tables in the same database.

    quiz_bank(key, built_at, questions)    generated questions, cached per set of article
                                           versions (`key` hashes their content hashes)
    quiz_polls(poll_id, chat_id, question_id, correct, round_id, closes_at, message_id, sent_at)
                                           every quiz poll sent, so answers count after a restart
    quiz_answers(poll_id, user_id, chat_id, correct, answered_at, option)
                                           one answer per poll and user: the scores, and the
                                           option chosen for a round's results file
    quiz_players(chat_id, user_id, name)   the name a leaderboard shows
    quiz_asked(chat_id, question_id, asked_at)
                                           what a chat was asked, so nothing repeats too soon
    quiz_rounds(id, chat_id, size, topic, started_by, started_at, finished_at, state)
                                           class rounds; `state` (JSON: the questions, the
                                           thread, the language) lets a restart resume one

Migrations are named "quiz_..." and run by index/migrations.py. A `QuizStore` is the only SQL
that touches these tables, and is used from one thread at a time (the bot's database thread).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Final

from sqlite_utils import Database

from bot.quiz.question import Question
from bot.quiz.standings import places
from index import database
from index.migrations import Migration, migrate

LEADERBOARD_SIZE: Final = 10


def _bank(db: Database) -> None:
    db.execute("CREATE TABLE quiz_bank (key TEXT PRIMARY KEY, built_at TEXT, questions TEXT)")


def _play(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE quiz_rounds (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id INTEGER NOT NULL,
            size INTEGER NOT NULL,
            topic TEXT,
            started_by INTEGER,
            started_at TEXT NOT NULL,
            finished_at TEXT
        );
        CREATE TABLE quiz_polls (
            poll_id TEXT PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            correct INTEGER NOT NULL,
            round_id INTEGER REFERENCES quiz_rounds(id),
            closes_at REAL NOT NULL          -- unix time; later answers do not count
        );
        CREATE TABLE quiz_answers (
            poll_id TEXT NOT NULL REFERENCES quiz_polls(poll_id),
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (poll_id, user_id)
        );
        CREATE INDEX quiz_answers_chat ON quiz_answers(chat_id, user_id);
        CREATE TABLE quiz_players (
            chat_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (chat_id, user_id)
        );
        CREATE TABLE quiz_asked (
            chat_id INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            asked_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, question_id)
        );
        """
    )


def _resume(db: Database) -> None:
    db.execute("ALTER TABLE quiz_rounds ADD COLUMN state TEXT")
    db.execute("ALTER TABLE quiz_polls ADD COLUMN message_id INTEGER")


def _results(db: Database) -> None:
    db.execute("ALTER TABLE quiz_answers ADD COLUMN option INTEGER")
    db.execute("ALTER TABLE quiz_polls ADD COLUMN sent_at REAL")


# Append only; never rename or reorder an applied migration.
MIGRATIONS: Final[list[Migration]] = [
    ("quiz_001_bank", _bank),
    ("quiz_002_play", _play),
    ("quiz_003_resume", _resume),
    ("quiz_004_results", _results),
]


class Outcome(Enum):
    """What became of a poll answer."""

    COUNTED = "counted"
    LATE = "late"  # after the poll's timer
    REPEATED = "repeated"  # the user had already answered this poll
    UNKNOWN = "unknown"  # not a poll this bot sent (or one from before a database reset)


@dataclass(frozen=True)
class Answered:
    """A poll answer as recorded."""

    outcome: Outcome
    chat_id: int | None = None
    round_id: int | None = None
    correct: bool = False


@dataclass(frozen=True)
class Unfinished:
    """A class round a restart interrupted: what it needs to go on."""

    id: int
    chat_id: int
    thread_id: int | None
    lang: str
    questions: list[Question]
    started_at: float  # unix time
    polls: list[tuple[str, int, float]]  # (poll id, message id, closes at), oldest first
    players: set[int]  # who answered one of its questions
    answered: set[int]  # who answered the current one


@dataclass(frozen=True)
class Answer:
    """One player's answer to one question of a round, for its results file."""

    user_id: int
    name: str
    question: int  # its place in the round, from 0
    option: int | None  # None when recorded before options were kept
    correct: bool
    answered_at: str  # ISO, UTC
    seconds: float | None  # from the poll being sent; None when that time is unknown


@dataclass(frozen=True)
class Results:
    """A round's questions in the order asked and every answer to them."""

    round_id: int
    started_at: str
    questions: list[Question]
    answers: list[Answer]


@dataclass(frozen=True)
class Score:
    """One player's line on a leaderboard."""

    user_id: int
    name: str
    correct: int
    answered: int


def _row(question: Question) -> dict[str, object]:
    return {**question.__dict__, "options": list(question.options)}


def _question(row: dict[str, Any]) -> Question:
    return Question(**{**row, "options": tuple(row["options"])})


class QuizStore:
    """Quiz polls, answers, scores and the cached bank in SQLite."""

    def __init__(self, db_path: Path | str) -> None:
        self.db = database.connect(db_path)
        migrate(self.db, MIGRATIONS)

    def close(self) -> None:
        """Close the connection."""
        self.db.conn.close()

    # -- the bank ---------------------------------------------------------------------------
    def cached_bank(self, key: str) -> list[Question] | None:
        """The generated questions stored for `key`, or None."""
        row = self.db.execute("SELECT questions FROM quiz_bank WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        return [_question(q) for q in json.loads(row[0])]

    def save_bank(self, key: str, questions: Iterable[Question]) -> None:
        """Keep the generated questions for `key`, forgetting older banks."""
        rows = [_row(q) for q in questions]
        with self.db.conn:
            self.db.execute("DELETE FROM quiz_bank")
            self.db.execute(
                "INSERT INTO quiz_bank (key, built_at, questions) VALUES (?, ?, ?)",
                [key, database.now(), json.dumps(rows, ensure_ascii=False)],
            )

    # -- what a chat was asked ---------------------------------------------------------------
    def asked(self, chat_id: int) -> set[str]:
        """Ids of the questions this chat has been asked since its bank was last exhausted."""
        rows = self.db.execute("SELECT question_id FROM quiz_asked WHERE chat_id = ?", [chat_id])
        return {row[0] for row in rows}

    def recent_questions(self, chat_id: int, limit: int) -> list[str]:
        """Ids of the last questions sent to this chat, newest first (kept across restarts)."""
        rows = self.db.execute(
            "SELECT question_id FROM quiz_polls WHERE chat_id = ? ORDER BY rowid DESC LIMIT ?",
            [chat_id, limit],
        )
        return [row[0] for row in rows]

    def forget_asked(self, chat_id: int, question_ids: Iterable[str]) -> None:
        """Let a chat be asked these questions again (its bank for a topic is exhausted)."""
        with self.db.conn:
            self.db.conn.executemany(
                "DELETE FROM quiz_asked WHERE chat_id = ? AND question_id = ?",
                [(chat_id, q) for q in question_ids],
            )

    # -- polls and answers -------------------------------------------------------------------
    def start_round(
        self,
        chat_id: int,
        questions: Sequence[Question],
        topic: str | None,
        user_id: int | None,
        *,
        thread_id: int | None = None,
        lang: str = "kk",
    ) -> int:
        """Record a new class round with all it needs to be resumed; its id."""
        state = {"thread_id": thread_id, "lang": lang, "questions": [_row(q) for q in questions]}
        with self.db.conn:
            cursor = self.db.execute(
                "INSERT INTO quiz_rounds (chat_id, size, topic, started_by, started_at, state)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [chat_id, len(questions), topic, user_id, database.now(), json.dumps(state)],
            )
        return int(cursor.lastrowid or 0)

    def unfinished_rounds(self) -> list[Unfinished]:
        """Rounds started and not finished (a restart cut them short), newest first."""
        found = []
        rounds = self.db.execute(
            "SELECT id, chat_id, state, started_at FROM quiz_rounds"
            " WHERE finished_at IS NULL AND state IS NOT NULL ORDER BY id DESC"
        ).fetchall()
        for round_id, chat_id, raw, started_at in rounds:
            state = json.loads(raw)
            polls = self.db.execute(
                "SELECT poll_id, message_id, closes_at FROM quiz_polls WHERE round_id = ?"
                " ORDER BY rowid",
                [round_id],
            ).fetchall()
            voters = self.db.execute(
                "SELECT a.poll_id, a.user_id FROM quiz_answers a"
                " JOIN quiz_polls q ON q.poll_id = a.poll_id WHERE q.round_id = ?",
                [round_id],
            ).fetchall()
            current = polls[-1][0] if polls else None
            found.append(
                Unfinished(
                    round_id,
                    chat_id,
                    state["thread_id"],
                    state["lang"],
                    [_question(q) for q in state["questions"]],
                    datetime.fromisoformat(started_at).timestamp(),
                    [(p, m or 0, c) for p, m, c in polls],
                    {user for _, user in voters},
                    {user for poll, user in voters if poll == current},
                )
            )
        return found

    def finish_round(self, round_id: int) -> None:
        """Mark a round finished."""
        with self.db.conn:
            self.db.execute(
                "UPDATE quiz_rounds SET finished_at = ? WHERE id = ?", [database.now(), round_id]
            )

    def record_poll(
        self,
        poll_id: str,
        chat_id: int,
        question_id: str,
        correct: int,
        closes_at: float,
        round_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        """Remember a sent quiz poll and that the chat was asked its question."""
        now = time.time()
        with self.db.conn:
            self.db.execute(
                "INSERT INTO quiz_polls (poll_id, chat_id, question_id, correct, round_id,"
                " closes_at, message_id, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [poll_id, chat_id, question_id, correct, round_id, closes_at, message_id, now],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO quiz_asked (chat_id, question_id, asked_at)"
                " VALUES (?, ?, ?)",
                [chat_id, question_id, database.now()],
            )

    def record_answer(
        self, poll_id: str, user_id: int, name: str, option_ids: list[int], now: float | None = None
    ) -> Answered:
        """Count a poll answer, unless it is late, repeated or for an unknown poll."""
        now = time.time() if now is None else now
        poll = self.db.execute(
            "SELECT chat_id, correct, round_id, closes_at FROM quiz_polls WHERE poll_id = ?",
            [poll_id],
        ).fetchone()
        if poll is None:
            return Answered(Outcome.UNKNOWN)
        chat_id, correct_option, round_id, closes_at = poll
        if now > closes_at:
            return Answered(Outcome.LATE, chat_id, round_id)
        correct = option_ids == [correct_option]
        option = option_ids[0] if len(option_ids) == 1 else None
        with self.db.conn:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO quiz_answers (poll_id, user_id, chat_id, correct,"
                " answered_at, option) VALUES (?, ?, ?, ?, ?, ?)",
                [poll_id, user_id, chat_id, int(correct), database.now(), option],
            )
            if cursor.rowcount == 0:
                return Answered(Outcome.REPEATED, chat_id, round_id)
            self.db.execute(
                "INSERT INTO quiz_players (chat_id, user_id, name) VALUES (?, ?, ?)"
                " ON CONFLICT(chat_id, user_id) DO UPDATE SET name = excluded.name",
                [chat_id, user_id, name],
            )
        return Answered(Outcome.COUNTED, chat_id, round_id, correct)

    def close_poll(self, poll_id: str, now: float) -> None:
        """A poll closed before its timer (the round moved on): later answers do not count."""
        with self.db.conn:
            self.db.execute(
                "UPDATE quiz_polls SET closes_at = MIN(closes_at, ?) WHERE poll_id = ?",
                [now, poll_id],
            )

    # -- scores ------------------------------------------------------------------------------
    _SCORES = (
        "SELECT a.user_id, p.name, SUM(a.correct) AS good, COUNT(*) AS total"
        " FROM quiz_answers a JOIN quiz_players p"
        " ON p.chat_id = a.chat_id AND p.user_id = a.user_id"
    )
    _ORDER = " GROUP BY a.user_id ORDER BY good DESC, total ASC, p.name"

    def leaderboard(self, chat_id: int, limit: int = LEADERBOARD_SIZE) -> list[Score]:
        """The chat's best players: most right answers first, then fewer tries."""
        rows = self.db.execute(
            f"{self._SCORES} WHERE a.chat_id = ?{self._ORDER} LIMIT ?", [chat_id, limit]
        )
        return [Score(*row) for row in rows]

    def round_scores(self, round_id: int) -> list[Score]:
        """Everyone who played a round, best first."""
        rows = self.db.execute(
            f"{self._SCORES} JOIN quiz_polls q ON q.poll_id = a.poll_id"
            f" WHERE q.round_id = ?{self._ORDER}",
            [round_id],
        )
        return [Score(*row) for row in rows]

    def round_results(self, round_id: int, chat_id: int) -> Results | None:
        """A round of this chat: its questions and every answer, players best first; None for
        a round of another chat or none at all."""
        found = self.db.execute(
            "SELECT started_at, state FROM quiz_rounds WHERE id = ? AND chat_id = ?",
            [round_id, chat_id],
        ).fetchone()
        if found is None:
            return None
        started_at, state = found
        by_id = {q.id: q for q in map(_question, json.loads(state or "{}").get("questions", []))}
        polls = self.db.execute(
            "SELECT poll_id, question_id FROM quiz_polls WHERE round_id = ? ORDER BY rowid",
            [round_id],
        ).fetchall()
        order = {poll_id: n for n, (poll_id, _) in enumerate(polls)}
        rank = {s.user_id: n for n, s in enumerate(self.round_scores(round_id))}
        rows = self.db.execute(
            "SELECT a.poll_id, a.user_id, p.name, a.option, a.correct, a.answered_at, q.sent_at"
            " FROM quiz_answers a JOIN quiz_polls q ON q.poll_id = a.poll_id"
            " JOIN quiz_players p ON p.chat_id = a.chat_id AND p.user_id = a.user_id"
            " WHERE q.round_id = ?",
            [round_id],
        )
        answers = [
            Answer(user, name, order[poll], option, bool(correct), at, _seconds(at, sent_at))
            for poll, user, name, option, correct, at, sent_at in rows
        ]
        answers.sort(key=lambda a: (rank[a.user_id], a.question))
        questions = [by_id[question_id] for _, question_id in polls]  # the round's own
        return Results(round_id, started_at, questions, answers)

    def my_score(self, chat_id: int, user_id: int) -> tuple[Score, int] | None:
        """A player's score in a chat and their place on its leaderboard, or None."""
        everyone = self.leaderboard(chat_id, limit=-1)
        ranks = places(everyone, lambda s: (s.correct, s.answered))  # ties share a place
        for place, score in zip(ranks, everyone, strict=True):
            if score.user_id == user_id:
                return score, place
        return None


def _seconds(answered_at: str, sent_at: float | None) -> float | None:
    """Seconds from a poll being sent to its answer (stored to the second)."""
    if sent_at is None:
        return None
    return max(0.0, datetime.fromisoformat(answered_at).timestamp() - sent_at)
