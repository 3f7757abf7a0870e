"""Inline keyboards and their callback data: one small, validated format.

Callback data (at most 64 bytes, `InlineKeyboardButtonLimit.MAX_CALLBACK_DATA`):

    p:<chunk_id>            show the whole passage of a quote
    o:<answer_id>           show quotes from other articles for a recorded answer
    v:<answer_id>:<+|->     feedback on a recorded answer
    x:<index>               ask one of the example questions of /start

Anything else (forged, truncated, from an older version) parses to None and is answered as a
stale button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

from bot.telegram import texts
from index.answer import Answer

MAX_ID: Final = 2**53 - 1  # ids beyond this are forged, whatever their shape


@dataclass(frozen=True)
class PassageData:
    """Show the whole passage (chunk) a quote was cut from."""

    chunk_id: int


@dataclass(frozen=True)
class OthersData:
    """Show quotes from other articles for a recorded answer."""

    answer_id: int


@dataclass(frozen=True)
class VoteData:
    """A 👍 (+1) or 👎 (-1) on a recorded answer."""

    answer_id: int
    vote: int


@dataclass(frozen=True)
class ExampleData:
    """Ask the example question with this index in `texts.EXAMPLES`."""

    index: int


CallbackData = PassageData | OthersData | VoteData | ExampleData

PASSAGE_PATTERN: Final = re.compile(r"p:(\d{1,16})")
OTHERS_PATTERN: Final = re.compile(r"o:(\d{1,16})")
VOTE_PATTERN: Final = re.compile(r"v:(\d{1,16}):([+-])")
EXAMPLE_PATTERN: Final = re.compile(r"x:(\d{1,2})")


def encode(data: CallbackData) -> str:
    """The callback data string for `data`; never longer than Telegram allows."""
    if isinstance(data, PassageData):
        raw = f"p:{data.chunk_id}"
    elif isinstance(data, OthersData):
        raw = f"o:{data.answer_id}"
    elif isinstance(data, VoteData):
        raw = f"v:{data.answer_id}:{'+' if data.vote > 0 else '-'}"
    else:
        raw = f"x:{data.index}"
    if parse(raw) != data:
        raise ValueError(f"cannot encode {data!r}")
    return raw


def parse(raw: object) -> CallbackData | None:
    """Parse callback data; None for anything this version did not produce."""
    if not isinstance(raw, str):
        return None
    if len(raw.encode("utf-8")) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
        return None
    if match := PASSAGE_PATTERN.fullmatch(raw):
        number = int(match[1])
        return PassageData(number) if number <= MAX_ID else None
    if match := OTHERS_PATTERN.fullmatch(raw):
        number = int(match[1])
        return OthersData(number) if 0 < number <= MAX_ID else None
    if match := VOTE_PATTERN.fullmatch(raw):
        number = int(match[1])
        return VoteData(number, 1 if match[2] == "+" else -1) if 0 < number <= MAX_ID else None
    if match := EXAMPLE_PATTERN.fullmatch(raw):
        index = int(match[1])
        return ExampleData(index) if index < len(texts.EXAMPLES) else None
    return None


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(data))


def answer_keyboard(answer: Answer, answer_id: int | None) -> InlineKeyboardMarkup | None:
    """Buttons under an answer: whole passage(s), other sources, and 👍/👎.

    Without an `answer_id` (the answer could not be recorded) only the passage buttons remain.
    """
    lang = answer.lang
    rows: list[list[InlineKeyboardButton]] = []
    if len(answer.quotes) == 1:
        rows.append(
            [
                _button(
                    texts.pick(texts.BUTTON_PASSAGE, lang), PassageData(answer.quotes[0].chunk_id)
                )
            ]
        )
    elif answer.quotes:
        rows.append(
            [
                _button(
                    texts.pick(texts.BUTTON_PASSAGE_N, lang).format(n=n), PassageData(q.chunk_id)
                )
                for n, q in enumerate(answer.quotes, start=1)
            ]
        )
    if answer_id is not None:
        if answer.others:
            rows.append([_button(texts.pick(texts.BUTTON_OTHERS, lang), OthersData(answer_id))])
        rows.append(vote_row(answer_id, chosen=0))
    return InlineKeyboardMarkup(rows) if rows else None


def vote_row(answer_id: int, chosen: int) -> list[InlineKeyboardButton]:
    """The 👍/👎 row, with the user's choice (+1, -1, or 0 for none) ticked."""
    buttons = []
    for emoji, vote in ((texts.BUTTON_UP, 1), (texts.BUTTON_DOWN, -1)):
        label = texts.BUTTON_CHOSEN.format(emoji=emoji) if vote == chosen else emoji
        buttons.append(_button(label, VoteData(answer_id, vote)))
    return buttons


def with_vote_marked(
    markup: InlineKeyboardMarkup | None, answer_id: int, chosen: int
) -> InlineKeyboardMarkup | None:
    """The same keyboard with its vote row redrawn to show `chosen`; None if it has none."""
    if markup is None:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    found = False
    for row in markup.inline_keyboard:
        if any(isinstance(parse(b.callback_data), VoteData) for b in row):
            rows.append(vote_row(answer_id, chosen))
            found = True
        else:
            rows.append(list(row))
    return InlineKeyboardMarkup(rows) if found else None


def examples_keyboard() -> InlineKeyboardMarkup:
    """The example questions of /start, one button a row."""
    return InlineKeyboardMarkup(
        [[_button(question, ExampleData(i))] for i, question in enumerate(texts.EXAMPLES)]
    )
