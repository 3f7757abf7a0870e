"""Requests awaiting a moderator's confirmation: drafts to add, removals, restores, undos.

A request is claimed atomically when its button is pressed, so a double press or two
moderators pressing at once apply it once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from bot.config import Settings
from bot.moderation.db import opened
from bot.moderation.preview import Draft
from index.database import now

KINDS = ("put", "remove", "restore", "undo")


@dataclass(frozen=True)
class Request:
    """One request; `draft` only for "put" (add or replace)."""

    id: int
    user_id: int
    kind: str
    article_id: str
    draft: Draft | None
    state: str  # open, running, done, cancelled


def open_request(
    settings: Settings, user_id: int, kind: str, article_id: str, draft: Draft | None = None
) -> int:
    """Store a new request; its id goes into the buttons."""
    if kind not in KINDS:
        raise ValueError(f"unknown request kind {kind!r}")
    with opened(settings.db_path) as db, db.conn:
        cursor = db.execute(
            "INSERT INTO mod_requests (created_at, user_id, kind, article_id, draft, state)"
            " VALUES (?, ?, ?, ?, ?, 'open')",
            [now(), user_id, kind, article_id, _dump(draft)],
        )
    return int(cursor.lastrowid or 0)


def get_request(settings: Settings, request_id: int) -> Request | None:
    """A request by id, or None."""
    with opened(settings.db_path) as db:
        rows = list(db.query("SELECT * FROM mod_requests WHERE id = ?", [request_id]))
    if not rows:
        return None
    row = rows[0]
    draft = None
    if row["draft"]:
        raw = json.loads(row["draft"])
        draft = Draft(**{**raw, "notes": tuple(raw.get("notes", ()))})
    return Request(row["id"], row["user_id"], row["kind"], row["article_id"], draft, row["state"])


def save_draft(settings: Settings, request_id: int, draft: Draft) -> None:
    """Replace the draft of an open request (a field was filled in)."""
    with opened(settings.db_path) as db, db.conn:
        db.execute(
            "UPDATE mod_requests SET draft = ?, article_id = ? WHERE id = ? AND state = 'open'",
            [_dump(draft), draft.id, request_id],
        )


def move(settings: Settings, request_id: int, old: str, new: str) -> bool:
    """Move a request from state `old` to `new`; False when it was not in `old` (claimed)."""
    with opened(settings.db_path) as db, db.conn:
        cursor = db.execute(
            "UPDATE mod_requests SET state = ? WHERE id = ? AND state = ?",
            [new, request_id, old],
        )
    return cursor.rowcount == 1


def _dump(draft: Draft | None) -> str | None:
    return None if draft is None else json.dumps(asdict(draft), ensure_ascii=False)
