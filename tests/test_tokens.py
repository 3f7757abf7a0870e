"""BM25 tokens: the same for the article and for every way of typing the question."""

from __future__ import annotations

from index.fold import fold
from index.tokens import STOPWORDS, lexical_tokens


def test_spellings_of_one_question_give_the_same_tokens() -> None:
    standard = lexical_tokens("Ассамблея қандай Жарлығымен құрылды?")
    assert standard == ["ассамблеиа", "жарлик", "кур"]
    assert lexical_tokens("Ассамблея кандай жарлыгымен курылды?") == standard
    assert lexical_tokens("Assambleia qandai jarlyǵymen quryldy?") == standard
    assert lexical_tokens("Aссaмблея қaндaй Жaрлығымен құрылды") == standard  # homoglyphs


def test_question_meets_the_article_text() -> None:
    question = set(lexical_tokens("Qazaqstanda neshe etnomadeni birlestik bar?"))
    article = set(lexical_tokens("Этномәдени бірлестіктердің өзінің саны тұрақты өсуде"))
    assert {"етномаде", "бирлестик"} <= question & article


def test_stopwords_dropped_and_numbers_kept() -> None:
    assert lexical_tokens("Неше тілде газет шығады? 15 тілде") == [
        "тил",
        "газет",
        "шик",
        "15",
        "тил",
    ]
    assert lexical_tokens("Сколько этнокультурных объединений в Казахстане?")[0] != "сколко"


def test_hyphens_numbers_and_latin() -> None:
    tokens = lexical_tokens("195 этно-білім, 800-ден, 28-і, Қасым-Жомарт, IT, https://akorda.kz")
    assert tokens == [
        "195", "етно", "билим", "етнобилим", "800", "28", "касим", "жомарт", "касимжомарт",
        "it", "https", "akorda", "kz",
    ]  # fmt: skip


def test_stopwords_are_folded() -> None:
    assert all(fold(word, 2) == word for word in STOPWORDS)


def test_inflected_forms_meet_and_function_words_drop() -> None:
    tokens = lexical_tokens("Мәжіліс Мәжілісіне Мәжіліске күні күнін кейін аты атын туралы жайлы")
    assert tokens == ["мажилис"] * 3 + ["кун"] * 2 + ["ат"] * 2
    question = lexical_tokens("халықтарға кім көмектесті, жол бермей ме")
    assert question == ["халик", "комек", "жол", "бер"]
    assert set(question) <= set(lexical_tokens("халқының көмектерін, жол берген Жарлығы"))


def test_roman_numerals_meet_in_any_alphabet() -> None:
    # the articles write ХІІІ in Cyrillic letters; a question types XIII in Latin
    assert lexical_tokens("ХІІІ сессиясы") == lexical_tokens("XIII сессиясы") == ["13", "сессииа"]
    assert lexical_tokens("ХХІ ғасыр, IV құрылтай, V съезд")[::2] == ["21", "4", "5"]
    # initials, malformed numerals and words in capitals stay words
    assert lexical_tokens("С. Ис, XIIII, CIVIL, ССР, CV, СІ") == [
        "ис", "xiiii", "civil", "сср", "cv", "си",
    ]  # fmt: skip


def test_joined_form_of_a_hyphenated_word_can_be_left_out() -> None:
    assert lexical_tokens("бір-біріне ата-аналар", joined=False) == ["бир", "бир", "ата", "ана"]
