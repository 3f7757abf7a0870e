"""Restoring a question's spelling from the articles' own words."""

import pytest

from index.spelling import Speller

ARTICLE = (
    "Қазақстан халқы Ассамблеясы 1995 жылы Президент Жарлығымен құрылды. Ассамблеяның мақсаты "
    "бар. Ассамблеяның мақсаты бар. Бәрі бірден келісті. Алғаш рет сессия өтті. Түймебаев туралы "
    "туралы туралы айтты, түрлі жобалар. Мәжілісі жұмыс істейді. Өзгерістер болды."
)


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller([ARTICLE])


@pytest.mark.parametrize(
    ("typed", "restored"),
    [
        ("Казакстан халкы", "Қазақстан халқы"),  # Russian keyboard: the article's letters
        ("максаты барр", "мақсаты бар"),  # a letter typed twice
        ("Түймебев", "Түймебаев"),  # one letter dropped from a long word
        ("туарлы", "туралы"),  # two letters swapped; the clearly most frequent candidate
        ("алгашында", "алғашында"),  # an unseen ending: the stem spelled as the articles do
        ("мәжілсіке", "мәжіліске"),  # a typo in an unseen form of an article word (Мәжілісі)
    ],
)
def test_spelling_is_restored_from_the_articles(
    speller: Speller, typed: str, restored: str
) -> None:
    assert speller.restore(typed).casefold() == restored.casefold()


@pytest.mark.parametrize(
    "typed",
    [
        "жарлық",  # another form of an article word (Жарлығымен), typed in Kazakh: no typo
        "сәлем",  # a greeting is not "әлем"
        "бірдеңе",  # a colloquial word is not "бірден"
        "қайда",  # a question word the articles never use
        "өзгеріп",  # a form of өзгеріс's verb, not a typo of it
    ],
)
def test_real_words_are_left_alone(speller: Speller, typed: str) -> None:
    assert speller.restore(typed) == typed


def test_an_ambiguous_typo_is_left_alone() -> None:
    speller = Speller(["Құрылтай және құрылтас."])
    assert speller.restore("құрылтах") == "құрылтах"  # құрылтай or құрылтас, equally likely


def test_a_russian_question_only_has_its_names_respelled(speller: Speller) -> None:
    assert speller.restore("Кто такой Туймебаев?", names_only=True) == "Кто такой Түймебаев?"
