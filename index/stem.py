"""A small Kazakh suffix stripper for BM25, working on words folded with `fold(w, level=2)`.

No maintained Kazakh stemmer installs offline, and matching inflected forms matters: a question
says `Ассамблея`, the article `Ассамблеясының`. Kazakh stacks endings in a fixed order
(stem + plural + possessive + case, or verb + passive + participle), so we strip them right to
left, at most one per slot. Each ending is only taken off after the letters Kazakh sound
harmony allows before it (`-та` after a voiceless consonant, `-нда` after a possessive `-ы`...),
which keeps `Президенті` from losing `-ті` and `Қазақстанда` from losing `-нда`. One-letter
endings that are also common word ends (dative а/е, 1sg possessive м) are never stripped, and a
stem keeps at least three letters (two when it starts with a vowel: ел, іс, үй). Derivational
suffixes (-лық, -шы, -сыз) are kept, since they change the meaning; only a verb loses its
negation (-ма) and joint-action (-тас) suffixes, which questions use freely (`көмектесті`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

__all__ = ["stem"]

_Test = Callable[[str], bool]
_VOWELS = frozenset("аеиоу")  # after level-2 folding (й and у are glides, written и, у)
_VOICELESS = frozenset("кпстфхчш")
_GENITIVE_T = _VOICELESS | frozenset("бвгд")


def _any(c: str) -> bool:
    return True


def _vowel(c: str) -> bool:
    return c in _VOWELS


def _consonant(c: str) -> bool:
    return c not in _VOWELS


def _voiceless(c: str) -> bool:
    return c in _VOICELESS


def _not_voiceless(c: str) -> bool:
    return c not in _VOICELESS


def _after_possessive(c: str) -> bool:
    return c == "и"


def _nasal_or_vowel(c: str) -> bool:
    return c in _VOWELS or c in "мн"


def _possessive_si(c: str) -> bool:
    return c in _VOWELS and c != "и"


def _voiced_consonant(c: str) -> bool:
    return c not in _VOWELS and c not in _VOICELESS


# Endings in level-2 folded spelling (ы/і/й → и, ң → н, ғ → г, қ → к, ә → а, ө → о, ұ/ү → у),
# each with the test the letter before it must pass.
_CASE_OR_VERB: dict[str, _Test] = {
    # genitive, accusative, dative
    "нин": _nasal_or_vowel, "дин": _not_voiceless, "тин": lambda c: c in _GENITIVE_T,
    "ни": _vowel, "ди": _not_voiceless, "ти": _voiceless,
    "га": _not_voiceless, "ге": _not_voiceless, "ка": _voiceless, "ке": _voiceless,
    "на": _after_possessive, "не": _after_possessive,
    # locative, ablative, instrumental, -дағы (`саласындағы`)
    "да": _not_voiceless, "де": _not_voiceless, "та": _voiceless, "те": _voiceless,
    "нда": _after_possessive, "нде": _after_possessive,
    "дан": _not_voiceless, "ден": _not_voiceless, "тан": _voiceless, "тен": _voiceless,
    "нан": _nasal_or_vowel, "нен": _nasal_or_vowel,
    "мен": _any, "бен": _not_voiceless, "пен": _voiceless, "менен": _any,
    "даги": _not_voiceless, "деги": _not_voiceless, "таги": _voiceless, "теги": _voiceless,
    "ндаги": _after_possessive, "ндеги": _after_possessive,
    # finite verb: present 3rd person (-ады, -еді, -йды), progressive (-уда); past -ды is `ди`
    "ади": _consonant, "еди": _consonant, "иди": _vowel, "уда": _any, "уде": _any,
}  # fmt: skip
_POSSESSIVE: dict[str, _Test] = {
    "си": _possessive_si, "имиз": _consonant, "миз": _vowel, "иниз": _consonant, "низ": _vowel,
    "и": lambda c: c not in _VOWELS or c == "у",  # `мақсаты`, `құрылуы`
}  # fmt: skip
_PLURAL: dict[str, _Test] = {
    "лар": lambda c: c in _VOWELS or c == "р", "лер": lambda c: c in _VOWELS or c == "р",
    "дар": _voiced_consonant, "дер": _voiced_consonant, "тар": _voiceless, "тер": _voiceless,
}  # fmt: skip
_VERB_FORM: dict[str, _Test] = {
    "ган": _not_voiceless, "ген": _not_voiceless, "кан": _voiceless, "кен": _voiceless,
    "атин": _consonant, "етин": _consonant, "итин": _vowel, "ип": _consonant, "у": _any,
    # negative gerund -май/-мей (`бермей`, `құрмай`)
    "маи": _not_voiceless, "меи": _not_voiceless, "баи": _voiced_consonant,
    "беи": _voiced_consonant, "паи": _voiceless, "пеи": _voiceless,
}  # fmt: skip
# Only verbs end in these (the past `-ды/-ті` is read as a verb too: after a vowel the accusative
# is `-ны`); a verb can then lose its negation `-ма/-ме` and a reciprocal `-тас/-тес`.
_FINITE = frozenset({"ади", "еди", "иди", "уда", "уде", "ди", "ти"})
_NEGATION: dict[str, _Test] = {
    "ма": _not_voiceless, "ме": _not_voiceless, "ба": _voiced_consonant, "бе": _voiced_consonant,
    "па": _voiceless, "пе": _voiceless,
}  # fmt: skip
# `көмектесті` → көмек, `жәрдемдесті` → жәрдем: the joint-action verb of a noun asks about it.
_RECIPROCAL: dict[str, _Test] = {
    "лас": _nasal_or_vowel, "лес": _nasal_or_vowel, "дас": _voiced_consonant,
    "дес": _voiced_consonant, "тас": _voiceless, "тес": _voiceless,
}  # fmt: skip
# Stem-final letters before `-сы` that show a stem ending in ы/і (`басшы`+сы, `үлгі`+сі, `басты`
# +сы); after any other letter `-сі` is с + possessive `-і` (`Мәжілісі`, `жұмысы`).
_SI_AFTER_I = frozenset("шдтгк")
# A stem vowel drops before a vowel ending (`халық` → халқы, `орын` → орны): put it back.
_VOWEL_DROP = {"лк": "лик", "рн": "рин"}
_PASSIVE = "ил"
_PARTICIPLES = frozenset({"ати", "ети", "ити"})  # `-атын` is not `-аты` + accusative `-н`
# Final к/п of a stem become г/б before a vowel (`жарлық`, `жарлығы`): stems end in к/п.
_DEVOICE = str.maketrans({"г": "к", "б": "п"})
# Words whose end only looks like an ending (`орган` is not `ор` + `-ған`).
_KEEP = frozenset(
    {"орган", "принтсип", "отан", "багдар", "кимил", "кепил", "ауил", "кизил", "акил", "баска",
     "окил", "орин", "оиин", "акин"}
)  # fmt: skip


def _room(word: str, size: int) -> bool:
    """True when removing size letters leaves a stem long enough to stand for a word."""
    rest = len(word) - size
    return rest >= 3 or (rest == 2 and word[0] in _VOWELS and (size > 1 or word[-1] in "иу"))


def _participle(word: str) -> bool:
    """True when `-атын/-етін/-йтын` ends word as a verb form, not noun + `-ы` + accusative `-н`.

    Nouns in `-ат/-ет` (`мәдениет`, `қызмет`, `міндет`) have a vowel or a cluster not ending in
    т before it; verb stems (`ал`, `бер`, `өзгерт`) end in one consonant or in т.
    """
    if len(word) < 6 or word[-4:-1] not in _PARTICIPLES:
        return False
    before, prev = word[-5], word[-6]
    if word[-4] == "и":
        return True
    return before not in _VOWELS and (before == "т" or prev in _VOWELS)


def _strip(word: str, endings: dict[str, _Test]) -> str:
    if word in _KEEP:
        return word
    for size in (5, 4, 3, 2, 1):
        allowed = endings.get(word[-size:]) if len(word) > size else None
        if allowed is not None and _room(word, size) and allowed(word[-size - 1]):
            return word[:-size]
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Strip Kazakh inflectional endings from a level-2 folded word (see module doc)."""
    if len(word) < 3 or not word.isalpha() or word in _KEEP:
        return word
    start = word
    if not (word.endswith("стан") and len(word) >= 7):  # Қазақстан is not Қазақс + -тан
        word = _strip(word, _CASE_OR_VERB)
    verbal = start[len(word) :] in _FINITE
    # accusative `-н` after the 3rd person possessive `-ы` (`Ассамблеясын`, `күнін`, `атын`,
    # `дамуын`); `-йын` (`қиын`, `дайын`) is a stem, and `орын`, `ойын` are kept whole
    # (`орынға`)
    if word == start and (
        word.endswith("син")
        or (word.endswith("ин") and word[-3] not in "аеио" and not _participle(word))
    ):
        word = word[:-1]
    # possessive: `-сы` after ы/і (`басшысы` → басшы) or `-ы` after с (`Мәжілісі` → Мәжіліс)
    if word.endswith("иси") and len(word) >= 6 and word[-4] in _SI_AFTER_I:
        word = word[:-2]
    else:
        word = _strip(word, _POSSESSIVE)
    word = _strip(word, _PLURAL)
    if word in _KEEP:
        return word
    verb = _strip(word, _VERB_FORM)
    verbal = verbal or verb != word
    if verbal and verb.endswith(_PASSIVE) and verb[-3] != "ш" and _room(verb, 2):
        verb = verb[:-2]  # `құрылды` → құр
    if verbal:
        verb = _strip(_strip(verb, _NEGATION), _RECIPROCAL)
    # `-ны` after a vowel or `-ы` after н? (`ассамблеяны`, `кешені`): stems lose a final н
    if len(verb) >= 5 and verb[-1] == "н" and verb[-2] in _VOWELS:
        verb = verb[:-1]
    if verb != start and verb[-2:] in _VOWEL_DROP:
        verb = verb[:-2] + _VOWEL_DROP[verb[-2:]]
    if len(verb) >= 3 and verb[-1] in "гб":
        verb = verb[:-1] + verb[-1].translate(_DEVOICE)
    return verb
