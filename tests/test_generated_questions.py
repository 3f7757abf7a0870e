"""Questions generated from the articles' sentences (index/training/generate.py)."""

from __future__ import annotations

import re

from index.articles import Article
from index.training.data import Corpus
from index.training.generate import GENERATED, drafts, generated_examples

TEXT = (
    "Қазақстан халқы Ассамблеясы 1995 жылы 1 наурызда құрылды. "
    "Қазіргі уақытта Ассамблея құрамында 394 мүше бар. "
    "Ассамблея қоғамдағы татулық пен келісімді нығайтуға үлкен үлес қосады. "
    "Бұл рас."
)


def _article(text: str = TEXT, article_id: str = "kha") -> Article:
    return Article(article_id, "ҚХА", "test", 2020, "kk", text)


ENDINGS = ("қай жылы?", "қанша?", "қандай?", "не?", "қалай?", "туралы не айтылған?")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:-[^\W_]+)*", text.lower())


def _topic(question: str) -> list[str]:
    """The question without its question word."""
    ending = next(e for e in ENDINGS if question.endswith(e))
    return _words(question.removesuffix(ending))


def test_a_question_is_words_of_its_sentence_in_order_and_a_question_word() -> None:
    made = drafts([_article()], per_sentence=3, seed=1)
    assert made
    for draft in made:
        sentence = _words(draft.sentence)
        topic = _topic(draft.question)
        assert len(topic) >= 3 and set(topic) <= set(sentence)
        assert [w for w in sentence if w in topic] == topic  # their order in the sentence
        assert not any(c.isdigit() for c in draft.question)  # the answer is taken out


def test_a_number_is_asked_as_how_many_and_a_year_as_which_year() -> None:
    made = {d.sentence[:9]: d.question for d in drafts([_article()], per_sentence=1, seed=1)}
    assert made["Қазақстан"].endswith("қай жылы?")
    assert "жылы" not in _topic(made["Қазақстан"])  # «1995 жылы» is the answer
    assert made["Қазіргі у"].endswith("қанша?")


def test_a_sentence_with_too_few_topic_words_asks_nothing() -> None:
    assert not [d for d in drafts([_article()], per_sentence=2, seed=1) if d.sentence == "Бұл рас."]


def test_generation_is_seeded() -> None:
    articles = [_article(), _article(TEXT.replace("394", "400"), "other")]
    assert drafts(articles, 2, seed=5) == drafts(articles, 2, seed=5)
    assert drafts(articles, 2, seed=5) != drafts(articles, 2, seed=6)


def test_the_span_holding_its_sentence_answers_a_generated_question() -> None:
    articles = [_article()]
    corpus = Corpus.from_articles(articles)
    examples = generated_examples(articles, corpus, per_sentence=2, seed=1)
    assert examples
    for example in examples:
        assert example.cat == GENERATED and example.fact.startswith(f"{GENERATED}:kha:")
        assert example.answerable
        spans = [corpus.spans[i].text for i in example.positives]
        assert all(set(_topic(example.question)) <= set(_words(span)) for span in spans)
