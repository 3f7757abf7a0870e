"""The question bank generated from the seed articles: size, correctness, fairness, Kazakh forms."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.quiz import facts
from bot.quiz.bank import ASK, BLANK, TOPICS, Question, check, generate
from bot.quiz.kazakh import attach, inflect, number_word
from tests.quiz_support import seed_articles


@pytest.fixture(scope="module")
def bank() -> list[Question]:
    return generate(seed_articles())


def test_the_bank_holds_at_least_60_distinct_questions_on_every_topic(bank: list[Question]) -> None:
    assert len(bank) >= 60
    assert len({q.id for q in bank}) == len(bank)
    assert len({q.question for q in bank}) == len(bank)
    sizes = Counter(q.topic for q in bank)
    assert set(sizes) == set(TOPICS) and min(sizes.values()) >= 5


def test_every_question_in_the_bank_is_valid(bank: list[Question]) -> None:
    texts = [a.text for a in seed_articles()]
    problems = {q.id: check(q, texts) for q in bank}
    assert not {k: v for k, v in problems.items() if v}


def test_every_question_is_a_cloze_of_its_source_sentence(bank: list[Question]) -> None:
    articles = {a.id: a.text for a in seed_articles()}
    for q in bank:
        assert q.question.startswith(f"{ASK}\n") and q.question.count(BLANK) == 1
        assert q.source_text in articles[q.article]
        right = q.options[q.correct]
        assert right in q.source_text
        assert sum(o == right for o in q.options) == 1
        assert len(q.options) == 4
        assert not any(o in q.source_text for n, o in enumerate(q.options) if n != q.correct)
        assert q.explanation.startswith("«") and right in q.explanation
        assert len(q.explanation) <= 200 and q.explanation.count("\n") <= 2


def test_options_are_of_the_same_kind(bank: list[Question]) -> None:
    kinds = {
        "year": re.compile(r"(1[89]|20)\d\d"),
        "number": re.compile(r"\d{1,5}(-[а-яәғқңөұүһі]+)?"),
        "date": re.compile(rf"\d{{1,2}} ({'|'.join(m[:-1] for m in facts.MONTHS)})[а-яәғқңөұүһі]*"),
        "document": re.compile(r"[«\"][^«»\"]+ туралы[»\"]"),
        "person": re.compile(
            r"[А-ЯӘҒҚҢӨҰҮҺІ][^ ]*\.? ?[А-ЯӘҒҚҢӨҰҮҺІ][а-яәғқңөұүһі]+(ов|ев)[а-яәғқңөұүһі]*"
        ),
    }
    for q in bank:
        matching = [k for k, rx in kinds.items() if rx.fullmatch(q.options[q.correct])]
        assert matching, q.options
        kind = matching[0]
        assert all(kinds[kind].fullmatch(o) for o in q.options), (kind, q.options)
        if kind in ("number", "date"):  # the same ending, so the sentence reads right for each
            endings = {re.sub(r"^[\d ]+", "", o)[:1] == "-" for o in q.options}
            assert len(endings) == 1, q.options


def test_facts_the_articles_disagree_on_never_offer_the_other_value(bank: list[Question]) -> None:
    # Members: 394 in one article, "350-ге жуық" in another; ethnic groups: 100+, 132, 140.
    for q in bank:
        right = q.options[q.correct]
        wrong = [o for n, o in enumerate(q.options) if n != q.correct]
        if right in ("394", "350-ге"):
            assert not any(o.startswith(("394", "350")) for o in wrong), q.options
        if right in ("140", "132", "100-ден") and "этнос" in q.question + q.source_text:
            assert not any(o.startswith(("140", "132", "100")) for o in wrong), q.options


def test_generation_is_deterministic() -> None:
    assert generate(seed_articles()) == generate(seed_articles())


@pytest.mark.parametrize(
    ("number", "case", "written"),
    [
        (800, "ablative", "ден"),
        (60, "ablative", "тан"),
        (40, "ablative", "тан"),
        (350, "dative", "ге"),
        (140, "dative", "қа"),
        (9, "possessive-accusative", "ын"),
        (7, "possessive-accusative", "сін"),
        (28, "possessive", "і"),
        (20, "possessive", "сы"),
        (1, "ordinal", "ші"),
        (90, "ordinal", "шы"),
        (1000, "locative", "да"),
    ],
)
def test_number_endings_follow_sound_harmony(number: int, case: str, written: str) -> None:
    assert attach(number_word(number), case) == written


@pytest.mark.parametrize(
    ("word", "case", "written"),
    [
        ("қыркүйек", "possessive-locative", "қыркүйегінде"),
        ("қыркүйек", "locative", "қыркүйекте"),
        ("шілде", "locative-attributive", "шілдедегі"),
        ("наурыз", "possessive-locative", "наурызында"),
        ("қазан", "locative", "қазанда"),
        ("Назарбаев", "genitive", "Назарбаевтың"),
        ("Тоғжанов", "", "Тоғжанов"),
    ],
)
def test_words_take_the_right_ending(word: str, case: str, written: str) -> None:
    assert inflect(word, case) == written


def test_a_tiny_corpus_without_enough_values_gives_no_question() -> None:
    class One:
        id, title, year = "one", "Бір мақала", 2020
        text = "Ассамблея 1995 жылы құрылды. Оның құрамында 394 мүше бар."

    assert generate([One()]) == []
