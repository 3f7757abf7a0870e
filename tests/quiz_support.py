"""Helpers for the quiz tests: the seed articles as the index stores them, with no model."""

from __future__ import annotations

import functools
from pathlib import Path

from index.articles import read_content_dir
from index.normalize import repair
from index.store import Store, StoredArticle

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "articles"


def store_articles(db_path: Path, content: Path = CONTENT) -> list[StoredArticle]:
    """Store the articles of `content` as an index build does (repaired text), without vectors."""
    store = Store(db_path)
    try:
        for article in read_content_dir(content):
            store.save_article(article, repair(article.text).text, {}, [], [])
        return store.articles()
    finally:
        store.close()


@functools.cache
def seed_articles() -> tuple[StoredArticle, ...]:
    """The five seed articles as stored by the index (built once, in a temporary database)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="quiz-seed-"))
    return tuple(store_articles(folder / "bot.db"))
