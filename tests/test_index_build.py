from pathlib import Path

import numpy as np

from index import vectors
from index.articles import read_content_dir
from index.build import sync
from index.store import MIGRATIONS, Store
from tests.conftest import FakeEmbedder


def build(store: Store, folder: Path, embedder: FakeEmbedder, index_path: Path):  # type: ignore[no-untyped-def]
    return sync(
        store,
        index_path,
        read_content_dir(folder),
        model="fake",
        embedder_factory=lambda: embedder,  # type: ignore[arg-type, return-value]
        max_tokens=80,
        show_progress=False,
    )


def test_first_build_then_nothing_to_do(tmp_path: Path, content_dir: Path) -> None:
    store, index_path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    first = FakeEmbedder()
    report = build(store, content_dir, first, index_path)
    assert len(report.added) == 5 and report.chunks_embedded > 20
    again = FakeEmbedder()
    report = build(store, content_dir, again, index_path)
    assert not report.changed and again.embedded == []
    index = vectors.load(store, index_path)
    assert sorted(vectors.index_ids(index)) == store.chunk_ids()


def test_one_changed_article_is_the_only_one_re_embedded(tmp_path: Path, content_dir: Path) -> None:
    store, index_path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    build(store, content_dir, FakeEmbedder(), index_path)
    others_before = {
        a.id: store.chunk_ids(a.id) for a in store.articles() if a.id != "assembly-role-in-society"
    }
    path = content_dir / "assembly-role-in-society.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nЖаңа сөйлем қосылды.", encoding="utf-8")
    embedder = FakeEmbedder()
    report = build(store, content_dir, embedder, index_path)
    assert report.updated == ["assembly-role-in-society"]
    assert any("Жаңа сөйлем қосылды" in text for text in embedder.embedded)
    assert all(store.chunk_ids(a) == ids for a, ids in others_before.items())
    index = vectors.load(store, index_path)
    assert sorted(vectors.index_ids(index)) == store.chunk_ids()
    assert store.article("assembly-role-in-society").version == 2  # type: ignore[union-attr]


def test_faiss_ids_are_chunk_ids_and_vectors_match(tmp_path: Path, content_dir: Path) -> None:
    store, index_path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    build(store, content_dir, FakeEmbedder(), index_path)
    (content_dir / "assembly-quarter-century.md").unlink()  # forces remove_ids in the middle
    build(store, content_dir, FakeEmbedder(), index_path)
    index = vectors.load(store, index_path)
    ids, stored = store.chunk_vectors()
    for chunk_id, vector in zip(ids[:10], stored[:10], strict=True):
        _, found = index.search(vector[None, :], 1)
        assert found[0][0] == chunk_id


def test_removal_is_soft_and_every_version_is_kept(tmp_path: Path, content_dir: Path) -> None:
    store, index_path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    build(store, content_dir, FakeEmbedder(), index_path)
    (content_dir / "assembly-quarter-century.md").unlink()
    report = build(store, content_dir, FakeEmbedder(), index_path)
    assert report.removed == ["assembly-quarter-century"]
    assert store.chunk_ids("assembly-quarter-century") == []
    removed = store.article("assembly-quarter-century")
    assert removed is not None and "ширек ғасыр" in removed.text
    versions = store.db["article_versions"].count_where(
        "article_id = ?", ["assembly-quarter-century"]
    )
    assert versions == 1


def test_a_missing_or_broken_index_file_is_rebuilt_from_sqlite(
    tmp_path: Path, content_dir: Path
) -> None:
    store, index_path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    build(store, content_dir, FakeEmbedder(), index_path)
    index_path.write_bytes(b"not a faiss index")
    assert sorted(vectors.index_ids(vectors.load(store, index_path))) == store.chunk_ids()
    index_path.unlink()
    assert sorted(vectors.index_ids(vectors.load(store, index_path))) == store.chunk_ids()


def test_a_stale_index_file_is_noticed(tmp_path: Path, content_dir: Path) -> None:
    store, index_path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    build(store, content_dir, FakeEmbedder(), index_path)
    stale = vectors.load(store, index_path)
    stale.remove_ids(np.asarray(store.chunk_ids()[:3], dtype=np.int64))
    vectors.write_index(stale, index_path)
    assert sorted(vectors.index_ids(vectors.load(store, index_path))) == store.chunk_ids()


def test_changing_the_model_re_embeds_everything(tmp_path: Path, content_dir: Path) -> None:
    store, index_path = Store(tmp_path / "db"), tmp_path / "x.faiss"
    build(store, content_dir, FakeEmbedder(), index_path)
    embedder = FakeEmbedder()
    report = sync(
        store,
        index_path,
        read_content_dir(content_dir),
        model="another",
        embedder_factory=lambda: embedder,  # type: ignore[arg-type, return-value]
        show_progress=False,
    )
    assert len(report.updated) == 5 and embedder.embedded


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    Store(tmp_path / "db").close()
    store = Store(tmp_path / "db")
    names = [row["name"] for row in store.db["_migrations"].rows]
    assert names == [name for name, _ in MIGRATIONS]
