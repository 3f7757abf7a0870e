"""Index build throughput: chunks per second of a build from nothing, seeds or a larger corpus.

    .venv/bin/python bench/index_build.py DATA_DIR [--model NAME] [--copies N]

Builds the store and the FAISS index from `content/articles/` into DATA_DIR (a fresh folder),
or from a synthetic corpus of N times as many articles: each seed article's paragraphs
shuffled into N different orders, so every copy is new text for the index (its chunks and
spans differ) while the words stay Kazakh. Counts everything a build does: repair, sentences,
chunking, embedding chunks and quotable spans, SQLite, FAISS.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, peak_rss_mb, settings_for, timed_build

from index.articles import read_content_dir


def synthetic_corpus(source: Path, target: Path, copies: int) -> None:
    """`copies` shuffled versions of every article of `source`, written to `target`."""
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    for article in read_content_dir(source):
        paragraphs = [line for line in article.text.splitlines() if line.strip()]
        for n in range(copies):
            rng.shuffle(paragraphs)
            body = "\n".join(paragraphs)
            (target / f"{article.id}-{n}.md").write_text(
                f"---\ntitle: {article.title} ({n})\nsource: synthetic\n---\n{body}\n",
                encoding="utf-8",
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--model", help="model name (default: config.toml's)")
    parser.add_argument("--copies", type=int, default=0, help="synthetic corpus of N copies")
    args = parser.parse_args()
    settings = settings_for(args.model, args.data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        if args.copies:
            synthetic_corpus(settings.content_dir, Path(tmp) / "articles", args.copies)
            settings = dataclasses.replace(settings, content_dir=Path(tmp) / "articles")
        built = timed_build(settings)
        load, store, report, seconds = built.load_s, built.store, built.report, built.build_s
        spans = store.db.execute("select count(*) from quote_spans").fetchone()[0]
        articles = len(report.added) + len(report.updated)
    print(
        f"{settings.model.name}: {articles} articles, {report.chunks_embedded} chunks "
        f"(+{spans} spans) in {seconds:.1f} s: {report.chunks_embedded / seconds:.1f} chunks/s "
        f"(model load {load:.1f} s)"
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
        }
    )


if __name__ == "__main__":
    main()
