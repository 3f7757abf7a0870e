"""The command line: ask, chat, run, build the model and the index."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings
from index.answer import Answer
from index.training.data import TrainingDataError

if TYPE_CHECKING:
    from index.evaluation import Case
    from index.search import Engine

log = logging.getLogger("bot")
TOKEN_ENV = "TELEGRAM_BOT_TOKEN"


def answer_json(answer: Answer) -> dict:
    """The stable JSON contract of `ask --json` (other tools rely on it)."""
    from bot.answers.render import render_answer

    return {
        "question": answer.question,
        "answered": answer.answered,
        "quotes": [
            {
                "text": q.text,
                "article": q.source.article,
                "title": q.source.title,
                "score": round(q.score, 4),
            }
            for q in (*answer.quotes, *answer.others)
        ],
        "reply": render_answer(answer),
    }


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer one question, or with --json one question per line of standard input."""
    from bot.answers.render import render_answer
    from bot.runtime import open_engine

    if not args.json and not args.question:
        from bot.answers.texts import ASK_USAGE_CLI

        print(ASK_USAGE_CLI, file=sys.stderr)
        return 2
    engine = open_engine(settings)
    if not args.json:
        print(render_answer(engine.answer(" ".join(args.question))))
        return 0
    questions = (
        [" ".join(args.question)] if args.question else (line.rstrip("\n") for line in sys.stdin)
    )
    for question in questions:
        if question.strip():
            print(json.dumps(answer_json(engine.answer(question)), ensure_ascii=False), flush=True)
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """The local terminal chat."""
    from bot.chat import run_chat
    from bot.runtime import open_engine

    run_chat(open_engine(settings, progress=True))
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the local chat."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        print(f"{TOKEN_ENV} is not set: starting the local chat.", file=sys.stderr)
        return cmd_chat(settings, args)
    from bot.app import run_telegram
    from bot.runtime import open_engine

    run_telegram(settings, open_engine(settings, progress=True), token)
    return 0


def cmd_index_build(settings: Settings, args: argparse.Namespace) -> int:
    """Bring the index up to date with the content folder; only changed articles are embedded."""
    from bot.moderation.cli import recover
    from bot.quiz.cli import summarize
    from bot.runtime import build_index, open_store

    recover(settings)  # finish a moderator's change a crash interrupted, first
    store = open_store(settings)
    if args.rebuild:
        store.set_meta("embedding_model", "")
    report = build_index(settings, store, progress=not args.quiet)
    print(report.summary())
    summarize(settings)  # the quiz bank follows the articles
    return 0


def _calibrate(engine: Engine, sets: dict[str, list[Case]]) -> int:
    """Fit the decline model on question sets; print its constants and how it fares on each set
    when that set is left out of the fit."""
    from index.decline import FEATURES, WRONGLY_DECLINED, Evidence, calibrate
    from index.query import understand

    evidence: dict[str, list[tuple[Evidence, bool]]] = {
        name: [(engine.scored(understand(c.q, engine.speller))[2], not c.expect) for c in cases]
        for name, cases in sets.items()
    }
    pooled = [row for rows in evidence.values() for row in rows]
    fitted = calibrate([e for e, _ in pooled], [off for _, off in pooled])
    print("COEFFICIENTS = np.array([" + ", ".join(f"{w:.3f}" for w in fitted.coefficients) + "])")
    print("# " + ", ".join(FEATURES))
    print(
        f"THRESHOLD = {fitted.threshold:.3f}  # declines ≤ {WRONGLY_DECLINED:.1%} of real questions"
    )
    if len(evidence) < 2:
        return 0
    print("each set left out of the fit:")
    for name, rows in evidence.items():
        rest = [row for other, r in evidence.items() if other != name for row in r]
        model = calibrate([e for e, _ in rest], [off for _, off in rest])
        off = [model.declines(e) for e, is_off in rows if is_off]
        real = [model.declines(e) for e, is_off in rows if not is_off]
        print(
            f"  {name}: off-topic declined {sum(off)}/{len(off)}, "
            f"in-scope wrongly declined {sum(real)}/{len(real)}"
        )
    return 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    """Measure retrieval quality on a question set and print the figures."""
    from pathlib import Path

    from bot.model_cli import (
        compare_with_base,
        leave_article_out,
        report_times,
        timed,
        validation_cases,
    )
    from bot.runtime import open_engine
    from index.evaluation import EvalFormatError, failures, load_cases, render

    try:
        sets = {name: load_cases(Path(name)) for name in args.files}
    except (OSError, EvalFormatError) as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    if args.validation:
        sets["validation"] = validation_cases(settings)
    if not sets:
        print("eval: name a question file, or --validation", file=sys.stderr)
        return 2
    if args.leave_article_out:
        return leave_article_out(settings, sets)
    engine = open_engine(settings)
    if args.calibrate:
        return _calibrate(engine, sets)
    cases = [case for group in sets.values() for case in group]
    table, times = timed(engine, cases)
    print(render(table))
    report_times(times)
    if args.compare_base:
        compare_with_base(settings, cases, table)
    if args.failures:
        for result in failures(table):
            got = "declined" if not result.answered else f"rank {result.rank}"
            print(f"  [{result.case.cat}] {result.case.q} -> {got}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    """All commands and options (each one is documented in the README)."""
    top = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    top.add_argument("--config", help="another config.toml")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = top.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer a question as the bot would")
    ask.add_argument("question", nargs="*", help="the question (omit with --json to read stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="talk to the bot in the terminal")
    chat.set_defaults(func=cmd_chat)

    run = sub.add_parser("run", help="start the bot (Telegram if a token is set, else local chat)")
    run.add_argument("--config", dest="run_config", help="another config.toml")
    run.set_defaults(func=cmd_run)

    ev = sub.add_parser("eval", help="measure retrieval quality on question sets")
    ev.add_argument("files", nargs="*", metavar="FILE", help="JSONL: {cat, q, expect} per line")
    ev.add_argument(
        "--validation",
        action="store_true",
        help="also the questions [training] holds out for validation (never trained on)",
    )
    ev.add_argument("--failures", action="store_true", help="list the questions it got wrong")
    ev.add_argument(
        "--calibrate",
        action="store_true",
        help="fit the decline model, print its constants and how it fares on each set left out",
    )
    ev.add_argument(
        "--compare-base",
        action="store_true",
        help="also measure the base model without the reader, per category beside the figures",
    )
    ev.add_argument(
        "--leave-article-out",
        action="store_true",
        help="train without each article's questions in turn and measure on them (slow)",
    )
    ev.set_defaults(func=cmd_eval)

    from bot.model_cli import add_model_commands

    add_model_commands(sub)

    index = sub.add_parser("index", help="the search index")
    index_sub = index.add_subparsers(dest="index_command", required=True)
    for name, rebuild in (("build", False), ("rebuild", True)):
        cmd = index_sub.add_parser(
            name, help="re-embed everything" if rebuild else "update from the content folder"
        )
        cmd.add_argument("--quiet", action="store_true", help="no progress bar")
        cmd.set_defaults(func=cmd_index_build, rebuild=rebuild)

    from bot.moderation.cli import add_content_commands

    add_content_commands(sub)

    from bot.quiz.cli import add_quiz_commands

    add_quiz_commands(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot`."""
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(getattr(args, "run_config", None) or args.config)
    except ConfigError as exc:
        print(f"config: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.func(settings, args))
    except TrainingDataError as exc:
        print(f"training: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (head, a pager) stopped early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
