"""Index build throughput: chunks per second of a build from nothing, seeds or a larger corpus.

    .venv/bin/python bench/index_build.py DATA_DIR [--model NAME] [--copies N] [--orders K]
                                          [--reuse-vectors]

Builds the store and the FAISS index from `content/articles/` into DATA_DIR (a fresh folder),
or from a synthetic corpus of N times as many articles: each seed article's paragraphs
shuffled into N different orders, so every copy is new text for the index (its chunks and
spans differ) while the words stay Kazakh; with `--orders K` only K different orders, each
repeated under new ids. Counts everything a build does: repair, sentences,
chunking, embedding chunks and quotable spans, SQLite, FAISS. With `--reuse-vectors` a text met
before is not embedded again (its vector would be the same): the copies repeat the sentences of
the seeds, and 100 copies (47,000 spans) would otherwise take a quarter of an hour of model time
on two shared cores; the index is the same, and the figures say how many texts were embedded
and how long embedding them all would have taken at the rate measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, peak_rss_mb, settings_for, timed_build

from index.articles import read_content_dir


def synthetic_corpus(source: Path, target: Path, copies: int, orders: int = 0) -> None:
    """`copies` shuffled versions of every article of `source`, written to `target`; with
    `orders`, only that many different shuffles, each repeated under new article ids."""
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    for article in read_content_dir(source):
        paragraphs = [line for line in article.text.splitlines() if line.strip()]
        shuffles = []
        for _ in range(min(orders or copies, copies)):
            rng.shuffle(paragraphs)
            shuffles.append("\n".join(paragraphs))
        for n in range(copies):
            body = shuffles[n % len(shuffles)]
            (target / f"{article.id}-{n}.md").write_text(
                f"---\ntitle: {article.title} ({n})\nsource: synthetic\n---\n{body}\n",
                encoding="utf-8",
            )


class ReusedVectors:
    """Wraps an embedder's `passages` so that each distinct text is embedded once."""

    def __init__(self) -> None:
        self.texts = 0
        self.embedded = 0
        self.seconds = 0.0  # spent embedding

    def __call__(self, embedder: Any) -> None:
        seen: dict[str, np.ndarray] = {}
        original = embedder.passages

        def passages(texts: list[str], *, progress: bool = False) -> np.ndarray:
            new = [t for t in dict.fromkeys(texts) if t not in seen]
            self.texts += len(texts)
            self.embedded += len(new)
            if new:
                started = time.perf_counter()
                seen.update(zip(new, original(new, progress=progress), strict=True))
                self.seconds += time.perf_counter() - started
            if not texts:
                return original([], progress=progress)
            return np.vstack([seen[t] for t in texts])

        embedder.passages = passages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--model", help="model name (default: config.toml's)")
    parser.add_argument("--copies", type=int, default=0, help="synthetic corpus of N copies")
    parser.add_argument("--orders", type=int, default=0, help="only N different shuffles")
    parser.add_argument(
        "--reuse-vectors", action="store_true", help="embed each distinct text once"
    )
    args = parser.parse_args()
    settings = settings_for(args.model, args.data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        if args.copies:
            synthetic_corpus(settings.content_dir, Path(tmp) / "articles", args.copies, args.orders)
            settings = dataclasses.replace(settings, content_dir=Path(tmp) / "articles")
        reuse = ReusedVectors() if args.reuse_vectors else None
        built = timed_build(settings, reuse)
        load, store, report, seconds = built.load_s, built.store, built.report, built.build_s
        spans = store.db.execute("select count(*) from quote_spans").fetchone()[0]
        articles = len(report.added) + len(report.updated)
    print(
        f"{settings.model.name}: {articles} articles, {report.chunks_embedded} chunks "
        f"(+{spans} spans) in {seconds:.1f} s: {report.chunks_embedded / seconds:.1f} chunks/s "
        f"(model load {load:.1f} s)"
    )
    if reuse:
        every = reuse.texts * reuse.seconds / max(reuse.embedded, 1)
        print(
            f"texts embedded: {reuse.embedded} distinct of {reuse.texts}, in {reuse.seconds:.0f} s "
            f"(--reuse-vectors); all {reuse.texts} would take about {every:.0f} s at that rate"
        )
    emit(
        {
            "model": settings.model.name,
            "articles": articles,
            "chunks": report.chunks_embedded,
            "spans": spans,
            "seconds": seconds,
            "chunks_per_s": report.chunks_embedded / seconds,
            "texts_per_s": (report.chunks_embedded + spans) / seconds,
            "model_load_s": load,
            "peak_rss_mb": peak_rss_mb(),
            "texts": reuse.texts if reuse else None,
            "texts_embedded": reuse.embedded if reuse else None,
            "embedding_s": reuse.seconds if reuse else None,
        }
    )


if __name__ == "__main__":
    main()
