"""The buttons under an answer and under /start, and their callback data.

Callback data (bot/telegram/callbacks.py, at most 64 bytes):

    p:<chunk_id>            show the whole passage of a quote
    o:<answer_id>           show quotes from other articles for a recorded answer
    v:<answer_id>:<+|->     feedback on a recorded answer
    x:<index>               ask one of the example questions of /start
    s:<index>               ask one of the engine's example questions offered under a refusal
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers import texts
from bot.answers.more import other_articles
from bot.telegram.callbacks import callback, encode, parse
from bot.telegram.fit import cut_at_word
from index.answer import Answer
from index.examples import MAX_EXAMPLES

BUTTON_CHARS = 64  # a longer button label is cut: Telegram shows little more on a phone

__all__ = ["encode", "parse"]


@callback("p")
@dataclass(frozen=True)
class PassageData:
    """Show the whole passage (chunk) a quote was cut from."""

    chunk_id: int


@callback("o", valid=lambda data: data.answer_id > 0)
@dataclass(frozen=True)
class OthersData:
    """Show quotes from other articles for a recorded answer."""

    answer_id: int


@callback("v", codes={"vote": {"+": 1, "-": -1}}, valid=lambda data: data.answer_id > 0)
@dataclass(frozen=True)
class VoteData:
    """A 👍 (+1) or 👎 (-1) on a recorded answer."""

    answer_id: int
    vote: int


@callback("x", valid=lambda data: data.index < len(texts.EXAMPLES))
@dataclass(frozen=True)
class ExampleData:
    """Ask the example question with this index in `texts.EXAMPLES`."""

    index: int


@callback("s", valid=lambda data: data.index < MAX_EXAMPLES)
@dataclass(frozen=True)
class SuggestionData:
    """Ask the example question with this index in the engine's `examples()`."""

    index: int


def _button(text: str, data: object) -> InlineKeyboardButton:
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
    if not answer.quotes:
        rows.extend(
            [_button(cut_at_word(question, BUTTON_CHARS), SuggestionData(i))]
            for i, question in enumerate(answer.suggestions[:MAX_EXAMPLES])
        )
    if answer_id is not None:
        if other_articles(answer):
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


def carries(message: object, data: str | None) -> bool:
    """Whether `message` is one of the bot's messages with a button carrying `data` (a press
    that names another answer than the one it sits under is not that answer's vote)."""
    markup = getattr(message, "reply_markup", None)
    if not isinstance(markup, InlineKeyboardMarkup) or data is None:
        return False
    return any(b.callback_data == data for row in markup.inline_keyboard for b in row)


def examples_keyboard() -> InlineKeyboardMarkup:
    """The example questions of /start, one button a row."""
    return InlineKeyboardMarkup(
        [[_button(question, ExampleData(i))] for i, question in enumerate(texts.EXAMPLES)]
    )
