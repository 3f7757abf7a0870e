"""Understanding a question: repair, Latin→Cyrillic, language, the tokens each retriever needs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.fold import fold
from index.glossary import translate_words
from index.lang import detect_language
from index.lexical import char_ngrams
from index.normalize import normalize_question
from index.spelling import Speller
from index.tokens import lexical_tokens
from index.translit import script_of, to_cyrillic


@dataclass(frozen=True)
class Query:
    """One question, prepared for the dense and the lexical retrievers."""

    original: str
    text: str  # repaired, in Cyrillic: what the model embeds
    lang: str  # "kk" or "ru"
    tokens: tuple[str, ...]  # folded stems for BM25 (with Kazakh glossary words for Russian)
    grams: tuple[str, ...]  # character n-grams of the tokens
    wants_number: bool  # asks how many, which year, when: the answer holds a number
    wants_person: bool  # asks who: the answer names a person
    topic: tuple[str, ...]  # the tokens that should occur in the articles (Kazakh side only)


# Question words asking for a number or a date, in level-2 folded spelling (Kazakh, Russian).
_NUMBER_QUESTION = re.compile(
    r"\b(неше|канша|нешинши|кашан|каи жил|кандаи жил|сколко|когда|в каком году|какого года)"
)
_PERSON_QUESTION = re.compile(r"\b(ким|кимнин|кимге|кимди|кимдер|кто|кого|кем|кому)\b")


def understand(question: str, speller: Speller | None = None) -> Query:
    """Prepare a question; an empty result means there is nothing to search for.

    With a `speller`, a Kazakh question's words are spelled as the articles spell them.
    """
    text = normalize_question(question)
    if script_of(text) in ("latin", "mixed"):
        text = to_cyrillic(text)
    lang = detect_language(text) if text else "kk"
    if speller is not None:
        text = speller.restore(text, names_only=lang == "ru")
    tokens = lexical_tokens(text)
    # a hyphenated word's joined form (бірбір) is unknown even when its parts are well known
    topic = lexical_tokens(text, joined=False)
    if lang == "ru":
        translated = lexical_tokens(" ".join(translate_words(text)), joined=False)
        topic = translated + [t for t in tokens if t.isdigit()]
        tokens = tokens + translated
    folded = fold(text, level=2)
    wants_number = bool(_NUMBER_QUESTION.search(folded))
    wants_person = bool(_PERSON_QUESTION.search(folded))
    grams = tuple(char_ngrams(tokens))
    return Query(
        question, text, lang, tuple(tokens), grams, wants_number, wants_person, tuple(topic)
    )
