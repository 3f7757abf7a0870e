"""Tokens for BM25, the same for article chunks and for questions in any spelling.

Text is repaired like a question, Latin words are transliterated to Cyrillic, everything is
folded at level 2 (so Russian-keyboard, Latin and standard Kazakh spell a word alike), split
into words, a short list of function and question words is dropped, and the rest is stemmed.
"""

from __future__ import annotations

import re

from index.fold import fold
from index.normalize import normalize_question
from index.smalltalk import GREETINGS
from index.stem import stem
from index.translit import to_cyrillic

__all__ = ["STOPWORDS", "lexical_tokens"]

# Function and question words, Kazakh then Russian, in level-2 folded spelling. Kept short:
# BM25's IDF already discounts frequent words; only words that carry no topic are here.
# Greetings and thanks come from index/smalltalk.py, which also tells small talk apart.
_FUNCTION_WORDS = frozenset(
    str.split(
        # question words and particles
        "кандаи кашан ким кимнин кимге не неге калаи каида каи каиси каисиси каисис"
        " неше канша нешинши ма ме ба бе па пе ше ши гои гана екен"
        # conjunctions and postpositions
        " жане мен бен пен да де та те немесе бирак ушин ал сиакти турали жаили кеиин деиин саиин"
        # quoting verbs
        " деп деген делинген"
        # pronouns and their forms
        " бул бунин буган мунин мунда ол онин оган олар олардин оси осидан осимен осинин осинда"
        " осиган осини сол сонин сонда сонимен сондаи сондиктан биз бизге биздин сиз сизге маган"
        " менин бари еш кеи бар жок оз бирдене"
        # auxiliary verbs
        " бол жатир"
        # asking for an answer
        " аитиниз аитинизши аитши берши бериниз"
        # Russian
        " сколко кто что когда где какои какаиа какие каких какое какуиу как в во на и о об от по"
        " из дла с со у к ли такои такое такаиа ето ест а но же или про за при до чем кем чему"
        " будет бил била били"
    )
)
STOPWORDS: frozenset[str] = _FUNCTION_WORDS | GREETINGS

_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# A Roman numeral in capitals, in Latin or in the Cyrillic letters that look alike (ХІІІ, XIII):
# the articles write Cyrillic, people type Latin. Sessions, congresses and centuries need no L
# or C (which would turn "CV" into 105); two letters or more, since І. is an initial.
_ROMAN_RE = re.compile(r"\b[IVXІХ]{2,}\b|\b[VX]\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "І": 1, "Х": 10}
_LATIN = str.maketrans("ІХ", "IX")


def _arabic(match: re.Match[str]) -> str:
    """A Roman numeral as digits (ХІІІ → 13); anything not a well-formed numeral is left alone."""
    values = [_ROMAN_VALUES[c] for c in match.group()]
    total = sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))
    return str(total) if _roman(total) == match.group().translate(_LATIN) else match.group()


def _roman(number: int) -> str:
    """The canonical Latin Roman numeral for 1..39."""
    out = ""
    for value, letters in (
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _parts(word: str, joined: bool) -> list[str]:
    """Split a hyphenated word: `этно-білім` → этно, білім, этнобілім; `800-ден` → 800."""
    parts = word.split("-")
    if len(parts) == 1:
        return parts
    out: list[str] = []
    for i, part in enumerate(parts):
        if i and parts[i - 1].isdigit() and part.isalpha() and len(part) <= 3:
            continue  # a case ending written after a number: 800-ден, 28-і, 1-ші
        out.append(part)
    letters = [p for p in parts if p.isalpha()]
    if joined and len(letters) == len(parts):
        out.append("".join(parts))
    return out


def lexical_tokens(text: str, *, joined: bool = True) -> list[str]:
    """Return the BM25 tokens of text (an article chunk or a question).

    A hyphenated word also gives its parts written together, unless `joined` is False.
    """
    numerals = _ROMAN_RE.sub(_arabic, normalize_question(text))
    folded = fold(to_cyrillic(numerals), level=2)
    tokens: list[str] = []
    for word in _WORD_RE.findall(folded):
        for part in _parts(word, joined):
            if part.isdigit():
                tokens.append(part)
            elif len(part) > 1 and part not in STOPWORDS:
                stemmed = stem(part)
                if stemmed not in STOPWORDS:  # бізде → біз, өзі → өз
                    tokens.append(stemmed)
    return tokens
