"""The quiz state of a running bot: rounds in progress, rounds a teacher previewed, answers that
came before their poll was recorded, and picking questions a chat has not had yet."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import Final

from telegram import User
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.quiz.bank import Bank, load_bank
from bot.quiz.question import Question
from bot.quiz.selection import build_round
from bot.quiz.store import QuizStore
from bot.telegram.shared import kept

logger = logging.getLogger(__name__)

ORPHAN_SECONDS: Final = 60.0

Context = ContextTypes.DEFAULT_TYPE


@dataclass
class Round:
    """A class round in progress in one chat."""

    id: int
    chat_id: int
    thread_id: int | None
    questions: list[Question]
    lang: str
    number: int = 0  # questions sent so far
    poll_id: str = ""
    message_id: int = 0
    players: set[int] = field(default_factory=set)  # answered an earlier question
    answered: set[int] = field(default_factory=set)  # answered the current one
    closing: bool = False


@dataclass
class Plan:
    """A round a teacher previewed and has not started yet (kept until the bot restarts)."""

    id: int  # in the buttons, so a press on an older preview is stale
    chat_id: int  # the chat the round is for
    thread_id: int | None
    topic: str | None
    questions: list[Question]
    lang: str
    restarted: bool  # picking it started the topic over
    dropped: set[int] = field(default_factory=set)  # indexes into `questions`

    def kept(self) -> list[Question]:
        """The questions the teacher did not drop, in order."""
        return [q for n, q in enumerate(self.questions) if n not in self.dropped]


@dataclass
class Quiz:
    """The quiz state of a running bot, kept in `application.bot_data`."""

    settings: Settings
    store: QuizStore
    rounds: dict[int, Round] = field(default_factory=dict)
    plans: dict[int, Plan] = field(default_factory=dict)  # by the teacher's user id
    problems: tuple[str, ...] = ()
    # Answers to polls not recorded yet: Telegram may deliver a vote before sendPoll returns.
    orphans: dict[str, list[tuple[float, User, list[int]]]] = field(default_factory=dict)

    def keep_orphan(self, poll_id: str, user: User, option_ids: list[int]) -> None:
        """Hold an answer to an unknown poll for a while, forgetting old ones."""
        now = time.monotonic()
        for key in [k for k, v in self.orphans.items() if now - v[0][0] > ORPHAN_SECONDS]:
            del self.orphans[key]
        self.orphans.setdefault(poll_id, []).append((now, user, option_ids))

    def take_orphans(self, poll_id: str) -> list[tuple[User, list[int]]]:
        """The held answers to a poll that has just been recorded."""
        return [(user, options) for _, user, options in self.orphans.pop(poll_id, [])]

    def bank(self) -> Bank:
        """The current bank (runs in the database thread); content problems are logged once."""
        bank = load_bank(self.settings, self.store)
        if bank.problems != self.problems:
            self.problems = bank.problems
            for problem in bank.problems:
                logger.error("quiz content: %s", problem)
        return bank

    def pick(self, chat_id: int, topic: str | None, count: int) -> tuple[list[Question], bool]:
        """Questions the chat has not had yet, none giving another away or repeating the ones
        just asked (database thread); True when the topic restarted."""
        bank = self.bank()
        pool = bank.by_topic(topic)
        if not pool:
            return [], False
        # a run of "next" questions is kept free of giveaways; a round only of the last question
        window = self.settings.quiz.max_round if count == 1 else 1
        recent_ids = self.store.recent_questions(chat_id, window)
        recent = [q for q in map(bank.get, recent_ids) if q is not None]
        asked = self.store.asked(chat_id)
        chosen, restarted = build_round(pool, count, random.Random(), asked, recent)
        if restarted:
            self.store.forget_asked(chat_id, [q.id for q in pool])
        return chosen, restarted


def get_quiz(context: Context) -> Quiz:
    """The `Quiz` of the running application."""
    return kept(context.bot_data, Quiz)
