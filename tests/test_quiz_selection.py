"""Rounds without giveaways: over 100 seeded rounds of every topic, and the run of "next"
questions; the checks here are written apart from the builder's own, so either can catch the
other out."""

from __future__ import annotations

import random
import re

import pytest

from bot.quiz.generator import generate
from bot.quiz.question import Question
from bot.quiz.selection import build_round, clash, clashes
from bot.quiz.teacher import read_teacher_questions
from bot.quiz.topics import TOPICS
from tests.quiz_support import ROOT, seed_articles

ROUND = 10


@pytest.fixture(scope="module")
def bank() -> list[Question]:
    articles = {a.id: a for a in seed_articles()}
    teacher, problems = read_teacher_questions(ROOT / "content" / "quizzes", articles)
    assert not problems
    return [*generate(seed_articles()), *teacher]


def gives_away(a: Question, b: Question) -> bool:
    """Whether b's text (question and options) shows a's right answer: its number (with the
    month of a date), a document's name or a teacher's answer whole, or the stem of its longest
    word (a surname)."""
    shown = " ".join((b.question, *b.options)).lower()
    answer = (a.fact or a.answer).lower()  # a statement turns on its fact
    number = re.search(r"\d+", answer)
    if number:
        month = re.search(r"\d+ ([а-яәғқңөұүһі]{4})", answer)
        tail = rf"\S* {month[1]}" if month else ""
        return re.search(rf"(?<!\d){number[0]}(?!\d){tail}", shown) is not None
    if answer[:1] in '«"' or a.origin == "teacher":  # a document's name, a teacher's phrase:
        whole = re.escape(answer.strip('«»"'))  # shown whole (its words are the topic's own)
        return re.search(rf"(?<!\w){whole}(?!\w)", shown) is not None
    word = max(re.findall(r"[а-яәғқңөұүһі]+", answer) or [""], key=len)
    return len(word) >= 6 and word[:6] in shown


def same_source(a: Question, b: Question) -> bool:
    return a.source_text in b.source_text or b.source_text in a.source_text


def bad_pairs(questions: list[Question]) -> list[tuple[str, str]]:
    return [
        (a.question, b.question)
        for i, a in enumerate(questions)
        for b in questions[i + 1 :]
        if same_source(a, b) or gives_away(a, b) or gives_away(b, a)
    ]


@pytest.mark.parametrize("topic", [*TOPICS, None])
def test_100_seeded_rounds_hold_no_giveaway(bank: list[Question], topic: str | None) -> None:
    pool = [q for q in bank if topic is None or q.topic == topic]
    sizes = []
    for seed in range(1, 101):
        chosen, restarted = build_round(pool, ROUND, random.Random(seed))
        assert not restarted and len({q.id for q in chosen}) == len(chosen)
        assert not bad_pairs(chosen), (seed, bad_pairs(chosen))
        assert not clashes(chosen)
        sizes.append(len(chosen))
    # A topic of the seeds holds few facts that do not show each other (history: the founding
    # year and day; law: the 2007 reform, the 2008 law, the 2011 decree, the deputies): its
    # rounds are short, never empty.
    assert min(sizes) >= (ROUND if topic is None else 1), sizes
    again, _ = build_round(pool, ROUND, random.Random(7))
    assert again == build_round(pool, ROUND, random.Random(7))[0]  # the same seed, the same round


def test_the_bank_has_pairs_that_would_give_each_other_away(bank: list[Question]) -> None:
    # The rule has work to do: without it rounds would show answers (what the issue found).
    pairs = [(a, b) for a in bank for b in bank if a.id < b.id and gives_away(a, b)]
    assert len(pairs) >= 20
    assert all(clash(a, b) for a, b in pairs)


def test_a_run_of_next_questions_never_follows_a_question_with_its_giveaway(
    bank: list[Question],
) -> None:
    for topic in [*TOPICS, None]:
        pool = [q for q in bank if topic is None or q.topic == topic]
        asked: set[str] = set()
        run: list[Question] = []
        for n in range(len(pool) * 2):
            recent = run[::-1][:20]
            (question,), restarted = build_round(pool, 1, random.Random(n), asked, recent)
            if restarted:
                assert len(asked) >= len(pool) // 2, "a topic starts over only when used up"
                asked = set()
            assert question.id not in asked
            if run and any(not bad_pairs([run[-1], q]) for q in pool if q is not run[-1]):
                # (a topic whose every question shows another's answer cannot avoid it)
                assert not bad_pairs([run[-1], question]), (run[-1].question, question.question)
            asked.add(question.id)
            run.append(question)


def test_after_the_topic_starts_over_the_question_just_answered_is_not_next(
    bank: list[Question],
) -> None:
    pool = [q for q in bank if q.topic == "law"]
    for seed in range(50):
        last = pool[seed % len(pool)]
        chosen, restarted = build_round(
            pool, 3, random.Random(seed), asked={q.id for q in pool}, recent=[last]
        )
        assert restarted and last not in chosen and len(chosen) == 3
        assert not any(clash(last, q) for q in chosen)


def test_a_pool_of_one_question_still_gives_it() -> None:
    (one,) = generate(seed_articles())[:1]
    assert build_round([one], 5, random.Random(1), asked={one.id}, recent=[one]) == ([one], True)
