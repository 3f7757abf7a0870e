"""Open database files while moderators' changes swap engines: dropping the old engine against
`Services.swap_engine`, which closes it once its last answer ends.

Each swap builds an engine over the built index (as a moderator's change does) and answers one
question from it; every 20 swaps it prints how many file descriptors of bot.db (and its -wal and
-shm files) the process holds. Dropping an engine leaves its SQLite connection to the garbage
collector, and SQLite keeps a closed connection's files open while another connection in the
process holds locks on them.

    .venv/bin/python bench/engine_swaps.py [--swaps 100]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.runtime import open_engine  # noqa: E402
from bot.telegram.flood import FloodControl  # noqa: E402
from bot.telegram.services import Services  # noqa: E402
from tests.moderation_support import indexed_copy  # noqa: E402

QUESTION = "Ассамблея қашан құрылды?"


def open_db_files(db: Path) -> int:
    """File descriptors of this process on the database and its -wal and -shm files."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the descriptor listdir itself used is gone
            count += os.readlink(f"/proc/self/fd/{fd}").startswith(str(db))
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = indexed_copy(load_settings(ROOT / "config.toml"), Path(tmp))
        engine = open_engine(settings, build=False)
        flood = FloodControl(9, 1)
        services = Services(settings, engine, flood, flood)
        for mode in ("Services.swap_engine", "drop the old engine"):  # closing first
            counts = []
            for swap in range(1, args.swaps + 1):
                new = open_engine(settings, build=False)
                if mode == "Services.swap_engine":
                    services.swap_engine(new)
                    asyncio.run(services.answer(QUESTION))
                else:
                    services.engine = new
                    new.answer(QUESTION)
                if swap % 20 == 0:
                    counts.append(f"{swap}: {open_db_files(settings.db_path)}")
            print(f"{mode:22} open bot.db files after swaps  " + "  ".join(counts))
        services.close()


if __name__ == "__main__":
    main()
