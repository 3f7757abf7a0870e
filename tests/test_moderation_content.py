"""Content changes through ContentManager (with the fast fake embedder): every version kept,
soft removal, restore, undo walking back, and an audit entry for each change."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ChunkSettings, ModelSettings, SearchSettings, Settings, TelegramSettings
from bot.moderation.content import ContentError, ContentManager
from index.articles import Article
from tests.conftest import FakeEmbedder
from tests.moderation_support import ARTICLE


@pytest.fixture
def manager(content_dir: Path, tmp_path: Path) -> ContentManager:
    settings = Settings(
        content_dir=content_dir,
        data_dir=tmp_path / "var",
        model=ModelSettings(name="fake"),
        chunking=ChunkSettings(),
        search=SearchSettings(),
        telegram=TelegramSettings(),
    )
    manager = ContentManager(settings, FakeEmbedder)
    manager.recover()
    with manager.store() as store:  # the seed articles, as `index build` would have stored them
        manager._sync(store)
    return manager


def article(text: str = ARTICLE, title: str = "Достық үйлері") -> Article:
    return Article("dostyq", title, "Газет", 2020, "kk", text)


def test_add_replace_remove_restore_undo_keep_every_version(manager: ContentManager) -> None:
    file = manager.settings.content_dir / "dostyq.md"
    added = manager.put(article(), "cli:a", replace=False)
    assert (added.action, added.before, added.after) == ("add", None, 1) and file.exists()
    with pytest.raises(ContentError):
        manager.put(article(), "cli:a", replace=False)
    replaced = manager.put(article(ARTICLE + "\nЖаңа абзац."), "telegram:7", replace=True)
    assert (replaced.action, replaced.before, replaced.after) == ("replace", 1, 2)
    removed = manager.remove("dostyq", "cli:a")
    assert removed.after is None and not file.exists()
    assert manager.versions()["dostyq"] is None
    restored = manager.restore("dostyq", "cli:a")
    assert (restored.after, restored.source_version) == (3, 2)
    assert file.read_text(encoding="utf-8").endswith("Жаңа абзац.")

    # Each undo reverts the newest change not reverted yet: restore, remove, replace, add.
    undone = [manager.undo("dostyq", "cli:b") for _ in range(4)]
    assert [(u.after, u.source_version) for u in undone] == [
        (None, None),
        (4, 2),
        (5, 1),
        (None, None),
    ]
    with pytest.raises(ContentError):
        manager.undo("dostyq", "cli:b")

    with manager.store() as store:
        assert [v.version for v in store.versions("dostyq")] == [1, 2, 3, 4, 5]
        assert store.version_markdown("dostyq", 1) == article().to_markdown()
        log = [(c.actor, c.action) for c in reversed(store.changes("dostyq"))]
        assert store.pending_changes() == []
    assert log == [
        ("cli:a", "add"),
        ("telegram:7", "replace"),
        ("cli:a", "remove"),
        ("cli:a", "restore"),
        ("cli:b", "undo"),
        ("cli:b", "undo"),
        ("cli:b", "undo"),
        ("cli:b", "undo"),
    ]


def test_edits_in_the_content_folder_are_audited_too(manager: ContentManager) -> None:
    folder = manager.settings.content_dir
    (folder / "assembly-thirty-years.md").unlink()
    with manager.store() as store:
        manager._sync(store)
        (change,) = store.changes("assembly-thirty-years", limit=1)
    assert (change.actor, change.action, change.before_version) == ("content folder", "remove", 1)


def test_a_pending_change_is_finished_on_recovery(manager: ContentManager) -> None:
    with manager.store() as store:
        change_id = store.begin_change("cli:a", "add", "dostyq", article().to_markdown())
    (finished,) = manager.recover()
    assert finished.id == change_id and finished.after_version == 1
    assert "dostyq" in {a.id for a in manager.listing()}


def test_the_listing_shows_versions_chunks_and_removal(manager: ContentManager) -> None:
    manager.put(article(), "cli:a", replace=False)
    manager.remove("dostyq", "cli:a")
    listed = {a.id: a for a in manager.listing()}
    assert listed["dostyq"].removed and listed["dostyq"].chunks == 0
    assert not listed["assembly-thirty-years"].removed and listed["assembly-thirty-years"].chunks
