"""Teachers' question files, switched-off questions, the bank cache and `quiz export`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.config import Settings
from bot.quiz.bank import load_bank
from bot.quiz.quality import STEM_LIMIT, stem_of, stem_problems
from bot.quiz.question import check
from bot.quiz.store import QuizStore
from bot.quiz.teacher import read_disabled, read_teacher_questions
from bot.quiz.topics import TOPICS
from tests.moderation_support import write_config
from tests.quiz_support import ROOT, seed_articles, store_articles

EXAMPLE = ROOT / "content" / "quizzes" / "example.txt"
GOOD = """\
# a comment
тақырып: тарих
сұрақ: Ассамблея қай жылы құрылды?
- 1992 жылы
+ 1995 жылы
- 2007 жылы
мақала: assembly-role-in-society
дәйексөз: Қазақстан халқы Ассамблеясы - 1995 жылғы 1 наурызда Қазақстан Республикасының
"""


def articles() -> dict[str, object]:
    return {a.id: a for a in seed_articles()}


def write(folder: Path, text: str, name: str = "class.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_question_files_are_valid() -> None:
    questions, problems = read_teacher_questions(EXAMPLE.parent, articles())  # type: ignore[arg-type]
    assert not problems
    assert len(questions) >= 144  # example.txt 2, seeds.txt 142
    for q in questions:
        assert q.origin == "teacher" and q.id.startswith("t-") and not check(q)
        assert q.explanation.startswith("«") and len(q.explanation) <= 200


def whole(text: str) -> str:
    return rf"(?<!\w){re.escape(text)}(?!\w)"


def test_the_written_questions_keep_a_strict_teachers_rules() -> None:
    found = articles()
    questions, _ = read_teacher_questions(EXAMPLE.parent, found)  # type: ignore[arg-type]
    for q in questions:
        stem = stem_of(q.question)
        assert not stem_problems(stem), (q.question, stem_problems(stem))
        assert len(stem) <= STEM_LIMIT, q.question
        assert len(q.options) == 4, q.question  # one right, three wrong
        folded = [o.casefold() for o in q.options]  # no option holds another (as a whole word)
        inside = [(a, b) for a in folded for b in folded if a != b and re.search(whole(a), b)]
        assert not inside, q.question
        # a fact about "now" is framed with the year of the article it is quoted from
        framed = re.match(r"(\d{4}) жылғы мақала бойынша", q.question)
        if framed:
            assert int(framed[1]) == found[q.article].year, q.question  # type: ignore[attr-defined]
    assert len({(q.source_text, q.answer) for q in questions}) == len(questions)  # a fact once


def test_a_good_question_is_read_with_its_right_option(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    (q,), problems = read_teacher_questions(tmp_path, articles())  # type: ignore[arg-type]
    assert not problems
    assert q.topic == "history" and q.options[q.correct] == "1995 жылы"
    assert q.article == "assembly-role-in-society"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("- 1992 жылы", "+ 1992 жылы"), "mark exactly one right option"),
        (("тақырып: тарих", "тақырып: спорт"), "unknown topic 'спорт'"),
        (("мақала: assembly-role-in-society", "мақала: no-such"), "no article 'no-such'"),
        (("дәйексөз: Қазақстан", "дәйексөз: Ойдан шығарылған"), "the quote is not in article"),
        (("сұрақ:", "сурак:"), "expected '+ option'"),
        (("- 2007 жылы", "- " + "ұзын " * 30), "must have 1-100 characters"),
        (("- 2007 жылы", "- 1995 жылы"), "two options are the same"),
    ],
)
def test_problems_name_the_file_and_line(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    questions, problems = read_teacher_questions(tmp_path, articles())  # type: ignore[arg-type]
    assert questions == []
    assert problems and all(p.startswith(f"{path}:") for p in problems)
    assert any(message in p for p in problems), problems


def test_disabled_ids_are_read_and_bad_lines_reported(tmp_path: Path) -> None:
    write(tmp_path, "g-0123456789  # wrong year\n\nnot-an-id\n", "disabled.txt")
    ids, problems = read_disabled(tmp_path)
    assert ids == {"g-0123456789"}
    assert len(problems) == 1 and ":3:" in problems[0]


def test_the_bank_is_cached_per_article_versions_and_applies_teachers_and_moderators(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content" / "articles"
    shutil.copytree(ROOT / "content" / "articles", content)
    settings = Settings(
        content_dir=content,
        data_dir=tmp_path / "var",
        model=None,  # type: ignore[arg-type]
        chunking=None,  # type: ignore[arg-type]
        search=None,  # type: ignore[arg-type]
        telegram=None,  # type: ignore[arg-type]
    )
    store_articles(settings.db_path, content)
    quiz_store = QuizStore(settings.db_path)
    bank = load_bank(settings, quiz_store)
    assert quiz_store.cached_bank(bank.key) == list(bank.questions)
    generated = bank.questions[0]

    write(settings.quiz_dir, GOOD)
    write(settings.quiz_dir, f"{generated.id}  # a bad question\n", "disabled.txt")
    bank = load_bank(settings, quiz_store)
    assert bank.get(generated.id) is None
    assert any(q.origin == "teacher" for q in bank.questions) and not bank.problems

    edited = content / "assembly-quarter-century.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n2019 жылы 7 мектеп ашылды.\n")
    store_articles(settings.db_path, content)
    assert load_bank(settings, quiz_store).key != bank.key
    quiz_store.close()


def test_quiz_export_prints_the_whole_bank_as_json(settings: Settings, engine) -> None:  # type: ignore[no-untyped-def]
    config = write_config(settings, settings.data_dir / "quiz-config.toml")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "quiz", "export", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    # The generated ones (6 after the teachers' twins and the switched-off) and the teachers'
    # (content/quizzes: 2 in example.txt, 142 in seeds.txt) together: 150, at least 30 a topic.
    assert len(rows) >= 150
    topics = Counter(row["topic"] for row in rows)
    assert set(topics) == set(TOPICS) and min(topics.values()) >= 30, topics
    for row in rows:
        assert list(row) == [
            "id",
            "topic",
            "question",
            "options",
            "correct",
            "source_text",
            "article",
        ]
        assert 0 <= row["correct"] < len(row["options"])
    assert "questions: law" in result.stderr

    def round_(seed: int) -> list[dict[str, object]]:
        command = ["quiz", "round", "--topic", "law", "--questions", "4", "--seed", str(seed)]
        return [json.loads(line) for line in run(*command, "--json").splitlines()]

    def run(*command: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--config", str(config), *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
            check=True,
        )
        return done.stdout

    first = round_(5)
    assert first == round_(5) and first != round_(6)  # the same seed, the same round
    assert len(first) == 4 and all(row in rows for row in first)
    assert {row["topic"] for row in first} == {"law"}

    sample = run("quiz", "sample", "--per-form", "1")
    headings = [line for line in sample.splitlines() if line.startswith("## ")]
    # three generated forms and the teachers' questions, one of each, the right one marked; the
    # statements to judge are all switched off (content/quizzes/disabled.txt), so none is shown
    assert len(headings) == 4, headings
    assert [line for line in headings if "(1 / " not in line] == ["## Дұрыс па, қате ме? (0 / 0)"]
    shown = [row for row in rows if f". {row['question']}\n" in sample]
    assert len(shown) == 3 and sample.count("✓") == 3
