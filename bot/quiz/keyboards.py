"""The quiz's buttons and their callback data (bot/telegram/callbacks.py):

qz:<topic|all>          send another question of the topic (or of any)
qzd:<plan>:<n>          a teacher drops question n from the round previewed (plan is its id)
qzs:<plan>              a teacher starts the round previewed
qzr:<round>             a teacher gets a finished round's results as a CSV file
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


@callback("qzd")
@dataclass(frozen=True)
class DropQuestion:
    """Drop a question from a previewed round (and switch it off in the bank)."""

    plan: int
    index: int


@callback("qzs")
@dataclass(frozen=True)
class StartPlan:
    """Start a previewed round in the chat it was previewed for."""

    plan: int


@callback("qzr", valid=lambda data: data.round_id > 0)
@dataclass(frozen=True)
class ResultsFile:
    """Send a finished round's results as a CSV file."""

    round_id: int


def _one(text: str, data: object) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=encode(data))]])


def next_question(topic: str | None, lang: str) -> InlineKeyboardMarkup:
    """The "next question" button under a single question."""
    return _one(pick(texts.NEXT_BUTTON, lang), NextQuestion(topic))


def drop_question(plan: int, index: int, lang: str) -> InlineKeyboardMarkup:
    """The "drop" button under a question of a previewed round."""
    return _one(pick(texts.DROP_BUTTON, lang), DropQuestion(plan, index))


def start_plan(plan: int, lang: str) -> InlineKeyboardMarkup:
    """The "start the round" button at the end of a preview."""
    return _one(pick(texts.START_BUTTON, lang), StartPlan(plan))


def results_file(round_id: int, lang: str) -> InlineKeyboardMarkup:
    """The "results (CSV)" button under a finished round's leaderboard."""
    return _one(pick(texts.RESULTS_BUTTON, lang), ResultsFile(round_id))
