"""Wrong options are certainly false: around "more than / about / less than N", for ordinals,
decades and dates, and never a value the articles give."""

from __future__ import annotations

import re

import pytest

from bot.quiz import distractors as d
from bot.quiz import facts as f
from bot.quiz.generator import generate
from bot.quiz.kazakh import NUMERAL_WORDS, numeral_value
from bot.quiz.question import BLANK, CLOZE, Question
from bot.quiz.screen import clean
from tests.quiz_support import seed_articles

MORE_WORDS = ("аса", "астам", "артық", "асады", "асқан", "бойы", "алғашқы")
ABOUT_WORDS = ("жуық", "дейін", "шамасында")
LESS_WORDS = ("кем", "аспайды")
MONTHS = "|".join(f.MONTHS)


@pytest.fixture(scope="module")
def bank() -> list[Question]:
    return generate(seed_articles())


def number(text: str) -> int:
    """The number an option names, in digits (`800-ден`) or words (`жүз отыздан`)."""
    found = re.match(r"\d+", text)
    if found:
        return int(found[0])
    words = [next(n for n in NUMERAL_WORDS if w.startswith(n)) for w in text.split()]
    return numeral_value(words)


def wrong(q: Question) -> list[str]:
    return [o for n, o in enumerate(q.options) if n != q.correct]


def stated(unit: str) -> list[int]:
    """Every number the articles write before a word starting like `unit` (этнос and ұлт are
    one thing), a word or two after it."""
    stems = ("этнос", "ұлт") if unit[:4] in ("этно", "ұлт") else (unit[:4],)
    found = []
    for article in seed_articles():
        for m in re.finditer(r"(\d+)(?:-[а-яәғқңөұүһі]+)?((?:\s+\S+){1,2})", clean(article.text)):
            if any(w.lower().startswith(stems) for w in m[2].split()) and int(m[1]) < 1800:
                found.append(int(m[1]))  # not a year: `1995 жылы` counts no years
    return found


def around_blank(q: Question) -> tuple[str, str]:
    body = q.question.split("\n", 1)[1]
    before, after = body.split(BLANK)
    return before, after


def test_more_than_blanks_offer_only_numbers_that_make_the_sentence_false(
    bank: list[Question],
) -> None:
    found = 0
    for q in bank:
        if q.form != CLOZE:
            continue
        before, after = around_blank(q)
        words = re.findall(r"[а-яәғқңөұүһі]+", after)[:3]
        bound = next((w for w in words[:2] if w in MORE_WORDS + ABOUT_WORDS + LESS_WORDS), None)
        if before.rstrip().endswith("алғашқы"):  # the first N: the first fewer are true too
            bound = "алғашқы"
        if bound is None:
            continue
        found += 1
        right = number(q.answer)
        unit = next(w for w in words if w != bound)
        others = [right, *stated(unit)]
        for option in wrong(q):
            value = number(option)
            if bound in MORE_WORDS:  # "more than N" is true for anything below the truth
                assert value >= 2 * right and value > max(others), (q.question, option, others)
            elif bound in ABOUT_WORDS:
                assert all(not 0.6 * v <= value <= 1.6 * v for v in others), (q.question, option)
            else:
                assert 2 * value <= right and value < min(others), (q.question, option)
    # What the teacher's rules leave of them: 130-дан астам ұлт (2015), 107 адамға дейін; the
    # sentences below try every bound word.
    assert found >= 2


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Елімізде 100-ден аса этнос тұрады.", d.MORE),
        ("Елімізде 100-ден астам этнос тұрады.", d.MORE),
        ("Олардың саны 800-ден асады.", d.MORE),
        ("Олардың саны 800-ден асқан.", d.MORE),
        ("Өкілдері 60-тан артық болды.", d.MORE),
        ("Ассамблеяның 350-ге жуық мүшесі бар.", d.ABOUT),
        ("Депутаттар санын 107 адамға дейін арттырды.", d.ABOUT),
        ("Олардың саны 50-ден кем емес.", d.MORE),
        ("Діндердің алғашқы 4 съезі елімізде өтті.", d.MORE),  # the first 3 of them too
        ("Олар 30 жыл бойы татулықты сақтап келеді.", d.MORE),  # and for 20 of the 30 years
        ("Осыдан 30 жыл бұрын ел тәуелсіздік алды.", d.EXACT),
        ("Мектеп саны 50-ден кем.", d.LESS),
        ("Ассамблеяда 394 мүше бар.", d.EXACT),
        ("Бұл 90-шы жылдары болды.", d.DECADE),
        ("Халықтардың 1-ші форумында айтылды.", d.ORDINAL),
    ],
)
def test_every_candidate_around_a_bound_makes_the_sentence_false(text: str, bound: str) -> None:
    (fact,) = f.find_facts(text)
    assert d.bound_of(text, fact) == bound
    n = int(fact.key)
    taken = [
        c
        for c in d.candidates(f.NUMBER, fact.key, bound, [])
        if d.safe(f.NUMBER, fact.key, bound, c, [])
    ]
    assert len(taken) >= 3
    for c in map(int, taken):
        if bound == d.MORE:
            assert c >= 2 * n
        elif bound == d.LESS:
            assert 2 * c <= n
        elif bound == d.ABOUT:
            assert c < 0.6 * n or c > 1.6 * n
        elif bound == d.DECADE:
            assert c % 10 == 0 and 10 <= c < 100 and c != n
        else:
            assert c != n and c > 0
    elsewhere = {taken[0]}  # a value another article gives for the same thing is never offered
    assert not d.safe(f.NUMBER, fact.key, bound, taken[0], elsewhere)


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Өткен ғасырдың 90-шы жылдарының басында форум өтті.", 90),
        ("1992 жылы Қазақстан халықтарының 1-ші форумы өтті.", 1),
    ],
)
def test_ordinals_and_decades_are_offered_only_their_own_kind(sentence: str, value: int) -> None:
    (fact,) = [x for x in f.find_facts(sentence) if x.kind == f.NUMBER]
    bound = d.bound_of(sentence, fact)
    options = [int(k) for k in d.candidates(f.NUMBER, fact.key, bound, [])]
    assert options and value not in options
    assert all((k % 10 == 0) == (value % 10 == 0) for k in options[:6]), options  # no «88-ші»
    names = f.Names({})
    assert all(
        re.fullmatch(r"\d+-(?:шы|ші)", f.render(f.NUMBER, str(k), fact.case, "", names) or "")
        for k in options
    )


def test_dates_are_real_days_and_never_a_day_or_year_the_articles_state(
    bank: list[Question],
) -> None:
    texts = " ".join(clean(a.text) for a in seed_articles())
    days = {(int(m[1]), m[2]) for m in re.finditer(rf"(\d{{1,2}}) ({MONTHS})", texts)}
    years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?=\s+(?:жыл|ж\.))", texts)}
    dated = 0
    for q in bank:
        for option in wrong(q):
            day = re.fullmatch(rf"(\d{{1,2}}) ({MONTHS})\w*", option)
            if day:
                dated += 1
                assert (int(day[1]), day[2]) not in days, (q.question, option)
                assert int(day[1]) <= (
                    28
                    if day[2] == "ақпан"
                    else 30
                    if day[2] in ("сәуір", "маусым", "қыркүйек", "қараша")
                    else 31
                )
            if re.fullmatch(r"(?:19|20)\d\d", option) and re.fullmatch(r"(?:19|20)\d\d", q.answer):
                assert int(option) not in years, (q.question, option)
    assert dated >= 6


def test_no_blank_is_part_of_a_range(bank: list[Question]) -> None:
    for q in bank:
        if q.form == CLOZE:
            before, after = around_blank(q)
            assert not re.search(r"\d\s*[–-]\s*$", before) and not re.match(r"^\s*[–-]\s*\d", after)
