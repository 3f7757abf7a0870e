"""kill -9 in the middle of adding an article, at every step: the bot still answers from the
index it had, and on restart the article is there, once, with its audit entry finished."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.moderation.content import ContentManager
from bot.runtime import engine_over
from index.build import CRASH_ENV
from index.search import Engine
from index.store import Store
from tests.conftest import ROOT
from tests.moderation_support import (
    ANSWER,
    ARTICLE,
    ARTICLE_ID,
    MODERATOR,
    QUESTION,
    indexed_copy,
    write_config,
)

OLD_QUESTION = "Ассамблея қашан құрылды?"
# The update itself, without the command line's preview (which loads the model first).
PUT = """
import sys
from bot.config import load_settings
from bot.moderation.content import ContentManager
from bot.runtime import make_embedder
from index.articles import Article
settings = load_settings(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
article = Article(sys.argv[3], "Достық үйлері", "Газет", 2020, "kk", text)
ContentManager(settings, lambda: make_embedder(settings)).put(article, "cli:test", replace=False)
"""


@pytest.mark.parametrize("step", ["journaled", "file-written", "stored", "indexed"])
def test_a_kill_during_an_update_loses_nothing(
    step: str, settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    copy = indexed_copy(settings, tmp_path, moderators=(MODERATOR,))
    article = tmp_path / f"{ARTICLE_ID}.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    config = str(write_config(copy, tmp_path / "config.toml"))
    if step == "stored":  # once through the command line a moderator would use
        command = [sys.executable, "-m", "bot", "--config", config, "content", "add"]
        command += [str(article), "--source", "Газет", "--year", "2020"]
    else:
        command = [sys.executable, "-c", PUT, config, str(article), ARTICLE_ID]
    killed = subprocess.run(
        command,
        env={**os.environ, CRASH_ENV: step},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # Before any recovery, an engine over what the crash left answers as before.
    survivor = engine_over(copy, Store(copy.db_path), engine.embedder)
    assert "1995" in survivor.answer(OLD_QUESTION).quotes[0].text

    # The restart finishes the change: the article answers, stored once, audited once.
    manager = ContentManager(copy, lambda: engine.embedder)
    finished = manager.recover()
    assert [(c.action, c.article_id, c.after_version) for c in finished] == [("add", ARTICLE_ID, 1)]
    recovered = manager.open_engine()
    answer = recovered.answer(QUESTION)
    assert answer.answered and ANSWER in answer.quotes[0].text
    assert "1995" in recovered.answer(OLD_QUESTION).quotes[0].text
    store = Store(copy.db_path)
    assert [v.version for v in store.versions(ARTICLE_ID)] == [1]
    assert store.pending_changes() == []
    assert [c.action for c in store.changes(ARTICLE_ID)] == ["add"]
    written = (copy.content_dir / f"{ARTICLE_ID}.md").read_text(encoding="utf-8")
    assert written.rstrip().endswith(ARTICLE.strip().split("\n")[-1])
    assert not list(copy.content_dir.glob(".*.tmp"))
