"""BM25 indexes and how they recognise a question's words in the articles' vocabulary."""

import numpy as np

from index.lexical import LexicalIndex, TokenSets, char_ngrams

INDEX = LexicalIndex([["ассамблеиа", "баскар", "прав"], ["заң", "кабилда"], ["уиренуи"]])


def test_a_known_token_is_its_own_form() -> None:
    assert INDEX.known_form("ассамблеиа") == "ассамблеиа"


def test_a_token_cut_longer_than_the_articles_stem_finds_it() -> None:
    assert INDEX.known_form("баскара") == "баскар"  # басқара ма / басқар-ады
    assert INDEX.known_form("правда") == "прав"  # правдаға / правда read as прав + -да


def test_a_short_shared_beginning_is_not_the_same_word() -> None:
    assert INDEX.known_form("праздник") is None
    assert INDEX.known_form("сенат") is None


def test_knows_also_words_that_begin_like_an_article_word() -> None:
    assert INDEX.knows("уирене")  # үйрене / үйренуі
    assert not INDEX.knows("облис")


def test_bm25_scores_only_documents_with_the_words() -> None:
    scores = INDEX.scores(["кабилда", "неизвестно"])
    assert scores[1] > 0 and scores[0] == 0 and scores[2] == 0
    assert np.all(INDEX.scores(["жоқ"]) == 0)


def test_character_ngrams_mark_word_boundaries() -> None:
    assert char_ngrams(["заң"]) == ["#заң", "заң#"]
    assert char_ngrams(["ал"]) == ["#ал#"]


def test_token_sets_agree_with_plain_sets() -> None:
    docs = [["а", "б", "б", "в"], [], ["б", "г"], ["а", "б", "в", "г", "д"]]
    sets = TokenSets(docs)
    for query in (["б", "г", "жоқ"], ["а"], [], ["жоқ"]):
        wanted = set(query)
        expected = [len(wanted & set(d)) / len(wanted) if wanted else 0.0 for d in docs]
        assert np.allclose(sets.share(query), expected)
    for i, doc in enumerate(docs):
        assert sets.overlap(i).tolist() == [len(set(doc) & set(d)) for d in docs]
    assert sets.sizes.tolist() == [3, 0, 2, 5]
    assert TokenSets([]).share(["а"]).shape == (0,)
