"""Moderation in Telegram: upload or paste an article, preview, confirm; list, remove, restore,
undo; read what is missing (/unanswered) and how the bot is used (/stats).

Handlers sit in group -1, before the question handlers, and stop the update once they have
handled it (`ApplicationHandlerStop`). Everything works in private chats only. Content changes
run in a worker thread one at a time; the bot keeps answering from its current engine until a
new one is built, then `Services.engine` is replaced in one assignment.

Callback data (at most 64 bytes):

    m:go:<request>          confirm a request (add, replace, remove, restore, undo)
    m:no:<request>          cancel it
    m:ed:<request>:<t|s|y>  type a new title, source or year for a draft
    m:ny:<request>          the draft's year is unknown
    m:pd / m:pc             pasted text finished / cancelled
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any, Final

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.moderation import pastes, reports, texts
from bot.moderation.content import ContentError, ContentManager, Outcome
from bot.moderation.files import (
    MB,
    Extracted,
    FileCheckError,
    Limits,
    check_text,
    read_document,
    too_big,
)
from bot.moderation.preview import (
    Draft,
    make_draft,
    missing_words,
    render,
    summarize,
    with_field,
)
from bot.moderation.requests import Request, get_request, move, open_request, save_draft
from bot.moderation.roles import Roles, add_moderator, load_roles, remove_moderator
from bot.telegram.handlers import bot_commands
from bot.telegram.services import SERVICES_KEY, Services
from bot.telegram.texts import KK
from index.embedder import Embedder

logger = logging.getLogger(__name__)

MODERATION_KEY: Final = "kha_moderation"
HTML: Final = ParseMode.HTML
TEXT_LIMIT: Final = int(MessageLimit.MAX_TEXT_LENGTH)
CALLBACK: Final = re.compile(r"m:(go|no|ed|ny|pd|pc)(?::(\d{1,16}))?(?::([tsy]))?")
FIELD_CODES: Final = {"t": "title", "s": "source", "y": "year"}
WAIT: Final = "mod_wait"  # user_data: the draft field the next message fills in
YEAR_ASKED: Final = "mod_year_asked"  # user_data: drafts whose year was asked for once

Context = ContextTypes.DEFAULT_TYPE
TelegramApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Moderation:
    """What moderation handlers share; kept in `application.bot_data`."""

    settings: Settings
    services: Services
    manager: ContentManager
    limits: Limits
    known_change: int = 0  # the newest content change the current engine includes
    pasting: set[int] = field(default_factory=set)  # users pasting an article (kept in SQLite)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def actor(self, user_id: int) -> str:
        """How the audit log names a Telegram user."""
        return f"telegram:{user_id}"

    async def swap_engine(self, change: int) -> None:
        """Build an engine over the new index off the event loop, then switch to it at once."""
        engine = await asyncio.to_thread(self.manager.open_engine)
        self.services.swap_engine(engine)  # answers in flight finish on the old one
        self.known_change = max(self.known_change, change)


def get_moderation(context: Context) -> Moderation:
    """The `Moderation` of the running application."""
    moderation = context.bot_data[MODERATION_KEY]
    assert isinstance(moderation, Moderation)
    return moderation


def _limits(settings: Settings) -> Limits:
    m = settings.moderation
    return Limits(
        max_bytes=int(m.max_file_mb * MB),
        max_unpacked_bytes=int(m.max_unpacked_mb * MB),
        max_pdf_pages=m.max_pdf_pages,
        min_chars=m.min_article_chars,
        max_chars=m.max_article_chars,
    )


def _embedder_of(services: Services) -> Embedder:
    """The model the running engine already holds; loaded anew only if it has none."""
    embedder = getattr(services.engine, "embedder", None)
    if embedder is not None:
        return embedder
    from bot.runtime import make_embedder

    return make_embedder(services.settings)


# --- small helpers ---------------------------------------------------------------------------


def _user_data(context: Context) -> dict[Any, Any]:
    data = context.user_data
    assert data is not None
    return data


def _markup(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def _confirm_markup(request_id: int, yes: str) -> InlineKeyboardMarkup:
    return _markup([(yes, f"m:go:{request_id}"), (texts.BUTTON_CANCEL, f"m:no:{request_id}")])


def _preview_markup(request_id: int, draft: Draft) -> InlineKeyboardMarkup:
    edit = [(texts.BUTTON_EDIT[name], f"m:ed:{request_id}:{name[0]}") for name in texts.BUTTON_EDIT]
    yes = texts.BUTTON_ADD if draft.replaces is None else texts.BUTTON_REPLACE
    return _markup(edit, [(yes, f"m:go:{request_id}"), (texts.BUTTON_CANCEL, f"m:no:{request_id}")])


def _when(at: str) -> str:
    """ "2025-05-01 14:03" from a stored ISO timestamp (UTC)."""
    return at[:16].replace("T", " ")


async def _send_lines(message: Message, header: str, lines: list[str]) -> None:
    """Send `lines` under `header` in as few messages as fit Telegram's limit."""
    chunks, current = [], header
    for line in lines:
        if len(current) + 1 + len(line) > TEXT_LIMIT:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}"
    chunks.append(current)
    for text in chunks:
        await message.reply_text(text, parse_mode=HTML, allow_sending_without_reply=True)


async def _allowed(update: Update, context: Context, *, admin: bool = False) -> bool:
    """True for moderators (admins with `admin`); others are refused and the attempt logged."""
    user, message = update.effective_user, update.effective_message
    if user is None:
        return False
    moderation = get_moderation(context)
    roles = await asyncio.to_thread(load_roles, moderation.settings)
    if roles.is_admin(user.id) if admin else roles.is_moderator(user.id):
        return True
    what = (message.text or "")[:100] if message is not None else "button"
    logger.info("refused a moderator command from a non-moderator")
    await asyncio.to_thread(moderation.manager.log_event, moderation.actor(user.id), "denied", what)
    refusal = texts.ADMIN_ONLY if admin else texts.MODERATORS_ONLY
    if update.callback_query is not None:
        await update.callback_query.answer(refusal)
    elif message is not None:
        await message.reply_text(refusal, allow_sending_without_reply=True)
    return False


def moderators_only(
    admin: bool = False,
) -> Callable[[Callable[[Update, Context], Awaitable[None]]], Callable[[Update, Context], Any]]:
    """Run the handler for moderators only, and end the update there either way."""

    def wrap(handler: Callable[[Update, Context], Awaitable[None]]) -> Callable[..., Any]:
        async def run(update: Update, context: Context) -> None:
            if await _allowed(update, context, admin=admin):
                await handler(update, context)
            raise ApplicationHandlerStop

        run.__doc__ = handler.__doc__
        run.__name__ = handler.__name__
        return run

    return wrap


def _argument(message: Message) -> str:
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


# --- drafts ------------------------------------------------------------------------------------


async def _start_draft(
    message: Message, context: Context, extracted: Extracted, file_name: str, caption: str
) -> None:
    """Store a draft from checked text and show its preview."""
    moderation = get_moderation(context)
    versions = await asyncio.to_thread(moderation.manager.versions)
    draft = make_draft(extracted, file_name=file_name, caption=caption, versions=versions)
    user_id = message.chat.id
    request_id = await asyncio.to_thread(
        open_request, moderation.settings, user_id, "put", draft.id, draft
    )
    await _show_draft(message, context, request_id, draft)


async def _show_draft(message: Message, context: Context, request_id: int, draft: Draft) -> None:
    """The preview, then a question for the first thing still missing."""
    moderation = get_moderation(context)
    chunking = moderation.settings.chunking
    embedder = await asyncio.to_thread(moderation.manager.embedder)
    summary = await asyncio.to_thread(
        summarize,
        draft.text,
        embedder.count_tokens,
        max_tokens=chunking.max_tokens,
        overlap=chunking.overlap_sentences,
    )
    await message.reply_text(
        render(draft, summary),
        parse_mode=HTML,
        reply_markup=_preview_markup(request_id, draft),
        allow_sending_without_reply=True,
    )
    await _ask_next(message, context, request_id, draft)


async def _ask_next(message: Message, context: Context, request_id: int, draft: Draft) -> bool:
    """Ask for a missing title or source, or once for an unknown year; False if none."""
    data = _user_data(context)
    asked_year = data.setdefault(YEAR_ASKED, set())
    name = draft.missing[0] if draft.missing else None
    if name is None and draft.year is None and request_id not in asked_year:
        name = "year"
    if name is None:
        data.pop(WAIT, None)
        return False
    data[WAIT] = (request_id, name)
    markup = None
    if name == "year":
        asked_year.add(request_id)
        markup = _markup([(texts.BUTTON_NO_YEAR, f"m:ny:{request_id}")])
    await message.reply_text(texts.ASK[name], reply_markup=markup, allow_sending_without_reply=True)
    return True


async def _open_draft(context: Context, request_id: int) -> tuple[Request, Draft] | None:
    request = await asyncio.to_thread(get_request, get_moderation(context).settings, request_id)
    if request is None or request.state != "open" or request.draft is None:
        return None
    return request, request.draft


# --- handlers: adding ---------------------------------------------------------------------------


@moderators_only()
async def add_command(update: Update, context: Context) -> None:
    """Start collecting a pasted article (text after /add counts as its beginning)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    _user_data(context).pop(WAIT, None)
    moderation = get_moderation(context)
    first = _argument(message)
    chars = await asyncio.to_thread(
        pastes.start, moderation.settings, user.id, first, message.message_id
    )
    moderation.pasting.add(user.id)
    if first:
        await _paste_received(message, chars)
        return
    await message.reply_text(texts.PASTE_START, allow_sending_without_reply=True)


async def _paste_received(message: Message, chars: int) -> None:
    await message.reply_text(
        texts.PASTE_GOT.format(chars=chars),
        reply_markup=_markup([(texts.BUTTON_DONE, "m:pd"), (texts.BUTTON_CANCEL, "m:pc")]),
        allow_sending_without_reply=True,
    )


async def document(update: Update, context: Context) -> None:
    """Check a moderator's uploaded file and show the article's preview."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    moderation = get_moderation(context)
    roles = await asyncio.to_thread(load_roles, moderation.settings)
    if not roles.is_moderator(user.id):
        return  # for everyone else a file is just not a question (handled later)
    await _stop_pasting(moderation, user.id)
    doc = message.document
    limits = moderation.limits
    if doc.file_size and doc.file_size > limits.max_bytes:
        await message.reply_text(too_big(doc.file_size, limits), allow_sending_without_reply=True)
        raise ApplicationHandlerStop
    await message.reply_text(texts.CHECKING, allow_sending_without_reply=True)
    try:
        telegram_file = await doc.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        logger.warning("could not download a moderator's file: %s", exc)
        await message.reply_text(texts.DOWNLOAD_FAILED, allow_sending_without_reply=True)
        raise ApplicationHandlerStop from None
    name = doc.file_name or ""
    try:
        extracted = await asyncio.to_thread(read_document, name, data, limits)
    except FileCheckError as exc:
        await message.reply_text(str(exc), allow_sending_without_reply=True)
        raise ApplicationHandlerStop from None
    await _start_draft(message, context, extracted, name, message.caption or "")
    raise ApplicationHandlerStop


async def moderator_text(update: Update, context: Context) -> None:
    """A moderator's message that continues a pasted article or answers a draft's question."""
    message, user = update.effective_message, update.effective_user
    data = context.user_data
    if message is None or user is None or data is None or not message.text:
        return
    moderation = get_moderation(context)
    if user.id in moderation.pasting:
        roles = await asyncio.to_thread(load_roles, moderation.settings)
        if not roles.is_moderator(user.id):  # removed while pasting: a question again
            await _stop_pasting(moderation, user.id)
        else:
            chars = await asyncio.to_thread(
                pastes.append, moderation.settings, user.id, message.message_id, message.text
            )
            if chars is not None:
                await _paste_received(message, chars)
                raise ApplicationHandlerStop
            moderation.pasting.discard(user.id)  # ended elsewhere
    if WAIT not in data:
        return  # an ordinary question
    request_id, name = data[WAIT]
    found = await _open_draft(context, request_id)
    if found is None:
        data.pop(WAIT, None)
        return
    _, draft = found
    changed = with_field(draft, name, message.text)
    if changed is None:
        limit = 300 if name == "title" else 500
        error = texts.BAD_YEAR if name == "year" else texts.BAD_FIELD.format(limit=limit)
        await message.reply_text(error, allow_sending_without_reply=True)
        raise ApplicationHandlerStop
    await asyncio.to_thread(save_draft, get_moderation(context).settings, request_id, changed)
    data.pop(WAIT, None)
    if name == "year" or not await _ask_next(message, context, request_id, changed):
        await _show_draft(message, context, request_id, changed)
    raise ApplicationHandlerStop


# --- handlers: the list, removing, restoring, undoing ------------------------------------------


@moderators_only()
async def articles_command(update: Update, context: Context) -> None:
    """List every article with its id, version and chunk count; removed ones apart."""
    message = update.effective_message
    assert message is not None
    listed = await asyncio.to_thread(get_moderation(context).manager.listing)
    if not listed:
        await message.reply_text(texts.ARTICLES_EMPTY, allow_sending_without_reply=True)
        return
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
    await _send_lines(message, texts.ARTICLES_HEADER.format(count=len(live)), lines)


async def _ask_confirmation(update: Update, context: Context, kind: str) -> None:
    """Check the article id after a /remove, /restore or /undo and ask for a "yes"."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    article_id = _argument(message).lower()
    command = {"remove": "remove", "restore": "restore", "undo": "undo"}[kind]
    if not article_id:
        await message.reply_text(
            texts.USAGE_ID.format(command=command), allow_sending_without_reply=True
        )
        return
    moderation = get_moderation(context)
    listed = {a.id: a for a in await asyncio.to_thread(moderation.manager.listing)}
    article = listed.get(article_id)
    if article is None:
        text = texts.NO_ARTICLE.format(id=escape(article_id[:64]))
        await message.reply_text(text, parse_mode=HTML, allow_sending_without_reply=True)
        return
    title, safe_id = escape(article.title), escape(article.id)
    if kind == "remove" and article.removed:
        await message.reply_text(texts.ALREADY_REMOVED.format(id=safe_id))
        return
    if kind == "restore" and not article.removed:
        await message.reply_text(texts.NOT_REMOVED)
        return
    if kind == "undo":
        plan = await asyncio.to_thread(moderation.manager.undo_plan, article.id)
        if plan is None:
            await message.reply_text(texts.NOTHING_TO_UNDO.format(id=safe_id), parse_mode=HTML)
            return
        change = plan.change
        described = texts.CHANGE[change.action].format(
            at=_when(change.at), before=change.before_version, after=change.after_version
        )
        result = (
            texts.UNDO_TO_REMOVED
            if plan.target is None
            else texts.UNDO_TO_VERSION.format(version=plan.target)
        )
        text = f"«{title}» (<code>{safe_id}</code>)\n" + texts.CONFIRM_UNDO.format(
            change=described, result=result
        )
        yes = texts.BUTTON_UNDO
    elif kind == "remove":
        text = texts.CONFIRM_REMOVE.format(title=title, id=safe_id, version=article.version)
        yes = texts.BUTTON_REMOVE
    else:
        text = texts.CONFIRM_RESTORE.format(title=title, id=safe_id, version=article.version)
        yes = texts.BUTTON_RESTORE
    request_id = await asyncio.to_thread(
        open_request, moderation.settings, user.id, kind, article.id
    )
    await message.reply_text(
        text,
        parse_mode=HTML,
        reply_markup=_confirm_markup(request_id, yes),
        allow_sending_without_reply=True,
    )


@moderators_only()
async def remove_command(update: Update, context: Context) -> None:
    """Ask to confirm removing an article (soft: every version stays)."""
    await _ask_confirmation(update, context, "remove")


@moderators_only()
async def restore_command(update: Update, context: Context) -> None:
    """Ask to confirm bringing a removed article back."""
    await _ask_confirmation(update, context, "restore")


@moderators_only()
async def undo_command(update: Update, context: Context) -> None:
    """Ask to confirm reverting an article's last change."""
    await _ask_confirmation(update, context, "undo")


# --- handlers: buttons ---------------------------------------------------------------------------


def _outcome_text(outcome: Outcome) -> str:
    values = {
        "title": escape(outcome.title),
        "id": escape(outcome.article_id),
        "version": outcome.after,
        "before": outcome.before,
        "source": outcome.source_version,
    }
    if outcome.action == "add":
        return texts.ADDED.format(**values)
    if outcome.action == "replace":
        return texts.REPLACED.format(**values)
    if outcome.action == "remove":
        return texts.REMOVED.format(**values)
    if outcome.action == "restore":
        return texts.RESTORED.format(**values)
    if outcome.after is None:
        return texts.UNDONE_REMOVED.format(**values)
    return texts.UNDONE_VERSION.format(**values)


def _run_request(moderation: Moderation, request: Request, user_id: int) -> Outcome:
    """Apply a confirmed request (in a worker thread)."""
    manager, actor = moderation.manager, moderation.actor(user_id)
    if request.kind == "put":
        assert request.draft is not None
        replace = request.draft.replaces is not None
        return manager.put(request.draft.article(), actor, replace=replace)
    if request.kind == "remove":
        return manager.remove(request.article_id, actor)
    if request.kind == "restore":
        return manager.restore(request.article_id, actor)
    return manager.undo(request.article_id, actor)


async def _confirm(update: Update, context: Context, request_id: int) -> None:
    """Apply a request once, keep answering meanwhile, then switch to the new engine."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    moderation = get_moderation(context)
    request = await asyncio.to_thread(get_request, moderation.settings, request_id)
    if request is None or request.state not in ("open", "running"):
        await query.answer(texts.REQUEST_GONE)
        return
    if request.draft is not None and request.draft.missing:
        await query.answer(texts.NEED_FIELDS.format(missing=missing_words(request.draft)))
        return
    if not await asyncio.to_thread(move, moderation.settings, request_id, "open", "running"):
        await query.answer(texts.BUSY if request.state == "running" else texts.REQUEST_GONE)
        return
    await query.answer()
    message = query.message
    await message.edit_reply_markup(None)
    await message.reply_text(texts.WORKING, allow_sending_without_reply=True)
    try:
        async with moderation.lock:
            outcome = await asyncio.to_thread(_run_request, moderation, request, query.from_user.id)
            await moderation.swap_engine(outcome.change_id)
    except ContentError as exc:
        await asyncio.to_thread(move, moderation.settings, request_id, "running", "open")
        await message.reply_text(texts.FAILED.format(reason=escape(str(exc))), parse_mode=HTML)
        return
    except BaseException:
        await asyncio.to_thread(move, moderation.settings, request_id, "running", "open")
        raise
    await asyncio.to_thread(move, moderation.settings, request_id, "running", "done")
    _user_data(context).pop(WAIT, None)
    await message.reply_text(_outcome_text(outcome), parse_mode=HTML)


async def _cancel(update: Update, context: Context, request_id: int) -> None:
    query = update.callback_query
    assert query is not None
    if not await asyncio.to_thread(
        move, get_moderation(context).settings, request_id, "open", "cancelled"
    ):
        await query.answer(texts.REQUEST_GONE)
        return
    await query.answer()
    _user_data(context).pop(WAIT, None)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(None)
        await query.message.reply_text(texts.CANCELLED)


async def _stop_pasting(moderation: Moderation, user_id: int) -> None:
    if user_id in moderation.pasting:  # the set mirrors the table: nothing to delete otherwise
        moderation.pasting.discard(user_id)
        await asyncio.to_thread(pastes.cancel, moderation.settings, user_id)


async def _paste_done(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    moderation = get_moderation(context)
    user_id = query.from_user.id
    pieces = await asyncio.to_thread(pastes.take, moderation.settings, user_id)
    moderation.pasting.discard(user_id)
    if pieces is None:
        await query.answer(texts.REQUEST_GONE)
        return
    await query.answer()
    if not pieces:
        await query.message.reply_text(texts.PASTE_EMPTY)
        await asyncio.to_thread(pastes.start, moderation.settings, user_id)
        moderation.pasting.add(user_id)
        return
    try:
        text = check_text("\n\n".join(pieces), get_moderation(context).limits)
    except FileCheckError as exc:
        await query.message.reply_text(str(exc))
        return
    await _start_draft(query.message, context, Extracted(text, "text"), "", "")


async def button(update: Update, context: Context) -> None:
    """Every moderation button: confirm, cancel, edit a draft's field, finish pasting."""
    query = update.callback_query
    assert query is not None
    match = CALLBACK.fullmatch(query.data or "")
    if match is None or not isinstance(query.message, Message):
        return  # not ours, or too old to act on: answered as a stale button further on
    if not await _allowed(update, context):
        raise ApplicationHandlerStop
    action, number, code = match[1], int(match[2] or 0), match[3]
    data = _user_data(context)
    if action == "go":
        await _confirm(update, context, number)
    elif action == "no":
        await _cancel(update, context, number)
    elif action == "pd":
        await _paste_done(update, context)
    elif action == "pc":
        await query.answer()
        await _stop_pasting(get_moderation(context), query.from_user.id)
        await query.message.reply_text(texts.CANCELLED)
    elif (found := await _open_draft(context, number)) is None:
        await query.answer(texts.REQUEST_GONE)
    elif action == "ed" and code:
        await query.answer()
        data[WAIT] = (number, FIELD_CODES[code])
        markup = _markup([(texts.BUTTON_NO_YEAR, f"m:ny:{number}")]) if code == "y" else None
        await query.message.reply_text(texts.ASK[FIELD_CODES[code]], reply_markup=markup)
    else:  # "ny": the year is unknown
        await query.answer()
        data.pop(WAIT, None)
        data.setdefault(YEAR_ASKED, set()).add(number)
        await _show_draft(query.message, context, number, found[1])
    raise ApplicationHandlerStop


# --- handlers: reports and moderators --------------------------------------------------------


@moderators_only()
async def unanswered_command(update: Update, context: Context) -> None:
    """Show recent declined questions and 👎 answers: what content is missing."""
    message = update.effective_message
    assert message is not None
    settings = get_moderation(context).settings
    limit = settings.moderation.report_lines
    asked = await asyncio.to_thread(reports.declined, settings.db_path, limit)
    disliked = await asyncio.to_thread(reports.disliked, settings.db_path, limit)
    if not asked and not disliked:
        await message.reply_text(texts.UNANSWERED_EMPTY, allow_sending_without_reply=True)
        return

    def lines(rows: list[tuple[str, str]]) -> list[str]:
        return [
            texts.REPORT_LINE.format(at=_when(at), question=escape(" ".join(q.split())[:300]))
            for at, q in rows
        ]

    body = lines(asked)
    if disliked:
        body += [texts.DISLIKED_HEADER.format(count=len(disliked)), *lines(disliked)]
    body.append(texts.UNANSWERED_HINT)
    await _send_lines(message, texts.UNANSWERED_HEADER.format(count=len(asked)), body)


@moderators_only()
async def stats_command(update: Update, context: Context) -> None:
    """Send usage as a chart: questions a day, the share answered, and feedback."""
    message = update.effective_message
    assert message is not None
    settings = get_moderation(context).settings
    days = settings.moderation.stats_days
    stats = await asyncio.to_thread(reports.usage, settings.db_path, days)
    if not stats.questions:
        await message.reply_text(texts.STATS_EMPTY.format(days=days))
        return
    png = await asyncio.to_thread(reports.chart_png, stats)
    caption = texts.STATS_CAPTION.format(
        days=days,
        questions=stats.questions,
        answered=stats.answered,
        share=round(100 * stats.answered / stats.questions),
        up=stats.up,
        down=stats.down,
    )
    await message.reply_photo(png, caption=caption, parse_mode=HTML)


@moderators_only()
async def modhelp_command(update: Update, context: Context) -> None:
    """Explain to a moderator what they can do."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(texts.MODHELP, parse_mode=HTML, allow_sending_without_reply=True)


@moderators_only(admin=True)
async def moderators_command(update: Update, context: Context) -> None:
    """List moderators and admins (for admins)."""
    message = update.effective_message
    assert message is not None
    roles = await asyncio.to_thread(load_roles, get_moderation(context).settings)
    lines = []
    for user_id in sorted(roles.admins | roles.configured | roles.added):
        note = texts.ADMIN_NOTE if user_id in roles.admins else ""
        if user_id in roles.configured or user_id in roles.admins:
            note += texts.FROM_CONFIG
        lines.append(texts.MODERATOR_LINE.format(id=user_id, note=note))
    await _send_lines(message, texts.MODERATORS_HEADER, lines)


async def _change_moderator(update: Update, context: Context, add: bool) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    argument = _argument(message)
    command = "addmod" if add else "delmod"
    if not argument.isdigit() or not 0 < int(argument) < 2**53:
        await message.reply_text(texts.MOD_USAGE.format(command=command))
        return
    target = int(argument)
    moderation = get_moderation(context)
    settings = moderation.settings
    if add:
        await asyncio.to_thread(add_moderator, settings, target, user.id)
        text = texts.MOD_ADDED
    elif await asyncio.to_thread(remove_moderator, settings, target):
        text = texts.MOD_REMOVED
    elif target in settings.moderation.moderators or target in settings.moderation.admins:
        text = texts.MOD_IN_CONFIG
    else:
        text = texts.MOD_UNKNOWN
    if text in (texts.MOD_ADDED, texts.MOD_REMOVED):
        action = "moderator added" if add else "moderator removed"
        await asyncio.to_thread(
            moderation.manager.log_event, moderation.actor(user.id), action, str(target)
        )
        roles = await asyncio.to_thread(load_roles, settings)
        await set_menu(context.bot, roles, target)
    await message.reply_text(text.format(id=target), parse_mode=HTML)


@moderators_only(admin=True)
async def addmod_command(update: Update, context: Context) -> None:
    """Make a Telegram user a moderator (admins only)."""
    await _change_moderator(update, context, add=True)


@moderators_only(admin=True)
async def delmod_command(update: Update, context: Context) -> None:
    """Take moderation away from a Telegram user (admins only)."""
    await _change_moderator(update, context, add=False)


# --- jobs ------------------------------------------------------------------------------------


async def set_menu(bot: Bot, roles: Roles, user_id: int) -> None:
    """Show a moderator the moderation commands in their own chat's menu; take them away from
    someone who is no longer one (everyone else sees the general menu)."""
    scope = BotCommandScopeChat(user_id)
    try:
        if not roles.is_moderator(user_id):
            await bot.delete_my_commands(scope=scope)
            return
        extra = texts.MENU + (texts.ADMIN_MENU if roles.is_admin(user_id) else ())
        menu = bot_commands(KK) + [BotCommand(name, about) for name, about in extra]
        await bot.set_my_commands(menu, scope=scope)
    except TelegramError as exc:  # a user who never opened the bot has no chat yet
        logger.info("no moderator menu for %s: %s", user_id, exc)


async def recover_on_start(context: Context) -> None:
    """Give moderators their menu; finish changes a crash interrupted, switch to the result and
    tell their moderators."""
    moderation = get_moderation(context)
    roles = await asyncio.to_thread(load_roles, moderation.settings)
    for user_id in roles.admins | roles.configured | roles.added:
        await set_menu(context.bot, roles, user_id)
    finished = await asyncio.to_thread(moderation.manager.recover)
    if not finished:
        return
    async with moderation.lock:
        await moderation.swap_engine(max(c.id for c in finished))
    for change in finished:
        if change.actor.startswith("telegram:"):
            text = texts.RECOVERED.format(
                id=escape(change.article_id or ""), version=change.after_version or "—"
            )
            try:
                await context.bot.send_message(int(change.actor[9:]), text, parse_mode=HTML)
            except TelegramError as exc:
                logger.warning("could not tell a moderator about a recovered change: %s", exc)


async def reload_if_changed(context: Context) -> None:
    """Switch to a new engine when the content was changed by another process (the CLI)."""
    moderation = get_moderation(context)
    latest = await asyncio.to_thread(moderation.manager.last_change)
    if latest <= moderation.known_change:
        return
    async with moderation.lock:
        logger.info("the content changed elsewhere; switching to the new index")
        await moderation.swap_engine(latest)


# --- registration ------------------------------------------------------------------------------

COMMANDS: Final = {
    "add": add_command,
    "articles": articles_command,
    "remove": remove_command,
    "restore": restore_command,
    "undo": undo_command,
    "unanswered": unanswered_command,
    "stats": stats_command,
    "modhelp": modhelp_command,
    "moderators": moderators_command,
    "addmod": addmod_command,
    "delmod": delmod_command,
}


def register(application: TelegramApp) -> None:
    """Add the moderation handlers before the question handlers, and their jobs."""
    services = application.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    settings = services.settings
    manager = ContentManager(settings, lambda: _embedder_of(services))
    moderation = Moderation(settings, services, manager, _limits(settings))
    moderation.known_change = manager.last_change()
    moderation.pasting = pastes.pasting(settings)
    application.bot_data[MODERATION_KEY] = moderation
    private = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    application.add_handlers(
        [
            *(CommandHandler(name, fn, filters=private) for name, fn in COMMANDS.items()),
            MessageHandler(private & filters.Document.ALL, document),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, moderator_text),
            CallbackQueryHandler(button, pattern=r"^m:"),
        ],
        group=-1,
    )
    jobs = application.job_queue
    if jobs is not None:
        jobs.run_once(recover_on_start, 0, name="moderation-recover")
        interval = settings.moderation.reload_check_seconds
        jobs.run_repeating(reload_if_changed, interval, first=interval, name="moderation-reload")
