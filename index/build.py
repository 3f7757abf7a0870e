"""Bring the store and the FAISS index in line with the content folder; embed only what changed."""

from __future__ import annotations

import os
import signal
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
CRASH_ENV = "KHA_CRASH_AT"
FOLDER_ACTOR = "content folder"


def checkpoint(name: str) -> None:
    """A named step of an update. The crash test sets KHA_CRASH_AT=<name> to kill -9 the
    process exactly here and then checks that nothing is lost."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


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


def quote_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """What a reply may quote: every sentence, and every two adjacent sentences, across a
    paragraph break too (an answer often needs the sentence before it: "Оны ... ашты", and news
    articles often put one sentence in a paragraph)."""
    units = [(s, e, 1) for s, e in spans]
    units += [(s1, e2, 2) for (s1, _), (_, e2) in pairwise(spans)]
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
    units = quote_spans(spans)
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
    # Changes a moderator started are logged by their own entry; the rest came from the folder.
    logged_elsewhere = {c.article_id for c in store.pending_changes()}
    if todo:
        embedder = embedder_factory()
        bar = tqdm(
            total=len(todo), desc="Indexing articles", unit="article", disable=not show_progress
        )
        for article in todo:
            text, fixes, chunks, spans = embed_article(
                article, embedder, max_tokens=max_tokens, overlap=overlap
            )
            before = store.current_version(article.id)
            old, new = store.save_article(article, text, fixes, chunks, spans)
            if article.id not in logged_elsewhere:
                action = "add" if before is None else "replace"
                after = store.current_version(article.id)
                store.log_event(FOLDER_ACTOR, action, article.id, before=before, after=after)
            removed_ids += old
            added_ids += new
            report.chunks_embedded += len(chunks)
            (report.updated if article.id in existing else report.added).append(article.id)
            bar.update(1)
        bar.close()
        store.set_meta(MODEL_KEY, model)
    for article_id in gone:
        before = store.current_version(article_id)
        removed_ids += store.remove_article(article_id)
        if article_id not in logged_elsewhere:
            store.log_event(FOLDER_ACTOR, "remove", article_id, before=before)
        report.removed.append(article_id)
    if report.changed:
        checkpoint("stored")
        vectors.update(store, index_path, removed_ids, added_ids)
    else:
        vectors.load(store, index_path)
    return report
