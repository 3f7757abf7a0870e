"""Lists in the articles (index/lists.py): where one ends, and an introduction that lost them."""

from index.lists import holds_lost_list, introduces_list, list_end

ARTICLE = (
    "Ассамблея 1995 жылы құрылды.\n\n"
    "Қазіргі таңда Ассамблея алдында төмендегідей негізгі міндеттер тұр:\n\n"
    "Ал, Ассамблеяның қызметінің негізгі қағидаттарына мыналар жатады:\n\n"
    "а) адамның құқықтарының басымдығы;\n\n"
    "б) жариялылық.\n\n"
    "Ассамблея Мәжіліске депутаттар сайлайды."
)
LOST = "Қазіргі таңда Ассамблея алдында төмендегідей негізгі міндеттер тұр:"
INTRO = "Ал, Ассамблеяның қызметінің негізгі қағидаттарына мыналар жатады:"


def _span(first: str, last: str) -> tuple[int, int]:
    return ARTICLE.find(first), ARTICLE.find(last) + len(last)


def test_a_list_ends_after_its_last_item() -> None:
    end = _span(INTRO, INTRO)[1]
    assert introduces_list(INTRO) and not introduces_list("Ассамблея 1995 жылы құрылды.")
    assert ARTICLE[end : list_end(ARTICLE, end)].strip().endswith("б) жариялылық.")
    lost = ARTICLE.find(LOST) + len(LOST)
    assert list_end(ARTICLE, lost) == lost


def test_an_introduction_with_no_items_after_it_is_a_lost_list() -> None:
    assert holds_lost_list(ARTICLE, *_span(LOST, LOST))
    assert holds_lost_list(ARTICLE, *_span("Ассамблея 1995", LOST))  # in a span of two
    assert holds_lost_list(ARTICLE, *_span(LOST, INTRO))
    assert not holds_lost_list(ARTICLE, *_span(INTRO, INTRO))  # its items follow
    assert not holds_lost_list(ARTICLE, *_span("б) жариялылық.", "сайлайды."))
