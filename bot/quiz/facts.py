"""Checkable facts in article sentences: years, dates, months, numbers, people, named laws and
decrees.

A fact is a span of a sentence that a quiz can blank out, the value it names (`key`, the same
for every spelling and ending of that value in any article), and the case ending written inside
the span, so that another value of the same kind can be put in its place and read correctly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Final

from bot.quiz.kazakh import (
    MONTHS,
    NUMERAL_WORDS,
    attach,
    case_of,
    in_words,
    inflect,
    number_word,
    numeral_value,
)
from index.tokens import lexical_tokens

__all__ = [
    "DATE",
    "DOCUMENT",
    "MONTH",
    "MONTHS",
    "NUMBER",
    "PERSON",
    "YEAR",
    "Fact",
    "Names",
    "find_facts",
    "learn_names",
    "render",
    "unit_of",
    "window_stems",
]

YEAR: Final = "year"
DATE: Final = "date"
MONTH: Final = "month"
NUMBER: Final = "number"
PERSON: Final = "person"
DOCUMENT: Final = "document"

_UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LOW = "а-яёәғқңөұүһі"
_YEAR_RE = re.compile(
    r"(?<![\d–-])((?:1[89]|20)\d\d)(?=\s+(?:жыл|ж\.))|(?<=«Қазақстан – )(20\d\d)(?=»)"
)
_DATE_RE = re.compile(rf"(?<![\d.,])([1-9]|[12]\d|3[01])\s+({'|'.join(MONTHS)})([{_LOW}]*)")
_MONTH_RE = re.compile(
    rf"(?<=жылғы )({'|'.join(MONTHS)})(да|де)\b|(?<=жылдың )({'|'.join(MONTHS)})(?= айында)"
)
_NUMBER_RE = re.compile(rf"(?<![\d.,№\[/–-])(\d{{1,5}})(?:-([{_LOW}]+))?(?![\d.,\]/–]|-\d)")
_NUMERAL = "|".join(NUMERAL_WORDS)
_WORDS_RE = re.compile(
    rf"(?<![{_LOW}])((?:(?:{_NUMERAL})\s+)*)({_NUMERAL})([{_LOW}]*)(?=\s+[{_LOW}])", re.IGNORECASE
)
WORDS: Final = "words"  # the style of a number written in words
_WORD_CASES: Final = frozenset({"", "ablative", "dative", "locative"})
_YEARS: Final = range(1800, 2100)  # a number in this range is a year the text did not mark
_PERSON_RE = re.compile(
    rf"(?:(?P<first>[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)\s+(?:[{_UP}][{_LOW}]+ұлы\s+)?"
    rf"|(?P<initials>(?:[{_UP}]\.\s?){{1,2}}))"
    rf"(?P<surname>[{_UP}][{_LOW}]+?(?:ов|ев))(?P<ending>[{_LOW}]*)\b"
)
_DOCUMENT_RE = re.compile(r"([«\"])([^«»\"]{8,90} туралы)([»\"])")
_TITLES: Final = ("президент", "елбасы", "басшы", "төраға", "меңгеруші", "мемлекет")

# Words present around nearly every fact: they say nothing about which fact it is.
GENERIC: Final = frozenset(
    lexical_tokens(
        "Қазақстан Қазақстанның Республикасы Республикасының ҚР ҚХА Ассамблея Ассамблеясы"
        " Ассамблеяның халқы халықтары жыл жылы жылғы жылдың ж қазіргі таңда бүгінде уақытта"
        " Президент Президенті Президентінің барлық біздің еліміздің елдегі сондай-ақ"
    )
)
# Words for the same thing, so that "132 ұлт" and "140 этнос" count as one fact.
_SAME: Final = {
    stem: group
    for group, words in (
        ("#ethnic", "этнос этностар ұлт ұлттар ұлыс этникалық халықтар"),
        ("#member", "мүше мүшесі мүшелері"),
        ("#deputy", "депутат депутаттар Мәжіліс Парламент"),
    )
    for stem in lexical_tokens(words)
}


@dataclass(frozen=True)
class Fact:
    """One blankable value in a sentence."""

    kind: str
    start: int  # the span to blank, offsets into the sentence
    end: int
    key: str  # the value, the same in every article and spelling
    case: str  # the case ending written inside the span ("" for none)
    style: str  # how a person is written: "full", "initials", "glued"; a document's quotes


@dataclass
class Names:
    """How the people of the articles are written: the usual first name of each surname."""

    first: dict[str, Counter[str]]

    def first_name(self, surname: str) -> str | None:
        counts = self.first.get(surname)
        return counts.most_common(1)[0][0] if counts else None


def find_facts(sentence: str) -> list[Fact]:
    """Every fact in a sentence, in order; a date's day is never also a number."""
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _DATE_RE.finditer(sentence):
        case = case_of(match[3])
        if case is not None:
            key = f"{int(match[1])} {match[2]}"
            facts.append(Fact(DATE, match.start(), match.end(), key, case, ""))
            taken.append((match.start(), match.end()))
    for match in _YEAR_RE.finditer(sentence):
        span = match.span(1) if match[1] else match.span(2)
        facts.append(Fact(YEAR, *span, match[1] or match[2], "", ""))
        taken.append(span)
    for match in _MONTH_RE.finditer(sentence):
        month, ending = (match[1], match[2]) if match[1] else (match[3], "")
        end = match.start() + len(month) + len(ending)
        facts.append(Fact(MONTH, match.start(), end, month, case_of(ending) or "", ""))
        taken.append((match.start(), end))
    for match in _PERSON_RE.finditer(sentence):
        first = match["first"]
        if first and first.lower().startswith(_TITLES):
            continue
        case = case_of(match["ending"])
        if case is None:
            continue
        initials = match["initials"]
        style = "full" if first else ("initials" if initials.endswith(" ") else "glued")
        facts.append(Fact(PERSON, match.start(), match.end(), match["surname"], case, style))
        taken.append(match.span())
    for match in _DOCUMENT_RE.finditer(sentence):
        quotes = match[1] + match[3]
        facts.append(Fact(DOCUMENT, match.start(), match.end(), match[2], "", quotes))
        taken.append(match.span())
    for match in _NUMBER_RE.finditer(sentence):
        if not free(*match.span()) or int(match[1]) in _YEARS:
            continue
        ending = match[2]
        case = case_of(ending or "")
        if ending and case is None:  # `14-бабы`: a word after the hyphen stays outside the blank
            facts.append(Fact(NUMBER, *match.span(1), str(int(match[1])), "", ""))
        elif case is not None:
            facts.append(Fact(NUMBER, match.start(), match.end(), str(int(match[1])), case, ""))
    for match in _WORDS_RE.finditer(sentence):
        case = case_of(match[3])
        words = [*match[1].lower().split(), match[2].lower()]
        value = numeral_value(words)
        if case not in _WORD_CASES or value < 2 or in_words(value) != " ".join(words):
            continue  # `үшін` (for) is not `үш`, `бірі` (one of) is not a count
        if words == ["он"] and case:
            continue  # `онда` (there) is not `он` (ten)
        if not free(*match.span()):
            continue
        facts.append(Fact(NUMBER, match.start(), match.end(), str(value), case, WORDS))
    return sorted(facts, key=lambda f: f.start)


def render(kind: str, key: str, case: str, style: str, names: Names) -> str | None:
    """A value written as a fact of this kind, case and style is; None if it cannot be."""
    if kind == YEAR:
        return key
    if kind == NUMBER and style == WORDS:
        return inflect(in_words(int(key)), case) if int(key) < 1000 else None
    if kind == NUMBER:
        return f"{key}-{attach(number_word(int(key)), case)}" if case else key
    if kind == DATE:
        day, month = key.split()
        return f"{day} {inflect(month, case)}"
    if kind == MONTH:
        return inflect(key, case)
    if kind == DOCUMENT:
        return f"{style[0]}{key}{style[1]}"
    first = names.first_name(key)
    if first is None:
        return None
    surname = inflect(key, case)
    if style == "full":
        return f"{first} {surname}"
    return f"{first[0]}.{' ' if style == 'initials' else ''}{surname}"


def learn_names(sentences: list[str]) -> Names:
    """The first names the articles use for each surname."""
    first: dict[str, Counter[str]] = {}
    for sentence in sentences:
        for match in _PERSON_RE.finditer(sentence):
            name = match["first"]
            if name and not name.lower().startswith(_TITLES):
                first.setdefault(match["surname"], Counter())[name] += 1
    return Names(first)


def window_stems(sentence: str, start: int, end: int, words: int = 4) -> frozenset[str]:
    """Content stems of up to `words` words either side of a fact, synonyms merged."""
    before = sentence[:start].split()[-words:]
    after = sentence[end:].split()[:words]
    stems = lexical_tokens(" ".join([*before, *after]))
    return frozenset(_SAME.get(s, s) for s in stems if s not in GENERIC and not s.isdigit())


_BOUND_WORDS: Final = frozenset(
    lexical_tokens("аса астам артық жуық кем кемі шамасында шақты қарай дейін тағы")
)


def unit_of(sentence: str, fact: Fact) -> str | None:
    """What a number counts: the stem of the word after it (bound words skipped), synonyms
    merged (`394 мүше` and `350-ге жуық мүшесі` count members); None if nothing is named."""
    for stem in lexical_tokens(sentence[fact.end :].split(",")[0])[:3]:
        if stem in _BOUND_WORDS or stem.isdigit():
            continue
        return None if stem in GENERIC else _SAME.get(stem, stem)
    return None
