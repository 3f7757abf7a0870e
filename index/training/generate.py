"""Questions generated from the articles' own sentences, so that every fact has some.

A model trained only on labelled questions learns the facts they ask about; the spans of an
article nobody asked about appear in its training only as wrong candidates for other questions,
so it learns that they never answer: a reader trained without any question about an article
refused 9% of the real questions about it, against 2.4% on the articles it learnt
(docs/training.md). Without a model that writes Kazakh, a generated question is a sentence's
topic words in their order, with what looks like the answer (a number) taken out, and a question
word: the shape of the colloquial questions people type («ассамблеядан парламентке қанша адам
өтеді»). They are training data only, for the embedder (`[training] generated`): never shown to
anyone, never used to validate or test. Off by default: they cost off-topic declines
(docs/training.md, "Questions generated from the articles").
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.articles import Article
from index.fold import fold
from index.normalize import repair
from index.query import understand
from index.sentences import split_sentences
from index.tokens import STOPWORDS
from index.training.data import Corpus, Example

GENERATED = "generated"  # their category, and the start of their fact
_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_YEAR_WORD = re.compile(r"^(жыл|ж$)")  # after level-1 folding: жылы, жылдан, ж.
_QUESTION_WORDS = ("қандай", "не", "қалай", "туралы не айтылған")
_MIN_WORDS = 3  # a sentence with fewer topic words asks nothing on its own
_MAX_WORDS = 6


@dataclass(frozen=True)
class Draft:
    """One generated question and the sentence it was made from (which answers it)."""

    article: str
    sentence: str
    question: str


def drafts(articles: Iterable[Article], per_sentence: int, seed: int) -> list[Draft]:
    """Up to `per_sentence` distinct questions from each sentence of the articles, seeded."""
    rng = random.Random(seed)
    out = []
    for article in sorted(articles, key=lambda a: a.id):
        text = repair(article.text).text
        for start, end in split_sentences(text):
            sentence = text[start:end]
            made = {q for q in (_question(sentence, rng) for _ in range(per_sentence)) if q}
            out += [Draft(article.id, sentence, q) for q in sorted(made)]
    return out


def _question(sentence: str, rng: random.Random) -> str:
    """Topic words of the sentence (a seeded choice, in order; not a number, nor «жылы» after a
    year) and a question word; "" when the sentence has too few."""
    words = _WORD_RE.findall(sentence)
    answer = {i + 1 for i, w in enumerate(words[:-1]) if w.isdigit() and _year(words[i + 1])}
    topic = [
        w.lower()
        for i, w in enumerate(words)
        if len(w) > 1
        and i not in answer
        and not any(c.isdigit() for c in w)
        and fold(w, 2) not in STOPWORDS
    ]
    if len(topic) < _MIN_WORDS:
        return ""
    size = rng.randint(_MIN_WORDS, min(_MAX_WORDS, len(topic)))
    kept = [topic[i] for i in sorted(rng.sample(range(len(topic)), size))]
    return " ".join([*kept, _question_word(words, rng)]) + "?"


def _question_word(words: list[str], rng: random.Random) -> str:
    """«қай жылы» for a year, «қанша» for another number, else one of the open question words."""
    for number, after in zip(words, [*words[1:], ""], strict=True):
        if number.isdigit():
            return "қай жылы" if _year(after) else "қанша"
    return rng.choice(_QUESTION_WORDS)


def _year(word: str) -> bool:
    """The word after a number that makes it a year (it belongs to the answer)."""
    return bool(_YEAR_WORD.match(fold(word)))


def generated_examples(
    articles: Iterable[Article], corpus: Corpus, per_sentence: int, seed: int
) -> list[Example]:
    """The drafts as training examples: the spans holding their sentence answer them."""
    examples = []
    for number, draft in enumerate(drafts(articles, per_sentence, seed)):
        positives = corpus.positives([draft.sentence])
        if positives:
            text = understand(draft.question, corpus.speller).text
            fact = f"{GENERATED}:{draft.article}:{number}"
            examples.append(Example(draft.question, text, GENERATED, fact, positives))
    return examples
