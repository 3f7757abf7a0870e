"""Schema migrations recorded in the database itself, so every database knows its own schema."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlite_utils

from index.database import now

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]
TABLE = "_migrations"


def applied(db: sqlite_utils.Database) -> set[str]:
    """Names of the migrations this database has already run."""
    if TABLE not in db.table_names():
        return set()
    return {row["name"] for row in db.table(TABLE).rows}


def migrate(db: sqlite_utils.Database, migrations: Sequence[Migration]) -> list[str]:
    """Run, in order and each in its own transaction, the migrations not yet recorded."""
    db.table(TABLE).create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = applied(db)
    ran = []
    for name, step in migrations:
        if name in done:
            continue
        with db.atomic():
            step(db)
            db.table(TABLE).insert({"name": name, "applied_at": now()})
        ran.append(name)
    return ran
