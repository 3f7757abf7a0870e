"""Leaderboard places: ties share a place, and no medal goes to a player with no right answer."""

from __future__ import annotations

from bot.quiz.standings import MEDALS, mark, places


def test_ties_share_a_place_and_the_next_place_counts_everyone_above() -> None:
    scores = [5, 3, 3, 1, 0, 0]
    assert places(scores, lambda s: s) == [1, 2, 2, 4, 5, 5]
    assert places([4, 4, 4], lambda s: s) == [1, 1, 1]
    assert places([], lambda s: s) == []


def test_medals_go_to_the_first_three_places_with_a_right_answer() -> None:
    assert [mark(p, 2) for p in (1, 1, 3, 4)] == [MEDALS[0], MEDALS[0], MEDALS[2], "4."]
    assert mark(1, 0) == "1." and mark(3, 0) == "3."  # 0/3 earns no 🥉
