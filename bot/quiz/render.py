"""Everything a quiz player reads, put together from bot/quiz/texts.py (HTML where the texts
say so, every inserted name escaped)."""

from __future__ import annotations

from html import escape

from bot.quiz import texts
from bot.quiz.standings import mark, places
from bot.quiz.store import Score
from bot.quiz.topics import ALL, TOPIC_NAMES
from bot.telegram.texts import pick


def round_start(topic: str | None, count: int, seconds: int, lang: str) -> str:
    """The announcement of a class round (HTML)."""
    return pick(texts.ROUND_START, lang).format(
        topic=escape(pick(TOPIC_NAMES[topic or ALL], lang)), count=count, seconds=seconds
    )


def round_end(scores: list[Score], total: int, lang: str) -> str:
    """A finished round's leaderboard, medals first, ties sharing a place (HTML)."""
    lines = [pick(texts.ROUND_END, lang)]
    for place, score in zip(places(scores, lambda s: s.correct), scores, strict=True):
        lines.append(
            texts.ROUND_LINE.format(
                medal=mark(place, score.correct),
                name=escape(score.name),
                correct=score.correct,
                total=total,
            )
        )
    if not scores:
        lines.append(pick(texts.ROUND_NOBODY, lang))
    lines.append(pick(texts.ROUND_FOOTER, lang))
    return "\n".join(lines)


def leaderboard(scores: list[Score], lang: str) -> str:
    """/top: the chat's best players, ties sharing a place (HTML)."""
    lines = [pick(texts.TOP_HEADER, lang)]
    for place, score in zip(places(scores, lambda s: (s.correct, s.answered)), scores, strict=True):
        lines.append(
            pick(texts.TOP_LINE, lang).format(
                place=place, name=escape(score.name), correct=score.correct, answered=score.answered
            )
        )
    return "\n".join(lines)


def my_score(name: str, score: Score, place: int, lang: str) -> str:
    """/myscore: a player's own score and place (plain text)."""
    return pick(texts.MY_SCORE, lang).format(
        name=name, correct=score.correct, answered=score.answered, place=place
    )
