"""Everything a quiz player reads, put together from bot/quiz/texts.py (HTML where the texts
say so, every inserted name escaped)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from html import escape

from bot.quiz import texts
from bot.quiz.question import Question
from bot.quiz.standings import mark, places
from bot.quiz.store import Results, Score
from bot.quiz.topics import ALL, TOPIC_NAMES
from bot.telegram.texts import KK, pick


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


def plan_header(chat: str, topic: str | None, count: int, lang: str) -> str:
    """The first message of a teacher's preview of a round for the chat titled `chat` (HTML)."""
    return pick(texts.PLAN_HEADER, lang).format(
        chat=escape(chat), topic=escape(pick(TOPIC_NAMES[topic or ALL], lang)), count=count
    )


def plan_question(number: int, question: Question) -> str:
    """One question of a preview, its right option marked (HTML; within a message's limit:
    a question and its options are within a poll's)."""
    options = [
        f"{texts.PLAN_RIGHT if n == question.correct else texts.PLAN_WRONG} {escape(option)}"
        for n, option in enumerate(question.options)
    ]
    return "\n".join([f"<b>{number}.</b> {escape(question.question)}", *options])


def plan_dropped(number: int, question: Question, lang: str) -> str:
    """A question the teacher dropped from the preview (HTML)."""
    return f"<s>{number}. {escape(question.question)}</s>\n{pick(texts.DROPPED, lang)}"


def results_csv(results: Results, lang: str) -> bytes:
    """A round's results as a CSV file a spreadsheet opens (UTF-8 with a byte order mark): a
    line per player and question, players best first; unanswered questions left blank."""
    yes, no = pick(texts.CSV_YES, lang), pick(texts.CSV_NO, lang)
    total = len(results.questions)
    players: dict[int, str] = {}
    for answer in results.answers:
        players.setdefault(answer.user_id, _cell(answer.name))
    given = {(a.user_id, a.question): a for a in results.answers}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(texts.CSV_HEADER.get(lang, texts.CSV_HEADER[KK]))
    for user_id, name in players.items():
        score = sum(a.correct for a in results.answers if a.user_id == user_id)
        for n, question in enumerate(results.questions):
            right = question.options[question.correct]
            if (user_id, n) not in given:
                writer.writerow([name, f"{score}/{total}", n + 1, question.question, "", right])
                continue
            answer = given[user_id, n]
            chosen = question.options[answer.option] if answer.option is not None else ""
            seconds = "" if answer.seconds is None else round(answer.seconds)
            when = datetime.fromisoformat(answer.answered_at).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow(
                [
                    name,
                    f"{score}/{total}",
                    n + 1,
                    question.question,
                    chosen,
                    right,
                    yes if answer.correct else no,
                    when,
                    seconds,
                ]
            )
    return out.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    """A player's name as a cell a spreadsheet does not run as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
