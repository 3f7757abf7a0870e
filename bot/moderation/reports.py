"""What moderators read to see what content is missing, and how the bot is used.

Reads what the bot records of the citizens' questions through the methods of their owner,
bot/answers/store.py, so /unanswered and /stats count the same declines. The /stats chart is a
PNG drawn with Pillow: a stacked bar a day (answered, declined). Pillow's built-in font has no
Cyrillic, so the chart carries only dates and numbers; the Kazakh words go in the caption.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.answers.store import FeedbackStore

ANSWERED_COLOR = (76, 175, 80)
DECLINED_COLOR = (255, 179, 0)


@dataclass(frozen=True)
class Day:
    """Questions asked in Telegram on one day (UTC)."""

    day: date
    answered: int
    declined: int


@dataclass(frozen=True)
class Stats:
    """Usage over the last days."""

    days: list[Day]
    up: int
    down: int

    @property
    def questions(self) -> int:
        """Questions asked in the period."""
        return sum(d.answered + d.declined for d in self.days)

    @property
    def answered(self) -> int:
        """Questions that got quotes."""
        return sum(d.answered for d in self.days)


@contextlib.contextmanager
def _records(db_path: Path) -> Iterator[FeedbackStore]:
    store = FeedbackStore(db_path)
    try:
        yield store
    finally:
        store.close()


def declined(db_path: Path, limit: int) -> list[tuple[str, str]]:
    """(asked at, question) of the newest declined questions, repeated ones once."""
    with _records(db_path) as store:
        return store.declined(limit)


def disliked(db_path: Path, limit: int) -> list[tuple[str, str]]:
    """(voted at, question) of the newest answers someone marked 👎."""
    with _records(db_path) as store:
        return store.disliked(limit)


def missing(db_path: Path, limit: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """/unanswered: the newest declined questions and the newest 👎 answers, read at once."""
    with _records(db_path) as store:
        return store.declined(limit), store.disliked(limit)


def usage(db_path: Path, days: int, today: date | None = None) -> Stats:
    """Questions a day (answered, declined) and 👍/👎 over the last `days` days."""
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    with _records(db_path) as store:
        counts = store.daily(first.isoformat())
        up, down = store.votes(first.isoformat())
    series = []
    for n in range(days):
        day = first + timedelta(days=n)
        answered, refused = counts.get(day.isoformat(), (0, 0))
        series.append(Day(day, answered, refused))
    return Stats(series, up, down)


def chart_png(stats: Stats, width: int = 900, height: int = 420) -> bytes:
    """A stacked bar chart of questions a day as PNG bytes."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    left, right, top, bottom = 50, 20, 20, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((d.answered + d.declined for d in stats.days), default=0) or 1
    draw.line([(left, top), (left, top + plot_h), (left + plot_w, top + plot_h)], fill="black")
    for fraction in (0.5, 1.0):
        y = top + plot_h - fraction * plot_h
        draw.line([(left - 4, y), (left + plot_w, y)], fill=(220, 220, 220))
        draw.text((left - 8, y), f"{round(peak * fraction)}", fill="black", font=font, anchor="rm")
    slot = plot_w / max(len(stats.days), 1)
    label_every = max(1, len(stats.days) // 10)
    for n, day in enumerate(stats.days):
        x0 = left + n * slot + slot * 0.15
        x1 = left + (n + 1) * slot - slot * 0.15
        base: float = top + plot_h
        for value, color in ((day.answered, ANSWERED_COLOR), (day.declined, DECLINED_COLOR)):
            if value:
                h = value / peak * plot_h
                draw.rectangle([x0, base - h, x1, base], fill=color)
                base -= h
        total = day.answered + day.declined
        if total:
            draw.text(((x0 + x1) / 2, base - 3), str(total), fill="black", font=font, anchor="mb")
        if n % label_every == 0:
            label = day.day.strftime("%d.%m")
            draw.text(
                ((x0 + x1) / 2, top + plot_h + 8), label, fill="black", font=font, anchor="mt"
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
