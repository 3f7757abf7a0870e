"""What a citizen's message is before anything is searched: a greeting, thanks or goodbye (in
Kazakh or Russian), a follow-up asking for more on the last question («тағы?», «ещё»), or a
bare question word with no topic («неге?»). People talk to the bot as to a person; searching
these as questions finds the word «тағы» in an article, or nothing at all.

Words are compared in the folded spelling of index/fold.py (level 2), so Latin and
Russian-keyboard typing match too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.answers import texts
from index.fold import fold
from index.translit import to_cyrillic


class Kind(Enum):
    """What a message is."""

    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    MORE = "more"  # more quotes for the last question
    BARE = "bare"  # a question word alone: the question itself is missing
    QUESTION = "question"


@dataclass(frozen=True)
class Talk:
    """A message's kind and the language it was written in (None: no telling)."""

    kind: Kind
    lang: str | None = None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Each kind: its own words (one of them must be there) and the words that may stand beside them.
_KK_GREETING = _words(
    "салем салеметсиз салеметсизбе саламатсизба саламатсиз ассалаумагалеикум салам сау"
    " саумисиз саумисиз сауммисиз кайирли кун тан кеш кутти"
)
_RU_GREETING = _words("привет здравствуите здравствуи здорово добрии доброе ден утро вечер")
_KK_THANKS = _words("рахмет ракмет рахмат ракмат алгис")
_RU_THANKS = _words("спасибо благодариу благодарствуи")
_KK_GOODBYE = _words("кош болиниз бол сау жаксы калиниз кал келгенше")
_RU_GOODBYE = _words("пока свидание свидании свиданииа всего доброго хорошего")
_FILLER = _words(
    "коп улкен сизге саган сиз сен бе ба ма ме да де жаксы жакси ок ооо калаисиз калаисин"
    " жаксимисиз жаксимисин калаи халиниз большое болшое огромное вам тебе и за до всем всех"
    " как дела"
)
# Follow-ups: "more", "anything else", "in more detail"; one of the first set must be there.
_KK_MORE = _words("таги тагида толигирак жалгастир жалгастириниз")
_RU_MORE = _words("еше подробнее дальше продолжи продолжаи больше")
_MORE_FILLER = _words(
    "толик толигимен айтшы айтиниз бар ма ме баска жок керек есть а что нибуд пожалуиста"
)
_MORE_ENGLISH = _words("more next")
# Question words that ask nothing without a topic.
_KK_BARE = _words("неге неликтен калаи не кашан ким кандаи канша каида калаиша ие иа")
_RU_BARE = _words("почему зачем как что когда где кто сколько какои какаиа какие отчего")
_WORD = re.compile(r"[^\W\d_]+")
# Small talk: its kind, its Kazakh and its Russian words.
_SMALL_TALK = (
    (Kind.THANKS, _KK_THANKS, _RU_THANKS),
    (Kind.GOODBYE, _KK_GOODBYE - {"сау", "жаксы"}, _RU_GOODBYE),
    (Kind.GREETING, _KK_GREETING, _RU_GREETING),
)
_ANY_SMALL_TALK = frozenset().union(*(kk | ru for _, kk, ru in _SMALL_TALK)) | _KK_GOODBYE


def _lang(present: set[str], russian: frozenset[str], kazakh: frozenset[str]) -> str | None:
    if present & russian:
        return "ru"
    return "kk" if present & kazakh else None


def classify(text: str) -> Talk:
    """Tell small talk, follow-ups and bare question words from real questions."""
    if text.strip().lower().rstrip("?!. ") in _MORE_ENGLISH:
        return Talk(Kind.MORE)
    words = _WORD.findall(fold(to_cyrillic(text), level=2))
    if not words or len(words) > 6:
        return Talk(Kind.QUESTION)
    present = set(words)
    for kind, kk, ru in _SMALL_TALK:
        if present & (kk | ru) and present <= _ANY_SMALL_TALK | _FILLER:
            return Talk(kind, _lang(present, ru, kk))
    more = _KK_MORE | _RU_MORE
    if present & more and present <= more | _MORE_FILLER:
        return Talk(Kind.MORE, _lang(present, _RU_MORE, _KK_MORE))
    if present <= _KK_BARE | _RU_BARE:
        return Talk(Kind.BARE, _lang(present, _RU_BARE, _KK_BARE))
    return Talk(Kind.QUESTION)


_REPLIES: dict[Kind, dict[str, str]] = {
    Kind.GREETING: texts.GREETING_REPLY,
    Kind.THANKS: texts.THANKS_REPLY,
    Kind.GOODBYE: texts.GOODBYE_REPLY,
}


def small_talk_reply(message: str, lang: str) -> str | None:
    """The reply in kind to a greeting, thanks or goodbye, in its own language (else `lang`);
    None for anything else. Telegram and the local chat both answer with it."""
    talk = classify(message)
    replies = _REPLIES.get(talk.kind)
    return None if replies is None else texts.pick(replies, talk.lang or lang)
