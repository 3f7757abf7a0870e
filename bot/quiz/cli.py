"""`python -m bot quiz ...`: print the question bank, a round or a sample of each form, switch a
bad question off."""

from __future__ import annotations

import argparse
import json
import random
import sys
from typing import Any, Final

from bot.config import Settings
from bot.quiz.bank import Bank, load_bank
from bot.quiz.question import CLOZE, QUESTION, STATEMENT, Question
from bot.quiz.selection import build_round
from bot.quiz.store import QuizStore
from bot.quiz.teacher import disable_question
from bot.quiz.topics import TOPICS


def _bank(settings: Settings) -> Bank:
    """The bank over an up-to-date index (built first when the articles changed)."""
    from bot.runtime import build_index, open_store

    store = open_store(settings)
    try:
        build_index(settings, store, progress=False)
    finally:
        store.close()
    quiz_store = QuizStore(settings.db_path)
    try:
        return load_bank(settings, quiz_store)
    finally:
        quiz_store.close()


def _report(bank: Bank) -> None:
    for problem in bank.problems:
        print(f"quiz: {problem}", file=sys.stderr)


def _print(questions: list[Question], as_json: bool) -> None:
    for q in questions:
        if as_json:
            print(json.dumps(q.export(), ensure_ascii=False))
        else:
            options = "\n".join(
                f"  {'*' if n == q.correct else '-'} {o}" for n, o in enumerate(q.options)
            )
            print(f"[{q.id}] ({q.topic})\n{q.question}\n{options}\n")


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    """Print the whole bank, one JSON object a line (or a readable list without --json)."""
    bank = _bank(settings)
    _report(bank)
    _print(list(bank.questions), args.json)
    sizes = ", ".join(f"{topic} {n}" for topic, n in bank.sizes().items())
    print(f"{len(bank.questions)} questions: {sizes}", file=sys.stderr)
    return 2 if bank.problems else 0


def cmd_round(settings: Settings, args: argparse.Namespace) -> int:
    """Print the round the bot would ask a chat that has had no questions yet, in order; the
    same seed gives the same round."""
    bank = _bank(settings)
    _report(bank)
    chosen, _ = build_round(bank.by_topic(args.topic), args.questions, random.Random(args.seed))
    _print(chosen, args.json)
    return 0 if chosen else 2


FORM_NAMES: Final = {
    QUESTION: "Сұрақтар",
    CLOZE: "Бос орынды толтыру",
    STATEMENT: "Дұрыс па, қате ме?",
}
WRITTEN: Final = "Мұғалімдер жазған сұрақтар"  # content/quizzes/*.txt


def as_students_see(question: Question, number: int) -> str:
    """A question as its poll shows it: the text, the options lettered, the right one marked."""
    letters = "ABCDEFGHIJ"
    options = "\n".join(
        f"   {letters[n]}) {o}{'   ✓' if n == question.correct else ''}"
        for n, o in enumerate(question.options)
    )
    return f"{number}. {question.question}\n{options}"


def cmd_sample(settings: Settings, args: argparse.Namespace) -> int:
    """Print up to --per-form questions of each generated form and of the teachers' questions,
    picked by --seed, as students see them (what a teacher, or an issue's closing note, shows of
    the bank)."""
    bank = _bank(settings)
    _report(bank)
    rng = random.Random(args.seed)
    pools = [
        (name, [q for q in bank.questions if q.origin == "generated" and q.form == form])
        for form, name in FORM_NAMES.items()
    ]
    pools.append((WRITTEN, [q for q in bank.questions if q.origin == "teacher"]))
    for name, pool in pools:
        chosen = rng.sample(pool, min(args.per_form, len(pool)))
        print(f"## {name} ({len(chosen)} / {len(pool)})\n")
        print("\n\n".join(as_students_see(q, n) for n, q in enumerate(chosen, 1)), end="\n\n")
    return 0


def cmd_disable(settings: Settings, args: argparse.Namespace) -> int:
    """Switch a question off by adding its id to content/quizzes/disabled.txt."""
    bank = _bank(settings)
    if bank.get(args.id) is None:
        print(
            f"quiz: no question {args.id!r} in the bank (see python -m bot quiz export)",
            file=sys.stderr,
        )
        return 2
    path = disable_question(settings.quiz_dir, args.id, " ".join(args.reason))
    print(f"{args.id} switched off in {path}")
    return 0


def add_quiz_commands(sub: Any) -> None:
    """Add `quiz export`, `quiz round`, `quiz sample` and `quiz disable` to the command line."""
    quiz = sub.add_parser("quiz", help="the civics quiz question bank")
    quiz_sub = quiz.add_subparsers(dest="quiz_command", required=True)
    export = quiz_sub.add_parser("export", help="print every question of the bank")
    export.add_argument("--json", action="store_true", help="one JSON object per question")
    export.set_defaults(func=cmd_export)
    round_ = quiz_sub.add_parser("round", help="print a round as the bot would ask it")
    round_.add_argument("--topic", choices=TOPICS, help="one topic (default: all of them)")
    round_.add_argument("--questions", type=int, default=10, help="how many (default 10)")
    round_.add_argument("--seed", type=int, default=0, help="the same seed, the same round")
    round_.add_argument("--json", action="store_true", help="one JSON object per question")
    round_.set_defaults(func=cmd_round)
    sample = quiz_sub.add_parser("sample", help="print some questions of each form as shown")
    sample.add_argument("--per-form", type=int, default=10, help="how many a form (default 10)")
    sample.add_argument("--seed", type=int, default=0, help="the same seed, the same sample")
    sample.set_defaults(func=cmd_sample)
    disable = quiz_sub.add_parser("disable", help="switch a bad question off")
    disable.add_argument("id", help="the question id, as quiz export shows it")
    disable.add_argument("reason", nargs="*", help="why (kept as a comment)")
    disable.set_defaults(func=cmd_disable)


def summarize(settings: Settings) -> None:
    """After an index build: bring the bank up to date and report its size and any problems."""
    quiz_store = QuizStore(settings.db_path)
    try:
        bank = load_bank(settings, quiz_store)
    finally:
        quiz_store.close()
    _report(bank)
    sizes = ", ".join(f"{topic} {n}" for topic, n in bank.sizes().items())
    print(f"quiz bank: {len(bank.questions)} questions ({sizes})")
