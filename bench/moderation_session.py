"""A moderator's Telegram session, end to end, and how long a new article takes to answer.

Plays the session of tests/moderation_support.py (upload, preview, fill in, confirm, answer,
list, undo, reports) against the fake Bot API over HTTP with the real engine, over a private
copy of the built index, then prints the transcript and the times from pressing ✅ Қосу to
the bot's confirmation and to the first answer quoting the new article.

    .venv/bin/python bench/moderation_session.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings, load_settings  # noqa: E402
from bot.moderation.roles import add_moderator  # noqa: E402
from bot.runtime import open_engine  # noqa: E402
from index.search import Engine  # noqa: E402
from index.store import Store  # noqa: E402
from tests.moderation_support import (  # noqa: E402
    MODERATOR,
    SessionResult,
    indexed_copy,
    moderator_session,
)
from tests.telegram_support import polling_bot  # noqa: E402


async def one_run(settings: Settings, engine: Engine) -> SessionResult:
    """One session over a fresh copy of the built index."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy = indexed_copy(settings, folder)
        add_moderator(copy, MODERATOR, by=0)
        live = Engine(Store(copy.db_path), copy.data_dir / "chunks.faiss", engine.embedder)
        async with polling_bot(folder, live) as harness:  # type: ignore[arg-type]
            return await moderator_session(harness.fake)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="sessions to time")
    args = parser.parse_args()
    settings = load_settings()
    engine = open_engine(settings)
    results = [asyncio.run(one_run(settings, engine)) for _ in range(args.runs)]
    print(results[0].transcript)
    print()
    added = [r.confirm_to_added for r in results]
    answered = [r.confirm_to_answer for r in results]
    print(f"runs: {len(results)}")
    print(
        "press ✅ Қосу → «Мақала қосылды»: "
        f"median {statistics.median(added):.2f} s (min {min(added):.2f}, max {max(added):.2f})"
    )
    print(
        "press ✅ Қосу → first answer quoting the new article: "
        f"median {statistics.median(answered):.2f} s (min {min(answered):.2f}, "
        f"max {max(answered):.2f})"
    )


if __name__ == "__main__":
    main()
