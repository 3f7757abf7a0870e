"""The reader at answer time: it reads the question against each of the engine's best spans.

A bi-encoder compares two vectors made apart, so it cannot tell a span that mentions the
question's topic from one that answers it; the reader sees both texts at once. It is a small
model trained here (index/training/reader.py): the lowest layers of the fine-tuned e5 over the
text "query: QUESTION passage: SPAN", mean-pooled and normalized like an embedding, then one
linear score. Because it is shaped like an embedder it is exported and run exactly like one
(index/onnx_export.py, index/onnx_model.py); its score weights, the "no answer" score it was
trained against and the decline model fitted with it live beside it in HEAD_FILE.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from index.decline import Calibration, Evidence
from index.onnx_model import OnnxModel

HEAD_FILE = "reader-head.json"


def pair_text(question: str, span: str) -> str:
    """What the reader reads: one sequence, so it runs through the embedder unchanged."""
    return f"query: {question} passage: {span}"


@dataclass(frozen=True)
class Head:
    """The linear score over the pooled vector, the "no answer" score a span must beat, and the
    decline models fitted with the reader on the validation questions (index/decline.py,
    index/training/build.py): one over the engine's evidence and the reader's signal, and one
    over the evidence alone, for articles the reader never learnt."""

    weights: tuple[float, ...]
    bias: float
    no_answer: float
    max_tokens: int = 160  # the longest pair it was trained on: longer ones are cut the same way
    # Content hashes of the articles it learnt questions about; None (a head written before they
    # were recorded): every article counts as learnt.
    learnt: tuple[str, ...] | None = None
    decline: tuple[float, ...] = ()  # coefficients with the reader's signal; empty until fitted
    threshold: float = 1.0
    unlearnt_decline: tuple[float, ...] = ()  # coefficients over the evidence alone
    unlearnt_threshold: float = 1.0

    def save(self, folder: Path) -> None:
        """Write the head beside the model."""
        (folder / HEAD_FILE).write_text(json.dumps(asdict(self)) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Head:
        """Read the head written by `save`."""
        raw = json.loads((folder / HEAD_FILE).read_text("utf-8"))
        return cls(
            tuple(raw["weights"]),
            raw["bias"],
            raw["no_answer"],
            raw.get("max_tokens", cls.max_tokens),
            tuple(raw["learnt"]) if raw.get("learnt") is not None else None,
            tuple(raw.get("decline", ())),
            raw.get("threshold", cls.threshold),
            tuple(raw.get("unlearnt_decline", ())),
            raw.get("unlearnt_threshold", cls.unlearnt_threshold),
        )

    def declines(self, evidence: Evidence, *, learnt: bool) -> bool:
        """True when the articles are unlikely to answer. On an article the reader never learnt
        (one a moderator added) its "no answer" is mostly wrong: the bot declines there only
        when the evidence alone agrees (docs/training.md, the left-out articles)."""
        if not self._with_reader.declines(evidence):
            return False
        return learnt or self._evidence_only.declines(replace(evidence, reader=None))

    @cached_property
    def _with_reader(self) -> Calibration:
        return Calibration(np.asarray(self.decline), self.threshold)

    @cached_property
    def _evidence_only(self) -> Calibration:
        return Calibration(np.asarray(self.unlearnt_decline), self.unlearnt_threshold)


@dataclass(frozen=True)
class Reading:
    """The reader's scores of a question's candidates."""

    scores: np.ndarray  # one per candidate, in the order given
    no_answer: float

    @property
    def margin(self) -> float:
        """How far the best candidate beats "no answer" (the signal the decline model weighs)."""
        return float(self.scores.max() - self.no_answer) if self.scores.size else -np.inf


def export_reader(source: Path, out_dir: Path, precision: str) -> Path:
    """The trained reader exported as it runs at answer time, its head beside it (once). Its
    decline model is fitted on this export's scores: int8 moves them by up to 2 against torch."""
    from index.onnx_export import export_model

    folder = export_model(source, out_dir, precision=precision)
    shutil.copy2(source / HEAD_FILE, folder / HEAD_FILE)
    return folder


class Reader:
    """Loads the exported reader once; thread-safe like the model it wraps."""

    def __init__(self, folder: Path | str, *, threads: int = 1) -> None:
        folder = Path(folder)
        self.head = Head.load(folder)
        self._model = OnnxModel(folder, threads=threads)
        self._weights = np.asarray(self.head.weights, dtype=np.float32)
        self._learnt = frozenset(self.head.learnt or ())

    def learnt(self, content_hash: str) -> bool:
        """True when it learnt questions about this article as the article now reads. Its "no
        answer" is only trusted there: on an article it never saw (one a moderator added) it
        refused real questions, «Достық үйі қай қалада ашылды?» among them."""
        return self.head.learnt is None or content_hash in self._learnt

    def read(self, question: str, spans: Sequence[str]) -> Reading:
        """Score every span against the question (all of them in one run)."""
        if not spans:
            return Reading(np.zeros(0, dtype=np.float32), self.head.no_answer)
        encode = self._model.tokenizer.encode
        pairs = [encode(pair_text(question, s)) for s in spans]
        vectors = self._model.run_batch(pairs, longest=self.head.max_tokens)
        scores = vectors @ self._weights + np.float32(self.head.bias)
        return Reading(scores, self.head.no_answer)

    def declines(self, evidence: Evidence, content_hash: str) -> bool:
        """True when the articles are unlikely to answer, by the engine's evidence and the
        reader's signal in it (Evidence.reader), for a first quote from this article."""
        return self.head.declines(evidence, learnt=self.learnt(content_hash))
