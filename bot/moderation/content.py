"""Apply a moderator's change so that no crash can lose it or break the bot.

The content folder stays the source a person can read and edit; SQLite keeps every version and
the audit log. One change is, in order:

1. the intent in the audit log (state "pending", with the markdown to write), committed;
2. the file `content/articles/<id>.md` written atomically (temporary file, fsync, rename) or
   deleted;
3. the store and the FAISS index synced with the folder (one SQLite transaction per article;
   the FAISS file is a cache replaced atomically and rebuilt from SQLite when it disagrees);
4. the audit entry marked "done" with the version it left current.

A kill at any moment leaves the previous, working index; `recover()` (run before every change,
by `python -m bot index build`, and when the Telegram bot starts) finishes what was pending.
Changes are serialized across processes by a lock file, so the bot and the command line can
both change the content. Readers are never touched: a new `Engine` is built from the result
and swapped in by the caller.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.config import Settings
from bot.moderation import texts
from bot.moderation.preview import changes
from bot.runtime import build_index, engine_over, open_store
from index.articles import (
    Article,
    ArticleFormatError,
    delete_article,
    parse_article,
    write_article,
)
from index.build import BuildReport, checkpoint
from index.embedder import Embedder
from index.normalize import repair
from index.quoting import QuotingEngine
from index.store import Change, Store

log = logging.getLogger(__name__)


class ContentError(Exception):
    """A change that cannot be made; the message (Kazakh) says why."""


@dataclass(frozen=True)
class Outcome:
    """What one change did."""

    change_id: int
    action: str
    article_id: str
    title: str
    before: int | None  # the version current before (None: absent or removed)
    after: int | None  # the version current after (None: removed)
    source_version: int | None = None  # restore and undo: the version whose text came back


@dataclass(frozen=True)
class Listed:
    """One article as moderators see it in a list."""

    id: str
    title: str
    source: str
    year: int | None
    version: int
    chunks: int
    removed: bool


@dataclass(frozen=True)
class UndoPlan:
    """What /undo would do: revert `change`, leaving `target` current (None: removed)."""

    change: Change
    target: int | None


class ContentManager:
    """Adds, replaces, removes and restores articles; every change audited and crash-safe."""

    def __init__(self, settings: Settings, embedder_factory: Callable[[], Embedder]) -> None:
        self.settings = settings
        self.embedder_factory = embedder_factory
        self._embedder: Embedder | None = None

    # -- plumbing ---------------------------------------------------------------------------
    def embedder(self) -> Embedder:
        """The model, loaded once (the Telegram bot hands over the one its engine uses)."""
        if self._embedder is None:
            self._embedder = self.embedder_factory()
        return self._embedder

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        """A connection of its own (SQLite connections belong to the thread that made them)."""
        store = open_store(self.settings)
        try:
            yield store
        finally:
            store.close()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Store]:
        """One change at a time across processes; the lock dies with its process."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.settings.data_dir / "content.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            with self.store() as store:
                yield store

    def _sync(self, store: Store) -> BuildReport:
        try:
            return build_index(self.settings, store, progress=False, embedder_factory=self.embedder)
        except ArticleFormatError as exc:
            raise ContentError(str(exc)) from exc

    def _write(self, article_id: str, markdown: str | None) -> None:
        folder = self.settings.content_dir
        if markdown is None:
            delete_article(folder, article_id)
        else:
            write_article(folder, parse_article(article_id, markdown))

    def _finish(self, store: Store, change: Change) -> int | None:
        after = store.current_version(change.article_id or "")
        checkpoint("indexed")
        store.finish_change(change.id, after)
        return after

    def _recover(self, store: Store) -> list[Change]:
        pending = store.pending_changes()
        if not pending:
            return []
        for change in pending:
            log.warning("finishing change %d (%s %s)", change.id, change.action, change.article_id)
            self._write(change.article_id or "", change.markdown)
        self._sync(store)
        for change in pending:
            self._finish(store, change)
        ids = {c.id for c in pending}
        return [c for c in store.changes(state="done", limit=1000) if c.id in ids]

    def _apply(
        self,
        actor: str,
        action: str,
        article_id: str,
        markdown: str | None,
        *,
        detail: str = "",
        reverts: int | None = None,
        source_version: int | None = None,
    ) -> Outcome:
        with self._locked() as store:
            self._recover(store)
            before = store.current_version(article_id)
            change_id = store.begin_change(actor, action, article_id, markdown, detail=detail)
            checkpoint("journaled")
            self._write(article_id, markdown)
            checkpoint("file-written")
            self._sync(store)
            (change,) = [c for c in store.pending_changes() if c.id == change_id]
            after = self._finish(store, change)
            if reverts is not None:
                store.mark_undone(reverts, change_id)
            stored = store.article(article_id)
        title = stored.title if stored else article_id
        return Outcome(change_id, action, article_id, title, before, after, source_version)

    # -- reading ------------------------------------------------------------------------------
    def recover(self) -> list[Change]:
        """Finish every change a crash interrupted; the finished audit entries."""
        with self._locked() as store:
            return self._recover(store)

    def versions(self) -> dict[str, int | None]:
        """Every known article id and its current version (None when removed)."""
        with self.store() as store:
            return {a.id: store.current_version(a.id) for a in store.articles(include_removed=True)}

    def listing(self) -> list[Listed]:
        """Every article, removed ones too, with its current version and chunk count."""
        with self.store() as store:
            return [
                Listed(
                    a.id,
                    a.title,
                    a.source,
                    a.year,
                    a.version,
                    store.chunk_count(a.id),
                    store.is_removed(a.id),
                )
                for a in store.articles(include_removed=True)
            ]

    def changes(self, article_id: str, text: str) -> list[tuple[str, str]] | None:
        """Where `text` (a replacement, repaired as the index would) differs from the article's
        current text; None when there is no current text."""
        with self.store() as store:
            article = store.article(article_id)
        if article is None:
            return None
        return changes(article.text, repair(text).text)

    def open_engine(self) -> QuotingEngine:
        """A new engine over the current index (built off the event loop, then swapped in)."""
        return engine_over(self.settings, open_store(self.settings), self.embedder())

    def last_change(self) -> int:
        """The newest finished content change (to notice changes made by another process)."""
        with self.store() as store:
            return store.last_change_id()

    # -- changing -----------------------------------------------------------------------------
    def put(self, article: Article, actor: str, *, replace: bool) -> Outcome:
        """Add a new article, or with `replace` store a new version of an existing one."""
        live = self.versions().get(article.id) is not None
        if live and not replace:
            raise ContentError(texts.EXISTS.format(id=article.id))
        return self._apply(actor, "replace" if live else "add", article.id, article.to_markdown())

    def remove(self, article_id: str, actor: str) -> Outcome:
        """Soft-remove: the bot stops quoting it; every version stays in SQLite."""
        if self.versions().get(article_id) is None:
            raise ContentError(texts.ABSENT.format(id=article_id))
        return self._apply(actor, "remove", article_id, None)

    def restore(self, article_id: str, actor: str, version: int | None = None) -> Outcome:
        """Bring back a version (the newest by default) as the current text."""
        with self.store() as store:
            stored = store.versions(article_id)
            wanted = version or (stored[-1].version if stored else 0)
            markdown = store.version_markdown(article_id, wanted)
            current = store.current_version(article_id)
        if markdown is None:
            raise ContentError(texts.NO_VERSION.format(id=article_id, version=wanted))
        if current == wanted:
            raise ContentError(texts.ALREADY_CURRENT.format(id=article_id, version=wanted))
        return self._apply(
            actor, "restore", article_id, markdown, detail=f"v{wanted}", source_version=wanted
        )

    def undo_plan(self, article_id: str) -> UndoPlan | None:
        """What undoing the article's last change would do; None when there is nothing to undo."""
        with self.store() as store:
            change = store.last_undoable(article_id)
        if change is None:
            return None
        return UndoPlan(change, change.before_version)

    def undo(self, article_id: str, actor: str) -> Outcome:
        """Revert the article's last change: the version current before it comes back."""
        plan = self.undo_plan(article_id)
        if plan is None:
            raise ContentError(texts.NOTHING_TO_UNDO_PLAIN.format(id=article_id))
        markdown = None
        if plan.target is not None:
            with self.store() as store:
                markdown = store.version_markdown(article_id, plan.target)
        return self._apply(
            actor,
            "undo",
            article_id,
            markdown,
            detail=f"#{plan.change.id}",
            reverts=plan.change.id,
            source_version=plan.target,
        )

    def log_event(self, actor: str, action: str, detail: str = "") -> None:
        """Record something that is not a content change (a refused attempt, a new moderator)."""
        with self.store() as store:
            store.log_event(actor, action, detail=detail)
