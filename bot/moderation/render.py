"""Everything a moderator reads, put together from bot/moderation/texts.py: the preview of a
draft, confirmations, outcomes, lists, reports; HTML for Telegram (every inserted text
escaped), plain lines for the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from html import escape

from bot.moderation import texts
from bot.moderation.content import Listed, Outcome, UndoPlan
from bot.moderation.preview import Draft, Summary
from bot.moderation.reports import Stats
from bot.moderation.roles import Roles
from bot.telegram.fit import ELLIPSIS, cut_at_word
from index.store import Change

EXCERPT = 300  # characters of a draft's beginning shown in its preview
CHANGE_CHARS = 120  # characters of each side of a change shown in a replacement's preview


def when(at: str, zone: tzinfo) -> str:
    """ "2025-05-01 19:03 (UTC+5)" from a stored ISO timestamp (UTC), in the moderators' zone."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at[:16].replace("T", " ")
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
    offset = local.utcoffset() or timedelta()
    hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
    label = f"UTC{hours:+d}" + (f":{rest:02d}" if rest else "") if hours or rest else "UTC"
    return f"{local:%Y-%m-%d %H:%M} ({label})"


def missing_words(draft: Draft) -> str:
    """ "атауын және дереккөзін": what is missing, as the object of "жазыңыз"."""
    return texts.AND.join(texts.MISSING[name] for name in draft.missing)


def preview(draft: Draft, summary: Summary, changed: list[tuple[str, str]] | None = None) -> str:
    """The preview message (HTML): a replacement says where its text differs; what is
    missing is said last."""
    head = (
        texts.PREVIEW_NEW
        if draft.replaces is None
        else texts.PREVIEW_REPLACE.format(version=draft.replaces, next=draft.replaces + 1)
    )
    fields = texts.PREVIEW_FIELDS.format(
        title=escape(draft.title) or texts.NOT_FOUND,
        source=escape(draft.source) or texts.NOT_FOUND,
        year=draft.year or texts.YEAR_UNKNOWN,
        id=escape(draft.id),
        chars=f"{summary.chars:,}".replace(",", " "),
        sentences=summary.sentences,
        chunks=summary.chunks,
    )
    parts = [head, "", fields]
    if summary.fixes:
        fixes = "; ".join(f"{texts.FIXES.get(k, k)} — {n}" for k, n in summary.fixes.items())
        parts.append(texts.PREVIEW_FIXES.format(fixes=escape(fixes)))
    else:
        parts.append(texts.PREVIEW_NO_FIXES)
    if draft.notes:
        notes = "; ".join(texts.NOTES.get(n, n) for n in draft.notes)
        parts.append(texts.PREVIEW_NOTES.format(notes=escape(notes)))
    excerpt = cut_at_word(" ".join(draft.text.split()), EXCERPT + len(ELLIPSIS))
    parts += ["", texts.PREVIEW_START.format(excerpt=escape(excerpt)), ""]
    if changed is not None:
        parts += [_changes(changed), ""]
    if draft.missing:
        missing = texts.PREVIEW_MISSING if draft.replaces is None else texts.PREVIEW_MISSING_REPLACE
        parts.append(missing.format(missing=missing_words(draft)))
    else:
        button = texts.BUTTON_ADD if draft.replaces is None else texts.BUTTON_REPLACE
        parts.append(texts.PREVIEW_READY.format(button=button))
    return "\n".join(parts)


def _changes(changed: list[tuple[str, str]]) -> str:
    """A replacement's changes, each cut to a line (HTML)."""
    if not changed:
        return texts.PREVIEW_NO_CHANGES
    lines = [
        texts.PREVIEW_CHANGE.format(
            before=cut_at_word(before, CHANGE_CHARS, html=True),
            after=cut_at_word(after, CHANGE_CHARS, html=True),
        )
        for before, after in changed
    ]
    return texts.PREVIEW_CHANGES.format(count=len(changed), changes="\n".join(lines))


def outcome(done: Outcome) -> str:
    """What a confirmed change did (HTML)."""
    values = {
        "title": escape(done.title),
        "id": escape(done.article_id),
        "version": done.after,
        "before": done.before,
        "source": done.source_version,
    }
    if done.action == "add":
        return texts.ADDED.format(**values)
    if done.action == "replace":
        return texts.REPLACED.format(**values)
    if done.action == "remove":
        return texts.REMOVED.format(**values)
    if done.action == "restore":
        return texts.RESTORED.format(**values)
    if done.after is None:
        return texts.UNDONE_REMOVED.format(**values)
    return texts.UNDONE_VERSION.format(**values)


def failed(error: Exception) -> str:
    """A change that could not be made, and why (HTML)."""
    return texts.FAILED.format(reason=escape(str(error)))


def no_article(article_id: str) -> str:
    """A /remove, /restore or /undo of an id no article has (HTML)."""
    return texts.NO_ARTICLE.format(id=escape(article_id[:64]))


def already_removed(article: Listed) -> str:
    """A /remove of an article already removed (plain text)."""
    return texts.ALREADY_REMOVED.format(id=article.id)


def nothing_to_undo(article: Listed) -> str:
    """An /undo of an article with no change to revert (HTML)."""
    return texts.NOTHING_TO_UNDO.format(id=escape(article.id))


def recovered(change: Change) -> str:
    """A change a crash interrupted and the start-up finished (HTML)."""
    return texts.RECOVERED.format(
        id=escape(change.article_id or ""), version=change.after_version or "—"
    )


def article_lines(listed: list[Listed]) -> tuple[str, list[str]]:
    """/articles: (header, lines), the live articles numbered, the removed ones apart."""
    live = [a for a in listed if not a.removed]
    lines = [
        texts.ARTICLE_LINE.format(
            n=n,
            id=escape(a.id),
            title=escape(a.title),
            year=f" ({a.year})" if a.year else "",
            version=a.version,
            chunks=a.chunks,
        )
        for n, a in enumerate(live, start=1)
    ]
    removed = [a for a in listed if a.removed]
    if removed:
        lines.append(texts.REMOVED_HEADER)
        lines += [
            texts.REMOVED_LINE.format(id=escape(a.id), title=escape(a.title), version=a.version)
            for a in removed
        ]
    return texts.ARTICLES_HEADER.format(count=len(live)), lines


def confirm_remove(article: Listed) -> str:
    """The question before removing an article (HTML)."""
    title, safe_id = escape(article.title), escape(article.id)
    return texts.CONFIRM_REMOVE.format(title=title, id=safe_id, version=article.version)


def confirm_restore(article: Listed) -> str:
    """The question before restoring an article (HTML)."""
    title, safe_id = escape(article.title), escape(article.id)
    return texts.CONFIRM_RESTORE.format(title=title, id=safe_id, version=article.version)


def confirm_undo(article: Listed, plan: UndoPlan, zone: tzinfo) -> str:
    """The question before undoing an article's last change, saying what it was (HTML)."""
    change = plan.change
    described = texts.CHANGE[change.action].format(
        at=when(change.at, zone), before=change.before_version, after=change.after_version
    )
    result = (
        texts.UNDO_TO_REMOVED
        if plan.target is None
        else texts.UNDO_TO_VERSION.format(version=plan.target)
    )
    head = f"«{escape(article.title)}» (<code>{escape(article.id)}</code>)\n"
    return head + texts.CONFIRM_UNDO.format(change=described, result=result)


def report_lines(rows: list[tuple[str, str]], zone: tzinfo) -> list[str]:
    """/unanswered: one line a question, with when it was asked (HTML)."""
    return [
        texts.REPORT_LINE.format(at=when(at, zone), question=escape(" ".join(q.split())[:300]))
        for at, q in rows
    ]


def unanswered(
    asked: list[tuple[str, str]], disliked: list[tuple[str, str]], zone: tzinfo
) -> list[str]:
    """/unanswered: the declined questions, then the disliked answers, then a hint (HTML)."""
    body = report_lines(asked, zone)
    if disliked:
        body += [texts.DISLIKED_HEADER.format(count=len(disliked)), *report_lines(disliked, zone)]
    body.append(texts.UNANSWERED_HINT)
    return body


def moderator_lines(roles: Roles) -> list[str]:
    """/moderators: every moderator's id, admins and those from config.toml marked (HTML)."""
    lines = []
    for user_id in sorted(roles.admins | roles.configured | roles.added):
        note = texts.ADMIN_NOTE if user_id in roles.admins else ""
        if user_id in roles.configured or user_id in roles.admins:
            note += texts.FROM_CONFIG
        lines.append(texts.MODERATOR_LINE.format(id=user_id, note=note))
    return lines


# --- the command line (plain text) -----------------------------------------------------------


def cli_outcome(done: Outcome) -> str:
    """One line: what a change did, with its audit entry."""
    before = f"v{done.before}" if done.before else "—"
    after = f"v{done.after}" if done.after else texts.CLI_REMOVED
    return texts.CLI_OUTCOME.format(
        action=done.action, id=done.article_id, before=before, after=after, change=done.change_id
    )


def cli_draft(draft: Draft, summary: Summary) -> str:
    """One line: the draft about to be added, as `content add` checked it."""
    fixes = ", ".join(f"{k} {n}" for k, n in summary.fixes.items()) or texts.CLI_NO_FIXES
    return texts.CLI_DRAFT.format(
        id=draft.id,
        title=draft.title,
        source=draft.source,
        year=draft.year or texts.CLI_NO_YEAR,
        chars=summary.chars,
        sentences=summary.sentences,
        chunks=summary.chunks,
        fixes=fixes,
    )


def cli_article(article: Listed) -> str:
    """One line of `content list`."""
    return texts.CLI_ARTICLE.format(
        id=article.id,
        version=article.version,
        chunks=article.chunks,
        title=article.title,
        year=f" ({article.year})" if article.year else "",
        mark=texts.CLI_REMOVED_MARK if article.removed else "",
    )


def stats_caption(stats: Stats, days: int) -> str:
    """/stats: the figures under the chart (HTML)."""
    return texts.STATS_CAPTION.format(
        days=days,
        questions=stats.questions,
        answered=stats.answered,
        share=round(100 * stats.answered / stats.questions),
        up=stats.up,
        down=stats.down,
    )
