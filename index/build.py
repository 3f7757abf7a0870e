"""Bring the store and the FAISS index in line with the content folder; embed only what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from tqdm import tqdm

from index import vectors
from index.articles import Article
from index.chunking import chunk_sentences
from index.embedder import Embedder
from index.normalize import repair
from index.sentences import split_sentences
from index.store import NewChunk, NewSpan, Store

MODEL_KEY = "embedding_model"


@dataclass
class BuildReport:
    """What one build changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks_embedded: int = 0

    @property
    def changed(self) -> bool:
        """True when any article was added, updated or removed."""
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """One line for the console."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.chunks_embedded} chunks embedded"
        )


def plan(store: Store, articles: list[Article], model: str) -> tuple[list[Article], list[str]]:
    """(articles to (re)embed, ids to remove): compares content hashes, and the model used."""
    same_model = store.get_meta(MODEL_KEY) == model
    stored = {a.id: a.content_hash for a in store.articles()}
    wanted = {a.id for a in articles}
    todo = [a for a in articles if not same_model or stored.get(a.id) != a.content_hash]
    gone = sorted(set(stored) - wanted)
    return todo, gone


def quote_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """What a reply may quote: every sentence, and every two adjacent sentences of a paragraph
    (an answer often needs the sentence before it: "Оны ... ашты")."""
    units = [(s, e, 1) for s, e in spans]
    for (s1, e1), (s2, e2) in pairwise(spans):
        if "\n" not in text[e1:s2]:
            units.append((s1, e2, 2))
    return units


def embed_article(
    article: Article,
    embedder: Embedder,
    *,
    max_tokens: int,
    overlap: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, dict[str, int], list[NewChunk], list[NewSpan]]:
    """Repair, split, chunk and embed one article (the slow, model-bound part of a build)."""
    repaired = repair(article.text)
    text = repaired.text
    spans = split_sentences(text)
    chunks = chunk_sentences(
        text, spans, embedder.count_tokens, max_tokens=max_tokens, overlap=overlap
    )
    chunk_vectors = embedder.passages([text[c.start : c.end] for c in chunks])
    units = quote_spans(text, spans)
    span_vectors = embedder.passages([text[s:e] for s, e, _ in units])
    if progress:
        progress(len(chunks))
    new_chunks = [
        NewChunk(c.position, c.start, c.end, c.sentences, vector)
        for c, vector in zip(chunks, chunk_vectors, strict=True)
    ]
    new_spans = [
        NewSpan(s, e, n, vector) for (s, e, n), vector in zip(units, span_vectors, strict=True)
    ]
    return text, repaired.fixes, new_chunks, new_spans


def sync(
    store: Store,
    index_path: Path,
    articles: list[Article],
    *,
    model: str,
    embedder_factory: Callable[[], Embedder],
    max_tokens: int = 200,
    overlap: int = 1,
    show_progress: bool = True,
) -> BuildReport:
    """Make the store and the index match `articles`; load the model only if something changed."""
    report = BuildReport()
    todo, gone = plan(store, articles, model)
    existing = {a.id for a in store.articles()}
    todo_ids = {a.id for a in todo}
    report.unchanged = [a.id for a in articles if a.id not in todo_ids]
    removed_ids: list[int] = []
    added_ids: list[int] = []
    if todo:
        embedder = embedder_factory()
        bar = tqdm(
            total=len(todo), desc="Indexing articles", unit="article", disable=not show_progress
        )
        for article in todo:
            text, fixes, chunks, spans = embed_article(
                article, embedder, max_tokens=max_tokens, overlap=overlap
            )
            old, new = store.save_article(article, text, fixes, chunks, spans)
            removed_ids += old
            added_ids += new
            report.chunks_embedded += len(chunks)
            (report.updated if article.id in existing else report.added).append(article.id)
            bar.update(1)
        bar.close()
        store.set_meta(MODEL_KEY, model)
    for article_id in gone:
        removed_ids += store.remove_article(article_id)
        report.removed.append(article_id)
    if report.changed:
        vectors.update(store, index_path, removed_ids, added_ids)
    else:
        vectors.load(store, index_path)
    return report
