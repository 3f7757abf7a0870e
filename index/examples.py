"""Example questions made from the articles themselves, one per article, for a reader who does
not know what to ask: a declined question is followed by questions the articles do answer.

Titles tell little («Ассамблея жұмысы туралы түркістандықтарға…») and grow with every article;
a question made from a sentence of the article is answered by that sentence. Three shapes, in
order of preference: when something was founded or adopted («… 1995 жылы құрылды.» →
«… қашан құрылды?»), what something's aim is («Ассамблеяның мақсаты … болып табылады.» →
«Ассамблеяның мақсаты қандай?»), and what a thing is («X – …» → «X деген не?»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# Most example questions offered at once.
MAX_EXAMPLES: Final = 5

_UPPER = "А-ЯӘҒҚҢӨҰҮҺІ"
_VERBS = "құрылды|қабылданды|ашылды|өтті|бекітілді|жарияланды|өткізілді|басталды"
_YEAR = r"\d{4}\s+жыл\w*\s+(?:\d{1,2}\s+\w+(?:да|де|та|те)\s+)?"
# «X – 1995 жылғы 1 наурызда … құрылды.»
_SUBJECT_THEN_DATE = re.compile(
    rf"^(?P<subject>[{_UPPER}«][^.,:;–—-]{{4,70}}?)\s*[–—-]?\s*{_YEAR}.*?\s(?P<verb>{_VERBS})\.$"
)
# «2008 жылғы 20 қазанда «…» Заң қабылданды.»
_DATE_THEN_SUBJECT = re.compile(rf"^{_YEAR}(?P<subject>[^,:;]{{5,80}}?)\s+(?P<verb>{_VERBS})\.$")
# «… Ассамблеяның мақсаты … болып табылады.»
_AIM = re.compile(
    r"(?P<subject>\b[" + _UPPER + r"]?\w+(?:ның|нің|дың|дің|тың|тің))\s"
    r"(?P<what>мақсаты|міндеті|басты міндеті)\s.*болып табылады\.$"
)
# «Азаматтық татулық пен ұлтаралық келісім – біздің басты құндылығымыз.»
_DEFINITION = re.compile(rf"^(?P<subject>[{_UPPER}][\w ]{{3,60}}?)\s+[–—-]\s+\w.{{10,}}\.$")
# A definition's subject that is no subject: a word pointing elsewhere, an adverb, a case ending.
_NOT_A_SUBJECT = re.compile(
    r"^(?:бұл|ол|осы|сол|бүгінде|қазір|сондықтан|өйткені|біздің|мұның|оның|негізгі|басты)\b"
    r"|(?:ға|ге|қа|ке|на|не|да|де|та|те|ның|нің|мақсат\w*|мән\w*|бірі)$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CITATION = re.compile(r"\s*\[\d+(?:\s*[,;–-]\s*\d+)*\]")


def _sentences(text: str) -> Iterable[str]:
    for sentence in _SENTENCE.split(text):
        yield _CITATION.sub("", " ".join(sentence.split()))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _when(sentence: str) -> str | None:
    for pattern in (_SUBJECT_THEN_DATE, _DATE_THEN_SUBJECT):
        found = pattern.match(sentence)
        if found and found["subject"].count("«") == found["subject"].count("»"):
            return f"{_capitalised(found['subject'].strip())} қашан {found['verb']}?"
    return None


def _aim(sentence: str) -> str | None:
    found = _AIM.search(sentence)
    return f"{_capitalised(found['subject'])} {found['what']} қандай?" if found else None


def _definition(sentence: str) -> str | None:
    found = _DEFINITION.match(sentence)
    if found is None or _NOT_A_SUBJECT.search(found["subject"].strip()):
        return None
    return f"{found['subject'].strip()} деген не?"


def question_from(article: str) -> str | None:
    """One question the article answers, of the most telling shape it has; None if none."""
    sentences = list(_sentences(article))
    for make in (_when, _aim, _definition):
        for sentence in sentences:
            question = make(sentence)
            if question is not None:
                return question
    return None


def example_questions(articles: Iterable[str], limit: int = MAX_EXAMPLES) -> tuple[str, ...]:
    """Up to `limit` questions, one per article (in the order given), none twice."""
    found: list[str] = []
    for text in articles:
        question = question_from(text)
        if question is not None and question not in found:
            found.append(question)
        if len(found) >= limit:
            break
    return tuple(found)
