"""An exported model folder (index/onnx_export.py) ready to run: tokenizer, embeddings, graph.

Memory is what this module is about (issue 16): the answering process must fit a small server.
The word-embedding table stays in its file: the rows of a text's tokens are read with pread,
from the page cache, which the kernel shares and reclaims. (Memory-mapped, each row came in
with its 64 KB neighbourhood, and 160 questions grew the process by 300 MB.) The tokenizer is
index/unigram.py's compact one. ONNX Runtime loads the graph from its path, without the arena
or the memory pattern (they keep the largest activations of past runs: 30 MB).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.onnx_export import EMBEDDINGS_FILE, EMBEDS_INPUT, MODEL_FILE, read_marker
from index.unigram import UnigramTokenizer


class _Rows:
    """The rows of a 2-d float32 .npy file, read on demand (never loaded whole)."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            header = np.lib.format.read_array_header_1_0
            if version != (1, 0):
                header = np.lib.format.read_array_header_2_0
            shape, fortran, dtype = header(handle)
            self._offset = handle.tell()
        if len(shape) != 2 or fortran or dtype != np.float32:
            raise ValueError(f"{path}: not a 2-d C-ordered float32 array")
        self.count, self.dim = shape
        self._row_bytes = self.dim * 4
        self._fd = os.open(path, os.O_RDONLY)  # pread: one descriptor serves every thread

    def read(self, ids: Sequence[int]) -> np.ndarray:
        """The rows `ids`, in order, as a (len(ids), dim) array."""
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        for i, row in enumerate(ids):
            if not 0 <= row < self.count:
                raise IndexError(f"token id {row} outside the table of {self.count}")
            data = os.pread(self._fd, self._row_bytes, self._offset + row * self._row_bytes)
            out[i] = np.frombuffer(data, dtype=np.float32)
        return out


class OnnxModel:
    """Token ids in, the graph's output out: a normalized vector, or a classifier's logits.

    Safe to call from several threads. For a cross-encoder:
    `model.run(model.tokenizer.encode_pair(question, passage))`.
    """

    def __init__(self, folder: Path, *, threads: int = 1) -> None:
        import onnxruntime as ort

        folder = Path(folder)
        marker = read_marker(folder)
        self.max_length = int(marker["max_length"])
        self.tokenizer = UnigramTokenizer(folder)
        self._rows = _Rows(folder / EMBEDDINGS_FILE)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        self._session = ort.InferenceSession(
            str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.dim = int(self._session.get_outputs()[0].shape[-1])

    def run(self, ids: Sequence[int]) -> np.ndarray:
        """The output for one text's ids (with its `<s>` and `</s>`); past the model's longest
        input, the first tokens and the last (`</s>`) are kept, as torch does."""
        return self.run_batch([ids])[0]

    def run_batch(self, texts: Sequence[Sequence[int]], longest: int = 0) -> np.ndarray:
        """The outputs for several texts' ids in one padded run: 20% faster than one by one, and
        the same to 1e-7 in fp32 (not with int8 activations: their scale is the batch's). Texts
        past `longest` tokens (or the model's longest input) are cut as `run` cuts them."""
        limit = min(longest or self.max_length, self.max_length)
        texts = [ids if len(ids) <= limit else [*ids[: limit - 1], ids[-1]] for ids in texts]
        longest = max(len(ids) for ids in texts)
        embeds = np.zeros((len(texts), longest, self._rows.dim), dtype=np.float32)
        mask = np.zeros((len(texts), longest), dtype=np.int64)
        for row, ids in enumerate(texts):
            embeds[row, : len(ids)] = self._rows.read(ids)
            mask[row, : len(ids)] = 1
        feed = {EMBEDS_INPUT: embeds, "attention_mask": mask}
        return np.asarray(self._session.run(None, feed)[0])
