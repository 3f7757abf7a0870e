"""What the engine returns for one question: quotes cut from articles, or a reasoned refusal."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """One article a quote comes from."""

    article: str  # article id (the content file's stem)
    title: str
    year: int | None


@dataclass(frozen=True)
class Quote:
    """One to three sentences cut exactly from a repaired article, naming every article with it."""

    text: str
    sources: tuple[Source, ...]
    score: float
    chunk_id: int  # FAISS id of the chunk the quote was cut from (for "the whole passage")

    @property
    def source(self) -> Source:
        """The first (best) source of the quote."""
        return self.sources[0]


@dataclass(frozen=True)
class Answer:
    """The engine's reply to one question; `quotes` is empty when it declines."""

    question: str
    quotes: tuple[Quote, ...]
    lang: str = "kk"  # "kk" or "ru": the language the reply should be written in
    suggestions: tuple[str, ...] = field(default=())  # topics offered when declining
    others: tuple[Quote, ...] = field(default=())  # further quotes from other articles, not shown
    small_talk: bool = False  # a greeting or thanks, not a question: nothing was searched

    @property
    def answered(self) -> bool:
        """True when the engine found quotes that answer the question."""
        return bool(self.quotes)


@dataclass(frozen=True)
class Passage:
    """A whole chunk, for the "show the whole passage" button."""

    chunk_id: int
    text: str
    source: Source


@dataclass(frozen=True)
class ArticleInfo:
    """An article the bot knows, for /sources and moderators."""

    id: str
    title: str
    year: int | None
    source: str
    version: int
    chunks: int
