"""Repair of the damaged seed articles and of user questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.normalize import normalize_question, repair

SEEDS = sorted((Path(__file__).parent / "fixtures" / "seeds").glob("*.txt"))  # as delivered
LATIN = re.compile("[A-Za-z\u00c0-\u024f\u0259\u018f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _seed(prefix: str) -> str:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Қaзақстан", "Қазақстан"),
        ("əр", "әр"),
        ("Президентiне", "Президентіне"),
        ("сoңында", "соңында"),
        ("eлiміздің", "еліміздің"),
        ("Ассaмблеяның", "Ассамблеяның"),
        ("Əзербейжан", "Әзербейжан"),
        ("жүйe үcтемдік", "жүйе үстемдік"),
    ],
)
def test_homoglyph_words_are_repaired(damaged: str, repaired: str) -> None:
    assert normalize_question(damaged) == repaired
    assert repair(damaged).text == repaired


@pytest.mark.parametrize(
    "text",
    [
        "IT",
        "iPhone",
        "https://akorda.kz/kk/news",
        "Telegramда",
        "Telegram-да",
        "№70-IV",
        "WhatsApp",
    ],
)
def test_real_latin_words_survive(text: str) -> None:
    assert normalize_question(text) == text
    assert repair(f"Мен {text} туралы айттым.").text == f"Мен {text} туралы айттым."


def test_question_whitespace_and_invisibles() -> None:
    q = "  Ассамблея\u00a0қашан\u200b  құрылды?\n"
    assert normalize_question(q) == "Ассамблея қашан құрылды?"
    assert normalize_question("Ассамб\u00adлея") == "Ассамблея"


def test_glued_sentences_are_separated() -> None:
    r = repair("Бұл қалыптасқандығы рас.Қазақстан халқы Ассамблеясы.")
    assert r.text == "Бұл қалыптасқандығы рас. Қазақстан халқы Ассамблеясы."
    assert r.fixes["glued_sentences"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "Президенті Н.Назарбаев айтты.",
        "Президенті Н.Ә.Назарбаев айтты.",
        "Көрсеткіш 1.5 есе өсті.",
        "Газет, журнал т.б.Қазақстанда шығады.",
        "Сайт www.Akorda.kz мекенжайында.",
        "Сілтеме: https://el.kz/Page.Html ашылды.",
    ],
)
def test_not_glued_sentences_left_alone(text: str) -> None:
    assert repair(text).text == text


def test_dot_breaks_become_paragraphs_but_ellipsis_stays() -> None:
    r = repair("көз қырын салуда..Егемендіктің алғашқы жылдары. Ол «...ішкі саясат» деді.")
    assert r.text == "көз қырын салуда.\n\nЕгемендіктің алғашқы жылдары. Ол «...ішкі саясат» деді."
    assert r.fixes["dot_breaks"] == 1
    assert repair("Бірінші Президенті ие..2007 ж.\n20 тамызында өтті.").text == (
        "Бірінші Президенті ие.\n\n2007 ж. 20 тамызында өтті."
    )


def test_broken_lines_are_joined() -> None:
    text = (
        "қазақстандық біркелкілікті жəне бəсекеге қабілетті ұлтты\nқалыптасыру процесінде.\n"
        "Қазақстан Республикасы Президенті Н.Ә.\nНазарбаев бұл форумды ұсынды.\n"
        "Жыл сайынғы халықтық мерекелер  Наурыз, \n1 мамыр – бірлік мерекесі."
    )
    assert repair(text).text == (
        "қазақстандық біркелкілікті және бәсекеге қабілетті ұлтты қалыптасыру процесінде.\n\n"
        "Қазақстан Республикасы Президенті Н.Ә. Назарбаев бұл форумды ұсынды.\n\n"
        "Жыл сайынғы халықтық мерекелер Наурыз, 1 мамыр – бірлік мерекесі."
    )


def test_list_items_stay_separate() -> None:
    text = "Мыналар жатады:\nа) адамның басымдығы;\nб) халық пен мемлекет;\nд) жариялылық."
    assert repair(text).text == text.replace("\n", "\n\n")


def test_nbsp_and_space_runs() -> None:
    r = repair("Жарлығымен\u00a0 құрылды.  Содан бергі жиырма  жылдық")
    assert r.text == "Жарлығымен құрылды. Содан бергі жиырма жылдық"
    assert r.fixes["odd_spaces"] == 1


def test_duplicate_word_removed_but_hyphenated_repeat_kept() -> None:
    assert repair("енген елдің елдің азаматтары").text == "енген елдің азаматтары"
    assert repair("жиі-жиі көз салуда").text == "жиі-жиі көз салуда"


def test_duplicate_paragraph_of_004_removed_keeping_first() -> None:
    raw = _seed("004")
    first = raw.split("\n")[0]
    assert raw.count(first) == 2
    r = repair(raw)
    assert r.text.count(first) == 1
    assert r.text.startswith(first)
    assert r.fixes["duplicate_paragraphs"] == 1


def test_seed_000_counts() -> None:
    r = repair(_seed("000"))
    assert r.fixes["homoglyph_words"] == 177
    assert r.fixes["glued_sentences"] == 4
    assert r.fixes["broken_lines"] == 7
    assert "Сөз соңында еліміздің тарихында" in r.text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_repair_is_idempotent_and_clean(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    r = repair(raw)
    assert repair(r.text).text == r.text
    assert not repair(r.text).fixes
    mixed = [w for w in re.findall(r"[^\W\d_]+", r.text) if LATIN.search(w) and CYRILLIC.search(w)]
    assert mixed == []
    for par in r.text.split("\n\n"):
        assert par and "\n" not in par and par == par.strip() and "  " not in par
    assert "\u00a0" not in r.text
    assert not re.search(r"[^.]\.\.[^.]", r.text)


def test_repair_keeps_every_real_word() -> None:
    """Repair never drops words, except the duplicate ones it reports."""
    assert len(SEEDS) == 5
    for path in SEEDS:
        raw = path.read_text(encoding="utf-8")
        r = repair(raw)
        words = len(re.findall(r"[^\W\d_]+", normalize_question(raw)))
        kept = len(re.findall(r"[^\W\d_]+", r.text))
        if "duplicate_paragraphs" not in r.fixes:
            assert kept == words - r.fixes.get("duplicate_words", 0)
