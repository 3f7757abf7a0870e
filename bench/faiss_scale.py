"""FAISS at scale: exact against approximate indexes on synthetic 384-dimensional vectors.

    .venv/bin/python bench/faiss_scale.py [--sizes 100000 1000000] [--queries 200] [--hnsw-max N]

For each corpus size: build time, size (the index as faiss writes it: what it holds in memory),
query p50/p95 one query at a time on one thread (as the engine asks), and recall@10 against
the exact answer. Indexes: exact (IndexFlatIP), HNSW (M=32), IVF with full vectors and IVF with
8-bit scalar-quantized vectors (what `index/vectors.py` picks above its exact limit) at
several probe counts.

The vectors are not uniform noise (on which no index can beat a scan): they are drawn like
sentence embeddings cluster, topics with subtopics with noise around them, and normalized;
queries are fresh draws from the same mixture, never copies of stored vectors.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, percentile

from index import vectors

DIM = 384
K = 10
# lengths of the topic, subtopic and noise parts of a vector: two vectors of one subtopic have
# cosine about 0.87, of one topic about 0.64, of different topics about 0 (as e5's do, roughly)
TOPIC, SUBTOPIC, NOISE = 2.0, 1.2, 0.9


def mixture(
    count: int, rng: np.random.Generator, topics: np.ndarray, subtopics: np.ndarray
) -> np.ndarray:
    """`count` normalized vectors: a topic, one of its subtopics, and noise."""
    out = np.empty((count, DIM), dtype=np.float32)
    step = 100_000
    for start in range(0, count, step):
        n = min(step, count - start)
        sub = rng.integers(0, len(subtopics), n)
        block = (
            topics[sub % len(topics)]
            + subtopics[sub]
            + NOISE * rng.standard_normal((n, DIM), dtype=np.float32) / np.sqrt(DIM)
        )
        out[start : start + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def timed_queries(index: Any, queries: np.ndarray, limit: int) -> tuple[list[float], np.ndarray]:
    """Milliseconds of each single query (one thread) and the ids found for all of them."""
    faiss.omp_set_num_threads(1)
    found = np.zeros((len(queries), K), dtype=np.int64)
    times = []
    for i in range(min(limit, len(queries))):
        started = time.perf_counter()
        _, ids = index.search(queries[i : i + 1], K)
        times.append((time.perf_counter() - started) * 1000)
        found[i] = ids[0]
    faiss.omp_set_num_threads(2)
    if limit < len(queries):  # the rest in one batch: only their recall is needed
        found[limit:] = index.search(queries[limit:], K)[1]
    return times, found


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the exact top 10 that the index found."""
    return float(np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True)]))


def measure(
    name: str,
    make: Any,
    data: np.ndarray,
    ids: np.ndarray,
    queries: np.ndarray,
    truth: np.ndarray | None,
    limit: int,
    probes: tuple[int, ...] = (),
) -> list[dict[str, Any]]:
    """Build one index kind and measure it (at several probe counts for IVF)."""
    faiss.omp_set_num_threads(2)
    started = time.perf_counter()
    index = make()
    if index.ntotal == 0:
        index.add_with_ids(data, ids)
    build = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:  # what the index holds, as faiss writes it
        faiss.write_index(index, f"{tmp}/index")
        memory = os.path.getsize(f"{tmp}/index") / 2**20
    rows = []
    for nprobe in probes or (0,):
        if nprobe:
            faiss.extract_index_ivf(index).nprobe = nprobe
        label = f"{name}, nprobe {nprobe}" if nprobe else name
        times, found = timed_queries(index, queries, limit)
        row = {
            "index": label,
            "size": len(data),
            "build_s": build,
            "memory_mb": memory,
            "query_p50_ms": statistics.median(times),
            "query_p95_ms": percentile(times, 0.95),
            "recall10": 1.0 if truth is None else recall(found, truth),
            "found": found,
        }
        print(
            f"  {label:<34} build {build:7.1f} s  size {memory:7.0f} MB  "
            f"query p50 {row['query_p50_ms']:7.2f} ms  p95 {row['query_p95_ms']:7.2f} ms  "
            f"recall@10 {row['recall10']:.3f}",
            flush=True,
        )
        rows.append(row)
    del index
    return rows


def run_size(
    size: int, queries_n: int, hnsw_max: int, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """Every index kind at one corpus size."""
    topics = rng.standard_normal((100, DIM), dtype=np.float32) / np.sqrt(DIM) * TOPIC
    subtopics = rng.standard_normal((20_000, DIM), dtype=np.float32) / np.sqrt(DIM) * SUBTOPIC
    started = time.perf_counter()
    data = mixture(size, rng, topics, subtopics)
    queries = mixture(queries_n, rng, topics, subtopics)
    ids = np.arange(10, 10 + size, dtype=np.int64)  # chunk ids, not positions
    print(
        f"{size:,} vectors ({data.nbytes / 2**20:.0f} MB as float32), "
        f"generated in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    flat_limit = max(20, min(queries_n, 20_000_000 // size))
    exact = measure(
        "exact (Flat)",
        lambda: faiss.IndexIDMap2(faiss.IndexFlatIP(DIM)),
        data,
        ids,
        queries,
        None,
        flat_limit,
    )[0]
    truth = exact.pop("found")
    rows = [exact]
    nlist = vectors.lists_for(size)

    def ivf_flat() -> Any:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(data[rng.permutation(size)[: vectors.TRAIN_PER_LIST * nlist]])
        return index

    probes = tuple(p for p in (nlist // 256, nlist // 128, nlist // 64, nlist // 32) if p >= 1)
    rows += measure(f"IVF{nlist},Flat", ivf_flat, data, ids, queries, truth, queries_n, probes)
    # what index/vectors.py builds at this size (IVF-SQ8 above its exact limit), at its own
    # probe count and the others
    exact_limit = vectors.EXACT_UP_TO
    own = (max(1, math.ceil(nlist * vectors.PROBE_SHARE)),) if size > exact_limit else ()
    label = f"chosen: IVF{nlist},SQ8" if own else "chosen: exact (Flat)"
    sweep = tuple(sorted({*probes, *own})) if own else ()
    rows += measure(
        label, lambda: vectors.new_index(DIM, data), data, ids, queries, truth, queries_n, sweep
    )
    for row in rows:
        if own and row["index"] == f"{label}, nprobe {own[0]}":
            row["index"] += " (its setting)"
    if size <= hnsw_max:

        def hnsw() -> Any:
            index = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 40
            index.hnsw.efSearch = 128
            return faiss.IndexIDMap2(index)

        rows += measure("HNSW32,Flat (efSearch 128)", hnsw, data, ids, queries, truth, queries_n)
    else:
        print(
            f"  HNSW skipped above {hnsw_max:,} vectors (--hnsw-max): its build is the slowest",
            flush=True,
        )
    for row in rows:
        row.pop("found", None)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--hnsw-max", type=int, default=1_000_000, help="largest corpus for HNSW")
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    rows = []
    for size in args.sizes:
        rows += run_size(size, args.queries, args.hnsw_max, rng)
    emit({"rows": rows})


if __name__ == "__main__":
    main()
