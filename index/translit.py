"""Kazakh written in Latin letters, converted to Cyrillic so it can be matched with the articles.

People write Latin Kazakh in three ways: the 2018 decree alphabet (á ǵ ń ó ú ý, ı/í = и/й,
i = і, u = ұ), the 2021 Turkic-style draft (ä ğ ñ ö ū ü ş ç, ı = і, i = и/й, u = у) and chat
Latin (q or k for қ, sh, zh or j, ch, gh, ng, i or y for ы). No rule set can invert all three
exactly (i, u, y mean different letters), so the conversion aims at a Cyrillic spelling that
becomes identical to the article's after `fold(..., level=2)`; most words also come out exact.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Alphabet", "script_of", "to_cyrillic", "to_latin"]

Alphabet = Literal["2018", "2021", "chat"]

_LATIN = "A-Za-z\u00c0-\u024f"
_CYRILLIC = "\u0400-\u04ff"
_LATIN_RE = re.compile(f"[{_LATIN}]")
_CYRILLIC_RE = re.compile(f"[{_CYRILLIC}]")
_APOSTROPHES = "'’ʼ‘`"
# A Latin word, apostrophes inside allowed (the 2017 apostrophe alphabet: a' o' u' g' n' s' c').
_WORD_RE = re.compile(f"[{_LATIN}](?:[{_LATIN}{_APOSTROPHES}]*[{_LATIN}])?'?")
# Things that are not Kazakh words: links, e-mail addresses, domain names, words with digits.
_PROTECTED_RE = re.compile(
    r"\b(?:https?://|www\.)\S+|\S+@\S+\.\S+|\b[\w.-]+\.(?:kz|ru|com|org|net|gov|edu|io)\b\S*"
    r"|\w*\d\w*",
    re.IGNORECASE,
)
_MARKERS_2021 = frozenset("äğñşçūüİ")
_MARKERS_2018 = frozenset("áǵńóúýí")
_VOWELS = frozenset("aeiouyıáäóöúüūýéí")
# The letter that writes both и and й; after a vowel it is й (`qandaı`, `boıynsha`).
_I_SHORT = {"2018": frozenset("ıí"), "2021": frozenset("i"), "chat": frozenset("iı")}
# Loanwords that start with э (`etnos` → этнос); only for exactness, fold level 2 merges э/е.
_E_LOANS = ("etn", "ekon", "ekol", "eksp", "ekst", "ekz", "elektr", "energ", "etal", "evol")

# Letters and digraphs common to all spellings (longest match first).
_COMMON = {
    "shch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "gh": "ғ", "kh": "х",
    "ıa": "я", "ıý": "ю", "ıu": "ю",
    "a'": "ә", "o'": "ө", "u'": "ү", "g'": "ғ", "n'": "ң", "s'": "ш", "c'": "ч", "i'": "и",
    "y'": "у",
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
    "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ",
    "r": "р", "s": "с", "t": "т", "v": "в", "w": "у", "x": "х", "z": "з",
    "á": "ә", "ä": "ә", "ǵ": "ғ", "ğ": "ғ", "ń": "ң", "ñ": "ң", "ó": "ө", "ö": "ө",
    "ú": "ү", "ü": "ү", "ū": "ұ", "ý": "у", "ş": "ш", "ç": "ч", "é": "е", "í": "и",
}  # fmt: skip
# Letters whose value depends on the alphabet; "и" becomes "й" after a vowel (see _convert).
_BY_ALPHABET: dict[str, dict[str, str]] = {
    "2018": {"i": "і", "ı": "и", "u": "ұ", "y": "ы"},
    "2021": {"i": "и", "ı": "і", "u": "у", "y": "ы", "ia": "я", "iu": "ю"},
    "chat": {
        "i": "і",
        "ı": "і",
        "u": "у",
        "y": "ы",
        "ia": "я",
        "iu": "ю",
        "ya": "я",
        "yu": "ю",
        "yo": "ё",
        "ng": "ң",
    },
}
_TABLES = {name: {**_COMMON, **extra} for name, extra in _BY_ALPHABET.items()}
_TSIA = frozenset({"ıı", "ii", "ıa", "ia", "iy", "ya", "iı", "ıi"})
_TOKEN_RES = {
    name: re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))
    for name, table in _TABLES.items()
}
# All-capital abbreviations people type in Latin; other short all-capital words (IT, BBC) stay.
_ACRONYMS = {
    "QHA": "ҚХА", "KHA": "ҚХА", "QR": "ҚР", "KR": "ҚР", "BUU": "БҰҰ", "TMD": "ТМД",
    "AQSH": "АҚШ", "AQSh": "АҚШ", "ShYU": "ШЫҰ", "EO": "ЕО",
}  # fmt: skip


def script_of(text: str) -> Literal["cyrillic", "latin", "mixed", "none"]:
    """Which script the letters of text are written in."""
    latin = bool(_LATIN_RE.search(text))
    cyrillic = bool(_CYRILLIC_RE.search(text))
    if latin and cyrillic:
        return "mixed"
    return "latin" if latin else "cyrillic" if cyrillic else "none"


def _guess_alphabet(text: str) -> Alphabet:
    letters = set(text)
    if letters & _MARKERS_2021:
        return "2021"
    if letters & _MARKERS_2018:
        return "2018"
    if "ı" in letters:
        # і is far more frequent than и: the alphabet writing it as ı is 2021, as i is 2018.
        return "2021" if text.count("ı") > text.lower().count("i") else "2018"
    return "chat"


def _convert(word: str, alphabet: Alphabet) -> str:
    lower = word.replace("İ", "i").lower()
    if lower.startswith(("kazakh", "qazakh")):
        lower = "qazaq" + lower[6:]  # the English `Kazakhstan`
    for apostrophe in _APOSTROPHES[1:]:
        lower = lower.replace(apostrophe, "'")
    table = _TABLES[alphabet]
    out: list[str] = []
    pos = 0
    token_re = _TOKEN_RES[alphabet]
    i_short = _I_SHORT[alphabet]
    while pos < len(lower):
        m = token_re.match(lower, pos)
        if m is None:  # an apostrophe or a letter we do not know: keep it out
            pos += 1
            continue
        piece = m.group()
        cyr = table[piece]
        prev_vowel = pos > 0 and lower[pos - 1] in _VOWELS
        next_vowel = m.end() < len(lower) and lower[m.end()] in _VOWELS
        if piece in i_short and prev_vowel:
            cyr = "й"  # `qandai` / `qandaı` → қандай
        elif piece == "ng" and next_vowel:
            cyr = "нг"  # chat `dengei` → деңгей, while `elding` → елдің
        elif (
            piece == "t"
            and lower[m.end() : m.end() + 1] == "s"
            and (lower[m.end() + 1 : m.end() + 3] in _TSIA)
        ):
            out.append("ц")  # `konstıtýtsııa` → конституция, but `ketse` → кетсе
            pos = m.end() + 1
            continue
        elif piece == "e" and pos == 0 and lower.startswith(_E_LOANS):
            cyr = "э"
        elif piece == "y" and alphabet == "chat" and prev_vowel and lower[pos - 1] not in "iı":
            cyr = "й" if not next_vowel else cyr  # chat `qanday` → қандай
        out.append(cyr)
        pos = m.end()
    result = "".join(out)
    if word.isupper() and len(word) > 1:
        return result.upper()
    if word[:1].isupper():
        return result[:1].upper() + result[1:]
    return result


def _is_kazakh_candidate(word: str) -> bool:
    """False for words that are surely not Latin Kazakh: `iPhone`, `IT`, `COVID`."""
    if any(c.isupper() for c in word[1:]) and not word.isupper():
        return False  # camel case: iPhone, WhatsApp
    if word.isupper() and len(word) > 1:
        # capitals are acronyms (IT, UNESCO) unless they show a Kazakh letter (QAZAQSTAN)
        return "Q" in word or not word.isascii()
    return True


def to_cyrillic(text: str, alphabet: Alphabet | None = None) -> str:
    """Convert the Latin-script Kazakh words of text to Cyrillic; everything else is kept."""
    if not _LATIN_RE.search(text):
        return text
    alpha = alphabet or _guess_alphabet(text)
    protected = [m.span() for m in _PROTECTED_RE.finditer(text)]

    def sub(match: re.Match[str]) -> str:
        word = match.group()
        start = match.start()
        if any(a <= start < b for a, b in protected):
            return word
        # Words glued to Cyrillic (`Telegramда`) are a Latin name with a Kazakh suffix.
        before = text[start - 1 : start]
        after = text[match.end() : match.end() + 1]
        if _CYRILLIC_RE.match(before) or _CYRILLIC_RE.match(after):
            return word
        bare = word.rstrip("'")
        if bare in _ACRONYMS:
            return _ACRONYMS[bare]
        if not _is_kazakh_candidate(bare):
            return word
        return _convert(word, alpha)

    return _WORD_RE.sub(sub, text)


_CYRILLIC_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
# Cyrillic letter → Latin, space separated in the order above; `_` writes nothing (ъ, ь).
_TO_LATIN_SPELLINGS = {
    "2018": "a á b v g ǵ d e ıo j z ı ı k q l m n ń o ó p r s t ý u ú f h h ts ch sh sh _ y i _ e"
    " ıý ıa",
    "2021": "a ä b v g ğ d e io j z i i k q l m n ñ o ö p r s t u ū ü f h h ts ç ş ş _ y ı _ e"
    " iu ia",
    "chat": "a a b v g g d e yo j z i i k q l m n n o o p r s t u u u f h h ts ch sh sh _ y i _ e"
    " iu ia",
}
_TO_LATIN = {
    name: dict(zip(_CYRILLIC_ALPHABET, str.split(spelling), strict=True))
    for name, spelling in _TO_LATIN_SPELLINGS.items()
}


def to_latin(text: str, alphabet: Alphabet) -> str:
    """Write Cyrillic Kazakh in a Latin alphabet (lower case); used to test `to_cyrillic`."""
    table = _TO_LATIN[alphabet]
    return "".join(table.get(c, c).replace("_", "") for c in text.lower())
