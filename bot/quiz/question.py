"""A quiz question as a Telegram quiz poll shows it, Telegram's limits on it, and its checks.

Generated questions come in three forms: a cloze (a source sentence with a blank, and
«Бос орынға не жазылады?»), a question (the sentence asked about the fact, «… қай жылы
құрылды?») and a statement to judge (the sentence with its fact or a certainly false value,
«Бұл сөйлем дұрыс па?»). A fact that holds "now" in its article names the article's year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from telegram.constants import PollLimit

from bot.quiz.forms import grammar_problems

__all__ = [
    "ASK",
    "BLANK",
    "CLOZE",
    "EXPLANATION_LIMIT",
    "FALSE",
    "OPTION_LIMIT",
    "QUESTION",
    "QUESTION_LIMIT",
    "STATEMENT",
    "TRUE",
    "Question",
    "SourceArticle",
    "ask_line",
    "check",
    "judge_line",
    "title_line",
]

ASK: Final = "Бос орынға не жазылады?"
BLANK: Final = "____"
CLOZE: Final = "cloze"
QUESTION: Final = "question"
STATEMENT: Final = "statement"
TRUE: Final = "Дұрыс"
FALSE: Final = "Қате"
QUESTION_LIMIT: Final = int(PollLimit.MAX_QUESTION_LENGTH)
OPTION_LIMIT: Final = int(PollLimit.MAX_OPTION_LENGTH)
EXPLANATION_LIMIT: Final = int(PollLimit.MAX_EXPLANATION_LENGTH)
EXPLANATION_LINE_FEEDS: Final = int(PollLimit.MAX_EXPLANATION_LINE_FEEDS)
MAX_OPTIONS: Final = int(PollLimit.MAX_OPTION_NUMBER)
_TITLE_ROOM: Final = 70
_ASK_LINE = re.compile(r"(?:(\d{4}) жылғы мақала бойынша б|Б)ос орынға не жазылады\?\n")
_JUDGE_LINE = re.compile(r"(?:(\d{4}) жылғы мақала бойынша б|Б)ұл сөйлем дұрыс па\?\n")


class SourceArticle(Protocol):
    """What generation needs of an article (index.store.StoredArticle has it)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def year(self) -> int | None: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Question:
    """One quiz question, as a Telegram quiz poll shows it."""

    id: str
    topic: str
    question: str
    options: tuple[str, ...]
    correct: int
    source_text: str  # the sentence (generated) or the passage (teacher) it rests on
    article: str
    explanation: str
    origin: str = "generated"  # or "teacher"
    form: str = CLOZE  # a generated question's form: CLOZE, QUESTION or STATEMENT
    fact: str = ""  # the value a generated question turns on (a statement's answer is TRUE)

    def export(self) -> dict[str, object]:
        """The `quiz export --json` contract."""
        return {
            "id": self.id,
            "topic": self.topic,
            "question": self.question,
            "options": list(self.options),
            "correct": self.correct,
            "source_text": self.source_text,
            "article": self.article,
        }

    @property
    def answer(self) -> str:
        """The right option."""
        return self.options[self.correct]


def ask_line(year: int | None) -> str:
    """The line above a cloze: with the article's year when the fact holds "now" in it."""
    return f"{year} жылғы мақала бойынша бос орынға не жазылады?" if year else ASK


def judge_line(year: int | None) -> str:
    """The line above a statement to judge, with the article's year like `ask_line`."""
    return f"{year} жылғы мақала бойынша бұл сөйлем дұрыс па?" if year else "Бұл сөйлем дұрыс па?"


def title_line(article: SourceArticle) -> str:
    """`— Title (year)`, the article named under a quote."""
    title = article.title.strip()
    if len(title) > _TITLE_ROOM:
        title = title[: _TITLE_ROOM - 1].rsplit(" ", 1)[0] + "…"
    return f"— {title} ({article.year})" if article.year else f"— {title}"


def _fits(text: str, limit: int) -> bool:
    return len(text.strip()) > 0 and len(text) <= limit


def _poll_problems(question: Question) -> list[str]:
    problems = []
    if not _fits(question.question, QUESTION_LIMIT):
        problems.append(f"the question must have 1-{QUESTION_LIMIT} characters")
    if not 2 <= len(question.options) <= MAX_OPTIONS:
        problems.append(f"a question needs 2-{MAX_OPTIONS} options")
    for option in question.options:
        if not _fits(option, OPTION_LIMIT):
            problems.append(f"option {option!r} must have 1-{OPTION_LIMIT} characters")
    folded = [o.strip().casefold() for o in question.options]
    if len(set(folded)) != len(folded):
        problems.append("two options are the same")
    if not 0 <= question.correct < len(question.options):
        problems.append("the right option is not one of the options")
    if len(question.explanation) > EXPLANATION_LIMIT:
        problems.append(f"the explanation must have at most {EXPLANATION_LIMIT} characters")
    if question.explanation.count("\n") > EXPLANATION_LINE_FEEDS:
        problems.append(f"the explanation may have at most {EXPLANATION_LINE_FEEDS} line feeds")
    if re.search(r"\[\d+\]", question.question + "".join(question.options)):
        problems.append("a citation mark such as [5] is shown to students")
    return problems


def _cloze_problems(question: Question, article_texts: Sequence[str]) -> list[str]:
    problems = []
    right = question.answer
    ask = _ASK_LINE.match(question.question)
    cloze = question.question[ask.end() if ask else 0 :].strip("…")
    if ask is None or question.question.count(BLANK) != 1:
        problems.append("a cloze has its ask line and exactly one blank")
    elif cloze.replace(BLANK, right) not in question.source_text:
        problems.append("the right option does not fill the blank as the source says")
    for n, option in enumerate(question.options):
        if n == question.correct:
            continue
        if option in question.source_text:
            problems.append(f"wrong option {option!r} is in the source sentence")
        if ask is not None and any(cloze.replace(BLANK, option) in t for t in article_texts):
            problems.append(f"wrong option {option!r} is true in an article")
    return problems


def _statement_problems(question: Question, article_texts: Sequence[str]) -> list[str]:
    line = _JUDGE_LINE.match(question.question)
    said = question.question[line.end() if line else 0 :]
    if line is None or question.options != (TRUE, FALSE):
        return [f"a statement has its judge line and the options {TRUE!r}, {FALSE!r}"]
    if question.correct == 0 and said != question.source_text:
        return ["a true statement is its source sentence"]
    if question.correct == 1 and any(said in text for text in article_texts):
        return ["a false statement is said by an article"]
    return []


def check(question: Question, article_texts: Sequence[str] = ()) -> list[str]:
    """What is wrong with a question (empty when nothing): Telegram's limits, one right answer,
    distinct options, no citation marks; for a generated cloze also that the right answer is
    the one in the source and that no wrong option, put in the blank, gives a sentence found in
    `article_texts`; a statement is its source (true) or said by no article (false); a
    generated question must read as one (`forms.grammar_problems`)."""
    problems = _poll_problems(question)
    if problems or question.origin != "generated":
        return problems
    if question.form == CLOZE:
        return _cloze_problems(question, article_texts)
    if question.form == STATEMENT:
        return _statement_problems(question, article_texts)
    return grammar_problems(question.question)
