"""Sentence spans on repaired Kazakh text."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.normalize import repair
from index.sentences import split_sentences

SEEDS = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))  # as delivered


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_real_seed_sentences() -> None:
    text = (
        "Ассамблеяның қазіргі таңда 350-ге жуық мүшесі бар. Мұндағы Ассамблеяның маңызы зор.\n\n"
        "2007 ж. 20 тамызында Қазақстан халқы Ассамблеясының ХІІІ сессиясы болып өтті. "
        "Онда Ассамблея мүшелері Парламент Мәжілісіне өз қатарынан 9 депутатсайлады."
    )
    assert sentences(text) == [
        "Ассамблеяның қазіргі таңда 350-ге жуық мүшесі бар.",
        "Мұндағы Ассамблеяның маңызы зор.",
        "2007 ж. 20 тамызында Қазақстан халқы Ассамблеясының ХІІІ сессиясы болып өтті.",
        "Онда Ассамблея мүшелері Парламент Мәжілісіне өз қатарынан 9 депутатсайлады.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ассамблея 1995 ж. 1 наурызда құрылды.",
        "1992-1995 жж. Қазақстанда құқықтық база қалыптасты.",
        "Газет, журнал т.б. Қазақстанда 15 тілде шығады.",
        "Мерекелер, той т.с.с. Халықтық дәстүрге айналды.",
        "ХХ ғ. Басында көп халық көшірілді.",
        "Б.з.д. ІІ ғасырда б.з.д. Ғұндар болды.",
        "Мүшелер т.т. Басқалар сайланды.",
        "Заңның 5-7 бб. Ассамблея туралы айтылады.",
        "Президенті Н.Ә. Назарбаев форумды ұсынды.",
        "Президенті Н.Назарбаев форумды ұсынды.",
        "Форумды Е. Тоғжанов ашты.",
        "Саны 1.5 есе өсті.",
        "Бұл идеяны Президент айтты [5].",
        "Ол «Біз бір халықпыз!» деп айтты.",
        "Ол: «... ішкі саясаттың іргелі қағидасы», деп айтты.",
        "Преамбула «Біз, Қазақстан халқы...» деп басталады.",
        "Мүшелер сайланады; Олар жұмыс істейді: Бірінші, екінші.",
        "«Қайда?» деп сұрады ол.",
    ],
)
def test_no_split_inside(sentence: str) -> None:
    assert sentences(sentence) == [sentence]


def test_reference_mark_stays_with_its_sentence() -> None:
    text = "Заң қабылданды. [7] Осы Заң тәртібін айқындайды."
    assert sentences(text) == ["Заң қабылданды. [7]", "Осы Заң тәртібін айқындайды."]


def test_quotes_ellipsis_and_marks() -> None:
    text = (
        "«Бұл жақсы», – деді ол. «Біз келдік.» Сосын кетті! Неге? Білмеймін… Ертең келеді. "
        "– Иә, келеді."
    )
    assert sentences(text) == [
        "«Бұл жақсы», – деді ол.",
        "«Біз келдік.»",
        "Сосын кетті!",
        "Неге?",
        "Білмеймін…",
        "Ертең келеді.",
        "– Иә, келеді.",
    ]


def test_paragraph_break_always_ends_a_sentence() -> None:
    text = "Тұжырымдаманың негізгі міндеттері:\n\nӘлемдік және дәстүрлі діндер съезі өтті"
    assert sentences(text) == [
        "Тұжырымдаманың негізгі міндеттері:",
        "Әлемдік және дәстүрлі діндер съезі өтті",
    ]


def test_list_number_is_not_a_sentence() -> None:
    assert sentences("1. Ассамблея құрылды. 2. Заң қабылданды.") == [
        "1. Ассамблея құрылды.",
        "2. Заң қабылданды.",
    ]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_spans_cover_repaired_seeds(path: Path) -> None:
    text = repair(path.read_text(encoding="utf-8")).text
    spans = split_sentences(text)
    assert spans == sorted(spans)
    for (a, b), nxt in zip(spans, [*spans[1:], (len(text), len(text))], strict=True):
        piece = text[a:b]
        assert piece and piece == piece.strip() and "\n" not in piece
        assert not text[b : nxt[0]].strip()  # nothing between sentences but spaces
    assert not text[: spans[0][0]].strip()


def test_seed_sentence_counts() -> None:
    counts = [len(split_sentences(repair(p.read_text(encoding="utf-8")).text)) for p in SEEDS]
    assert counts == [46, 25, 60, 77, 29]
