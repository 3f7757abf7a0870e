"""The FAISS index of chunk vectors: ids are chunk ids, never positions.

The file on disk is a cache of the vectors stored in SQLite. It is replaced atomically; when its
ids differ from the stored chunks (a crash between the two writes, a deleted or broken file) it
is rebuilt from SQLite.

The kind of index follows the corpus size (figures in docs/benchmarks.md): exact search below
`EXACT_UP_TO` vectors, where scanning them all takes a few milliseconds; above it an inverted
file (IVF) with 8-bit scalar-quantized vectors, which answers in about a millisecond at a
million vectors with recall@10 above 0.95, in a quarter of the memory. Both keep chunk ids and
take removals, so an edited article still changes only its own chunks.
"""

from __future__ import annotations

import hashlib
import math
import os
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.store import Store

EXACT_UP_TO = 50_000  # vectors; above this the index is approximate
TRAIN_PER_LIST = 40  # training vectors per IVF list (faiss asks for at least 39)
PROBE_SHARE = 1 / 64  # share of the IVF lists searched per query (recall@10 ≥ 0.95 measured)
SEARCH_THREADS = 1  # one query at a time: more threads only wait for each other on 2 cores


def ids_checksum(ids: np.ndarray) -> str:
    """A fingerprint of a set of ids, independent of order."""
    ordered = np.sort(np.asarray(ids, dtype=np.int64))
    return hashlib.sha256(ordered.tobytes()).hexdigest()


def lists_for(count: int) -> int:
    """IVF lists for a corpus: about 4·√n, a power of two (4096 at a million)."""
    return 2 ** max(4, round(math.log2(4 * math.sqrt(max(count, 1)))))


def new_index(dim: int, train: np.ndarray | None = None) -> Any:
    """An empty index for inner product (cosine on normalized vectors) with chunk ids.

    Exact when `train` (a sample of the vectors to come, or all of them) is small or absent;
    otherwise an IVF index trained on it.
    """
    if train is None or len(train) <= EXACT_UP_TO:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    nlist = lists_for(len(train))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    sample = train[np.random.default_rng(0).permutation(len(train))[: TRAIN_PER_LIST * nlist]]
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.nprobe = max(1, math.ceil(nlist * PROBE_SHARE))
    return index


def index_ids(index: Any) -> np.ndarray:
    """The chunk ids an index holds."""
    if isinstance(index, faiss.IndexIVF):
        lists: Any = index.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(n), lists.list_size(n)).copy()
            for n in range(index.nlist)
            if lists.list_size(n)
        ]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)
    return faiss.vector_to_array(index.id_map).astype(np.int64)


def write_index(index: Any, path: Path) -> None:
    """Write next to the target, fsync, then rename: readers see the old or the new file, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    faiss.write_index(index, str(tmp))
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def build(ids: np.ndarray, vectors: np.ndarray) -> Any:
    """A fresh index of these vectors, of the kind their number calls for."""
    index = new_index(vectors.shape[1] if len(ids) else 1, vectors if len(ids) else None)
    if len(ids):
        index.add_with_ids(vectors, ids)
    return index


def build_from_store(store: Store) -> Any:
    """A fresh index of every chunk vector in the store."""
    return build(*store.chunk_vectors())


def _read(path: Path) -> Any:
    if not path.exists():
        return None
    try:
        return faiss.read_index(str(path))
    except RuntimeError:
        return None


def _wrong_kind(index: Any, count: int) -> bool:
    """An exact index grown past the limit, or an IVF one shrunk far below it (or outgrown)."""
    if isinstance(index, faiss.IndexIVF):
        return count <= EXACT_UP_TO // 2 or index.nlist < lists_for(count) // 4
    return count > EXACT_UP_TO


def update(store: Store, path: Path, removed: list[int], added: list[int]) -> Any:
    """Follow one batch of article changes: drop the old chunk ids, add the new ones, save.

    Whatever the file held before, the result holds exactly the stored chunks.
    """
    index = _read(path)
    if index is not None:
        if removed:
            index.remove_ids(np.asarray(removed, dtype=np.int64))
        fresh = np.setdiff1d(np.asarray(added, dtype=np.int64), index_ids(index))
        if len(fresh):
            ids, matrix = store.chunk_vectors(fresh.tolist())
            if index.d == matrix.shape[1]:
                index.add_with_ids(matrix, ids)
    if index is None or _wrong_kind(index, index.ntotal) or not is_current(store, index):
        index = build_from_store(store)
    write_index(index, path)
    return index


def is_current(store: Store, index: Any) -> bool:
    """True when the index holds exactly the chunks stored in SQLite."""
    stored = np.asarray(store.chunk_ids(), dtype=np.int64)
    return ids_checksum(index_ids(index)) == ids_checksum(stored)


def load(store: Store, path: Path) -> Any:
    """Read the index file; rebuild and rewrite it when it is missing, broken or out of date.

    Searches then run on `SEARCH_THREADS` threads (the engine serves one question per call).
    """
    index = _read(path)
    if index is None or not is_current(store, index):
        index = update(store, path, [], [])
    faiss.omp_set_num_threads(SEARCH_THREADS)
    return index
