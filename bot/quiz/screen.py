"""Which facts are worth a question, and which hold only when their article was written.

Left out as trivia: article and paragraph numbers (`14-бабы 2-тармағы`, `№70-IV`), anything in
parentheses (an interview's date, `(2020 жылға дейінгі)`), the date of an interview, a person
named beside a quote cut in half, and a person in a sentence that starts by pointing back
(`Оны … ашты`: who opened *what* is in the sentence before).

Time-bound: a count in a sentence about "now" (`қазіргі`, `қазір`, `бүгінде`), `осыдан N жыл
бұрын`, `N жылдық тарихы`, `N жыл бойы`, or a count stated in the present tense (`асады`, `бар`,
`жұмыс істейді`); a person said to do something "all these years". Such a fact is asked with
its article's year (`2015 жылғы мақала бойынша…`), or not at all when the article has none.
"""

from __future__ import annotations

import re
from typing import Final

from bot.quiz import facts as f

__all__ = ["clean", "is_trivia", "time_bound"]

_CITATION = re.compile(r"\s*\[\d+(?:\s*[-–,]\s*\d+)*\]")
_LOW = "а-яёәғқңөұүһі"
_LEGAL_PART = re.compile(rf"^-?(?:\s*|[{_LOW}]+\s+)?(?:бап|баб|тармақ|тармағ)", re.IGNORECASE)
_POINTING_BACK = re.compile(
    r"^(?:Бұл|Бұны|Оны|Онда|Ол|Осы|Сол|Одан|Одансоң|Соның|Осыған|Содан)\b", re.IGNORECASE
)
_NOW = re.compile(
    r"\b(?:қазіргі|қазір|бүгінде|бүгінгі|биыл|соңғы жылдары|жылдар бойы|жыл бойы)\b",
    re.IGNORECASE,
)
_STILL = re.compile(r"\b(?:қазіргі|қазір|бүгінде|жылдар бойы|жыл бойы)\b", re.IGNORECASE)
_AGO_OR_AGE = re.compile(r"^\s*(?:жыл бұрын|жылдық)")
_PRESENT = re.compile(r"(?:[аеәй]ды|[аеәй]ді|\bбар|\bжоқ)[»\"]?[.!]?$")
_EVENTS: Final = frozenset({f.YEAR, f.DATE, f.MONTH, f.DOCUMENT})


def clean(sentence: str) -> str:
    """The sentence as students read it: citation marks ([5], [3, 4]) taken out."""
    return _CITATION.sub("", sentence)


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
        return _quote_cut(sentence) or bool(_POINTING_BACK.match(sentence))
    return False


def time_bound(sentence: str, fact: f.Fact) -> bool:
    """Whether a fact holds only at the time its article was written."""
    if fact.kind in _EVENTS:
        return False
    if fact.kind == f.PERSON:
        return _STILL.search(sentence) is not None
    if _NOW.search(sentence) or _AGO_OR_AGE.match(sentence[fact.end :]):
        return True
    return _PRESENT.search(sentence.rstrip()) is not None
