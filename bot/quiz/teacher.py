"""Questions written by teachers and moderators in `content/quizzes/*.txt`, and the list of
generated questions a moderator switched off (`content/quizzes/disabled.txt`).

A question file holds questions separated by blank lines; `#` starts a comment line:

    тақырып: history
    сұрақ: Қазақстан халқы Ассамблеясы қай жылы құрылды?
    + 1995 жылы
    - 1992 жылы
    - 2007 жылы
    мақала: assembly-role-in-society
    дәйексөз: Қазақстан халқы Ассамблеясы - 1995 жылғы 1 наурызда ... құрылды.

`+` marks the one right option, `-` a wrong one. `тақырып` (topic) is one of law, culture,
history, society (or заң, мәдениет, тарих, қоғам); `мақала` is an article id, and `дәйексөз`
(quote) a passage of that article, which the poll's explanation quotes. Every problem is
reported with its file and line; a file with problems adds none of its questions.

`disabled.txt` lists question ids, one a line, each optionally followed by `# why`.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from bot.quiz.question import EXPLANATION_LIMIT, Question, SourceArticle, check, title_line
from bot.quiz.topics import TOPIC_WORDS, TOPICS, topic_named
from index.normalize import fix_homoglyphs

__all__ = [
    "DISABLED_FILE",
    "QuizFileError",
    "disable_question",
    "read_disabled",
    "read_teacher_questions",
]

DISABLED_FILE: Final = "disabled.txt"
_KEYS: Final = {
    "тақырып": "topic",
    "сұрақ": "question",
    "мақала": "article",
    "дәйексөз": "quote",
}
_ID_RE = re.compile(r"[gt]-[0-9a-f]{10}")


@dataclass
class QuizFileError(ValueError):
    """Problems in the quiz content files, each naming its file and line."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.problems)


def _squash(text: str) -> str:
    return " ".join(fix_homoglyphs(text)[0].split())


def quote_explanation(quote: str, article: SourceArticle) -> str:
    """A teacher question's explanation: its quote (cut at a word if long) and the article."""
    title = title_line(article)
    room = EXPLANATION_LIMIT - len(title) - len("«…»\n")
    text = quote if len(quote) <= room else quote[:room].rsplit(" ", 1)[0] + "…"
    return f"«{text}»\n{title}"


def _block_question(
    block: list[tuple[int, str]], where: str, articles: Mapping[str, SourceArticle]
) -> tuple[Question | None, list[str]]:
    fields: dict[str, str] = {}
    options: list[tuple[bool, str]] = []
    problems: list[str] = []
    for number, line in block:
        if line[:1] in "+-":
            options.append((line[0] == "+", line[1:].strip()))
            continue
        key, sep, value = line.partition(":")
        name = _KEYS.get(key.strip().lower())
        if not sep or name is None:
            problems.append(
                f"{where}:{number}: expected '+ option', '- option' or one of"
                f" {', '.join(k + ':' for k in _KEYS)}, not {line!r}"
            )
        elif name in fields:
            problems.append(f"{where}:{number}: '{key.strip()}:' is given twice")
        else:
            fields[name] = value.strip()
    first = block[0][0]
    missing = [k for k, name in _KEYS.items() if not fields.get(name)]
    if missing:
        problems.append(f"{where}:{first}: the question needs {', '.join(missing)}")
    if sum(right for right, _ in options) != 1:
        problems.append(f"{where}:{first}: mark exactly one right option with '+'")
    if problems:
        return None, problems
    topic = topic_named(fields["topic"])
    if topic is None:
        problems.append(
            f"{where}:{first}: unknown topic {fields['topic']!r};"
            f" use one of {', '.join(TOPIC_WORDS[t][0] for t in TOPICS)} (or {', '.join(TOPICS)})"
        )
    article = articles.get(fields["article"])
    if article is None:
        problems.append(f"{where}:{first}: no article {fields['article']!r} in content/articles")
    elif _squash(fields["quote"]) not in _squash(article.text):
        problems.append(
            f"{where}:{first}: the quote is not in article {fields['article']!r};"
            " copy it exactly from the article"
        )
    if problems or topic is None or article is None:
        return None, problems
    random.Random(fields["question"]).shuffle(options)  # the right one is not always first
    texts = [text for _, text in options]
    question = Question(
        id="t-" + hashlib.sha1(fields["question"].encode()).hexdigest()[:10],
        topic=topic,
        question=fields["question"],
        options=tuple(texts),
        correct=next(n for n, (right, _) in enumerate(options) if right),
        source_text=fields["quote"],
        article=article.id,
        explanation=quote_explanation(fields["quote"], article),
        origin="teacher",
    )
    return question, [f"{where}:{first}: {p}" for p in check(question)]


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((number, line))
    return [b for b in blocks if b]


def read_teacher_questions(
    folder: Path, articles: Mapping[str, SourceArticle]
) -> tuple[list[Question], list[str]]:
    """The valid questions of every `*.txt` file but disabled.txt, and every problem found."""
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        if path.name == DISABLED_FILE:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot be read as UTF-8 text ({exc})")
            continue
        found, file_problems = [], []
        for block in _blocks(text):
            question, block_problems = _block_question(block, str(path), articles)
            file_problems += block_problems
            if question is None:
                continue
            if question.id in seen:
                file_problems.append(
                    f"{path}:{block[0][0]}: the same question is already in {seen[question.id]}"
                )
                continue
            seen[question.id] = f"{path}:{block[0][0]}"
            found.append(question)
        problems += file_problems
        if not file_problems:
            questions += found
    return questions, problems


def read_disabled(folder: Path) -> tuple[set[str], list[str]]:
    """Ids of switched-off questions, and the lines that are not ids."""
    path = folder / DISABLED_FILE
    if not path.exists():
        return set(), []
    ids, problems = set(), []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if _ID_RE.fullmatch(line):
            ids.add(line)
        else:
            problems.append(f"{path}:{number}: {line!r} is not a question id such as g-0123456789")
    return ids, problems


def disable_question(folder: Path, question_id: str, reason: str = "") -> Path:
    """Switch a question off for good (`quiz disable`, a teacher's button): its id goes to
    disabled.txt with the reason as a comment; the file's path."""
    path = folder / DISABLED_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    reason = " ".join(reason.split())
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{question_id}  # {reason}\n" if reason else f"{question_id}\n")
    return path
