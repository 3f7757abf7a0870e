"""What the answer handlers share, kept in `application.bot_data`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.store import FeedbackStore
from bot.telegram.replies import Context
from bot.telegram.shared import kept


@dataclass
class Answers:
    """What the answer handlers keep besides `Services`; in `application.bot_data`."""

    store: FeedbackStore


def get_answers(context: Context) -> Answers:
    """The `Answers` of the running application."""
    return kept(context.bot_data, Answers)
