"""What moderators read to see what content is missing, and how the bot is used.

Reads what the bot records of the citizens' questions through the methods of their owner,
bot/answers/store.py, so /unanswered and /stats count the same declines. The /stats chart is a
PNG drawn with matplotlib: a stacked bar a day (answered, declined), its words in Kazakh.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.answers.store import FeedbackStore
from bot.moderation import texts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ANSWERED_COLOR = "#4caf50"
DECLINED_COLOR = "#ffb300"
CHART_FONT = "DejaVu Sans"
CHART_INCHES = (9.0, 4.5)
CHART_DPI = 150  # 1350 × 675 pixels: sharp on a phone, well within Telegram's photo limits


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


def chart_png(stats: Stats) -> bytes:
    """The /stats chart as PNG bytes, drawn in memory by the non-interactive Agg backend.

    Matplotlib is imported here, not at the top, so starting the bot does not pay for it. The
    font is the DejaVu Sans bundled with matplotlib: it has every Kazakh letter."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    out = io.BytesIO()
    with matplotlib.rc_context({"font.family": CHART_FONT, "font.size": 12}):
        FigureCanvasAgg(chart_figure(stats)).print_png(out)
    return out.getvalue()


def chart_figure(stats: Stats) -> Figure:
    """A stacked bar a day (answered, declined) with title, axes and legend in Kazakh; with no
    question in the period, the polite /stats text instead of empty axes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=CHART_INCHES, dpi=CHART_DPI, layout="constrained")
    axes = figure.subplots()
    if not stats.questions:
        axes.set_axis_off()
        empty = texts.STATS_EMPTY.format(days=len(stats.days))
        axes.text(0.5, 0.5, empty, ha="center", va="center", fontsize=16)
        return figure
    first, last = stats.days[0].day, stats.days[-1].day
    axes.set_title(texts.CHART_TITLE.format(first=f"{first:%d.%m.%Y}", last=f"{last:%d.%m.%Y}"))
    places = range(len(stats.days))
    answered = [d.answered for d in stats.days]
    declined = [d.declined for d in stats.days]
    axes.bar(places, answered, color=ANSWERED_COLOR, label=texts.CHART_ANSWERED)
    tops = axes.bar(
        places, declined, bottom=answered, color=DECLINED_COLOR, label=texts.CHART_DECLINED
    )
    totals = [a + d for a, d in zip(answered, declined, strict=True)]
    axes.bar_label(tops, [str(t) if t else "" for t in totals], padding=2)
    every = max(1, len(stats.days) // 10)
    axes.set_xticks(places[::every], [f"{d.day:%d.%m}" for d in stats.days[::every]])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max(totals) * 1.3)  # room for the legend above the highest bar
    axes.set_xlabel(texts.CHART_X)
    axes.set_ylabel(texts.CHART_Y)
    axes.legend(loc="upper left", ncols=2, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#dddddd")
    axes.set_axisbelow(True)
    return figure
