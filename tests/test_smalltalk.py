"""Greetings and thanks are told apart from questions."""

import pytest

from index.smalltalk import is_small_talk


@pytest.mark.parametrize(
    "message",
    ["Сәлем!", "сәлем, қалың қалай?", "Салеметсизбе", "salem, sen kimsin?", "Рахмет!",
     "Привет, как дела?", "Кто ты?", "Здравствуйте"],
)  # fmt: skip
def test_small_talk_is_recognised(message: str) -> None:
    assert is_small_talk(message)


@pytest.mark.parametrize(
    "message",
    ["Сәлем! Ассамблея қашан құрылды?", "Ассамблея не істейді?", "Ертең сабақ бола ма?", "", "👍"],
)
def test_questions_are_not_small_talk(message: str) -> None:
    assert not is_small_talk(message)
