"""The FAISS index of chunk vectors: ids are chunk ids (an id map), never positions.

The file on disk is a cache of the vectors stored in SQLite. It is replaced atomically; when its
ids differ from the stored chunks (a crash between the two writes, a deleted or broken file) it
is rebuilt from SQLite.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.store import Store


def ids_checksum(ids: np.ndarray) -> str:
    """A fingerprint of a set of ids, independent of order."""
    ordered = np.sort(np.asarray(ids, dtype=np.int64))
    return hashlib.sha256(ordered.tobytes()).hexdigest()


def new_index(dim: int) -> faiss.IndexIDMap2:
    """An exact inner-product index (vectors are normalized, so this is cosine) with an id map."""
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def index_ids(index: faiss.IndexIDMap2) -> np.ndarray:
    """The chunk ids an index holds."""
    return faiss.vector_to_array(index.id_map).astype(np.int64)


def write_index(index: faiss.IndexIDMap2, path: Path) -> None:
    """Write next to the target, fsync, then rename: readers see the old or the new file, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    faiss.write_index(index, str(tmp))
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def build_from_store(store: Store) -> faiss.IndexIDMap2:
    """A fresh index of every chunk vector in the store."""
    ids, vectors = store.chunk_vectors()
    index = new_index(vectors.shape[1] if len(ids) else 1)
    if len(ids):
        index.add_with_ids(vectors, ids)
    return index


def _read(path: Path) -> Any:
    if not path.exists():
        return None
    try:
        return faiss.read_index(str(path))
    except RuntimeError:
        return None


def update(store: Store, path: Path, removed: list[int], added: list[int]) -> faiss.IndexIDMap2:
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
    if index is None or not is_current(store, index):
        index = build_from_store(store)
    write_index(index, path)
    return index


def is_current(store: Store, index: faiss.IndexIDMap2) -> bool:
    """True when the index holds exactly the chunks stored in SQLite."""
    stored = np.asarray(store.chunk_ids(), dtype=np.int64)
    return ids_checksum(index_ids(index)) == ids_checksum(stored)


def load(store: Store, path: Path) -> faiss.IndexIDMap2:
    """Read the index file; rebuild and rewrite it when it is missing, broken or out of date."""
    index = _read(path)
    if index is not None and is_current(store, index):
        return index
    return update(store, path, [], [])
