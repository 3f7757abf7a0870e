"""The bank as the bot and `quiz export` use it: generated from the articles stored by the
last index build, cached (in SQLite, by `QuizStore`) per set of article versions, plus the
teachers' questions (which replace a generated question on the same fact), minus the
questions a moderator switched off."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from bot.config import Settings
from bot.quiz.generator import GENERATOR_VERSION, generate, same_fact
from bot.quiz.question import Question
from bot.quiz.teacher import read_disabled, read_teacher_questions
from bot.quiz.topics import TOPICS
from index.store import Store, StoredArticle
from index.tokens import lexical_tokens

log = logging.getLogger(__name__)

__all__ = ["Bank", "BankCache", "bank_key", "load_bank"]


class BankCache(Protocol):
    """Where generated banks are kept between runs (bot.quiz.store.QuizStore)."""

    def cached_bank(self, key: str) -> list[Question] | None: ...

    def save_bank(self, key: str, questions: Iterable[Question]) -> None: ...


@dataclass(frozen=True)
class Bank:
    """Every question a chat may be asked, and the problems found in the content files."""

    questions: tuple[Question, ...]
    key: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)

    def by_topic(self, topic: str | None) -> list[Question]:
        """The questions of one topic, or all of them."""
        return [q for q in self.questions if topic is None or q.topic == topic]

    def sizes(self) -> dict[str, int]:
        """How many questions each topic has (every topic listed)."""
        counts = Counter(q.topic for q in self.questions)
        return {topic: counts.get(topic, 0) for topic in TOPICS}

    def get(self, question_id: str) -> Question | None:
        """A question by id."""
        return next((q for q in self.questions if q.id == question_id), None)


def bank_key(articles: list[StoredArticle]) -> str:
    """Identifies the generated bank of these article versions."""
    raw = "|".join([GENERATOR_VERSION, *(f"{a.id}:{a.content_hash}" for a in articles)])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def stored_articles(settings: Settings) -> list[StoredArticle]:
    """The current articles as the last index build stored them (repaired text)."""
    store = Store(settings.db_path)
    try:
        return store.articles()
    finally:
        store.close()


def asked_by(question: Question, teacher: list[Question]) -> bool:
    """Whether a teacher asks the same fact (the same value, the same words around it): the
    teacher's wording is kept and the generated twin left out, so the bank asks it once."""
    stems = frozenset(lexical_tokens(question.source_text))
    return any(
        same_fact(question, stems, t, frozenset(lexical_tokens(t.source_text))) for t in teacher
    )


def load_bank(settings: Settings, quiz_store: BankCache) -> Bank:
    """The bank for the articles stored now; generated only when they changed since last time."""
    articles = stored_articles(settings)
    key = bank_key(articles)
    generated = quiz_store.cached_bank(key)
    if generated is None:
        generated = generate(articles)
        quiz_store.save_bank(key, generated)
        log.info("quiz bank generated: %d questions", len(generated))
    teacher, problems = read_teacher_questions(settings.quiz_dir, {a.id: a for a in articles})
    disabled, disabled_problems = read_disabled(settings.quiz_dir)
    generated = [q for q in generated if not asked_by(q, teacher)]
    questions = tuple(q for q in [*generated, *teacher] if q.id not in disabled)
    for problem in (*problems, *disabled_problems):
        log.error("quiz content: %s", problem)
    return Bank(questions, key, tuple(problems + disabled_problems))
