"""Answer latency in process (question in, reply text out), model load time and RSS.

Run: .venv/bin/python bench/answer_latency.py [QUESTIONS.jsonl]
Prints its figures; it asserts nothing (timings on shared machines are noisy: compare runs).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

START = time.perf_counter()

from bot.config import load_settings  # noqa: E402
from bot.reply import render_answer  # noqa: E402
from bot.runtime import open_engine  # noqa: E402


def main() -> None:
    """Load the engine once, answer every question of the set, print the figures."""
    root = Path(__file__).resolve().parent.parent
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "tests" / "eval" / "questions.jsonl"
    questions = [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines()]
    engine = open_engine(load_settings(), record=False)
    render_answer(engine.answer(questions[0]))
    cold = time.perf_counter() - START
    timings = []
    for question in questions:
        started = time.perf_counter()
        render_answer(engine.answer(question), html=True)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    encode = []
    for question in questions[:50]:
        started = time.perf_counter()
        engine.embedder.queries([question])
        encode.append((time.perf_counter() - started) * 1000)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"questions:                {len(timings)}")
    print(f"cold start to 1st answer: {cold:.2f} s")
    print(
        f"answer p50 / p95:         {statistics.median(timings):.1f} / "
        f"{timings[int(0.95 * (len(timings) - 1))]:.1f} ms"
    )
    print(f"query encoding p50:       {statistics.median(encode):.1f} ms (of the answer time)")
    print(f"peak RSS:                 {rss:.0f} MB")


if __name__ == "__main__":
    main()
