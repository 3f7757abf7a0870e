"""BM25 over Kazakh stems and over character n-grams (the latter forgives typos and odd endings)."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Sequence

import bm25s
import numpy as np
from scipy import sparse

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

Tokenizer = Callable[[str], list[str]]


def char_ngrams(tokens: Sequence[str], n: int = 4) -> list[str]:
    """Character n-grams of each token, with word boundaries marked, for typo-tolerant matching."""
    grams = []
    for token in tokens:
        padded = f"#{token}#"
        if len(padded) <= n:
            grams.append(padded)
            continue
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


class LexicalIndex:
    """BM25 scores for every document at once (the corpus is small enough to score whole)."""

    def __init__(self, documents: Sequence[list[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        frequency: dict[str, int] = {}
        for doc in documents:
            for token in set(doc):
                frequency[token] = frequency.get(token, 0) + 1
        self.vocabulary = set(frequency)
        self._sorted = sorted(frequency)
        self._frequency = frequency
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        # bm25s cannot index an empty document list or an empty document
        self._bm25.index(
            [list(doc) or ["\x00"] for doc in documents] or [["\x00"]], show_progress=False
        )

    def idf(self, token: str) -> float:
        """How rare a token is; a token no document holds is the rarest of all."""
        return float(np.log((self.size + 1) / (self._frequency.get(token, 0) + 0.5)))

    def known_form(self, token: str) -> str | None:
        """The documents' own token for a question token: itself, or the longest document token
        it begins with; stems of one word are not always cut alike (басқара / басқар-ады,
        правдаға → правда / правда → прав). None when there is none."""
        if token in self.vocabulary:
            return token
        for n in range(len(token) - 1, max(4, len(token) - 3) - 1, -1):
            if token[:n] in self.vocabulary:
                return token[:n]
        return None

    def knows(self, token: str) -> bool:
        """Whether the documents use the token, a form of it, or a word that begins like it."""
        if self.known_form(token) is not None:
            return True
        if len(token) < 4:
            return False
        prefix = token[: max(4, min(5, len(token) - 1))]
        i = bisect.bisect_left(self._sorted, prefix)
        return i < len(self._sorted) and self._sorted[i].startswith(prefix)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """One BM25 score per document (zeros when no query token is known)."""
        known = [t for t in query if t in self.vocabulary]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)[: self.size]


class TokenSets:
    """Which distinct tokens each document holds, as a sparse 0/1 matrix: the share of a
    question's words in every document, or a document's overlap with every other, in one
    sparse product instead of a Python loop over the documents."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        columns: dict[str, int] = {}
        rows, cols = [], []
        for row, doc in enumerate(documents):
            for token in set(doc):
                rows.append(row)
                cols.append(columns.setdefault(token, len(columns)))
        shape = (len(documents), max(len(columns), 1))
        ones = np.ones(len(rows), dtype=np.float32)
        self._matrix = sparse.csr_matrix((ones, (rows, cols)), shape=shape)
        self._by_token = self._matrix.tocsc()
        self._columns = columns
        self.sizes = np.asarray(self._matrix.sum(axis=1), dtype=np.float32).ravel()

    def share(self, tokens: Sequence[str]) -> np.ndarray:
        """For each document, the share of the distinct tokens it holds (0 for no tokens)."""
        wanted = set(tokens)
        found = [self._columns[t] for t in wanted if t in self._columns]
        if not found:
            return np.zeros(self._matrix.shape[0], dtype=np.float32)
        return self._held(found) / len(wanted)

    def overlap(self, i: int) -> np.ndarray:
        """How many distinct tokens each document shares with document i: only the columns of
        i's tokens are read (a product with the whole matrix cost 10 ms over 47,000 spans)."""
        row = self._matrix.indptr
        columns = self._matrix.indices[row[i] : row[i + 1]]
        return self._held(columns)

    def _held(self, columns: np.ndarray | list[int]) -> np.ndarray:
        return np.asarray(self._by_token[:, columns].sum(axis=1), dtype=np.float32).ravel()
