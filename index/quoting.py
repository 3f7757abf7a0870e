"""Shaping the quotes the engine chose into what a reader can take in alone.

The engine cuts one or two sentences; a reader needs a little more or a little less:
- a sentence that introduces a list («…мыналар жатады:») is nothing without its items, so the
  items that follow it are quoted with it (and 📄 does not stop in the middle of the list);
  an introduction with no items after it (the article lost them) is left out;
- a first sentence that leans on the one before it («Бұл – …», «Оның нәтижесінде…») is given
  that sentence, so "it" is known. (Dropping it instead, when the quote went on into another
  paragraph, lost the answer itself in 5 of the project's 395 questions: «Оның айтуынша,
  Ассамблеяның қоғамдық-саяси рөлі күрделене түсуде…».);
- citation marks ([5], [3, 7]) are the article's footnotes, not words: they are removed;
- a quote is credited to a second article only when that article has the same wording.

`QuotingEngine` is the engine with this step after its answers and passages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from index.answer import Answer, Passage, Quote
from index.examples import example_questions
from index.lists import ITEM, introduces_list, list_end
from index.search import Engine

_CITATION: Final = re.compile(r"\s*\[\d+(?:\s*[,;–-]\s*\d+)*\]")
# Words that point back to what was said before: «Бұл», «Оның нәтижесінде», «Осымен қатар».
_LEANS_BACK: Final = re.compile(
    r"^(?:бұл|бұның|мұның|бұған|ол|оның|оған|олар|олардың|осы|осыған|осының|сол|соның"
    r"|соған|сондықтан|осылайша|осымен|сонымен)\b",
    re.IGNORECASE,
)
# Between two sentences, or after a line ending with a colon.
_SENTENCE_END: Final = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][»”\"]))\s+(?=[«\"]?[А-ЯӘҒҚҢӨҰҮҺІA-Z0-9])|(?<=:)[ \t]*\n\s*"
)
_NOT_WORD: Final = re.compile(r"[\W_]+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def folded(text: str) -> str:
    """The text's words alone: citation marks, punctuation, case and line breaks aside."""
    return _NOT_WORD.sub(" ", _CITATION.sub("", text).lower()).strip()


def holds_wording(article: str, text: str) -> bool:
    """Whether the article has these words in this order."""
    return folded(text) in folded(article)


def _previous_sentence(article: str, start: int) -> str | None:
    """The sentence just before `start` in the article, unless it introduces a list."""
    before = _sentences(article[max(0, start - 2000) : start].rstrip())
    if not before or introduces_list(before[-1]) or ITEM.match(before[-1]):
        return None
    return before[-1].strip()


def shape_text(text: str, article: str) -> str | None:
    """The quote `text` (cut from `article`) as a reader should get it; None when nothing in
    it stands alone (a list's introduction whose items are missing)."""
    at = article.find(text)
    if at < 0:
        return _CITATION.sub("", text).strip()
    sentences = _sentences(text)
    starts = [article.find(s, at) for s in sentences]
    kept: list[str] = []
    for sentence, start in zip(sentences, starts, strict=True):
        end = start + len(sentence)
        if introduces_list(sentence):
            stop = list_end(article, end)
            if stop == end:
                continue  # an introduction without its items
            kept.append(article[start:stop])
            break  # the list ends the quote
        kept.append(sentence)
    if not kept:
        return None
    first = article.find(kept[0], at)
    if _LEANS_BACK.match(kept[0]) and first >= 0:
        previous = _previous_sentence(article, first)
        if previous:
            kept.insert(0, previous)
    return _CITATION.sub("", _joined(kept, article)).strip()


def _joined(pieces: list[str], article: str) -> str:
    """The pieces one after another as the article has them: on one line when they share a
    paragraph, on lines of their own when not."""
    body, end = "", 0
    for piece in pieces:
        start = article.find(piece, end)
        if body:
            body += "\n" if start < 0 or "\n" in article[end:start] else " "
        body += re.sub(r"\n{2,}", "\n", piece.strip())
        end = start + len(piece) if start >= 0 else end
    return body


class Texts:
    """The articles' texts, each also folded once: folding them for every quote cost 60 ms an
    answer over 500 articles."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.raw = dict(texts)
        self._folded = {key: folded(text) for key, text in texts.items()}

    def holding(self, articles: list[str], text: str) -> list[str]:
        """Those of the articles that hold the text's wording (`holds_wording`)."""
        wording = folded(text)
        return [a for a in articles if wording in self._folded.get(a, "")]


def shape_quote(quote: Quote, texts: Texts) -> Quote | None:
    """`shape_text` for a quote, crediting only the articles that hold its wording."""
    article = texts.raw.get(quote.source.article, "")
    shaped = shape_text(quote.text, article) if article else _CITATION.sub("", quote.text)
    if not shaped:
        return None
    holding = set(texts.holding([s.article for s in quote.sources[1:]], quote.text))
    sources = (quote.source, *(s for s in quote.sources[1:] if s.article in holding))
    return replace(quote, text=shaped, sources=sources)


def shape_answer(answer: Answer, texts: Texts) -> Answer:
    """Every quote of an answer shaped; those left empty give way to the next best."""
    seen: set[str] = set()

    def shaped(quotes: tuple[Quote, ...]) -> list[Quote]:
        kept = []
        for quote in quotes:
            new = shape_quote(quote, texts)
            if new is not None and new.text not in seen:
                seen.add(new.text)
                kept.append(new)
        return kept

    main, others = shaped(answer.quotes), shaped(answer.others)
    if answer.quotes and not main:
        if not others:
            return answer
        main = [others.pop(0)]
    return replace(answer, quotes=tuple(main), others=tuple(others))


def shape_passage(passage: Passage, texts: Mapping[str, str]) -> Passage:
    """A passage that stops inside a list goes on to the list's end; no citation marks."""
    article = texts.get(passage.source.article, "")
    at = article.find(passage.text) if article else -1
    end = at + len(passage.text.rstrip())
    last_line = article[:end].rsplit("\n", 1)[-1]
    if at >= 0 and (introduces_list(last_line) or ITEM.match(last_line)):
        end = list_end(article, end)
    text = article[at:end] if at >= 0 else passage.text
    return replace(passage, text=_CITATION.sub("", text))


class QuotingEngine(Engine):
    """The engine whose answers and passages are shaped for reading (see the module), and
    whose refusals offer questions the articles answer (index/examples.py), not titles."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._texts = Texts({a.id: a.text for a in self.store.articles()})
        self._examples = example_questions(self._texts.raw.values())

    def answer(self, question: str) -> Answer:
        """The engine's answer with its quotes shaped."""
        answer = shape_answer(super().answer(question), self._texts)
        if not answer.answered and self._examples:
            answer = replace(answer, suggestions=self._examples)
        return answer

    def examples(self) -> tuple[str, ...]:
        """Example questions, one per article, that the articles answer."""
        return self._examples

    def passage(self, chunk_id: int) -> Passage | None:
        """The whole chunk, going on to the end of a list it stops in."""
        passage = super().passage(chunk_id)
        return None if passage is None else shape_passage(passage, self._texts.raw)
