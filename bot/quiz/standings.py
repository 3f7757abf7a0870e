"""Places on a leaderboard: players with the same score share a place (1, 1, 3), and a medal
goes only to a place with at least one right answer."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Final, TypeVar

__all__ = ["MEDALS", "mark", "places"]

MEDALS: Final = ("🥇", "🥈", "🥉")
T = TypeVar("T")


def places(ranked: Sequence[T], key: Callable[[T], Hashable]) -> list[int]:
    """The place of each entry of a list already sorted best first: ties share the place of
    the first of them, and the next place counts everyone above (1, 1, 3)."""
    found: list[int] = []
    for n, entry in enumerate(ranked):
        tied = n > 0 and key(entry) == key(ranked[n - 1])
        found.append(found[-1] if tied else n + 1)
    return found


def mark(place: int, correct: int) -> str:
    """The medal of a place, or its number: no medal for no right answer."""
    return MEDALS[place - 1] if correct > 0 and place <= len(MEDALS) else f"{place}."
