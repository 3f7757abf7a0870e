"""Which facts are worth a question, and which hold only when their article was written.

Left out as trivia: article and paragraph numbers (`14-бабы 2-тармағы`, `№70-IV`), anything in
parentheses (an interview's date, `(2020 жылға дейінгі)`), the date of an interview, a person
named beside a quote cut in half, and a person in a sentence that starts by pointing back
(`Оны … ашты`: who opened *what* is in the sentence before). Also what a teacher would not
ask: the day anything but a founding or a law happened on (a decree's, a session's or a
forum's day; a holiday such as `1 мамыр` is no event's day), the year or day of a session, a
media forum or a conference, one figure of a sentence that lists three or more, a count of
schools or languages (yearly statistics), a count the sentence lists right after it (`төрт
ұлттық – өзбек, ұйғыр, корей және неміс`), a person who only spoke (not who founded, proposed
or led), and spans counted from when the article was written (`осыдан N жыл бұрын`, `N жылдық
тарихы`, `N жыл бойы`): arithmetic on an unnamed year, not a fact.

Time-bound: a count in a sentence about "now" (`қазіргі`, `қазір`, `бүгінде`), a count stated
in the present tense (`асады`, `бар`, `жұмыс істейді`), or "the first N" of events that go on
(`алғашқы төрт съезі`); a person said to do something "all these years". Such a fact is asked
with its article's year (`2015 жылғы мақала бойынша…`), or not at all when the article has none.
"""

from __future__ import annotations

import re
from typing import Final

from bot.quiz import facts as f
from index.tokens import lexical_tokens

__all__ = ["clean", "is_trivia", "main_clause", "time_bound"]

_CITATION = re.compile(r"\s*\[\d+(?:\s*[-–,]\s*\d+)*\]")
_LOW = "а-яёәғқңөұүһі"
_LEGAL_PART = re.compile(rf"^-?(?:\s*|[{_LOW}]+\s+)?(?:бап|баб|тармақ|тармағ)", re.IGNORECASE)
_POINTING_BACK = re.compile(
    r"^(?:Бұл|Бұны|Оны|Онда|Ол|Осы|Сол|Одан|Одансоң|Соның|Осыған|Содан|Дәл сол)\b", re.IGNORECASE
)
_NOW = re.compile(
    r"\b(?:қазіргі|қазір|бүгінде|бүгінгі|биыл|соңғы жылдары|жылдар бойы|жыл бойы)\b",
    re.IGNORECASE,
)
_STILL = re.compile(r"\b(?:қазіргі|қазір|бүгінде|жылдар бойы|жыл бойы)\b", re.IGNORECASE)
_SPAN_OF_TIME = re.compile(r"^\s*(?:жыл бұрын|жылдық|жыл бойы|жылдар бойы)")
_FIRST_N = re.compile(r"\bалғашқы\s*$")
_SECONDARY_EVENT = re.compile(r"(?:сессия|медиа-форум|конференция)", re.IGNORECASE)
_FOUNDING_OR_LAW = re.compile(r"\b(?:құрылды|құрылған|пайда болды|Заң\w*)\b")
_LIST_OF_FIGURES: Final = 3
_LISTED = re.compile(r"^(?:\s+\S+){0,2}\s*[–—:]\s")  # `төрт ұлттық – өзбек, ұйғыр…` counts itself
# What a person did that is worth knowing: founded, proposed, led; not who spoke at a forum.
_DEED = re.compile(r"(?:бастама|құр|ұсын|идея|басқар)", re.IGNORECASE)
# Counts of schools, languages and papers: yearly statistics, not facts a student keeps.
_STATISTICS: Final = frozenset(lexical_tokens("мектеп мектепте тіл тілде тілдерін кешендері газет"))
_PRESENT = re.compile(r"(?:[аеәй]ды|[аеәй]ді|\bбар|\bжоқ)[»\"]?[.!]?$")
_EVENTS: Final = frozenset({f.YEAR, f.DATE, f.MONTH, f.DOCUMENT})


def clean(sentence: str) -> str:
    """The sentence as students read it: citation marks ([5], [3, 4]) taken out."""
    return _CITATION.sub("", sentence)


_LEAD_DASH = re.compile(r",[^,]*\s[—–]\s(?=[\dА-ЯЁӘҒҚҢӨҰҮҺІ])")
_CLAUSE_WORDS: Final = 8


def main_clause(sentence: str) -> str:
    """A sentence that starts by pointing back, without its lead of comma-separated phrases
    ended by a dash, when what follows the dash reads as a sentence of its own: «Дәл сол кезде,
    …, — 1992 жылы … идеяны білдірді.» → «1992 жылы … идеяны білдірді.»"""
    leads = list(_LEAD_DASH.finditer(sentence))
    if not leads or not _POINTING_BACK.match(sentence):
        return sentence
    tail = sentence[leads[-1].end() :]
    ends = tail.rstrip().endswith(".") and tail.count("«") == tail.count("»")
    return tail if ends and len(tail.split()) >= _CLAUSE_WORDS else sentence


def _in_parentheses(sentence: str, start: int) -> bool:
    return sentence.rfind("(", 0, start) > sentence.rfind(")", 0, start)


def _quote_cut(sentence: str) -> bool:
    """A quote that starts or ends in another sentence, or is elided (`«...`)."""
    return sentence.count("«") != sentence.count("»") or "«..." in sentence or "«…" in sentence


def is_trivia(sentence: str, fact: f.Fact) -> bool:
    """Whether a fact is not worth asking (see the module's docstring)."""
    before, after = sentence[: fact.start], sentence[fact.end :]
    if fact.kind == f.NUMBER and (_LEGAL_PART.match(after) or before.rstrip().endswith("№")):
        return True
    if _in_parentheses(sentence, fact.start):
        return True
    if fact.kind in (f.YEAR, f.DATE) and "сұхбат" in sentence:
        return True
    if fact.kind == f.PERSON:
        if _quote_cut(sentence) or _POINTING_BACK.match(sentence):
            return True
        return _DEED.search(sentence) is None
    if fact.kind == f.DATE and fact.case and not _FOUNDING_OR_LAW.search(sentence):
        return True
    if fact.kind in (f.YEAR, f.DATE) and _SECONDARY_EVENT.search(sentence):
        return True
    if fact.kind == f.NUMBER:
        figures = [x for x in f.find_facts(sentence) if x.kind == f.NUMBER]
        if len(figures) >= _LIST_OF_FIGURES or _SPAN_OF_TIME.match(after):
            return True
        return bool(_LISTED.match(after) or _STATISTICS & set(lexical_tokens(sentence)))
    return False


def time_bound(sentence: str, fact: f.Fact) -> bool:
    """Whether a fact holds only at the time its article was written."""
    if fact.kind in _EVENTS:
        return False
    if fact.kind == f.PERSON:
        return _STILL.search(sentence) is not None
    if _NOW.search(sentence) or _FIRST_N.search(sentence[: fact.start]):
        return True
    return _PRESENT.search(sentence.rstrip()) is not None
