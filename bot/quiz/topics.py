"""The quiz topics in one place: their ids, their names, the words that pick one, and the words
that put a generated question in one.

A topic belongs to the fact a question asks, not to the question's form, so a fact's cloze and
its question ask in the same topic (the founding year is history wherever it is asked).
"""

from __future__ import annotations

import re
from typing import Final

from index.tokens import lexical_tokens

__all__ = [
    "ALL",
    "TOPICS",
    "TOPIC_NAMES",
    "TOPIC_WORDS",
    "topic_named",
    "topic_of",
]

TOPICS: Final = ("law", "culture", "history", "society")
ALL: Final = "all"  # a round or a "next" button over every topic
KK, RU = "kk", "ru"  # the languages of bot.telegram.texts (not imported: it starts the bot)
TOPIC_NAMES: Final = {
    "law": {KK: "Заңдар мен Парламент", RU: "Законы и Парламент"},
    "culture": {KK: "Тілдер, мектептер және мәдениет", RU: "Языки, школы и культура"},
    "history": {KK: "Тарих пен даталар", RU: "История и даты"},
    "society": {KK: "Ассамблея және қоғам", RU: "Ассамблея и общество"},
    ALL: {KK: "барлық тақырыптар", RU: "все темы"},
}
# What a teacher may write to name a topic, in /quiz (by prefix, after folding) and in a
# question file's `тақырып:` line (the first word of each, or the id, exactly).
TOPIC_WORDS: Final = {
    "law": ("заң", "парламент", "закон", "law"),
    "culture": ("мәдениет", "тіл", "мектеп", "язык", "школ", "культур", "culture"),
    "history": ("тарих", "дата", "истор", "history"),
    "society": ("қоғам", "ассамблея", "обществ", "society"),
}

# The words of a sentence that put a question on one of its facts in a topic (`topic_of`):
# history by whole words (`құрылды` is a founding, `құратын` is not), the others by stems.
_HISTORY_WORDS: Final = frozenset(
    [
        "құрылды",
        "құрылған",
        "құрылғаннан",
        "пайда",
        "тәуелсіздік",
        "тәуелсіздігінің",
        "тәуелсіздіктің",
        "ғасыр",
        "ғасырдың",
        "тарихы",
        "тарихында",
        "форумында",
        "бұрын",
    ]
)
_SUBJECT_WORDS: Final = {
    "law": "Заң Заңы Заңына Жарлық Жарлығы Жарлығымен Конституция Конституциясы конституциялық "
    "Парламент Парламенті Мәжіліс Мәжілісіне депутат депутаттар сайлайды түзетулер реформа",
    "culture": "тіл тілде тілдерінде тілі мектеп мектептер мектепте мәдени мәдениет театр газет "
    "журнал кітап мереке мерекесі білім радиобағдарламалар телебағдарламалар жексенбілік "
    "фестиваль жобасы",
}
_STEMS: Final = {topic: frozenset(lexical_tokens(w)) for topic, w in _SUBJECT_WORDS.items()}


def topic_of(sentence: str, kind: str) -> str:
    """The topic of a fact of `kind` in `sentence`: a named law is law; a founding, the years
    of independence or the forum of 1992 is history (the Assembly's founding year is history
    however it is asked, decree or not); a person is society; then laws, decrees and
    Parliament; then languages, schools and culture; the rest (the Assembly's sessions and
    members, the peoples, the strategies) society."""
    if kind == "document":
        return "law"
    if set(re.findall(r"\w+", sentence.lower())) & _HISTORY_WORDS:
        return "history"
    if kind == "person":
        return "society"
    stems = set(lexical_tokens(sentence))
    return next((t for t in ("law", "culture") if stems & _STEMS[t]), "society")


def topic_named(word: str) -> str | None:
    """The topic a question file's `тақырып:` names (its first word or its id), or None."""
    word = word.strip().lower()
    return next((t for t, words in TOPIC_WORDS.items() if word in (t, words[0])), None)
