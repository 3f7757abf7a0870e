"""Retrieval quality on the project's own question sets must not fall below today's figures."""

from pathlib import Path

import pytest

from bot.answers.store import FeedbackStore
from index.evaluation import load_cases
from index.quoting import holds_wording
from index.search import Engine
from tests.conftest import EVAL_SETS

QUESTIONS = EVAL_SETS[0]
# Floors a little under the figures over all the sets when they were set (docs/quality.md):
# raise them as the engine improves, never lower them to make a change pass.
# Measured 0.846 / 0.937 / 0.579 (quotes no longer drop a first sentence that leans back).
# With the models trained here (the default since the ninth session) 0.881 / 0.959 / 0.934 and
# 11 of 395 declined; but most of these questions are their training questions, so the floors
# stay where both configurations must hold them, and the test set measures (docs/training.md).
FLOORS = {"recall@1": 0.84, "recall@3": 0.93, "off_topic_declined": 0.55}
MAX_WRONGLY_DECLINED = 0.03


def test_the_question_set_is_big_and_covers_every_category() -> None:
    cases = load_cases(QUESTIONS)
    assert len(cases) >= 150
    assert {c.cat for c in cases} == set("ABCDEFG")


def test_recall_does_not_fall(table) -> None:  # type: ignore[no-untyped-def]
    overall = table["all"]
    assert overall.hits1 / overall.n >= FLOORS["recall@1"]
    assert overall.hits3 / overall.n >= FLOORS["recall@3"]


def test_declining_does_not_get_worse(table) -> None:  # type: ignore[no-untyped-def]
    assert table["all"].declined / table["all"].n <= MAX_WRONGLY_DECLINED
    assert table["F"].declined / table["F"].n >= FLOORS["off_topic_declined"]


def test_the_founding_year_is_quoted_with_its_source(engine: Engine) -> None:
    answer = engine.answer("Қазақстан халқы Ассамблеясы қай жылы құрылды?")
    assert answer.answered and "1995" in answer.quotes[0].text
    assert answer.quotes[0].source.title


@pytest.mark.parametrize(
    "question",
    [
        "Казакстан халкы ассамблеясы кай жылы курылды",  # Russian keyboard
        "Qazaqstan halqy assambleiasy qai jyly quryldy?",  # chat Latin
        "Qazaqstan halqy Assambleıasy qaı jyly quryldy?",  # 2018 alphabet
        "Когда была создана Ассамблея народа Казахстана?",  # Russian
    ],
)
def test_the_same_fact_in_every_spelling(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    quoted = " ".join(q.text for q in (*answer.quotes, *answer.others)[:3])
    assert "1995" in quoted


def test_a_russian_question_gets_a_russian_reply_language(engine: Engine) -> None:
    assert engine.answer("Сколько депутатов Мажилиса избирает Ассамблея?").lang == "ru"


def test_quotes_are_cut_from_the_repaired_articles(engine: Engine) -> None:
    # word for word; citation marks and paragraph breaks aside (index/quoting.py)
    texts = {a.id: a.text for a in engine.store.articles()}
    for question in (
        "Ассамблея Мәжіліске неше депутат сайлайды?",
        "Қазақтану жобасы не үшін керек",
    ):
        for quote in engine.answer(question).quotes:
            assert all(holds_wording(texts[s.article], quote.text) for s in quote.sources)


def test_articles_that_disagree_are_both_shown_with_their_years(engine: Engine) -> None:
    answer = engine.answer("Ассамблеяда қанша мүше бар?")
    shown = " ".join(q.text for q in answer.quotes)
    assert "394" in shown and "350" in shown
    assert len({q.source.article for q in answer.quotes}) == 2


def test_off_topic_questions_are_declined_and_recorded(engine: Engine, tmp_path: Path) -> None:
    records = FeedbackStore(tmp_path / "bot.db")  # declines are the bot's record, not the engine's
    before = len(records.declined(1000))
    writes = engine.store.db.conn.total_changes
    answer = engine.answer("Шахматта ферзь қалай жүреді?")
    assert engine.store.db.conn.total_changes == writes  # the engine answers without writing
    assert not answer.answered and answer.suggestions
    records.record_answer(answer, "private")  # what the bot does with every answer
    assert records.declined(1)[0][1] == "Шахматта ферзь қалай жүреді?"
    assert len(records.declined(1000)) == before + 1


@pytest.mark.parametrize("question", ["", "   ", "???", "👍"])
def test_empty_questions_are_declined_politely(engine: Engine, question: str) -> None:
    assert not engine.answer(question).answered


def test_a_huge_question_is_answered_without_error(engine: Engine) -> None:
    engine.answer("Ассамблея қашан құрылды? " * 400)


def test_greetings_are_answered_as_small_talk_and_not_recorded(engine: Engine) -> None:
    writes = engine.store.db.conn.total_changes
    answer = engine.answer("Сәлем, қалың қалай?")
    assert answer.small_talk and not answer.answered and answer.suggestions
    assert engine.store.db.conn.total_changes == writes


def test_articles_that_agree_are_not_shown_as_disagreeing(engine: Engine) -> None:
    # both articles say 1995; one of them adds a citation mark [5], which is not a number
    answer = engine.answer("Когда была создана Ассамблея народа Казахстана?")
    assert len(answer.quotes) == 1 and "1995" in answer.quotes[0].text
