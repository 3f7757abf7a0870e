"""The FAISS index kind follows the corpus size, and every kind keeps chunk ids through edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss
import numpy as np
import pytest

from index import vectors
from index.articles import read_content_dir
from index.build import sync
from index.store import Store
from tests.conftest import FakeEmbedder


def _clustered(count: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((20, dim)).astype(np.float32)
    points = centers[rng.integers(0, 20, count)] + 0.3 * rng.standard_normal((count, dim))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def test_small_corpora_are_searched_exactly() -> None:
    index = vectors.build(np.arange(5, 105, dtype=np.int64), _clustered(100))
    assert isinstance(faiss.downcast_index(index.index), faiss.IndexFlatIP)


def test_large_corpora_get_an_ivf_index_with_chunk_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "EXACT_UP_TO", 500)
    data, ids = _clustered(3000), np.arange(1000, 4000, dtype=np.int64)
    index: Any = vectors.build(ids, data)
    is_ivf = isinstance(index, faiss.IndexIVF)  # (kept out of the assert: mypy narrows it)
    assert is_ivf and index.nlist == vectors.lists_for(3000)
    assert sorted(vectors.index_ids(index)) == ids.tolist()
    _, found = index.search(data[:50], 1)
    assert np.mean(found[:, 0] == ids[:50]) >= 0.9  # each vector finds itself (8-bit codes)
    index.remove_ids(ids[:100])
    assert sorted(vectors.index_ids(index)) == ids[100:].tolist()
    assert not set(index.search(data[:100], 5)[1].ravel()) & set(ids[:100].tolist())


def test_lists_grow_with_the_square_root_of_the_corpus() -> None:
    assert vectors.lists_for(1_000_000) == 4096
    assert vectors.lists_for(100_000) == 1024
    assert vectors.lists_for(10) == 16


def test_an_index_that_outgrows_exact_search_is_rebuilt_as_ivf(
    tmp_path: Path, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    sync(
        store,
        path,
        read_content_dir(content_dir),
        model="fake",
        embedder_factory=lambda: FakeEmbedder(),  # type: ignore[arg-type, return-value]
        max_tokens=40,
        show_progress=False,
    )
    exact = vectors.load(store, path)
    assert not isinstance(exact, faiss.IndexIVF)
    monkeypatch.setattr(vectors, "EXACT_UP_TO", exact.ntotal // 3)
    grown = vectors.update(store, path, [], [])
    assert isinstance(grown, faiss.IndexIVF)
    assert sorted(vectors.index_ids(vectors.load(store, path))) == store.chunk_ids()
    removed = store.remove_article(store.articles()[0].id)
    after = vectors.update(store, path, removed, [])
    assert sorted(vectors.index_ids(after)) == store.chunk_ids()
