"""Retrieval quality on a question set: recall@1, recall@3, MRR per category, and declining."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.answer import Answer
from index.normalize import normalize_question

CATEGORIES = {
    "A": "direct Kazakh",
    "B": "paraphrased, colloquial",
    "C": "Russian keyboard",
    "D": "Latin script",
    "E": "Russian",
    "G": "typos",
    "F": "outside the articles",
}
RANKS = 10


class EvalFormatError(ValueError):
    """A question-set line that is not {"cat", "q", "expect"}."""


@dataclass(frozen=True)
class Case:
    cat: str
    q: str
    expect: tuple[str, ...]


@dataclass
class Result:
    case: Case
    answered: bool
    rank: int | None  # 1-based rank of the first quote holding an expected string


@dataclass
class Figures:
    """Aggregates for one category (or all)."""

    n: int = 0
    hits1: int = 0
    hits3: int = 0
    rr: float = 0.0
    declined: int = 0
    results: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> None:
        self.n += 1
        self.results.append(result)
        self.declined += not result.answered
        if result.rank is not None:
            self.hits1 += result.rank == 1
            self.hits3 += result.rank <= 3
            self.rr += 1.0 / result.rank


def load_cases(path: Path) -> list[Case]:
    """Read a JSONL question set; a malformed line is an error naming its line number."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            case = Case(str(raw["cat"]), str(raw["q"]), tuple(str(e) for e in raw["expect"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise EvalFormatError(f"{path}:{number}: {exc}") from exc
        if case.cat not in CATEGORIES:
            raise EvalFormatError(f"{path}:{number}: unknown category {case.cat!r}")
        cases.append(case)
    return cases


def ranked_texts(answer: Answer) -> list[str]:
    """The quotes in the order a person would meet them: shown first, then the others."""
    return [q.text for q in (*answer.quotes, *answer.others)][:RANKS]


def judge(case: Case, answer: Answer) -> Result:
    """Where (if anywhere) an expected string appears among the ranked quotes."""
    expected = [normalize_question(e).casefold() for e in case.expect]
    rank = None
    for position, text in enumerate(ranked_texts(answer), start=1):
        haystack = normalize_question(text).casefold()
        if any(e in haystack for e in expected):
            rank = position
            break
    return Result(case, answer.answered, rank)


def evaluate(cases: Iterable[Case], ask: Callable[[str], Answer]) -> dict[str, Figures]:
    """Ask every question; figures per category and overall ("all", in-scope questions only)."""
    table: dict[str, Figures] = {}
    for case in cases:
        result = judge(case, ask(case.q))
        table.setdefault(case.cat, Figures()).add(result)
        if case.expect:
            table.setdefault("all", Figures()).add(result)
    return table


def render(table: dict[str, Figures]) -> str:
    """The figures as a plain-text table."""
    lines = [f"{'category':<28} {'n':>4} {'R@1':>6} {'R@3':>6} {'MRR':>6} {'declined':>9}"]
    order = [c for c in CATEGORIES if c != "F" and c in table] + ["all"]
    for cat in order:
        if cat not in table:
            continue
        f = table[cat]
        name = f"{cat} {CATEGORIES.get(cat, 'all in scope')}"
        lines.append(
            f"{name:<28} {f.n:>4} {f.hits1 / f.n:>6.3f} {f.hits3 / f.n:>6.3f} "
            f"{f.rr / f.n:>6.3f} {f.declined / f.n:>9.3f}"
        )
    if "all" in table:
        f = table["all"]
        lines.append(
            f"in-scope questions wrongly declined: {f.declined / f.n:.3f} ({f.declined}/{f.n})"
        )
    if "F" in table:
        f = table["F"]
        lines.append(
            f"off-topic questions declined:        {f.declined / f.n:.3f} ({f.declined}/{f.n})"
        )
    return "\n".join(lines)


def failures(table: dict[str, Figures]) -> list[Result]:
    """Questions answered wrongly: missed at rank 1, wrongly declined, or off-topic but answered."""
    bad = []
    for cat, figures in table.items():
        if cat == "all":
            continue
        for r in figures.results:
            if (r.case.expect and r.rank != 1) or (not r.case.expect and r.answered):
                bad.append(r)
    return bad


def render_comparison(base: dict[str, Figures], trained: dict[str, Figures]) -> str:
    """Two engines' figures side by side, per category: base → trained."""
    lines = [f"{'category':<28} {'n':>4}   {'R@1 base → trained':>20}   {'R@3 base → trained':>20}"]
    order = [c for c in CATEGORIES if c != "F" and c in base] + ["all"]
    for cat in order:
        if cat not in base or cat not in trained:
            continue
        b, t = base[cat], trained[cat]
        name = f"{cat} {CATEGORIES.get(cat, 'all in scope')}"
        lines.append(
            f"{name:<28} {b.n:>4}   {b.hits1 / b.n:>9.3f} → {t.hits1 / t.n:<8.3f}"
            f"   {b.hits3 / b.n:>9.3f} → {t.hits3 / t.n:<8.3f}"
        )
    for cat, label in (("all", "in-scope wrongly declined"), ("F", "off-topic declined")):
        if cat in base and cat in trained:
            b, t = base[cat], trained[cat]
            lines.append(
                f"{label:<33}   {b.declined / b.n:>9.3f} → {t.declined / t.n:<8.3f}"
                f"   ({b.declined}/{b.n} → {t.declined}/{t.n})"
            )
    return "\n".join(lines)
