"""Lists in the articles: a sentence that introduces one («…мыналар жатады:») and its items.

The engine and the quoting step both need to know where a list ends: the quote carries the items
with their introduction, and an introduction whose items the article lost is never a quote.
"""

from __future__ import annotations

import re
from typing import Final

ITEM: Final = re.compile(r"^\s*(?:[а-яәғқңөұүһіa-z]\)|\d{1,2}[.)]|[-–—•*]\s)", re.IGNORECASE)
# Items quoted with their introduction, at most (Telegram allows 4,096 characters a message).
MAX_LIST_CHARS: Final = 2500
_ENDS_WITH_COLON: Final = re.compile(r":[ \t]*(?=\n|$)")


def introduces_list(sentence: str) -> bool:
    """Whether a sentence announces what follows («…мыналар:», «төмендегідей …:»)."""
    return sentence.rstrip().endswith(":")


def list_end(text: str, end: int) -> int:
    """Where the list that starts right after `end` ends; `end` when no item follows."""
    last = end
    for match in re.finditer(r"[^\n]+", text[end:]):
        start, stop = end + match.start(), end + match.end()
        line = text[start:stop]
        if not line.strip():
            continue
        if not ITEM.match(line) or stop - end > MAX_LIST_CHARS:
            break
        last = stop
    return last


def holds_lost_list(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` holds a list's introduction whose items the article lost:
    such a sentence answers nothing on its own."""
    for match in _ENDS_WITH_COLON.finditer(text, start, end):
        colon = match.start() + 1
        if list_end(text, colon) == colon:
            return True
    return False
