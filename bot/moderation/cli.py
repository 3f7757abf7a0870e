"""`python -m bot content ...`: the same moderation as in Telegram, from the command line.

Every change goes through `ContentManager` (audit log, atomic file, index), so a running bot
notices it and switches to the new index within `reload_check_seconds`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.moderation.content import ContentManager, Outcome


def _manager(settings: Settings) -> ContentManager:
    from bot.moderation.content import ContentManager
    from bot.runtime import make_embedder

    return ContentManager(settings, lambda: make_embedder(settings))


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _report(outcome: Outcome) -> int:
    from bot.moderation.render import cli_outcome

    print(cli_outcome(outcome))
    return 0


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def recover(settings: Settings) -> None:
    """Finish changes a crash interrupted (also run by `python -m bot index build`)."""
    for change in _manager(settings).recover():
        print(f"finished interrupted change #{change.id}: {change.action} {change.article_id}")


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    """Check a file, fill in what the options give, and add (or with --replace, update) it."""
    from bot.moderation import texts
    from bot.moderation.content import ContentError
    from bot.moderation.files import FileCheckError, Limits, read_document
    from bot.moderation.preview import make_draft, parse_year, summarize
    from bot.moderation.render import cli_draft

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(texts.CLI_UNREADABLE.format(path=path, reason=exc.strerror))
    manager = _manager(settings)
    manager.recover()
    try:
        extracted = read_document(path.name, data, Limits.of(settings.moderation))
    except FileCheckError as exc:
        return _fail(f"{path.name}: {exc}")
    draft = make_draft(
        extracted, file_name=path.name, caption=args.id or "", versions=manager.versions()
    )
    if args.id and draft.id != args.id:
        draft = replace(draft, id=args.id)
    if args.year is not None and parse_year(args.year) is None:
        return _fail(texts.CLI_BAD_YEAR)
    draft = replace(
        draft,
        title=args.title or draft.title,
        source=args.source or draft.source,
        year=parse_year(args.year) if args.year else draft.year,
    )
    if draft.missing:
        flags = " ".join(f"--{name} ..." for name in draft.missing)
        return _fail(texts.CLI_MISSING.format(name=path.name, flags=flags))
    chunking = settings.chunking
    summary = summarize(
        draft.text,
        manager.embedder().count_tokens,
        max_tokens=chunking.max_tokens,
        overlap=chunking.overlap_sentences,
    )
    print(cli_draft(draft, summary))
    try:
        return _report(manager.put(draft.article(), _actor(), replace=args.replace))
    except ContentError as exc:
        return _fail(str(exc))


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    """Every article with its id, version and chunk count (removed ones marked)."""
    from bot.moderation.render import cli_article

    manager = _manager(settings)
    manager.recover()
    listed = manager.listing()
    if args.json:
        for article in listed:
            print(json.dumps(asdict(article), ensure_ascii=False))
        return 0
    for article in listed:
        print(cli_article(article))
    return 0


def _change(settings: Settings, args: argparse.Namespace) -> int:
    from bot.moderation.content import ContentError

    manager = _manager(settings)
    try:
        if args.content_command == "remove":
            outcome = manager.remove(args.id, _actor())
        elif args.content_command == "restore":
            outcome = manager.restore(args.id, _actor(), args.version)
        else:
            outcome = manager.undo(args.id, _actor())
    except ContentError as exc:
        return _fail(str(exc))
    return _report(outcome)


def cmd_history(settings: Settings, args: argparse.Namespace) -> int:
    """The audit log: who changed what and when, newest first."""
    manager = _manager(settings)
    with manager.store() as store:
        changes = store.changes(args.id, limit=args.limit)
    for c in changes:
        versions = f"v{c.before_version or '—'} → v{c.after_version or '—'}"
        article = c.article_id or ""
        print(f"#{c.id} {c.at} {c.actor} {c.action} {article} {versions} {c.detail} [{c.state}]")
    return 0


def add_content_commands(sub: argparse._SubParsersAction) -> None:
    """`content add|list|remove|restore|undo|history` (each documented in the README)."""
    content = sub.add_parser("content", help="add, replace, remove and restore articles")
    content_sub = content.add_subparsers(dest="content_command", required=True)

    add = content_sub.add_parser("add", help="check a file and add it as an article")
    add.add_argument("file", help=".txt, .md, .docx or .pdf with a text layer")
    add.add_argument("--title", help="the article's title (else found in the file)")
    add.add_argument("--source", help="where it was published (else found in the file)")
    add.add_argument("--year", help="the year it was written")
    add.add_argument("--id", help="the article id (lower-case Latin letters, digits, hyphens)")
    add.add_argument("--replace", action="store_true", help="store a new version of that id")
    add.set_defaults(func=cmd_add)

    listing = content_sub.add_parser("list", help="list the articles and their versions")
    listing.add_argument("--json", action="store_true", help="one JSON object per article")
    listing.set_defaults(func=cmd_list)

    for name, text in (
        ("remove", "stop answering from an article (every version is kept)"),
        ("restore", "bring back a removed article, or an older version"),
        ("undo", "revert an article's last change"),
    ):
        cmd = content_sub.add_parser(name, help=text)
        cmd.add_argument("id", help="the article id")
        if name == "restore":
            cmd.add_argument("--version", type=int, help="which version (default: the newest)")
        cmd.set_defaults(func=_change)

    history = content_sub.add_parser("history", help="the audit log, newest first")
    history.add_argument("id", nargs="?", help="only this article")
    history.add_argument("--limit", type=int, default=50, help="how many entries")
    history.set_defaults(func=cmd_history)
