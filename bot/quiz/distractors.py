"""Wrong options that are certainly false.

A wrong option is another value of the fact's kind. For a plain value any other value is false,
except one the articles give for the same thing elsewhere (`values_elsewhere`). Around a bound
the reasoning changes: «800-ден асады» (more than 800) stays true with any smaller number, so
the wrong options of a "more than N" blank are at least twice N and well above every value
the articles give for the same count (so are "the first N" and "for N years": the first three
of the first four, or twenty of thirty years, would be true); "less than N" takes at most half
of N; "about N" (`жуық`, `шамамен`, `дейін`) keeps off everything between 0.6 and 1.6 times N
and the other values. An author writes the nearest round bound, so "more than 2N" is false. A decade
(«90-шы жылдары») is offered only other decades; an ordinal only other small ordinals.

Numbers, years, dates and months are generated near the right value (not taken from other
facts, whose answers they would show), in the same roundness: 800 gets hundreds, 88 gets
numbers not ending in 0, 1995 gets years around it, «1 наурыз» other days and months.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Collection, Iterable
from typing import Final

from bot.quiz import facts as f

__all__ = ["ABOUT", "DECADE", "EXACT", "LESS", "MORE", "ORDINAL", "bound_of", "candidates", "safe"]

EXACT: Final = "exact"
MORE: Final = "more"  # the fact is a lower bound: the true value is more than it
LESS: Final = "less"  # an upper bound
ABOUT: Final = "about"
DECADE: Final = "decade"  # «90-шы жылдары»
ORDINAL: Final = "ordinal"  # «1-ші форумында»

_NOUN = r"^\s*(?:[а-яёәғқңөұүһі]+\s+)?"  # the bound may follow the counted noun: 107 адамға дейін
_MORE_AFTER = re.compile(_NOUN + r"(?:аса|астам|артық|асады|асқан|асатын|астамы|кем емес|бойы)\b")
_LESS_AFTER = re.compile(_NOUN + r"(?:кем|кемі|аспайды|аспайтын|жетпейді|жетпейтін|төмен)\b")
_ABOUT_AFTER = re.compile(_NOUN + r"(?:жуық|шамасында|шамалы|қарай|дейін|дейінгі|шақты|шамамен)\b")
_MORE_BEFORE = re.compile(r"\b(?:кемінде|кем дегенде|астам|алғашқы)\s*$")
_ABOUT_BEFORE = re.compile(r"\b(?:шамамен|шама|жуық|таяу)\s*$")
_MORE_TIMES: Final = (2, 2.5, 3, 4)  # near enough to be believed, far enough to be false
_LESS_PARTS: Final = (2, 3, 4, 5, 10)
_ABOUT_TIMES: Final = (0.4, 0.5, 2.0, 2.5, 3.0)
_NEAR_TIMES: Final = (0.5, 0.6, 0.7, 0.75, 0.8, 1.2, 1.25, 1.3, 1.4, 1.5, 1.75, 2.0)
_ABOUT_BAND: Final = (0.6, 1.6)
_MORE_MARGIN: Final = 1.3  # above the largest value the articles give for the same thing
_SMALL: Final = 12
_STEPS: Final = (-3, -2, -1, 1, 2, 3, 4, 5)  # round neighbours: 30 → 20, 40, 50, 60
_DAYS: Final = (1, 5, 10, 15, 20, 25)


def bound_of(sentence: str, fact: f.Fact) -> str:
    """How the sentence uses a number: exact, a bound, about, a decade or an ordinal."""
    if fact.kind != f.NUMBER:
        return EXACT
    before, after = sentence[: fact.start], sentence[fact.end :]
    if fact.case == "ordinal":
        return DECADE if re.match(r"^\s*жылдар", after) else ORDINAL
    if _MORE_AFTER.match(after) or _MORE_BEFORE.search(before):
        return MORE
    if _LESS_AFTER.match(after):
        return LESS
    if _ABOUT_AFTER.match(after) or _ABOUT_BEFORE.search(before):
        return ABOUT
    return EXACT


def _step(n: int) -> int:
    return 100 if n % 100 == 0 else 10 if n % 10 == 0 else 1


def _like(n: int, value: float) -> int:
    """`value` rounded as `n` is round: 800 → hundreds, 60 → tens, 88 → not ending in 0."""
    step = _step(n)
    out = max(step, round(value / step) * step)
    if step == 1 and n >= 10 and out % 10 == 0:
        out += 1 if value >= out else -1
    return int(out)


def _numbers(n: int, bound: str) -> list[int]:
    if bound == DECADE:
        return [d for d in range(10, 100, 10) if d != n]
    if bound == ORDINAL:
        return [k for k in range(1, max(n, 3) + 4) if k != n]
    if bound == MORE:
        return [_like(n, n * m) for m in _MORE_TIMES]
    if bound == LESS:
        return [n // m for m in _LESS_PARTS if n // m >= 1]
    if bound == ABOUT:
        return [_like(n, n * r) for r in _ABOUT_TIMES]
    if n <= _SMALL:
        return [k for k in range(1, _SMALL + 4) if k != n]
    step = _step(n) if _step(n) > 1 else max(1, round(n / 10))
    near = [_like(n, n + k * step) for k in _STEPS if n + k * step > 0]
    return [_like(n, n * r) for r in _NEAR_TIMES] + near


def _years(year: int) -> list[int]:
    if year % 10 == 0 and year > 2020:  # «Қазақстан – 2030»: another round year
        return [year + d for d in (-10, 10, 20, -20, 5, -5)]
    return [year + d for d in (-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -7, 7)]


def _dates(key: str) -> list[str]:
    """Other days near this one, the day and the month both changed in turn, so that the
    options test the day as well as the month."""
    day, month = key.split()
    index = f.MONTHS.index(month)
    days = [d for d in _DAYS if d != int(day)]
    found = []
    for n, shift in enumerate((1, -1, 2, -2, 3, -3)):
        other = f.MONTHS[(index + shift) % 12]
        found.append(f"{day if n % 2 else days[n % len(days)]} {other}")
        found.append(f"{days[(n + 1) % len(days)]} {month}")
    return [d for d in found if int(d.split()[0]) <= _days_in(d.split()[1])]


def _days_in(month: str) -> int:
    return calendar.monthrange(2001, f.MONTHS.index(month) + 1)[1]  # not a leap year


def candidates(kind: str, key: str, bound: str, known: Iterable[str]) -> list[str]:
    """Wrong values to try, nearest first; `known` are the articles' values of the kind (the
    candidates for people and documents)."""
    if kind == f.NUMBER:
        n = int(key)
        found = sorted(set(_numbers(n, bound)) - {n}, key=lambda k: abs(math.log(k / n)))
        return [str(k) for k in found]
    if kind == f.YEAR:
        return [str(y) for y in _years(int(key))]
    if kind == f.DATE:
        return _dates(key)
    if kind == f.MONTH:
        i = f.MONTHS.index(key)
        return [f.MONTHS[(i + s) % 12] for s in (1, -1, 2, -2, 3, -3)]
    return sorted(k for k in known if k != key)


def safe(kind: str, key: str, bound: str, other: str, elsewhere: Collection[str]) -> bool:
    """Whether `other` in the blank makes the sentence false, given the values the articles
    give for the same thing (`elsewhere`)."""
    if other == key or other in elsewhere:
        return False
    if kind != f.NUMBER:
        return True
    n, y = int(key), int(other)
    values = [n, *(int(v) for v in elsewhere if v.isdigit())]
    if bound == MORE:
        return y >= 2 * n and y > _MORE_MARGIN * max(values)
    if bound == LESS:
        return 2 * y <= n and y < min(values) / _MORE_MARGIN
    if bound == ABOUT:
        low, high = _ABOUT_BAND
        return all(not low * v <= y <= high * v for v in values)
    return True
