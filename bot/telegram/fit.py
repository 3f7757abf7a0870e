"""Fitting text into Telegram's limits: cutting at a word, packing lines into messages."""

from __future__ import annotations

from html import escape
from typing import Final

from telegram.constants import CallbackQueryLimit, MessageLimit

TEXT_LIMIT: Final = int(MessageLimit.MAX_TEXT_LENGTH)
TOAST_LIMIT: Final = int(CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)
ELLIPSIS: Final = " …"


def cut_at_word(text: str, room: int, *, html: bool = False) -> str:
    """`text` (escaped for HTML with `html`) whole if it fits `room`, else cut after the last
    whole word that fits, with " …" after it."""
    whole = escape(text) if html else text
    if len(whole) <= room:
        return whole
    body = ""
    for word in text.split():
        piece = escape(word) if html else word
        if len(body) + len(piece) + 1 + len(ELLIPSIS) > room:
            break
        body = f"{body} {piece}" if body else piece
    return body + ELLIPSIS


def pack(header: str, lines: list[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Join lines under `header` into as few messages as fit `limit`, never splitting a line."""
    messages, current = [], header
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            messages.append(current)
            candidate = line
        current = candidate
    if current:
        messages.append(current)
    return messages
