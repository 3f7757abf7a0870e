"""Kazakh case endings for the values a quiz puts in a blank: numbers, dates and surnames.

A wrong option must read as correctly as the right one. When the article writes `800-ден` or
`20 қазанда`, the ending follows the sound of the word it is attached to (`60-тан`,
`7 қыркүйекте`), so a wrong option cannot simply keep the right one's ending. We recognise the
ending's grammatical case and attach the same case to the other value by Kazakh sound harmony.
A number's ending follows the last numeral word as it is read aloud (`800` → сегіз жүз → `-ден`).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MONTHS",
    "NUMERAL_WORDS",
    "attach",
    "case_of",
    "in_words",
    "inflect",
    "number_word",
    "numeral_value",
]

_BACK: Final = frozenset("аоұы")
_FRONT: Final = frozenset("әеөүі")
_VOWELS: Final = frozenset("аәеиоөұүыіуэюя")
_VOICELESS: Final = frozenset("кқпстфхцчшщбвгд")  # б в г д devoice at a word's end
_NASAL: Final = frozenset("мнң")
_VOICING: Final = {"к": "г", "қ": "ғ", "п": "б"}  # a final consonant before a vowel ending

_UNITS: Final = ("", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
_TENS: Final = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")

MONTHS: Final = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)

# Each case: (back-vowel form, front-vowel form) after a vowel, a nasal, a voiced consonant,
# and a voiceless one.
_Forms = tuple[tuple[str, str], tuple[str, str], tuple[str, str], tuple[str, str]]
_CASES: Final[dict[str, _Forms]] = {
    "": (("", ""), ("", ""), ("", ""), ("", "")),
    "locative": (("да", "де"), ("да", "де"), ("да", "де"), ("та", "те")),
    "locative-attributive": (
        ("дағы", "дегі"),
        ("дағы", "дегі"),
        ("дағы", "дегі"),
        ("тағы", "тегі"),
    ),
    "ablative": (("дан", "ден"), ("нан", "нен"), ("дан", "ден"), ("тан", "тен")),
    "dative": (("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("қа", "ке")),
    "genitive": (("ның", "нің"), ("ның", "нің"), ("дың", "дің"), ("тың", "тің")),
    "accusative": (("ны", "ні"), ("ды", "ді"), ("ды", "ді"), ("ты", "ті")),
    "possessive": (("сы", "сі"), ("ы", "і"), ("ы", "і"), ("ы", "і")),
    "possessive-accusative": (("сын", "сін"), ("ын", "ін"), ("ын", "ін"), ("ын", "ін")),
    "possessive-locative": (
        ("сында", "сінде"),
        ("ында", "інде"),
        ("ында", "інде"),
        ("ында", "інде"),
    ),
    "possessive-attributive": (
        ("сындағы", "сіндегі"),
        ("ындағы", "індегі"),
        ("ындағы", "індегі"),
        ("ындағы", "індегі"),
    ),
    "ordinal": (("шы", "ші"), ("шы", "ші"), ("шы", "ші"), ("шы", "ші")),
}
_BY_ENDING: Final = {
    form: case
    for case, forms in _CASES.items()
    if case
    for pair in forms
    for form in pair
    if case != "ordinal" or form in ("шы", "ші")
}


def number_word(number: int) -> str:
    """The last numeral word of `number` read aloud, which decides its endings."""
    if number == 0:
        return "нөл"
    if number % 10:
        return _UNITS[number % 10]
    if number % 100:
        return _TENS[number % 100 // 10]
    if number % 1000:
        return "жүз"
    return "мың" if number % 1_000_000 else "миллион"


def _sound(word: str) -> tuple[int, int]:
    """(which consonant class the word ends in, 0 back / 1 front vowel harmony)."""
    lowered = word.lower()
    last = lowered[-1]
    if last in _VOWELS:
        kind = 0
    elif last in _NASAL:
        kind = 1
    elif last in _VOICELESS:
        kind = 3
    else:
        kind = 2
    front = 0
    if lowered.endswith("ев"):  # a surname's -ев follows its root: Назарбаевтың, Тоқаевтың
        lowered = lowered[:-2]
    for char in reversed(lowered):
        if char in _BACK:
            break
        if char in _FRONT:
            front = 1
            break
    return kind, front


def case_of(ending: str) -> str | None:
    """The case an ending written after a value expresses, or None if it is not one we know."""
    return "" if not ending else _BY_ENDING.get(ending.lower())


def attach(word: str, case: str) -> str:
    """The ending of `case` for `word` (a Kazakh word or a numeral word) by sound harmony."""
    kind, front = _sound(word)
    return _CASES[case][kind][front]


def inflect(word: str, case: str) -> str:
    """`word` with the ending of `case`, its final к қ п voiced before a vowel (`қыркүйегінде`)."""
    ending = attach(word, case)
    if ending[:1] in _VOWELS and word[-1:] in _VOICING:
        word = word[:-1] + _VOICING[word[-1]]
    return word + ending


_NUMERALS: Final = {
    **{word: n for n, word in enumerate(_UNITS) if word},
    **{word: 10 * n for n, word in enumerate(_TENS) if word},
    "жүз": 100,
}
NUMERAL_WORDS: Final = tuple(sorted(_NUMERALS, key=len, reverse=True))


def in_words(number: int) -> str:
    """A number below 1000 written in words: 130 → жүз отыз, 260 → екі жүз алпыс."""
    hundreds, rest = divmod(number, 100)
    words = ([] if hundreds < 2 else [_UNITS[hundreds]]) + (["жүз"] if hundreds else [])
    words += [w for w in (_TENS[rest // 10], _UNITS[rest % 10]) if w]
    return " ".join(words)


def numeral_value(words: list[str]) -> int:
    """The number some numeral words name: [жүз, отыз] → 130, [екі, жүз] → 200."""
    total = 0
    for word in words:
        value = _NUMERALS[word]
        total = (total or 1) * 100 if value == 100 else total + value
    return total
