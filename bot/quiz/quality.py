"""What a strict teacher strikes out of a generated question, read as students read it.

The stem (the text under the ask or judge line, or the question itself) must stand alone and
read as whole, natural Kazakh:

- it does not start by pointing back at a sentence students never see (`Бұл`, `Ол`, `Соның
  негізінде`, `Осыған сәйкес`, `Содан бергі`, `Оның нәтижесінде`, `Сондықтан` …) or at a
  speaker they do not know (`Біздің алға ұмтылысымыз`);
- it names what it speaks of: `жаңа институт`, `бірегей құрылым`, `бұл ұйым` only where the
  Assembly is named too;
- it is a whole sentence, not a fragment cut with `…`, and short enough to read in a poll;
- it is not a clause of reported speech left without its verb of saying (`…институты болғанын
  және солай болып қала береді`);
- it ends with its predicate, not a verbal noun (`…9-ы Ассамблеясымен сайланатындығы.`);
- no word mixes Latin and Cyrillic letters (a text typed with a Latin `a` reads as a typo),
  and no dash is glued to a word (`енгізілімі–`).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["STEM_LIMIT", "stem_of", "stem_problems"]

STEM_LIMIT: Final = 200  # characters: a longer stem buries its question in a poll
_POINTING_BACK = re.compile(
    r"^(?:Бұл|Бұны|Бұдан|Мұндағы|Мұнда|Оны|Онда|Ол|Оның|Олар|Олардың|Осы|Осының|Осыған|Осылайша"
    r"|Осымен|Сол|Соның|Содан|Сондықтан|Сонымен|Одан|Одансоң|Аталған|Міне|Дәл сол"
    r"|Біз|Біздің|Бізге|Бізде)\b"
)
_LEAD = re.compile(r"^(?:Ал|Сонымен қатар|Сондай-ақ|Бұдан басқа),?\s+")
_VAGUE = re.compile(
    r"\b(?:жаңа|бірегей|бұл|осы|аталған|сол)\s+(?:институт|құрылым|ұйым|орган|мекеме)",
    re.IGNORECASE,
)
_NAMED = re.compile(r"Ассамбле")
# An object clause (`-ғанын`, `-генін`, `-атынын` …) wants a verb of saying or knowing after it.
_OBJECT_CLAUSE = re.compile(r"\w+(?:ғанын|генін|қанын|кенін|ғандығын|гендігін|атынын|етінін)\b")
_SAYING = re.compile(
    r"\b(?:айт|атап|де(?:ді|п|йді)|көрсет|білдір|ескер|мәлім|белгілі|аңғарт|паш|мойында|растай"
    r"|түсін|қалап)",
)
_MIXED = re.compile(r"\b(?=\w*[a-zA-Z])(?=\w*[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ])\w+")
_GLUED_DASH = re.compile(r"\w[–—]\s|\s[–—]\w")
_NO_PREDICATE = re.compile(r"(?:дығы|дігі|тығы|тігі)[.?]$")  # `…сайланатындығы.`
_FRAME = re.compile(r" \(\d{4} жылғы мақала бойынша\)$")


def stem_of(question: str) -> str:
    """The part of a poll's text that speaks of the fact: a cloze's or statement's sentence
    (the line under «Бос орынға не жазылады?»), a question without its article's year."""
    return _FRAME.sub("", question.split("\n", 1)[-1])


def stem_problems(stem: str) -> list[str]:
    """Why a question's stem would not read well on its own (empty when it does)."""
    problems = []
    body = stem.strip()
    if body.startswith("…") or body.endswith("…"):
        problems.append("the stem is a fragment cut with an ellipsis")
    text = _LEAD.sub("", body.lstrip("…"))
    if _POINTING_BACK.match(text):
        problems.append("the stem points back at a sentence students do not see")
    if _VAGUE.search(text) and not _NAMED.search(text):
        problems.append("the stem never names what it speaks of")
    if len(body) > STEM_LIMIT:
        problems.append(f"the stem is longer than {STEM_LIMIT} characters")
    for clause in _OBJECT_CLAUSE.finditer(text):
        if not _SAYING.search(text[clause.end() :]):
            problems.append("a reported clause is left without its verb of saying")
            break
    if _MIXED.search(text) or _GLUED_DASH.search(text):
        problems.append("a word mixes Latin and Cyrillic letters or a dash is glued to it")
    if _NO_PREDICATE.search(text):
        problems.append("the sentence ends without a predicate")
    return problems
