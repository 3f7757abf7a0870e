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
        "кандаи кашан ким кимнин кимге не неге калаи каида каи каиси каисиси неше канша нешинши"
        " ма ме ба бе па пе ше ши гои гана екен"
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


def _parts(word: str) -> list[str]:
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
    if len(letters) == len(parts):
        out.append("".join(parts))
    return out


def lexical_tokens(text: str) -> list[str]:
    """Return the BM25 tokens of text (an article chunk or a question)."""
    folded = fold(to_cyrillic(normalize_question(text)), level=2)
    tokens: list[str] = []
    for word in _WORD_RE.findall(folded):
        for part in _parts(word):
            if part.isdigit():
                tokens.append(part)
            elif len(part) > 1 and part not in STOPWORDS:
                stemmed = stem(part)
                if stemmed not in STOPWORDS:  # бізде → біз, өзі → өз
                    tokens.append(stemmed)
    return tokens
