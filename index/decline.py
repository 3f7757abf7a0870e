"""Deciding to say "the articles do not cover this": a logistic model over several signals.

One cosine threshold cannot separate off-topic questions from real ones (their scores overlap), so
the decision weighs the best dense similarities with lexical evidence (how much of the question's
vocabulary the articles know at all, how much of it the best passage holds).
`python -m bot eval FILE... --calibrate` fits the coefficients on question sets, picks the
threshold that declines at most WRONGLY_DECLINED of their real questions, and tells how both
would fare on each set left out of the fit. With the reader on, one more signal joins them (how
far its best candidate beats its "no answer"), and the model is fitted with it when the reader is
trained (index/training/build.py): reader and evidence together decline more off-topic questions
than either alone (docs/training.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FEATURES = ("bias", "dense", "dense_chunk", "coverage", "matched", "unknown", "russian")
# Fitted (for the base model, without the reader) by
# `python -m bot eval tests/eval/*.jsonl ../shared/eval/dev.jsonl --calibrate`. With the reader on
# its own coefficients, fitted with it, live in its head (index/reader.py).
COEFFICIENTS = np.array([0.479, -0.810, -0.369, -0.238, -0.338, 0.429, -0.016])
# Chosen by the same calibration (see docs/quality.md for the figures it gives).
THRESHOLD = 0.716
# The share of real questions the calibrated threshold may decline.
WRONGLY_DECLINED = 0.015
# Dense cosines of e5 live in a narrow band; centring and scaling keeps the fit well conditioned.
_DENSE_CENTRE, _DENSE_SCALE = 0.83, 0.03


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for one question."""

    dense: float  # best cosine of a quote span
    dense_chunk: float  # best cosine of a chunk
    coverage: float  # share (by IDF) of the question's topic words found anywhere in the articles
    matched: float  # share (by IDF) of the question's topic words found in the best span
    unknown: int  # topic tokens the articles never use
    russian: bool
    # how far the reader's best candidate beats its "no answer" score; None without a reader
    reader: float | None = None

    def features(self) -> np.ndarray:
        """The model's inputs, in the order of FEATURES (then the reader's signal, when read)."""
        extra = [] if self.reader is None else [self.reader]
        return np.array(
            [
                1.0,
                (self.dense - _DENSE_CENTRE) / _DENSE_SCALE,
                (self.dense_chunk - _DENSE_CENTRE) / _DENSE_SCALE,
                self.coverage,
                self.matched,
                min(self.unknown, 3),
                float(self.russian),
                *extra,
            ]
        )


def off_topic_probability(evidence: Evidence, coefficients: np.ndarray = COEFFICIENTS) -> float:
    """The model's probability that the articles do not answer the question."""
    return float(1.0 / (1.0 + np.exp(-evidence.features() @ coefficients)))


@dataclass(frozen=True)
class Calibration:
    """Fitted coefficients and the threshold that goes with them."""

    coefficients: np.ndarray
    threshold: float

    def declines(self, evidence: Evidence) -> bool:
        """What should_decline would say with these coefficients and this threshold."""
        return off_topic_probability(evidence, self.coefficients) >= self.threshold


def should_decline(evidence: Evidence) -> bool:
    """True when the articles are unlikely to answer."""
    return Calibration(COEFFICIENTS, THRESHOLD).declines(evidence)


def fit(
    evidence: Sequence[Evidence], off_topic: Sequence[bool], *, l2: float = 0.1, steps: int = 5000
) -> np.ndarray:
    """Logistic regression by gradient descent (a few hundred rows: no library needed), on
    standardized features (a fine-tuned embedder's cosines leave the base model's band, and the
    reader's signal has its own scale), returned as coefficients of the raw features."""
    x = np.vstack([e.features() for e in evidence])
    centre, scale = x[:, 1:].mean(axis=0), x[:, 1:].std(axis=0) + 1e-9
    x[:, 1:] = (x[:, 1:] - centre) / scale
    y = np.asarray(off_topic, dtype=float)
    weights = np.zeros(x.shape[1])
    # off-topic questions are the minority: weigh the classes equally
    balance = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ weights))
        gradient = x.T @ ((p - y) * balance) / len(y) + l2 * np.r_[0.0, weights[1:]]
        weights -= 0.5 * gradient
    raw = weights[1:] / scale
    return np.r_[weights[0] - raw @ centre, raw]


def calibrate(
    evidence: Sequence[Evidence], off_topic: Sequence[bool], share: float = WRONGLY_DECLINED
) -> Calibration:
    """Fit the model, then the lowest threshold declining at most `share` of the real questions."""
    coefficients = fit(evidence, off_topic)
    real = sorted(
        (
            off_topic_probability(e, coefficients)
            for e, off in zip(evidence, off_topic, strict=True)
            if not off
        ),
        reverse=True,
    )
    allowed = int(share * len(real))
    threshold = real[allowed] + 1e-6 if allowed < len(real) else 0.0
    return Calibration(coefficients, threshold)
