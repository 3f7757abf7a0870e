"""Quotes shaped for reading (index/quoting.py): whole lists, no dangling first sentence, no
citation marks, twins credited only for the same wording, 📄 not stopping inside a list."""

from __future__ import annotations

from index.answer import Answer, Passage, Quote, Source
from index.examples import example_questions, question_from
from index.quoting import (
    Texts,
    holds_wording,
    shape_answer,
    shape_passage,
    shape_quote,
    shape_text,
)

ARTICLE = (
    "Ассамблея 1995 жылы құрылды [5].\n\n"
    "Қазіргі таңда Ассамблея алдында төмендегідей негізгі міндеттер тұр:\n\n"
    "Ал, Ассамблеяның қызметінің негізгі қағидаттарына мыналар жатады:\n\n"
    "а) адамның құқықтарының басымдығы;\n\n"
    "б) халық пен мемлекет мүдделерінің басымдығы;\n\n"
    "в) жариялылық.\n\n"
    "2007 жылғы конституциялық реформа Ассамблеяның рөлін айқындап берді.\n\n"
    "Оның нәтижесінде Ассамблея конституциялық орган мәртебесін алды.\n\n"
    "Осымен қатар, Ассамблея Мәжіліске депутаттар сайлайды.\n\n"
    "Бұл – тарихи құжаттың дәлелі.\n\n"
    "Бүгінде Қазақстан – 140 этнос пен 17 конфессия өкілдері үшін ортақ шаңырақ [3]."
)
INTRO = "Ал, Ассамблеяның қызметінің негізгі қағидаттарына мыналар жатады:"
A = Source("a", "Бірінші", 2021)
B = Source("b", "Екінші", 2015)


def test_a_sentence_introducing_a_list_is_quoted_with_its_items() -> None:
    shaped = shape_text(INTRO, ARTICLE)
    assert shaped == f"{INTRO}\nа) адамның құқықтарының басымдығы;\n" + (
        "б) халық пен мемлекет мүдделерінің басымдығы;\nв) жариялылық."
    )


def test_an_introduction_whose_items_are_missing_is_left_out() -> None:
    empty = "Қазіргі таңда Ассамблея алдында төмендегідей негізгі міндеттер тұр:"
    assert shape_text(empty, ARTICLE) is None
    both = ARTICLE[ARTICLE.find(empty) : ARTICLE.find(INTRO) + len(INTRO)]
    assert (shape_text(both, ARTICLE) or "").startswith(INTRO + "\nа)")
    first = ARTICLE[: ARTICLE.find(empty) + len(empty)]
    assert shape_text(first, ARTICLE) == "Ассамблея 1995 жылы құрылды."


def test_citation_marks_are_removed_from_quotes() -> None:
    assert shape_text("Ассамблея 1995 жылы құрылды [5].", ARTICLE) == "Ассамблея 1995 жылы құрылды."


def test_a_quote_starting_with_a_dangling_sentence() -> None:
    # standing alone, "it" gets the sentence that says what it is
    alone = "Оның нәтижесінде Ассамблея конституциялық орган мәртебесін алды."
    assert shape_text(alone, ARTICLE) == (
        "2007 жылғы конституциялық реформа Ассамблеяның рөлін айқындап берді.\n" + alone
    )
    along = "Осымен қатар, Ассамблея Мәжіліске депутаттар сайлайды."
    assert shape_text(along, ARTICLE) == (
        "Оның нәтижесінде Ассамблея конституциялық орган мәртебесін алды.\n" + along
    )
    # followed by another paragraph, it is kept (it may be the answer), with what "it" is
    two = ARTICLE[ARTICLE.find("Бұл –") :]
    assert shape_text(two, ARTICLE) == (
        "Осымен қатар, Ассамблея Мәжіліске депутаттар сайлайды.\n"
        "Бұл – тарихи құжаттың дәлелі.\n"
        "Бүгінде Қазақстан – 140 этнос пен 17 конфессия өкілдері үшін ортақ шаңырақ."
    )


def test_a_twin_quote_credits_only_articles_with_the_same_wording() -> None:
    texts = {"a": ARTICLE, "b": "Басқа сөз. Ассамблея 1995 жылы құрылды!\n\nТағы бір сөйлем."}
    quote = Quote("Ассамблея 1995 жылы құрылды [5].", (A, B), 0.9, 1)
    assert (shaped := shape_quote(quote, Texts(texts))) and shaped.sources == (A, B)
    texts["b"] = "2008 жылғы 20 қазанда Заң қабылданды. Ассамблея 1995 жылы құрылған."
    assert (shaped := shape_quote(quote, Texts(texts))) and shaped.sources == (A,)
    assert holds_wording(ARTICLE, "ассамблея 1995 жылы  құрылды")


def test_an_answer_whose_first_quote_is_an_empty_introduction_gives_way() -> None:
    empty = Quote("Қазіргі таңда Ассамблея алдында төмендегідей негізгі міндеттер тұр:", (A,), 1, 1)
    second = Quote("Ассамблея 1995 жылы құрылды [5].", (A,), 0.8, 1)
    answer = shape_answer(Answer("q", (empty,), others=(second,)), Texts({"a": ARTICLE}))
    assert [q.text for q in answer.quotes] == ["Ассамблея 1995 жылы құрылды."]
    assert answer.others == ()


def test_the_whole_passage_does_not_stop_inside_a_list() -> None:
    cut = ARTICLE[: ARTICLE.find("б)")].rstrip()
    passage = shape_passage(Passage(1, cut, A), {"a": ARTICLE})
    assert passage.text.endswith("в) жариялылық.")
    whole = Passage(2, "Ассамблея 1995 жылы құрылды [5].", A)
    assert shape_passage(whole, {"a": ARTICLE}).text == "Ассамблея 1995 жылы құрылды."


def test_example_questions_of_three_shapes_one_per_article() -> None:
    articles = [
        "Кіріспе сөз. Қазақстан халқы Ассамблеясы - 1995 жылғы 1 наурызда Жарлықпен құрылды.",
        "Аталған Заңға сәйкес Ассамблеяның мақсаты этносаралық келісімді қамтамасыз ету болып "
        "табылады.",
        "Бұл – құжаттың дәлелі. Азаматтық татулық пен ұлтаралық келісім – біздің басты "
        "құндылығымыз.",
        "Тақырыпсыз мәтін, сұрақ жасалмайды.",
        "Қазақстан халқы Ассамблеясы - 1995 жылғы 1 наурызда құрылды [5].",
    ]
    assert example_questions(articles) == (
        "Қазақстан халқы Ассамблеясы қашан құрылды?",
        "Ассамблеяның мақсаты қандай?",
        "Азаматтық татулық пен ұлтаралық келісім деген не?",
    )
    assert question_from("2008 жылғы 20 қазанда «Ассамблея туралы» Заң қабылданды [7].") == (
        "«Ассамблея туралы» Заң қашан қабылданды?"
    )
