"""Is a question Kazakh or Russian? It decides the language the bot answers in.

Kazakh typed on a Russian keyboard loses exactly the letters that tell it from Russian
(ә ғ қ ң ө ұ ү һ і), so we count function words and endings typical of each language; words
with Kazakh letters count for Kazakh (a Russian question may still spell a Kazakh name).
Latin-script questions are transliterated first (Russian in Latin, `skolko`, is caught too).
Ties go to Kazakh, the corpus language.
"""

from __future__ import annotations

import re
from typing import Literal

from index.fold import fold
from index.translit import to_cyrillic

__all__ = ["detect_language"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_KAZAKH_LETTERS_RE = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_WORD_RE = re.compile(r"[^\W\d_]+")

# Level-1 folded (ә→а, қ→к, і→и ...), so Russian-keyboard Kazakh matches too.
_KAZAKH_WORDS = _words(
    "канша неше кандаи кандай кашан ким не калаи калай неге каида кайда каи кай каисы кайсы"
    " жане мен бен пен бар жок ма ме ба бе па пе ол бул осы сол туралы деген ушин бойынша"
    " кимнин кимге немесе кандаи кандай барма жокпа керек болады болды берши айтшы маган"
    " сиз сен биз мен ертен бугин"
)
_RUSSIAN_WORDS = _words(
    "в во на и что кто как какой какая какие каких какое когда где сколько почему зачем"
    " это ли не ни по из от до для с со к у о об про за при такой такое такая есть будет"
    " был была были можно нужно мне я вы он она они мы его ее их чем или а но же бы все"
    " очень уже ещё еще расскажи скажи какую каким чей чья откуда куда кем чему сколко"
    " такои какои"
    # frequent in questions about the Assembly (Kazakh spells them казақ-, халық, жыл)
    " казахстан казахстана казахстане казахстану народ народа народов году года лет создана"
    " создан создали основана основан ассамблеи ассамблее ассамблею"
)
# Endings that hardly occur in the other language (after level-1 folding).
_RUSSIAN_ENDINGS = (
    "ого", "ому", "ыми", "ими", "ых", "ий", "ой", "ая", "ое", "ые", "ов", "ев", "ям",
    "ами", "ях", "ться", "тся", "ешь", "ют", "ует", "ение", "ения", "ций", "ции", "ость",
)  # fmt: skip
_KAZAKH_ENDINGS = (
    "нын", "нин", "дын", "дин", "тын", "тин", "ган", "ген", "кан", "кен", "да", "де", "та",
    "те", "ды", "ди", "ты", "ти", "лар", "лер", "дар", "дер", "тар", "тер", "мыз", "миз",
    "сы", "си", "ма", "ме", "пен", "бен", "мен", "нда", "нде", "ады", "еди", "уда", "уде",
)  # fmt: skip


def _score(words: list[str]) -> tuple[float, float]:
    kk = ru = 0.0
    for word in words:
        if _KAZAKH_LETTERS_RE.search(word):
            kk += 1.5
            continue
        word = fold(word, 1)
        if word in _RUSSIAN_WORDS or word in _KAZAKH_WORDS:
            ru += 2 * (word in _RUSSIAN_WORDS)
            kk += 2 * (word in _KAZAKH_WORDS)
        elif len(word) > 3:
            if word.endswith(_RUSSIAN_ENDINGS):
                ru += 1
            if word.endswith(_KAZAKH_ENDINGS):
                kk += 1
        if "ь" in word or "ъ" in word:
            ru += 0.5
    return kk, ru


def detect_language(text: str) -> Literal["kk", "ru"]:
    """Return "ru" for a Russian question and "kk" for Kazakh in any spelling."""
    words = _WORD_RE.findall(to_cyrillic(text, "chat").lower())
    kk, ru = _score(words)
    return "ru" if ru > kk else "kk"
