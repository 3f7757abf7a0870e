"""The moderators' buttons and their callback data (bot/telegram/callbacks.py):

m:go:<request>          confirm a request (add, replace, remove, restore, undo)
m:no:<request>          cancel it
m:ed:<request>:<t|s|y>  type a new title, source or year for a draft
m:ny:<request>          the draft's year is unknown
m:pd / m:pc             pasted text finished / cancelled
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.moderation import texts
from bot.moderation.preview import Draft
from bot.telegram.callbacks import callback, encode

FIELDS = {"t": "title", "s": "source", "y": "year"}


@dataclass(frozen=True)
class _OnRequest:
    request_id: int  # the request (bot/moderation/requests.py) the button acts on


@callback("m:go")
class Confirm(_OnRequest):
    """Apply a request."""


@callback("m:no")
class Cancel(_OnRequest):
    """Drop a request."""


@callback("m:ny")
class NoYear(_OnRequest):
    """The draft's year is unknown."""


@callback("m:ed", codes={"field": FIELDS})
@dataclass(frozen=True)
class Edit(_OnRequest):
    """Type a new value for one of a draft's fields."""

    field: str


@callback("m:pd")
@dataclass(frozen=True)
class PasteDone:
    """Every piece of a pasted article has been sent."""


@callback("m:pc")
@dataclass(frozen=True)
class PasteCancel:
    """Drop a pasted article."""


def _markup(*rows: Sequence[tuple[str, object]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text, callback_data=encode(data)) for text, data in row]
            for row in rows
        ]
    )


def confirm(request_id: int, yes: str) -> InlineKeyboardMarkup:
    """The "yes" and "cancel" buttons of a request."""
    return _markup([(yes, Confirm(request_id)), (texts.BUTTON_CANCEL, Cancel(request_id))])


def preview(request_id: int, draft: Draft) -> InlineKeyboardMarkup:
    """Under a draft's preview: edit a field, then add (or replace) or cancel."""
    edit = [(label, Edit(request_id, name)) for name, label in texts.BUTTON_EDIT.items()]
    yes = texts.BUTTON_ADD if draft.replaces is None else texts.BUTTON_REPLACE
    return _markup(edit, [(yes, Confirm(request_id)), (texts.BUTTON_CANCEL, Cancel(request_id))])


def no_year(request_id: int) -> InlineKeyboardMarkup:
    """The "year unknown" button, under the question for it."""
    return _markup([(texts.BUTTON_NO_YEAR, NoYear(request_id))])


def pasting() -> InlineKeyboardMarkup:
    """The "done" and "cancel" buttons under each acknowledged piece of a pasted article."""
    return _markup([(texts.BUTTON_DONE, PasteDone()), (texts.BUTTON_CANCEL, PasteCancel())])
