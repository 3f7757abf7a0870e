"""Rounds without giveaways: which questions may be asked together, and the round builder.

Two questions clash when they rest on the same or overlapping source text (one contains the
other, or they share most of their content words: the same fact restated), or when either
one's text, question or options, shows the other's right answer. A round, and a run of "next"
questions (the chat's recent questions), never holds two questions that clash. This holds for
teachers' questions too: a clash is found from the texts, not from how a question was made.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

from bot.quiz.facts import GENERIC
from bot.quiz.question import Question
from index.tokens import lexical_tokens

__all__ = ["build_round", "clash", "clashes"]

_OVERLAP: Final = 0.5  # shared content words (Jaccard) that make two sources one
_DISTINCT: Final = 4  # a word of the answer this long, not a generic one, names it
_TRIES: Final = 20  # shuffled picks tried for the fullest round
_FILLER: Final = frozenset(lexical_tokens("жыл жылы жылғы туралы"))


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(lexical_tokens(text))


def _shown(question: Question) -> tuple[str, ...]:
    """Every token a student sees: the question and all its options."""
    return _tokens(" ".join((question.question, *question.options)))


def _runs(tokens: Sequence[str], run: Sequence[str]) -> bool:
    n = len(run)
    return any(tuple(tokens[i : i + n]) == tuple(run) for i in range(len(tokens) - n + 1))


def _answer_shown(answer: str, shown: Sequence[str], text: str) -> bool:
    """Whether a right answer can be read in another question's tokens: its numbers and words
    in a row (`1 наурызда` in `1 наурызында`), or any telling word of it (a surname)."""
    tokens = [t for t in _tokens(answer) if t not in _FILLER]
    if not tokens:
        return False
    if any(t.isdigit() for t in tokens):
        return _runs(shown, tokens)
    telling = [t for t in tokens if len(t) >= _DISTINCT and t not in GENERIC]
    if telling:
        return any(t in shown for t in telling)
    return answer.strip('«»"').casefold() in text.casefold()


def _same_source(a: Question, b: Question) -> bool:
    if a.source_text in b.source_text or b.source_text in a.source_text:
        return True
    x, y = set(_tokens(a.source_text)) - GENERIC, set(_tokens(b.source_text)) - GENERIC
    return len(x & y) >= _OVERLAP * max(1, len(x | y))


def clash(a: Question, b: Question) -> bool:
    """Whether two questions may not be asked in one round (see the module's docstring)."""
    if a.id == b.id or _same_source(a, b):
        return True
    a_text = " ".join((a.question, *a.options))
    b_text = " ".join((b.question, *b.options))
    a_key, b_key = a.fact or a.answer, b.fact or b.answer  # a statement turns on its fact
    return _answer_shown(a_key, _shown(b), b_text) or _answer_shown(b_key, _shown(a), a_text)


def clashes(questions: Sequence[Question]) -> list[tuple[Question, Question]]:
    """Every pair of questions in a round that clash (empty for a good round)."""
    return [(a, b) for i, a in enumerate(questions) for b in questions[i + 1 :] if clash(a, b)]


def _fill(
    chosen: list[Question], candidates: Iterable[Question], count: int, recent: Sequence[Question]
) -> None:
    for question in candidates:
        if len(chosen) == count:
            return
        if not any(clash(question, other) for other in (*recent, *chosen)):
            chosen.append(question)


def _largest(
    candidates: Sequence[Question], count: int, rng: random.Random, recent: Sequence[Question]
) -> list[Question]:
    """The fullest of a few shuffled greedy picks: one unlucky first pick (a question that
    clashes with many) should not cut a round short."""
    best: list[Question] = []
    for _ in range(_TRIES):
        order = list(candidates)
        rng.shuffle(order)
        chosen: list[Question] = []
        _fill(chosen, order, count, recent)
        if len(chosen) > len(best):
            best = chosen
        if len(best) >= min(count, len(candidates)):
            break
    return best


def build_round(
    pool: Sequence[Question],
    count: int,
    rng: random.Random,
    asked: Iterable[str] = (),
    recent: Sequence[Question] = (),
) -> tuple[list[Question], bool]:
    """Up to `count` questions of `pool` that clash neither with each other nor with `recent`
    (the chat's last questions, newest first), those not `asked` yet first; True when it had
    to take asked ones again (the topic starts over). When no fresh question fits beside all
    of `recent`, the oldest of them are let go, but never the one just asked."""
    done = set(asked)
    fresh = [q for q in pool if q.id not in done]
    rest = [q for q in pool if q.id in done]
    rng.shuffle(rest)
    window = list(recent)
    while True:
        chosen = _largest(fresh, count, rng, window)
        if chosen or len(window) <= 1:
            break
        window.pop()
    before = len(chosen)
    _fill(chosen, rest, count, window)
    if not chosen:  # every question clashes with the last one: any other will do
        chosen = [q for q in pool if not recent or q.id != recent[0].id][:1] or list(pool[:1])
    return chosen, any(q.id in done for q in chosen[before:])
