"""The SQLite store: articles with every version, chunks and quote spans with their vectors.

SQLite is the source of truth. Chunk ids are never reused (AUTOINCREMENT) and are the FAISS
ids, so the vector index can always be rebuilt from here, and an article's change touches only
its own rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlite_utils

from index.articles import Article
from index.database import connect, now
from index.migrations import Migration, migrate


def _initial_schema(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            year INTEGER,
            lang TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,           -- the repaired text quotes are cut from
            fixes TEXT NOT NULL,          -- JSON: what the repair changed, by kind
            updated_at TEXT NOT NULL,
            removed_at TEXT               -- soft removal: the row and its versions stay
        );
        CREATE TABLE article_versions (
            article_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            markdown TEXT NOT NULL,       -- the whole file as the moderator gave it
            created_at TEXT NOT NULL,
            PRIMARY KEY (article_id, version)
        );
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,   -- the FAISS id; never reused
            article_id TEXT NOT NULL REFERENCES articles(id),
            position INTEGER NOT NULL,
            start INTEGER NOT NULL,       -- character offsets into articles.text
            "end" INTEGER NOT NULL,
            sentences TEXT NOT NULL,      -- JSON list of [start, end] offsets into articles.text
            embedding BLOB NOT NULL       -- float32 vector
        );
        CREATE INDEX chunks_article ON chunks(article_id);
        CREATE TABLE quote_spans (        -- what a reply can quote: one sentence, or two adjacent
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id TEXT NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            sentences INTEGER NOT NULL,
            embedding BLOB NOT NULL
        );
        CREATE INDEX quote_spans_article ON quote_spans(article_id);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )


def _drop_declined(db: sqlite_utils.Database) -> None:
    """Declined questions are the bot's record now (bot_answers), not the engine's."""
    db.execute("DROP TABLE IF EXISTS declined")


def _audit_log(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE audit_log (          -- every change of the content, and who made it
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,          -- "telegram:<user id>", "cli:<login>", "content folder"
            action TEXT NOT NULL,         -- add, replace, remove, restore, undo, denied, ...
            article_id TEXT,
            before_version INTEGER,       -- current before the change (NULL: absent or removed)
            after_version INTEGER,        -- current after it (NULL: removed)
            markdown TEXT,                -- what the change writes to the content file
            detail TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,          -- "pending": intent written, not applied yet; "done"
            undone_by INTEGER             -- the change that reverted this one
        );
        CREATE INDEX audit_log_article ON audit_log(article_id);
        """
    )


MIGRATIONS: list[Migration] = [
    ("0001_initial", _initial_schema),
    ("0003_audit_log", _audit_log),
    ("0004_drop_declined", _drop_declined),
]

# Changes that /undo can revert (an undo is itself reverted by the next undo further back).
UNDOABLE = ("add", "replace", "remove", "restore")


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored: its current version and repaired text."""

    id: str
    title: str
    source: str
    year: int | None
    lang: str
    version: int
    content_hash: str
    text: str


@dataclass(frozen=True)
class Version:
    """One stored version of an article."""

    version: int
    content_hash: str
    created_at: str


@dataclass(frozen=True)
class Change:
    """One row of the audit log."""

    id: int
    at: str
    actor: str
    action: str
    article_id: str | None
    before_version: int | None
    after_version: int | None
    markdown: str | None
    detail: str
    state: str
    undone_by: int | None


@dataclass(frozen=True)
class NewChunk:
    """A chunk about to be stored: offsets into the repaired text and its vector."""

    position: int
    start: int
    end: int
    sentences: Sequence[tuple[int, int]]
    embedding: np.ndarray


@dataclass(frozen=True)
class NewSpan:
    """A quote span (one sentence or two adjacent ones) about to be stored with its vector."""

    start: int
    end: int
    sentences: int
    embedding: np.ndarray


def _blob(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


class Store:
    """A thin, typed layer over the SQLite database."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self.db = connect(path)
        migrate(self.db, MIGRATIONS)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # -- meta -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """A value of the small key-value table (the embedding model, the index checksum)."""
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [key]))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Set one key of the meta table."""
        self.db.table("meta").upsert({"key": key, "value": value}, pk="key")

    # -- articles -------------------------------------------------------------
    _ARTICLE = "SELECT id, title, source, year, lang, version, content_hash, text FROM articles"

    def articles(self, *, include_removed: bool = False) -> list[StoredArticle]:
        """The current version of every article, by id."""
        where = "" if include_removed else " WHERE removed_at IS NULL"
        rows = self.db.query(f"{self._ARTICLE}{where} ORDER BY id")
        return [StoredArticle(**row) for row in rows]

    def article(self, article_id: str) -> StoredArticle | None:
        """One article, removed or not."""
        rows = list(self.db.query(f"{self._ARTICLE} WHERE id = ?", [article_id]))
        return StoredArticle(**rows[0]) if rows else None

    def chunk_count(self, article_id: str) -> int:
        """How many chunks an article has now."""
        sql = "SELECT count(*) AS n FROM chunks WHERE article_id = ?"
        return int(next(self.db.query(sql, [article_id]))["n"])

    def save_article(
        self,
        article: Article,
        repaired: str,
        fixes: dict[str, int],
        chunks: Sequence[NewChunk],
        spans: Sequence[NewSpan],
    ) -> tuple[list[int], list[int]]:
        """Store a new version of an article with its chunks, in one transaction.

        Returns (old chunk ids, new chunk ids) so the vector index can follow.
        """
        with self.db.atomic():
            old = self.chunk_ids(article.id)
            previous = self.article(article.id)
            version = previous.version + 1 if previous else 1
            self.db.table("article_versions").insert(
                {
                    "article_id": article.id,
                    "version": version,
                    "content_hash": article.content_hash,
                    "markdown": article.to_markdown(),
                    "created_at": now(),
                }
            )
            self.db.table("articles").upsert(
                {
                    "id": article.id,
                    "title": article.title,
                    "source": article.source,
                    "year": article.year,
                    "lang": article.lang,
                    "version": version,
                    "content_hash": article.content_hash,
                    "text": repaired,
                    "fixes": json.dumps(fixes, ensure_ascii=False, sort_keys=True),
                    "updated_at": now(),
                    "removed_at": None,
                },
                pk="id",
            )
            self.db.execute("DELETE FROM chunks WHERE article_id = ?", [article.id])
            self.db.execute("DELETE FROM quote_spans WHERE article_id = ?", [article.id])
            new = []
            for chunk in chunks:
                cursor = self.db.execute(
                    'INSERT INTO chunks (article_id, position, start, "end", sentences, embedding)'
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        article.id,
                        chunk.position,
                        chunk.start,
                        chunk.end,
                        json.dumps([list(s) for s in chunk.sentences]),
                        _blob(chunk.embedding),
                    ],
                )
                new.append(int(cursor.lastrowid or 0))
            self.db.table("quote_spans").insert_all(
                {
                    "article_id": article.id,
                    "start": s.start,
                    "end": s.end,
                    "sentences": s.sentences,
                    "embedding": _blob(s.embedding),
                }
                for s in spans
            )
        return old, new

    def remove_article(self, article_id: str) -> list[int]:
        """Soft-remove an article: its versions stay, its chunks leave the index."""
        with self.db.atomic():
            old = self.chunk_ids(article_id)
            self.db.execute("UPDATE articles SET removed_at = ? WHERE id = ?", [now(), article_id])
            self.db.execute("DELETE FROM chunks WHERE article_id = ?", [article_id])
            self.db.execute("DELETE FROM quote_spans WHERE article_id = ?", [article_id])
        return old

    def is_removed(self, article_id: str) -> bool:
        """True when the article exists and was removed."""
        sql = "SELECT removed_at FROM articles WHERE id = ?"
        rows = list(self.db.query(sql, [article_id]))
        return bool(rows and rows[0]["removed_at"])

    def current_version(self, article_id: str) -> int | None:
        """The version a reader sees now; None when the article is absent or removed."""
        article = self.article(article_id)
        return None if article is None or self.is_removed(article_id) else article.version

    def versions(self, article_id: str) -> list[Version]:
        """Every stored version of an article, oldest first."""
        sql = (
            "SELECT version, content_hash, created_at FROM article_versions"
            " WHERE article_id = ? ORDER BY version"
        )
        return [Version(**row) for row in self.db.query(sql, [article_id])]

    def version_markdown(self, article_id: str, version: int) -> str | None:
        """The file of one version, exactly as it was given."""
        sql = "SELECT markdown FROM article_versions WHERE article_id = ? AND version = ?"
        rows = list(self.db.query(sql, [article_id, version]))
        return rows[0]["markdown"] if rows else None

    # -- the audit log ----------------------------------------------------------
    def begin_change(
        self,
        actor: str,
        action: str,
        article_id: str,
        markdown: str | None,
        *,
        detail: str = "",
    ) -> int:
        """Write the intent of a change before applying it (recovered after a crash)."""
        return self._log(actor, action, article_id, markdown, detail, "pending")

    def finish_change(self, change_id: int, after_version: int | None) -> None:
        """Mark a change applied, with the version it left current."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE audit_log SET state = 'done', after_version = ? WHERE id = ?",
                [after_version, change_id],
            )

    def log_event(
        self,
        actor: str,
        action: str,
        article_id: str | None = None,
        *,
        detail: str = "",
        before: int | None = None,
        after: int | None = None,
    ) -> int:
        """Record something already done (a folder sync, a refused attempt, a new moderator)."""
        return self._log(actor, action, article_id, None, detail, "done", before, after)

    def _log(
        self,
        actor: str,
        action: str,
        article_id: str | None,
        markdown: str | None,
        detail: str,
        state: str,
        before: int | None = None,
        after: int | None = None,
    ) -> int:
        if state == "pending" and article_id is not None:
            before = self.current_version(article_id)
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO audit_log (at, actor, action, article_id, before_version,"
                " after_version, markdown, detail, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [now(), actor, action, article_id, before, after, markdown, detail, state],
            )
        return int(cursor.lastrowid or 0)

    def mark_undone(self, change_id: int, by: int) -> None:
        """Remember that change `by` reverted change `change_id`."""
        with self.db.atomic():
            self.db.execute("UPDATE audit_log SET undone_by = ? WHERE id = ?", [by, change_id])

    def changes(
        self, article_id: str | None = None, *, state: str | None = None, limit: int = 50
    ) -> list[Change]:
        """Audit log rows, newest first (of one article and/or in one state)."""
        where, args = [], []
        if article_id is not None:
            where.append("article_id = ?")
            args.append(article_id)
        if state is not None:
            where.append("state = ?")
            args.append(state)
        sql = "SELECT * FROM audit_log" + (f" WHERE {' AND '.join(where)}" if where else "")
        rows = self.db.query(f"{sql} ORDER BY id DESC LIMIT ?", [*args, limit])
        return [Change(**row) for row in rows]

    def pending_changes(self) -> list[Change]:
        """Changes whose intent was written but that were not finished, oldest first."""
        return sorted(self.changes(state="pending", limit=1000), key=lambda c: c.id)

    def last_undoable(self, article_id: str) -> Change | None:
        """The newest finished change of an article that has not been reverted yet."""
        marks = ",".join("?" * len(UNDOABLE))
        sql = (
            "SELECT * FROM audit_log WHERE article_id = ? AND state = 'done'"
            f" AND undone_by IS NULL AND action IN ({marks}) ORDER BY id DESC LIMIT 1"
        )
        rows = list(self.db.query(sql, [article_id, *UNDOABLE]))
        return Change(**rows[0]) if rows else None

    def last_change_id(self) -> int:
        """The id of the newest finished change of any article (0 when none)."""
        actions = (*UNDOABLE, "undo")
        marks = ",".join("?" * len(actions))
        sql = f"SELECT max(id) AS n FROM audit_log WHERE state = 'done' AND action IN ({marks})"
        return int(next(self.db.query(sql, list(actions)))["n"] or 0)

    # -- chunks and vectors ---------------------------------------------------
    def chunk_ids(self, article_id: str | None = None) -> list[int]:
        """Ids of the stored chunks (of one article, or all), ascending."""
        if article_id is None:
            rows = self.db.query("SELECT id FROM chunks ORDER BY id")
        else:
            rows = self.db.query(
                "SELECT id FROM chunks WHERE article_id = ? ORDER BY id", [article_id]
            )
        return [int(row["id"]) for row in rows]

    def chunk_vectors(self, ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of all chunks, or of the given ones, for the FAISS index."""
        if ids is None:
            rows = list(self.db.query("SELECT id, embedding FROM chunks ORDER BY id"))
        else:
            marks = ",".join("?" * len(ids))
            rows = list(
                self.db.query(
                    f"SELECT id, embedding FROM chunks WHERE id IN ({marks}) ORDER BY id",
                    list(ids),
                )
            )
        return _stack(rows)

    def iter_chunks(self) -> Iterator[dict]:
        """Every chunk with its article's id, offsets and sentence spans (no vectors)."""
        sql = 'SELECT id, article_id, position, start, "end", sentences FROM chunks ORDER BY id'
        for row in self.db.query(sql):
            row["sentences"] = [tuple(s) for s in json.loads(row["sentences"])]
            yield row

    def span_rows(self) -> tuple[list[dict], np.ndarray]:
        """Every quote span (id, article, offsets, sentence count) and its vectors, as a matrix."""
        sql = (
            'SELECT id, article_id, start, "end", sentences, embedding FROM quote_spans ORDER BY id'
        )
        rows = list(self.db.query(sql))
        _, vectors = _stack(rows)
        for row in rows:
            del row["embedding"]
        return rows, vectors


def _stack(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.array([row["id"] for row in rows], dtype=np.int64)
    if not rows:
        return ids, np.zeros((0, 0), dtype=np.float32)
    vectors = np.vstack([np.frombuffer(row["embedding"], dtype=np.float32) for row in rows])
    return ids, vectors
