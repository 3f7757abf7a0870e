"""Deciding to say "the articles do not cover this": several signals together, not one cosine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for one question."""

    dense: float  # best cosine of a sentence
    dense_chunk: float  # best cosine of a chunk
    coverage: float  # share of the question's stems that occur anywhere in the articles
    matched: int  # question stems found in the best sentence
    query_tokens: int
    lang: str


def should_decline(evidence: Evidence) -> bool:
    """True when the articles are unlikely to answer (placeholder: calibrated in search tuning)."""
    return evidence.dense < 0.80 and evidence.matched == 0
