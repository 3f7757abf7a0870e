"""The engine: from a question to quotes cut exactly from the articles, or an honest refusal."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import vectors
from index.answer import Answer, ArticleInfo, Passage, Quote, Source
from index.embedder import Embedder
from index.normalize import normalize_question
from index.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Sentence:
    id: int
    article: str
    start: int
    end: int


class Engine:
    """Holds the model, the FAISS index and the article texts in memory, loaded once."""

    def __init__(self, store: Store, index_path: Path, embedder: Embedder, *, candidates: int = 30,
                 max_quotes: int = 3, min_score: float = 0.80) -> None:
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.max_quotes = max_quotes
        self.min_score = min_score
        self.index = vectors.load(store, index_path)
        self._articles = {a.id: a for a in store.articles()}
        self._chunks = {row["id"]: row for row in store.iter_chunks()}
        rows, self._sentence_vectors = store.sentence_rows()
        self._sentences = [_Sentence(r["id"], r["article_id"], r["start"], r["end"]) for r in rows]

    # -- public API -----------------------------------------------------------
    def answer(self, question: str) -> Answer:
        """Quotes that answer the question, best first; none when the articles do not cover it."""
        started = time.perf_counter()
        text = normalize_question(question)
        if not text or not self._sentences:
            return Answer(question=question, quotes=(), suggestions=self.suggestions())
        query = self.embedder.queries([text])[0]
        ranked = self._rank_sentences(query)
        quotes = self._quotes(ranked)
        log.debug("answered in %.1f ms", (time.perf_counter() - started) * 1000)
        if not quotes or quotes[0].score < self.min_score:
            return Answer(question=question, quotes=(), suggestions=self.suggestions())
        shown = tuple(quotes[: self.max_quotes])
        return Answer(question=question, quotes=shown[:1], others=shown[1:])

    def passage(self, chunk_id: int) -> Passage | None:
        """The whole chunk a quote was cut from."""
        chunk = self._chunks.get(chunk_id)
        if chunk is None:
            return None
        article = self._articles[chunk["article_id"]]
        return Passage(chunk_id, article.text[chunk["start"] : chunk["end"]], self._source(article.id))

    def articles(self) -> list[ArticleInfo]:
        """Every article the engine answers from."""
        counts: dict[str, int] = {}
        for chunk in self._chunks.values():
            counts[chunk["article_id"]] = counts.get(chunk["article_id"], 0) + 1
        return [
            ArticleInfo(a.id, a.title, a.year, a.source, a.version, counts.get(a.id, 0))
            for a in self._articles.values()
        ]

    def suggestions(self) -> tuple[str, ...]:
        """Topics to offer when declining."""
        return (
            "Ассамблея қашан және қалай құрылды",
            "Ассамблеяның мақсаты мен міндеттері",
            "Ассамблея Парламентте: Мәжіліс депутаттары",
            "этномәдени бірлестіктер, тілдер мен мектептер",
        )

    # -- internals ------------------------------------------------------------
    def _source(self, article_id: str) -> Source:
        article = self._articles[article_id]
        return Source(article.id, article.title, article.year)

    def _rank_sentences(self, query: np.ndarray) -> list[tuple[float, _Sentence]]:
        scores = self._sentence_vectors @ query
        k = min(self.candidates, self.index.ntotal)
        chunk_scores, chunk_ids = self.index.search(query[None, :], k)
        best_chunk: dict[tuple[str, int], float] = {}
        for score, chunk_id in zip(chunk_scores[0], chunk_ids[0], strict=True):
            chunk = self._chunks.get(int(chunk_id))
            if chunk is None:
                continue
            for start, _ in chunk["sentences"]:
                key = (chunk["article_id"], start)
                best_chunk[key] = max(best_chunk.get(key, 0.0), float(score))
        ranked = []
        for sentence, score in zip(self._sentences, scores, strict=True):
            context = best_chunk.get((sentence.article, sentence.start), 0.0)
            ranked.append((0.5 * float(score) + 0.5 * context, sentence))
        ranked.sort(key=lambda pair: -pair[0])
        return ranked

    def _quotes(self, ranked: list[tuple[float, _Sentence]]) -> list[Quote]:
        quotes: list[Quote] = []
        seen_articles: set[str] = set()
        for score, sentence in ranked:
            if sentence.article in seen_articles:
                continue
            seen_articles.add(sentence.article)
            text = self._articles[sentence.article].text[sentence.start : sentence.end]
            quotes.append(Quote(text, (self._source(sentence.article),), score,
                                self._chunk_of(sentence)))
            if len(quotes) >= self.max_quotes:
                break
        return quotes

    def _chunk_of(self, sentence: _Sentence) -> int:
        for chunk_id, chunk in self._chunks.items():
            if chunk["article_id"] == sentence.article and chunk["start"] <= sentence.start < chunk["end"]:
                return int(chunk_id)
        return 0
