"""The engine: from a question to quotes cut exactly from the articles, or an honest refusal.

What can be quoted is a span of one sentence or two adjacent sentences. Every span is scored by
seven signals (dense similarity of the span and of its best chunk, BM25 over stems of the span and
of its chunk, BM25 over character n-grams of the span, whether it holds a number or a person when
the question asks for one, and the share of the question's words it holds), each scaled to [0, 1]
for this question and summed with fixed weights. The best span is the quote.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index import vectors
from index.answer import Answer, ArticleInfo, Passage, Quote, Source
from index.decline import Evidence, should_decline
from index.embedder import Embedder
from index.lexical import LexicalIndex, TokenSets, char_ngrams
from index.lists import holds_lost_list
from index.query import Query, understand
from index.reader import Reader
from index.smalltalk import is_small_talk
from index.spelling import Speller
from index.store import Store
from index.tokens import lexical_tokens

# weights: dense span, dense chunk, BM25 span, BM25 chunk, n-grams of span, the kind of answer
# asked for (a number, a person) is there, share of the question's words in the span
WEIGHTS = np.array([1.0, 0.6, 0.3, 0.4, 0.6, 0.3, 1.0], dtype=np.float32)
# The dense scores are scaled between the best and the best-but-DEPTH spans (see _scaled_top).
_DENSE_DEPTH = 50
_DIGITS = re.compile(r"\d+")
_REFERENCE = re.compile(r"\[\d+(?:[,–-]\s*\d+)*\]")  # a citation mark: [5], [3, 7]
# A person's name: initials (Н.Ә.) or a Kazakh or Russian surname ending.
_PERSON = re.compile(
    r"\b[А-ЯӘҒҚҢӨҰҮҺІ]\.\s?[А-ЯӘҒҚҢӨҰҮҺІ]|"
    r"\b[А-ЯӘҒҚҢӨҰҮҺІ][а-яәғқңөұүһі]+(?:ов|ев|ова|ева|ұлы|қызы)(?:[а-яәғқңөұүһі]{0,4})\b"
)
# A number written as a word (жиырма, екеу, үшінші), whole: not the start of бірлік, онда, жүзеге.
# "Бір" alone is left out: it is mostly the article "a" (бір шаңырақ астында).
_NUMBER_WORDS = re.compile(
    r"\b(екі|үш|төрт|бес|алты|жеті|сегіз|тоғыз|он|жиырма|отыз|қырық|елу|алпыс|жетпіс"
    r"|сексен|тоқсан|жүз|мың)(?:інші|ыншы|нші|ншы|еу|ау)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Span:
    article: str
    start: int
    end: int
    sentences: int
    chunk: int  # the chunk it was cut from (for "the whole passage")


def _scaled(values: np.ndarray) -> np.ndarray:
    """Scale to [0, 1] for this question; all zeros when the signal says nothing."""
    top, low = float(values.max(initial=0.0)), float(values.min(initial=0.0))
    if top <= low:
        return np.zeros_like(values)
    return (values - low) / (top - low)


def _scaled_top(values: np.ndarray, depth: int = _DENSE_DEPTH) -> np.ndarray:
    """Scale so the best is 1 and the `depth`-th best is 0 (lower ones below 0 are cut).

    Dense cosines of e5 crowd into a narrow band; scaled over all spans, the few that matter
    differ by hundredths and lexical signals drown them. Scaled over the top they keep their say.
    """
    if len(values) <= depth:
        return _scaled(values)
    top, low = float(values.max()), float(np.partition(values, -depth - 1)[-depth - 1])
    if top <= low:
        return np.zeros_like(values)
    return np.clip((values - low) / (top - low), 0.0, None)


class Engine:
    """Holds the model, the FAISS index, the BM25 indexes and the article texts, loaded once."""

    def __init__(
        self,
        store: Store,
        index_path: Path,
        embedder: Embedder,
        *,
        candidates: int = 30,
        scored_chunks: int = 300,
        max_quotes: int = 3,
        reader: Reader | None = None,
        read: int = 4,
        decline: bool = True,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.reader = reader
        self.read = read
        self.decline = decline  # False: always quote the best (ranking measured alone)
        self.candidates = candidates
        self.scored_chunks = scored_chunks
        self.max_quotes = max_quotes
        self.index = vectors.load(store, index_path)
        self._articles = {a.id: a for a in store.articles()}
        self._chunks = {row["id"]: row for row in store.iter_chunks()}
        self._chunk_ids = np.array(sorted(self._chunks), dtype=np.int64)
        rows, self._span_vectors = store.span_rows()
        self._held = _chunks_holding(rows, [self._chunks[int(c)] for c in self._chunk_ids])
        self._spans_of = _spans_held(self._held, len(self._chunk_ids))
        self._spans = [
            _Span(
                row["article_id"],
                row["start"],
                row["end"],
                row["sentences"],
                int(self._chunk_ids[held[0]]) if held[0] >= 0 else 0,
            )
            for row, held in zip(rows, self._held, strict=True)
        ]
        self.speller = Speller(a.text for a in self._articles.values())
        texts = [self._text(span) for span in self._spans]
        self._span_tokens = [lexical_tokens(text) for text in texts]
        self._span_sets = TokenSets(self._span_tokens)
        self._span_articles = np.array([s.article for s in self._spans], dtype=object)
        self._span_sentences = np.array([s.sentences for s in self._spans], dtype=np.int64)
        self._twin_cache: dict[int, list[int]] = {}
        self._has_number = np.array(
            [bool(_DIGITS.search(t) or _NUMBER_WORDS.search(t)) for t in texts], dtype=np.float32
        )
        self._has_person = np.array([bool(_PERSON.search(t)) for t in texts], dtype=np.float32)
        self._lost_list = np.array(
            [holds_lost_list(self._articles[s.article].text, s.start, s.end) for s in self._spans],
            dtype=bool,
        )
        self._stems = LexicalIndex(self._span_tokens)
        self._grams = LexicalIndex([char_ngrams(tokens) for tokens in self._span_tokens])
        self._chunk_stems = LexicalIndex(
            [
                lexical_tokens(self._articles[c["article_id"]].text[c["start"] : c["end"]])
                for c in (self._chunks[int(cid)] for cid in self._chunk_ids)
            ]
        )

    # -- public API -----------------------------------------------------------
    def answer(self, question: str) -> Answer:
        """Quotes that answer the question, best first; none when the articles do not cover it."""
        query = understand(question, self.speller)
        if is_small_talk(question):
            return replace(self._decline(query), small_talk=True)
        if not query.tokens or not self._spans:  # no word to search for: emoji, "???"
            return self._decline(query)
        quotes, evidence = self._weighed(query)
        if not quotes or (self.decline and self._declines(quotes, evidence)):
            return self._decline(query)
        main, rest = [quotes[0]], quotes[1:]
        if rest and self._disagree(quotes[0], rest[0]):
            main.append(rest.pop(0))
        return Answer(question, tuple(main), lang=query.lang, others=tuple(rest))

    def evidence(self, question: str) -> Evidence | None:
        """What the decision to decline weighs (the reader's signal included), or None when the
        question has no word to search for: the decline model is fitted on it."""
        query = understand(question, self.speller)
        if not query.tokens or not self._spans:
            return None
        return self._weighed(query)[1]

    def _weighed(self, query: Query) -> tuple[list[Quote], Evidence]:
        """The candidate quotes, best first, and the evidence; the reader reads the first ones
        (it never reorders them: reordered by it, R@1 fell from 0.77 to 0.55 on the test set)."""
        spans, signals, evidence = self.scored(query)
        quotes = self._quotes(spans, self._fused(spans, signals))
        if self.reader is not None and quotes:
            reading = self.reader.read(query.text, [q.text for q in quotes[: self.read]])
            evidence = replace(evidence, reader=reading.margin)
        return quotes, evidence

    def _declines(self, quotes: list[Quote], evidence: Evidence) -> bool:
        """Whether to say the articles do not cover the question: the reader's decline models
        (which one depends on whether it learnt the first quote's article), else the logistic
        model over retrieval signals."""
        if self.reader is None:
            return should_decline(evidence)
        article = self._articles[quotes[0].source.article]
        return self.reader.declines(evidence, article.content_hash)

    def passage(self, chunk_id: int) -> Passage | None:
        """The whole chunk a quote was cut from."""
        chunk = self._chunks.get(chunk_id)
        if chunk is None:
            return None
        article = self._articles[chunk["article_id"]]
        text = article.text[chunk["start"] : chunk["end"]]
        return Passage(chunk_id, text, self._source(article.id))

    def articles(self) -> list[ArticleInfo]:
        """Every article the engine answers from."""
        counts: dict[str, int] = {}
        for chunk in self._chunks.values():
            counts[chunk["article_id"]] = counts.get(chunk["article_id"], 0) + 1
        return [
            ArticleInfo(a.id, a.title, a.year, a.source, a.version, counts.get(a.id, 0))
            for a in self._articles.values()
        ]

    def close(self) -> None:
        """Close the database connection (after a swap, once no answer is using the engine)."""
        self.store.close()

    def scored(self, query: Query) -> tuple[np.ndarray, np.ndarray, Evidence]:
        """The spans worth scoring, their signals (one row per signal) and the evidence.

        Over a large library only the spans of the best chunks are scored (`scored_chunks` by
        FAISS and as many by BM25): scoring every span grew an answer's time with the library.
        """
        vector = self.embedder.queries([query.text])[0]
        tokens = [self._stems.known_form(t) or t for t in query.tokens]
        bm_chunk = self._chunk_stems.scores(tokens)
        subset = len(self._chunk_ids) > 2 * self.scored_chunks
        k = min(len(self._chunk_ids), max(self.scored_chunks if subset else 0, self.candidates, 1))
        found_scores, found_ids = self.index.search(vector[None, :], k)
        found = np.searchsorted(self._chunk_ids, found_ids[0][found_ids[0] >= 0])
        chunk_dense = np.zeros(len(self._chunk_ids), dtype=np.float32)
        top = min(len(found), self.candidates)
        chunk_dense[found[:top]] = found_scores[0][:top]
        if subset:
            lexical = np.argpartition(-bm_chunk, self.scored_chunks)[: self.scored_chunks]
            chunks = np.union1d(found, lexical[bm_chunk[lexical] > 0])
            spans = np.unique(np.concatenate([self._spans_of[c] for c in chunks]))
            pick: np.ndarray | slice = spans
        else:
            spans = np.arange(len(self._spans))
            pick = slice(None)  # every span: views, not copies of the span tables
        dense_span = self._span_vectors[pick] @ vector
        signals = np.vstack(
            [
                _scaled_top(dense_span),
                _scaled_top(self._per_span(chunk_dense, pick)),
                _scaled(self._stems.scores(tokens)[pick]),
                _scaled(self._per_span(bm_chunk, pick)),
                _scaled(self._grams.scores(query.grams)[pick]),
                np.maximum(
                    self._has_number[pick] * query.wants_number,
                    self._has_person[pick] * query.wants_person,
                ),
                # the share of the question's words a span holds: BM25 rewards repetition and
                # short spans, this a span that answers every part of the question
                self._span_sets.share(tokens)[pick],
            ]
        )
        best = int(spans[np.argmax(self._fused(spans, signals))])
        topic = set(query.topic) or {""}
        weight = {t: self._stems.idf(t) for t in topic}
        total = sum(weight.values()) or 1.0
        known = sum(w for t, w in weight.items() if t in self._stems.vocabulary)
        in_best = sum(w for t, w in weight.items() if t in set(self._span_tokens[best]))
        evidence = Evidence(
            dense=float(dense_span.max()),
            dense_chunk=float(chunk_dense.max()),
            coverage=known / total,
            matched=in_best / total,
            unknown=sum(not self._stems.knows(t) for t in topic),
            russian=query.lang == "ru",
        )
        return spans, signals, evidence

    def _fused(self, spans: np.ndarray, signals: np.ndarray) -> np.ndarray:
        """The spans' scores. A span holding a list's introduction whose items the article lost
        scores nothing: it is never quoted as it stands (index/quoting.py leaves the introduction
        out, and the rest is a span of its own), yet its words drew it first: «Ассамблеяның
        негізгі міндеті қандай?» got «…негізгі міндеттер тұр:» and then another list."""
        fused = WEIGHTS @ signals
        fused[self._lost_list[spans]] = -np.inf
        return fused

    def _per_span(self, chunk_scores: np.ndarray, spans: np.ndarray | slice) -> np.ndarray:
        """Each span gets the best score of the chunks holding it (two where chunks overlap)."""
        if not self._held.size:
            return np.zeros(len(self._held[spans]), dtype=np.float32)
        padded = np.append(chunk_scores.astype(np.float32), np.float32(0.0))  # index -1 → 0
        return padded[self._held[spans]].max(axis=1)

    # -- quotes ---------------------------------------------------------------
    def _text(self, span: _Span) -> str:
        return self._articles[span.article].text[span.start : span.end]

    def _quotes(self, spans: np.ndarray, fused: np.ndarray) -> list[Quote]:
        """Non-overlapping quotes from the scored `spans`, best first; a passage that stands
        almost word for word in several articles is one quote naming all of them."""
        quotes: list[Quote] = []
        taken: list[_Span] = []
        for j in np.argsort(-fused)[: self.candidates * 2]:
            if fused[j] == -np.inf:
                break
            i = int(spans[j])
            span = self._spans[i]
            if any(_overlap(t, span) for t in taken):
                continue
            twins = self._twins(i)
            taken += [span, *(self._spans[j] for j in twins)]
            articles = dict.fromkeys([span.article, *(self._spans[j].article for j in twins)])
            sources = tuple(self._source(a) for a in articles)
            quotes.append(Quote(self._text(span), sources, float(fused[j]), span.chunk))
            if len(quotes) >= self.max_quotes + 2:
                break
        return quotes

    def _twins(self, i: int) -> list[int]:
        """Spans of other articles that say nearly the same (the same passage copied); remembered,
        since the same passages answer many questions."""
        if i not in self._twin_cache:
            self._twin_cache[i] = self._find_twins(i)
        return self._twin_cache[i]

    def _find_twins(self, i: int) -> list[int]:
        sets = self._span_sets
        if not sets.sizes[i]:
            return []
        shared = sets.overlap(i)
        union = sets.sizes + sets.sizes[i] - shared
        twins = (
            (shared >= 0.8 * union)
            & (self._span_articles != self._spans[i].article)
            & (self._span_sentences == self._spans[i].sentences)
        )
        return [int(j) for j in np.flatnonzero(twins)]

    def _disagree(self, a: Quote, b: Quote) -> bool:
        """Two articles answering the same question with different numbers (written in different
        years): both are shown, with their years, rather than silently picking one."""
        if a.source.article == b.source.article or b.score < 0.85 * a.score:
            return False
        numbers_a, numbers_b = (set(_DIGITS.findall(_REFERENCE.sub("", q.text))) for q in (a, b))
        return bool(numbers_a and numbers_b and numbers_a != numbers_b)

    def _source(self, article_id: str) -> Source:
        article = self._articles[article_id]
        return Source(article.id, article.title, article.year)

    def _decline(self, query: Query) -> Answer:
        titles = tuple(a.title for a in self._articles.values())
        return Answer(query.original, (), lang=query.lang, suggestions=titles)


def _chunks_holding(spans: list[dict], chunks: list[dict]) -> np.ndarray:
    """For each span, the positions in `chunks` of the chunks whose text holds its start, padded
    with -1. An article's chunks follow each other (overlapping by a sentence), so the holders are
    the last chunks starting at or before the span: found by bisection, not by a scan of all."""
    by_article: dict[str, list[tuple[int, int, int]]] = {}
    for position, chunk in enumerate(chunks):
        by_article.setdefault(chunk["article_id"], []).append(
            (chunk["start"], chunk["end"], position)
        )
    for listed in by_article.values():
        listed.sort()
    held: list[list[int]] = []
    for span in spans:
        listed = by_article.get(span["article_id"], [])
        i = bisect.bisect_right(listed, (span["start"], np.iinfo(np.int64).max, 0))
        found = []
        while i > 0 and listed[i - 1][1] > span["start"]:
            found.append(listed[i - 1][2])
            i -= 1
        held.append(found[::-1] or [-1])
    width = max((len(h) for h in held), default=1)
    return np.array([h + [-1] * (width - len(h)) for h in held], dtype=np.int64).reshape(
        len(held), width
    )


def _spans_held(held: np.ndarray, chunks: int) -> list[np.ndarray]:
    """For each chunk position, the spans it holds (`held` turned around)."""
    spans, slots = np.nonzero(held >= 0)
    by_chunk = held[spans, slots]
    order = np.argsort(by_chunk, kind="stable")
    bounds = np.searchsorted(by_chunk[order], np.arange(chunks + 1))
    return [spans[order[bounds[c] : bounds[c + 1]]] for c in range(chunks)]


def _overlap(a: _Span, b: _Span) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end
