"""Labelled questions turned into training examples: the question as the engine embeds it, the
quotable spans that answer it (they hold an expected string), and the split it belongs to.

Questions come in JSON lines `{"cat", "q", "expect", "article"?, "fact"?}` (index/evaluation.py).
A span answers a question when, after the same normalization the evaluation uses, it holds one
of the question's expected strings; off-topic questions (no expected string) have no positive.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.articles import Article
from index.build import quote_spans
from index.evaluation import Case, load_cases
from index.normalize import normalize_question, repair
from index.query import understand
from index.sentences import split_sentences
from index.spelling import Speller

# Share of facts held out for validation (model selection, thresholds): by fact, never by
# question, because the sets ask every fact several ways.
VALID_SHARE = 0.15


class TrainingDataError(ValueError):
    """The training questions cannot train anything over these articles."""


@dataclass(frozen=True)
class SpanText:
    """One quotable span: what the engine can quote, and where it comes from."""

    article: str
    text: str


@dataclass(frozen=True)
class Example:
    """One labelled question, ready for training: `positives` index into the span list."""

    question: str  # as typed
    text: str  # as the engine embeds it (repaired, Cyrillic, spelled like the articles)
    cat: str
    fact: str  # the fact asked ("" for an off-topic question)
    positives: tuple[int, ...]

    @property
    def answerable(self) -> bool:
        """True when some span holds the answer."""
        return bool(self.positives)


@dataclass(frozen=True)
class Corpus:
    """The quotable spans of the stored articles, with their texts."""

    spans: tuple[SpanText, ...]
    speller: Speller

    @classmethod
    def from_articles(cls, articles: Iterable[Article]) -> Corpus:
        """Every span the engine can quote, cut as the index build cuts them (index/build.py)."""
        texts = {a.id: repair(a.text).text for a in sorted(articles, key=lambda a: a.id)}
        spans = tuple(
            SpanText(article, text[s:e])
            for article, text in texts.items()
            for s, e, _ in quote_spans(split_sentences(text))
        )
        return cls(spans, Speller(texts.values()))

    def positives(self, expect: Sequence[str]) -> tuple[int, ...]:
        """Positions of the spans holding one of the expected strings."""
        wanted = [_folded(e) for e in expect]
        return tuple(
            i
            for i, span in enumerate(self.spans)
            if any(w and w in _folded(span.text) for w in wanted)
        )

    def articles_of(self, example: Example) -> frozenset[str]:
        """The articles whose spans answer the question."""
        return frozenset(self.spans[i].article for i in example.positives)


def _folded(text: str) -> str:
    return normalize_question(text).casefold()


def labelled(path: Path) -> list[tuple[Case, str]]:
    """The questions of a file with the fact each asks: its `fact` field, else its place in the
    file (so a set without facts is split by question); "" for an off-topic question."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    facts = [str(json.loads(line).get("fact") or "") for line in lines]
    return [
        (case, (fact or f"{path.stem}:{number}") if case.expect else "")
        for number, (case, fact) in enumerate(zip(load_cases(path), facts, strict=True))
    ]


def load_examples(paths: Iterable[Path], corpus: Corpus) -> list[Example]:
    """Every question of the files; an in-scope question no span answers is left out (its
    expected string lies in an article that is not stored now)."""
    examples = []
    for path in paths:
        for case, fact in labelled(path):
            positives = corpus.positives(case.expect) if case.expect else ()
            if case.expect and not positives:
                continue
            text = understand(case.q, corpus.speller).text
            examples.append(Example(case.q, text, case.cat, fact, positives))
    return examples


def held_out(fact: str, question: str) -> bool:
    """A stable split by fact (off-topic questions by their text)."""
    key = fact or question
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return digest[0] < 256 * VALID_SHARE


def is_validation(example: Example) -> bool:
    """Whether the question is held out for validation."""
    return held_out(example.fact, example.question)


def data_hash(paths: Iterable[Path]) -> str:
    """Changes whenever any training file changes: the trained model is rebuilt then."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
