"""Answer latency in process (question in, reply text out), cold start, RSS, retrieval quality.

    .venv/bin/python bench/answer_latency.py [--model NAME] [--data-dir DIR] [--no-build]
                                             [--started T] [--reader]

Loads the engine (building the index if it is out of date), answers the first question (the
cold start: from `--started`, the wall-clock time the parent launched this process, or from
the first line of this script), then answers every question of tests/eval/questions.jsonl
once, timing each from the question to the rendered HTML reply, and judges the quotes like
`python -m bot eval`. Also: the query encoding alone, and a repeated question (the query cache).
Without `--reader` (or `--model`): the base model without the reader. `--reader`: with the
models trained here (the fine-tuned embedder and the reader: the set-up trains them).
Prints its figures; asserts nothing (timings on shared machines are noisy: compare runs).
"""

from __future__ import annotations

import time

STARTED = time.time()

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import faiss  # noqa: E402
from common import (  # noqa: E402
    QUESTIONS,
    emit,
    peak_rss_mb,
    percentile,
    settings_for,
    with_reader,
)

from bot.answers.render import render_answer  # noqa: E402
from bot.runtime import open_engine  # noqa: E402
from index import vectors  # noqa: E402
from index.answer import Answer  # noqa: E402
from index.evaluation import evaluate, load_cases, render  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="model name (default: config.toml's)")
    parser.add_argument("--data-dir", type=Path, help="data folder (default: config.toml's)")
    parser.add_argument("--started", type=float, default=STARTED, help="launch time (epoch s)")
    parser.add_argument(
        "--no-build", action="store_true", help="answer from the data folder's index as it is"
    )
    parser.add_argument("--reader", action="store_true", help="with the models trained here")
    args = parser.parse_args()
    cases = load_cases(QUESTIONS)
    settings = settings_for(args.model, args.data_dir)
    if args.reader:
        settings = with_reader(settings)
    engine = open_engine(settings, build=not args.no_build)
    render_answer(engine.answer(cases[0].q), html=True)
    cold = time.time() - args.started
    timings: list[float] = []

    def ask(question: str) -> Answer:
        started = time.perf_counter()
        answer = engine.answer(question)
        render_answer(answer, html=True)
        timings.append((time.perf_counter() - started) * 1000)
        return answer

    engine.embedder.query_cache = 0  # every question of the set is new to the engine
    engine.embedder.queries(["x"])  # (and empties the cache)
    table = evaluate(cases, ask)
    encode = []
    for case in cases:
        started = time.perf_counter()
        engine.embedder.queries([case.q])
        encode.append((time.perf_counter() - started) * 1000)
    faiss.omp_set_num_threads(2)  # as before index/vectors.py searched on one thread
    two_threads = []
    for case in cases[:60]:
        started = time.perf_counter()
        render_answer(engine.answer(case.q), html=True)
        two_threads.append((time.perf_counter() - started) * 1000)
    faiss.omp_set_num_threads(vectors.SEARCH_THREADS)
    engine.embedder.query_cache = 1024
    repeated = []
    for _ in range(3):
        for case in cases[:20]:
            started = time.perf_counter()
            render_answer(engine.answer(case.q), html=True)
            repeated.append((time.perf_counter() - started) * 1000)
    figures = {
        "model": settings.model.name,
        "backend": engine.embedder.backend,
        "questions": len(timings),
        "cold_start_s": cold,
        "answer_p50_ms": statistics.median(timings),
        "answer_p95_ms": percentile(timings, 0.95),
        "encode_p50_ms": statistics.median(encode),
        "encode_p95_ms": percentile(encode, 0.95),
        "repeated_p50_ms": statistics.median(repeated[20:]),
        "faiss_2_threads_p50_ms": statistics.median(two_threads),
        "peak_rss_mb": peak_rss_mb(),
        "recall1": table["all"].hits1 / table["all"].n,
        "recall3": table["all"].hits3 / table["all"].n,
        "mrr": table["all"].rr / table["all"].n,
        "wrongly_declined": table["all"].declined / table["all"].n,
        "offtopic_declined": table["F"].declined / table["F"].n if "F" in table else None,
        "eval": render(table),
    }
    reader = " with the reader" if engine.reader is not None else ""
    print(f"model {figures['model']} ({figures['backend']}){reader}, {len(timings)} questions")
    print(f"cold start to 1st answer: {cold:.2f} s")
    print(
        f"answer p50 / p95:         {figures['answer_p50_ms']:.1f} / "
        f"{figures['answer_p95_ms']:.1f} ms"
    )
    print(
        f"query encoding p50 / p95: {figures['encode_p50_ms']:.1f} / "
        f"{figures['encode_p95_ms']:.1f} ms"
    )
    print(f"repeated question p50:    {figures['repeated_p50_ms']:.1f} ms (query cache)")
    print(
        f"answer p50, FAISS on 2 threads (as before): {figures['faiss_2_threads_p50_ms']:.1f} ms"
        " (first 60 questions)"
    )
    print(f"peak RSS:                 {figures['peak_rss_mb']:.0f} MB")
    print(render(table))
    emit(figures)


if __name__ == "__main__":
    main()
