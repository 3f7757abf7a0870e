"""End to end through the fake Bot API over HTTP, with the real engine: a moderator uploads an
article, fills in what was missing, confirms, and the bot answers a question it declined
before; /undo takes it back; a non-moderator is refused and the attempt is audited."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import get_services_from_app
from bot.config import Settings
from bot.moderation.roles import add_moderator
from bot.runtime import engine_over
from index.search import Engine
from index.store import Store
from tests.moderation_support import (
    ANSWER,
    ARTICLE_ID,
    CITIZEN,
    MODERATOR,
    indexed_copy,
    moderator_session,
)
from tests.telegram_support import polling_bot


def test_a_moderator_adds_an_article_and_the_bot_answers_from_it(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    copy = indexed_copy(settings, tmp_path)
    add_moderator(copy, MODERATOR, by=0)
    live = engine_over(copy, Store(copy.db_path), engine.embedder)

    async def main() -> None:
        async with polling_bot(tmp_path, live) as harness:  # type: ignore[arg-type]
            result = await moderator_session(harness.fake)
            assert harness.fake.calls_of("sendPhoto")[-1].ok
            assert all(c.ok for c in harness.fake.calls if c.method != "getUpdates")
            services = get_services_from_app(harness.app)
            assert services.engine is not live  # swapped, not mutated
            return result

    result = asyncio.run(asyncio.wait_for(main(), 240))
    print(result.transcript)
    assert ANSWER not in result.declined_before
    assert ANSWER in result.answer_after and "Достық үйлері" in result.answer_after
    assert ANSWER not in result.answer_after_undo
    store = Store(copy.db_path)
    assert [v.version for v in store.versions(ARTICLE_ID)] == [1]
    assert store.is_removed(ARTICLE_ID)
    log = store.changes(limit=10)
    assert [(c.action, c.actor) for c in log if c.article_id == ARTICLE_ID] == [
        ("undo", f"telegram:{MODERATOR}"),
        ("add", f"telegram:{MODERATOR}"),
    ]
    assert any(c.action == "denied" and c.actor == f"telegram:{CITIZEN}" for c in log)
    assert not (copy.content_dir / f"{ARTICLE_ID}.md").exists()
