"""The quiz's one button, "next question", and its callback data (bot/telegram/callbacks.py):

qz:<topic|all>          send another question of the topic (or of any)
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.quiz import texts
from bot.quiz.topics import ALL, TOPIC_NAMES
from bot.telegram.callbacks import callback, encode
from bot.telegram.texts import pick

_TOPICS = {name: (None if name == ALL else name) for name in TOPIC_NAMES}


@callback("qz", codes={"topic": _TOPICS})
@dataclass(frozen=True)
class NextQuestion:
    """Send another question; `topic` None for any topic."""

    topic: str | None


def next_question(topic: str | None, lang: str) -> InlineKeyboardMarkup:
    """The "next question" button under a single question."""
    button = InlineKeyboardButton(
        pick(texts.NEXT_BUTTON, lang), callback_data=encode(NextQuestion(topic))
    )
    return InlineKeyboardMarkup([[button]])
