"""Generated questions: every checkable fact of the articles (`facts`), asked as a cloze and,
where the fact's role has a question word, as a question (`forms`).

A cloze is a source sentence (a sentence that starts by pointing back: its main clause, after
the lead's dash) with the fact replaced by a blank. The three wrong options come from
`distractors`, written with the fact's case ending (`800-ден` → `1600-ден`), and are never a
value written in the sentence itself or one the articles state about the same thing elsewhere
(a value is refused when any of its occurrences shares a content word, synonyms merged, with
the words around the fact).

Left out: trivia (`screen.is_trivia`); a fact that holds "now" (`screen.time_bound`), or a
count the articles disagree on, from an article without a year (with a year, the question
names it, and it is never a statement to judge); a question whose text does not read well on
its own (`quality.stem_problems`: it points back, never names its subject, is a fragment or
too long). Each fact is asked once to choose (a real question rather than a cloze) and once to
judge, however many sentences and articles tell it. Every question keeps its source sentence
(citation marks taken out) and article, and `question.check` verifies it again.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.quiz import distractors as d
from bot.quiz import facts as f
from bot.quiz.forms import about_document, ask
from bot.quiz.quality import stem_of, stem_problems
from bot.quiz.question import (
    BLANK,
    CLOZE,
    EXPLANATION_LIMIT,
    FALSE,
    QUESTION,
    QUESTION_LIMIT,
    STATEMENT,
    TRUE,
    Question,
    SourceArticle,
    ask_line,
    check,
    judge_line,
    title_line,
)
from bot.quiz.screen import clean, is_trivia, main_clause, time_bound
from bot.quiz.topics import topic_of
from index.sentences import split_sentences
from index.tokens import lexical_tokens

__all__ = ["GENERATOR_VERSION", "generate", "same_fact"]

GENERATOR_VERSION: Final = "9"  # change when generation changes, so cached banks are rebuilt
WRONG_OPTIONS: Final = 3
DOCUMENT_FORM: Final = "document"  # a question on a law or decree and its day (`about_document`)
NEAREST: Final = 6  # wrong options are drawn from this many of the nearest safe values
NUMBER_ROOM: Final = len("20/20. ")  # a round numbers its questions
_MIN_CONTEXT_WORDS: Final = 5  # words shown besides the blank, so the question can be answered
_CLAUSE_END = re.compile(r"[,;:]\s|\s[–—-]\s")
_LAW_WORDS: Final = frozenset(
    lexical_tokens(
        "Заң Заңы Заңына Заңның Жарлық Жарлығы Жарлығымен қабылданды қабылданған конституциялық"
        " Республикасының Президентінің"
    )
)
_GLUE_MIN: Final = 5  # a glued word is two known words of at least this many letters each


@dataclass(frozen=True)
class _Occurrence:
    fact: f.Fact
    sentence: str
    window: frozenset[str]
    unit: str | None


def _sentences(article: SourceArticle) -> list[str]:
    return [main_clause(clean(article.text[s:e])) for s, e in split_sentences(article.text)]


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


def explanation_for(sentence: str, start: int, end: int, article: SourceArticle) -> str:
    """The source quoted around the answer, and the article it comes from, within 200 chars."""
    title = title_line(article)
    room = EXPLANATION_LIMIT - len(title) - len("«»\n")
    quote = _excerpt(sentence, start, end, sentence[start:end], room)
    return f"«{quote}»\n{title}"


def _question_id(article: str, sentence: str, fact: f.Fact, form: str) -> str:
    raw = f"{article}|{sentence}|{fact.kind}|{fact.key}|{fact.start}"
    raw += "" if form == CLOZE else f"|{form}"
    return "g-" + hashlib.sha1(raw.encode()).hexdigest()[:10]


def _written(sentence: str, key: str) -> bool:
    """Whether a value is written in the sentence (a number as a whole number)."""
    if key.isdigit():
        return re.search(rf"(?<!\d){key}(?!\d)", sentence) is not None
    return key in sentence


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
                window = f.window_stems(sentence, fact.start, fact.end)
                occurrence = _Occurrence(fact, sentence, window, f.unit_of(sentence, fact))
                self.values.setdefault(fact.kind, {}).setdefault(fact.key, []).append(occurrence)

    def elsewhere(self, sentence: str, fact: f.Fact) -> set[str]:
        """The values the articles give, anywhere, for the same thing as this fact (for a law,
        the words every law is written with do not make two laws one)."""
        window = f.window_stems(sentence, fact.start, fact.end)
        if fact.kind == f.DOCUMENT:
            window -= _LAW_WORDS
        found = self.values.get(fact.kind, {})
        return {
            k for k, occ in found.items() if k != fact.key and any(o.window & window for o in occ)
        }

    def counted(self, sentence: str, fact: f.Fact) -> set[str]:
        """The other numbers the articles give for what this number counts (the same unit)."""
        unit = f.unit_of(sentence, fact)
        if fact.kind != f.NUMBER or unit is None:
            return set()
        found = self.values[f.NUMBER]
        return {k for k, occ in found.items() if any(o.unit == unit for o in occ)} - {fact.key}

    def disputed(self, sentence: str, fact: f.Fact) -> bool:
        """Whether another article counts the same thing (the same unit) differently."""
        return bool(self.counted(sentence, fact))

    def wrong_options(
        self, sentence: str, fact: f.Fact, bound: str, right: str, rng: random.Random
    ) -> list[str]:
        """Three wrong values of the fact's kind, each certainly false (`distractors`)."""
        elsewhere = self.elsewhere(sentence, fact)
        counted = self.counted(sentence, fact)  # the bounds are checked against these
        known = self.values.get(fact.kind, {})
        seen = {right.casefold()}
        chosen: list[str] = []
        made = fact.kind not in (f.PERSON, f.DOCUMENT)  # wrong values are made, not taken
        for key in d.candidates(fact.kind, fact.key, bound, known):
            if _written(sentence, key) or key in elsewhere:
                continue  # a value the articles give for the same thing is never "wrong"
            if not d.safe(fact.kind, fact.key, bound, key, counted):
                continue
            if made and key in known:
                continue  # another fact's answer: the option would give that question away
            text = f.render(fact.kind, key, fact.case, fact.style, self.names)
            if text is None or text.casefold() in seen:
                continue
            seen.add(text.casefold())
            chosen.append(text)
            if len(chosen) == NEAREST:
                break
        return rng.sample(chosen, WRONG_OPTIONS) if len(chosen) >= WRONG_OPTIONS else []

    def cloze(self, sentence: str, fact: f.Fact, year: int | None) -> str | None:
        """The cloze text, or None when too little is left to answer it or it shows the answer."""
        line = ask_line(year)
        room = QUESTION_LIMIT - NUMBER_ROOM - len(line) - 1
        cloze = _excerpt(sentence, fact.start, fact.end, BLANK, room)
        shown = cloze.replace(BLANK, " ")
        words = re.findall(r"[^\W_]+", shown.lower())
        if len(words) < _MIN_CONTEXT_WORDS or self.glued & set(words):
            return None
        if any(x.key == fact.key for x in f.find_facts(shown)) or fact.key in shown:
            return None  # the answer would be in plain sight
        return f"{line}\n{cloze}"

    def options(
        self, sentence: str, fact: f.Fact, bound: str, qid: str
    ) -> tuple[list[str], str] | None:
        """The shuffled options and the right one, or None without three safe wrong ones."""
        right = f.render(fact.kind, fact.key, fact.case, fact.style, self.names)
        rng = random.Random(qid)
        wrong = self.wrong_options(sentence, fact, bound, right or "", rng)
        if right is None or len(wrong) < WRONG_OPTIONS:
            return None
        options = [right, *wrong]
        rng.shuffle(options)
        return options, right

    def make(
        self,
        article: SourceArticle,
        sentence: str,
        fact: f.Fact,
        asked: Mapping[str, str | None],
        options: tuple[list[str], str],
    ) -> list[Question]:
        """The questions of each form given in `asked` (form → text) on one fact."""
        shown, right = options
        out = []
        for form, text in asked.items():
            if text is None or self.glued & set(re.findall(r"[^\W_]+", text.lower())):
                continue
            out.append(
                Question(
                    id=_question_id(article.id, sentence, fact, form),
                    topic=topic_of(sentence, fact.kind),
                    question=text,
                    options=tuple(shown),
                    correct=shown.index(right),
                    source_text=sentence,
                    article=article.id,
                    explanation=explanation_for(sentence, fact.start, fact.end, article),
                    form=CLOZE if form == CLOZE else QUESTION,
                    fact=right,
                )
            )
        return out

    def statement(
        self,
        article: SourceArticle,
        sentence: str,
        fact: f.Fact,
        year: int | None,
        options: tuple[list[str], str],
    ) -> list[Question]:
        """The whole sentence to judge, with its fact or (for every other fact, by its id) the
        first of its certainly false values; never a fact that holds "now" (true in its
        article's year, it may be false when a student reads it)."""
        if year is not None:
            return []
        shown, right = options
        qid = _question_id(article.id, sentence, fact, STATEMENT)
        true = int(qid[-1], 16) % 2 == 0
        value = right if true else next(o for o in shown if o != right)
        text = f"{judge_line(year)}\n{sentence[: fact.start]}{value}{sentence[fact.end :]}"
        words = set(re.findall(r"[^\W_]+", text.lower()))
        if len(text) > QUESTION_LIMIT - NUMBER_ROOM or self.glued & words:
            return []
        return [
            Question(
                id=qid,
                topic=topic_of(sentence, fact.kind),
                question=text,
                options=(TRUE, FALSE),
                correct=0 if true else 1,
                source_text=sentence,
                article=article.id,
                explanation=explanation_for(sentence, fact.start, fact.end, article),
                form=STATEMENT,
                fact=right,
            )
        ]

    def questions(self, article: SourceArticle, sentence: str, fact: f.Fact) -> list[Question]:
        """The cloze and the question on one fact, those that make good questions."""
        if is_trivia(sentence, fact):
            return []
        if (
            f.render(fact.kind, fact.key, fact.case, fact.style, self.names)
            != (sentence[fact.start : fact.end])
        ):
            return []  # written unlike the wrong options would be (`Н.Ә.`, a misspelt name)
        year = None
        if time_bound(sentence, fact) or self.disputed(sentence, fact):
            if article.year is None:
                return []
            year = article.year
        bound = d.bound_of(sentence, fact)
        options = self.options(
            sentence, fact, bound, _question_id(article.id, sentence, fact, CLOZE)
        )
        if options is None:
            return []
        made = self.make(
            article, sentence, fact, {CLOZE: self.cloze(sentence, fact, year)}, options
        )
        made += self.statement(article, sentence, fact, year, options)
        text = ask(sentence, fact, bound, year, QUESTION_LIMIT - NUMBER_ROOM)
        if text is not None and fact.case.startswith("possessive") and fact.kind == f.DATE:
            # `1995 жылдың 1 наурызында` is asked `1995 жылы қай күні`: answered `1 наурызда`
            answered = replace(fact, case="locative")
            options = self.options(
                sentence, answered, bound, _question_id(article.id, sentence, fact, CLOZE)
            )
            return made + (
                self.make(article, sentence, answered, {QUESTION: text}, options) if options else []
            )
        return made + self.make(article, sentence, fact, {QUESTION: text}, options)

    def document_questions(self, article: SourceArticle, sentence: str) -> list[Question]:
        """Questions on a named law or decree and its day (`forms.about_document`)."""
        facts = [x for x in f.find_facts(sentence) if not is_trivia(sentence, x)]
        out = []
        for fact, text in about_document(sentence, facts):
            form = f"{DOCUMENT_FORM}:{fact.kind}"
            options = self.options(
                sentence, fact, d.EXACT, _question_id(article.id, sentence, fact, form)
            )
            if options is not None:
                out += self.make(article, sentence, fact, {form: text}, options)
        return out

    def candidates(self) -> list[tuple[Question, frozenset[str], int]]:
        """Every question that passes its checks and reads well alone, with the content stems
        of its sentence and its rank (`_RANK`), in article and sentence order."""
        out = []
        texts = [clean(a.text) for a in self.articles]
        for article in self.articles:
            for sentence in self.sentences[article.id]:
                stems = frozenset(lexical_tokens(sentence))
                made = [
                    (q, _RANK[q.form])
                    for x in f.find_facts(sentence)
                    for q in self.questions(article, sentence, x)
                ]
                made += [
                    (q, _RANK[DOCUMENT_FORM]) for q in self.document_questions(article, sentence)
                ]
                out += [
                    (q, stems, rank)
                    for q, rank in made
                    if not check(q, texts) and not stem_problems(stem_of(q.question))
                ]
        return out

    def run(self) -> list[Question]:
        """Each fact asked once to choose from and once to judge: a fact stated without a year
        before one framed in its article's year (the past before "now"), then a real question
        before a question on a law's name or day before a cloze; one statement a sentence (two
        would give each other away)."""
        found = self.candidates()

        def preference(n: int) -> tuple[bool, int, int]:
            question, _, rank = found[n]
            return "жылғы мақала бойынша" in question.question, rank, len(question.question)

        kept: list[int] = []
        judged: set[str] = set()
        for n in sorted(range(len(found)), key=preference):
            question, stems, _ = found[n]
            if question.form == STATEMENT and question.source_text in judged:
                continue
            if any(same_fact(question, stems, *found[k][:2]) for k in kept):
                continue
            if question.form == STATEMENT:
                judged.add(question.source_text)
            kept.append(n)
        return [found[n][0] for n in sorted(kept)]


_RANK: Final = {QUESTION: 0, DOCUMENT_FORM: 1, CLOZE: 2, STATEMENT: 3}


def same_fact(
    question: Question, stems: frozenset[str], other: Question, other_stems: frozenset[str]
) -> bool:
    """Whether two questions ask one fact the same way (to choose or to judge): the same
    answer, from one sentence or from two that say much the same (the founding day told in
    three articles)."""
    if question.question == other.question:
        return True
    if (question.form == STATEMENT) != (other.form == STATEMENT):
        return False
    asked, other_asked = (_asked_stems(q) for q in (question, other))
    if question.form == STATEMENT and _jaccard(asked, other_asked) >= _RESTATED:
        return True  # one sentence told twice, to be judged on its year and on its day
    if _value(question) != _value(other):
        return False
    if question.source_text == other.source_text or _jaccard(stems, other_stems) >= 0.3:
        return True
    return len(asked & other_asked) >= _SHARED_WORDS


_SHARED_WORDS: Final = 2  # content words two questions on one value share when they ask one fact
_RESTATED: Final = 0.6  # two statements this alike say one thing


def _value(question: Question) -> str:
    """The value a question turns on, whatever its ending (`9-ы`, `9 депутат` → `9`)."""
    answer = question.fact or question.answer
    number = re.match(r"\d+", answer)
    return number[0] if number else " ".join(lexical_tokens(answer))


def _asked_stems(question: Question) -> frozenset[str]:
    """The content words of what students read, the words every fact is written with left out."""
    words = lexical_tokens(stem_of(question.question))
    return frozenset(w for w in words if w not in f.GENERIC and not w.isdigit())


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def generate(articles: Sequence[SourceArticle]) -> list[Question]:
    """Every good question the articles give, in article and sentence order."""
    return _Generator(articles).run()
