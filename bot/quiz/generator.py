"""The question bank: quiz questions generated from the articles' sentences, and their checks.

A generated question is a cloze: a source sentence (or the clause around the fact, when the
sentence is long) with one checkable fact replaced by a blank, and «Бос орынға не жазылады?».
Cloze questions stay grammatical in Kazakh whatever the fact is, where a question word would
need the sentence rebuilt. The three wrong options are values of the same kind taken from the
articles, written with the same case ending (`800-ден` → `60-тан`), and never:

- a value written in the source sentence itself;
- a value the articles state about the same thing elsewhere: a value is refused when any of
  its occurrences shares a content word (synonyms merged: этнос/ұлт, мүше, депутат) with the
  words around the fact. This is how "394 мүше" never offers 350 (another article's "350-ге
  жуық мүшесі") and "140 этнос" never offers 132 or 100.

Every question keeps its source sentence and article, and `check` verifies it again.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Final, Protocol

from telegram.constants import PollLimit

from bot.quiz import facts as f
from index.sentences import split_sentences
from index.tokens import lexical_tokens

__all__ = [
    "ASK",
    "BLANK",
    "GENERATOR_VERSION",
    "TOPICS",
    "Question",
    "SourceArticle",
    "check",
    "generate",
    "title_line",
]

GENERATOR_VERSION: Final = "2"  # change when generation changes, so cached banks are rebuilt
ASK: Final = "Бос орынға не жазылады?"
BLANK: Final = "____"
WRONG_OPTIONS: Final = 3
QUESTION_LIMIT: Final = int(PollLimit.MAX_QUESTION_LENGTH)
OPTION_LIMIT: Final = int(PollLimit.MAX_OPTION_LENGTH)
EXPLANATION_LIMIT: Final = int(PollLimit.MAX_EXPLANATION_LENGTH)
EXPLANATION_LINE_FEEDS: Final = int(PollLimit.MAX_EXPLANATION_LINE_FEEDS)
MAX_OPTIONS: Final = int(PollLimit.MAX_OPTION_NUMBER)
NUMBER_ROOM: Final = len("20/20. ")  # a round numbers its questions
_MIN_CONTEXT_WORDS: Final = 5  # words shown besides the blank, so the question can be answered
_TITLE_ROOM: Final = 70

# Topics, and the words that put a question in one (see `topic_of`; "society" takes the rest).
TOPICS: Final = ("law", "culture", "history", "society")
_TOPIC_WORDS: Final = {
    "law": "Заң Заңы Жарлық Жарлығы Конституция Конституцияның конституциялық Парламент "
    "Мәжіліс Мәжілісіне депутат депутаттар сайлайды түзетулер реформа бабы тармағы сессиясы",
    "culture": "тіл тілде тілдерінде мектеп мектептер мектепте мәдени мәдениет театр газет "
    "журнал кітап мереке білім радиобағдарламалар телебағдарламалар этномәдени жексенбілік "
    "фестиваль конфессия діни",
    "history": "тарих тарихы құрылды тәуелсіздік форум форумында ғасыр",
}
_TOPIC_STEMS: Final = {
    topic: frozenset(lexical_tokens(words)) for topic, words in _TOPIC_WORDS.items()
}
_CLAUSE_END = re.compile(r"[,;:]\s|\s[–—-]\s")
_GLUE_MIN: Final = 5  # a glued word is two known words of at least this many letters each


class SourceArticle(Protocol):
    """What generation needs of an article (index.store.StoredArticle has it)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def year(self) -> int | None: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Question:
    """One quiz question, as a Telegram quiz poll shows it."""

    id: str
    topic: str
    question: str
    options: tuple[str, ...]
    correct: int
    source_text: str  # the sentence (generated) or the passage (teacher) it rests on
    article: str
    explanation: str
    origin: str = "generated"  # or "teacher"

    def export(self) -> dict[str, object]:
        """The `quiz export --json` contract."""
        data = asdict(self)
        data["options"] = list(self.options)
        return {k: data[k] for k in ("id", "topic", "question", "options", "correct")} | {
            "source_text": self.source_text,
            "article": self.article,
        }


@dataclass(frozen=True)
class _Occurrence:
    fact: f.Fact
    sentence: str
    window: frozenset[str]


def _sentences(article: SourceArticle) -> list[str]:
    return [article.text[s:e] for s, e in split_sentences(article.text)]


def topic_of(sentence: str, kind: str) -> str:
    """The topic of a question on a fact of `kind` in `sentence`: laws and Parliament first
    (a law's date included), then any other year or date is history, then the sentence's words."""
    stems = set(lexical_tokens(sentence))
    if kind == f.DOCUMENT or stems & _TOPIC_STEMS["law"]:
        return "law"
    if kind in (f.YEAR, f.DATE):
        return "history"
    for topic in ("culture", "history"):
        if stems & _TOPIC_STEMS[topic]:
            return topic
    return "society"


def _glued_words(sentences: Iterable[str]) -> frozenset[str]:
    """Words the articles lost a space in (`депутатсайлады`): two known words run together."""
    counts: dict[str, int] = {}
    for sentence in sentences:
        for word in re.findall(r"[^\W\d_]+", sentence.lower()):
            counts[word] = counts.get(word, 0) + 1
    known = {w for w, n in counts.items() if len(w) >= _GLUE_MIN}
    prefixes = {w[:_GLUE_MIN] for w in known}
    glued = set()
    for word, n in counts.items():
        if n > 1 or len(word) < 2 * _GLUE_MIN:
            continue
        for cut in range(_GLUE_MIN, len(word) - _GLUE_MIN + 1):
            head, tail = word[:cut], word[cut:]
            if head in known and tail[:_GLUE_MIN] in prefixes and not tail.startswith(head[-2:]):
                glued.add(word)
                break
    return frozenset(glued)


def _grow(
    sentence: str, start: int, end: int, room: int, lefts: set[int], rights: set[int]
) -> tuple[int, int] | None:
    """Widen [start, end) to the cut points given, one step a side at a time, within `room`."""

    def size(a: int, b: int) -> int:
        return len(sentence[a:b].strip()) + (a > 0) + (b < len(sentence))

    left = max(c for c in lefts if c <= start)
    right = min(c for c in rights if c >= end)
    if size(left, right) > room:
        return None
    while True:
        grown = False
        wider = max((c for c in lefts if c < left), default=left)
        if wider != left and size(wider, right) <= room:
            left, grown = wider, True
        wider = min((c for c in rights if c > right), default=right)
        if wider != right and size(left, wider) <= room:
            right, grown = wider, True
        if not grown:
            return left, right


def _window(sentence: str, start: int, end: int, room: int) -> tuple[int, int]:
    """The widest run of whole clauses around [start, end) that fits `room` with its ellipses;
    whole words when the fact's own clause is too long."""
    ends = {0, len(sentence)}
    clauses = list(_CLAUSE_END.finditer(sentence))
    spaces = [m.start() for m in re.finditer(r"\s", sentence)]
    for lefts, rights in (
        (ends | {m.end() for m in clauses}, ends | {m.start() for m in clauses}),
        (ends | {i + 1 for i in spaces}, ends | set(spaces)),
    ):
        found = _grow(sentence, start, end, room, lefts, rights)
        if found is not None:
            return found
    return start, end


def _excerpt(sentence: str, start: int, end: int, fill: str, room: int) -> str:
    """The text around a fact with the fact replaced by `fill`, within `room` characters."""
    extra = len(fill) - (end - start)
    a, b = _window(sentence, start, end, room - max(extra, 0))
    body = (sentence[a:start] + fill + sentence[end:b]).strip()
    return ("…" if a > 0 else "") + body + ("…" if b < len(sentence) else "")


def title_line(article: SourceArticle) -> str:
    """`— Title (year)`, the article named under a quote."""
    title = article.title.strip()
    if len(title) > _TITLE_ROOM:
        title = title[: _TITLE_ROOM - 1].rsplit(" ", 1)[0] + "…"
    return f"— {title} ({article.year})" if article.year else f"— {title}"


def explanation_for(sentence: str, start: int, end: int, article: SourceArticle) -> str:
    """The source quoted around the answer, and the article it comes from, within 200 chars."""
    title = title_line(article)
    room = EXPLANATION_LIMIT - len(title) - len("«»\n")
    quote = _excerpt(sentence, start, end, sentence[start:end], room)
    return f"«{quote}»\n{title}"


def _question_id(article: str, sentence: str, fact: f.Fact) -> str:
    raw = f"{article}|{sentence}|{fact.kind}|{fact.key}|{fact.start}"
    return "g-" + hashlib.sha1(raw.encode()).hexdigest()[:10]


def _closeness(kind: str, key: str, other: str) -> float:
    """How far a wrong value is from the right one: near values are the plausible ones."""
    if kind == f.NUMBER:  # a round number among round ones, near in size
        a, b = int(key), int(other)
        unlike = (a % 10 == 0) != (b % 10 == 0) or len(str(a)) != len(str(b))
        return abs(math.log1p(a) - math.log1p(b)) + unlike
    if kind == f.YEAR:
        return abs(int(key) - int(other))
    if kind == f.DATE:
        (d1, m1), (d2, m2) = key.split(), other.split()
        return abs(f.MONTHS.index(m1) - f.MONTHS.index(m2)) * 31 + abs(int(d1) - int(d2))
    return 0.0


class _Generator:
    def __init__(self, articles: Sequence[SourceArticle]) -> None:
        self.articles = articles
        self.sentences = {a.id: _sentences(a) for a in articles}
        every = [s for ss in self.sentences.values() for s in ss]
        self.names = f.learn_names(every)
        self.glued = _glued_words(every)
        self.values: dict[str, dict[str, list[_Occurrence]]] = {}
        for sentence in every:
            for fact in f.find_facts(sentence):
                occurrence = _Occurrence(
                    fact, sentence, f.window_stems(sentence, fact.start, fact.end)
                )
                self.values.setdefault(fact.kind, {}).setdefault(fact.key, []).append(occurrence)

    def wrong_options(self, sentence: str, fact: f.Fact, right: str) -> list[str]:
        """Up to three wrong values of the fact's kind, nearest first, none true elsewhere."""
        window = f.window_stems(sentence, fact.start, fact.end)
        in_sentence = {x.key for x in f.find_facts(sentence)}
        chosen: list[str] = []
        keys = sorted(
            self.values.get(fact.kind, {}),
            key=lambda k: (_closeness(fact.kind, fact.key, k), k),
        )
        for key in keys:
            if key == fact.key or key in in_sentence or key in sentence:
                continue
            if any(o.window & window for o in self.values[fact.kind][key]):
                continue  # the articles say this value about the same thing
            text = f.render(fact.kind, key, fact.case, fact.style, self.names)
            if text is None or text.casefold() in {c.casefold() for c in [right, *chosen]}:
                continue
            chosen.append(text)
            if len(chosen) == WRONG_OPTIONS:
                break
        return chosen

    def question(self, article: SourceArticle, sentence: str, fact: f.Fact) -> Question | None:
        """The cloze question on one fact, or None when it would not be a good one."""
        right = sentence[fact.start : fact.end]
        if f.render(fact.kind, fact.key, fact.case, fact.style, self.names) != right:
            return None  # written unlike the wrong options would be (`Н.Ә.`, a misspelt name)
        wrong = self.wrong_options(sentence, fact, right)
        if len(wrong) < WRONG_OPTIONS:
            return None
        room = QUESTION_LIMIT - NUMBER_ROOM - len(ASK) - 1
        cloze = _excerpt(sentence, fact.start, fact.end, BLANK, room)
        shown = cloze.replace(BLANK, " ")
        words = re.findall(r"[^\W_]+", shown.lower())
        if len(words) < _MIN_CONTEXT_WORDS or self.glued & set(words):
            return None
        if any(x.key == fact.key for x in f.find_facts(shown)) or fact.key in shown:
            return None  # the answer would be in plain sight
        qid = _question_id(article.id, sentence, fact)
        options = [right, *wrong]
        random.Random(qid).shuffle(options)
        return Question(
            id=qid,
            topic=topic_of(sentence, fact.kind),
            question=f"{ASK}\n{cloze}",
            options=tuple(options),
            correct=options.index(right),
            source_text=sentence,
            article=article.id,
            explanation=explanation_for(sentence, fact.start, fact.end, article),
        )

    def run(self) -> list[Question]:
        out: list[Question] = []
        seen: list[tuple[str, str, frozenset[str]]] = []
        texts = [a.text for a in self.articles]
        for article in self.articles:
            for sentence in self.sentences[article.id]:
                stems = frozenset(lexical_tokens(sentence))
                for fact in f.find_facts(sentence):
                    question = self.question(article, sentence, fact)
                    if question is None or check(question, texts):
                        continue
                    if any(  # the same fact restated in another sentence or article
                        kind == fact.kind and key == fact.key and _jaccard(stems, other) >= 0.4
                        for kind, key, other in seen
                    ):
                        continue
                    seen.append((fact.kind, fact.key, stems))
                    out.append(question)
        return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def generate(articles: Sequence[SourceArticle]) -> list[Question]:
    """Every good cloze question the articles give, in article and sentence order."""
    return _Generator(articles).run()


def _fits(text: str, limit: int) -> bool:
    return len(text.strip()) > 0 and len(text) <= limit


def check(question: Question, article_texts: Sequence[str] = ()) -> list[str]:
    """What is wrong with a question (empty when nothing): Telegram's limits, one right answer,
    distinct options; for generated ones also that the right answer is the one in the source and
    that no wrong option, put in the blank, gives a sentence found in `article_texts`."""
    problems = []
    if not _fits(question.question, QUESTION_LIMIT):
        problems.append(f"the question must have 1-{QUESTION_LIMIT} characters")
    if not 2 <= len(question.options) <= MAX_OPTIONS:
        problems.append(f"a question needs 2-{MAX_OPTIONS} options")
    for option in question.options:
        if not _fits(option, OPTION_LIMIT):
            problems.append(f"option {option!r} must have 1-{OPTION_LIMIT} characters")
    folded = [o.strip().casefold() for o in question.options]
    if len(set(folded)) != len(folded):
        problems.append("two options are the same")
    if not 0 <= question.correct < len(question.options):
        problems.append("the right option is not one of the options")
        return problems
    if len(question.explanation) > EXPLANATION_LIMIT:
        problems.append(f"the explanation must have at most {EXPLANATION_LIMIT} characters")
    if question.explanation.count("\n") > EXPLANATION_LINE_FEEDS:
        problems.append(f"the explanation may have at most {EXPLANATION_LINE_FEEDS} line feeds")
    if question.origin != "generated":
        return problems
    right = question.options[question.correct]
    cloze = question.question.removeprefix(f"{ASK}\n").strip("…")
    if question.question.count(BLANK) != 1:
        problems.append("a generated question has exactly one blank")
    elif cloze.replace(BLANK, right) not in question.source_text:
        problems.append("the right option does not fill the blank as the source says")
    for n, option in enumerate(question.options):
        if n == question.correct:
            continue
        if option in question.source_text:
            problems.append(f"wrong option {option!r} is in the source sentence")
        if any(cloze.replace(BLANK, option) in text for text in article_texts):
            problems.append(f"wrong option {option!r} is true in an article")
    return problems
