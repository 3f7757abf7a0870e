"""Safe repair of damaged article text and light normalization of user questions.

The repaired article text is what users see quoted, so every repair here is conservative: it
only fixes damage measured in the seed articles (Latin look-alike letters inside Cyrillic
words, invisible characters, broken lines, `..` used as paragraph breaks, glued sentences,
duplicated paragraphs and words) and leaves anything it cannot be sure of alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["Repaired", "fix_homoglyphs", "normalize_question", "repair"]


@dataclass(frozen=True)
class Repaired:
    """Repaired text (paragraphs separated by a blank line) and how many repairs of each kind."""

    text: str
    fixes: dict[str, int] = field(default_factory=dict)


# Characters that render as nothing; removed.
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e]")
# Unusual spaces (NBSP, thin, figure, ideographic ...) and tabs; become a plain space.
_ODD_SPACE_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

# Latin letters that look like Cyrillic ones, as they appear inside damaged Kazakh words.
_HOMOGLYPHS = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к",
    "i": "і", "h": "һ", "ə": "ә", "ı": "і", "ö": "ө", "ü": "ү",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Y": "Ү", "I": "І", "Ə": "Ә", "Ö": "Ө", "Ü": "Ү",
}  # fmt: skip
_HOMOGLYPH_TABLE = str.maketrans(_HOMOGLYPHS)
_LATIN_CHARS = "A-Za-z\u00c0-\u024f\u0259\u018f"
_LATIN_RE = re.compile(f"[{_LATIN_CHARS}]")
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_NON_LOOKALIKE_LATIN_RE = re.compile(f"(?![{''.join(_HOMOGLYPHS)}])[{_LATIN_CHARS}]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_SCHWA_RE = re.compile("[əƏ]")

_LOWER = "a-zа-яёәғқңөұүһі"
_UPPER_CYR = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER_CYR = "а-яёәғқңөұүһі"


def _fix_word(match: re.Match[str]) -> str:
    word = match.group()
    if not _LATIN_RE.search(word):
        return word
    if _CYRILLIC_RE.search(word):
        # A Latin stem with a Kazakh suffix (`Telegramда`) has Latin letters without a
        # Cyrillic twin; such words are real and stay as they are.
        if _NON_LOOKALIKE_LATIN_RE.search(word):
            return word
        return word.translate(_HOMOGLYPH_TABLE)
    # All-Latin words stay (`IT`, `iPhone`), except look-alike-only words with a schwa,
    # which no Latin-script language around here writes that way (`əр` typed all in Latin).
    if _SCHWA_RE.search(word) and not _NON_LOOKALIKE_LATIN_RE.search(word):
        return word.translate(_HOMOGLYPH_TABLE)
    return word


def fix_homoglyphs(text: str) -> tuple[str, int]:
    """Map Latin look-alikes to Cyrillic inside Cyrillic words; return text and words changed."""
    if not _LATIN_RE.search(text):
        return text, 0
    changed = 0

    def sub(match: re.Match[str]) -> str:
        nonlocal changed
        fixed = _fix_word(match)
        if fixed != match.group():
            changed += 1
        return fixed

    return _WORD_RE.sub(sub, text), changed


def _clean_chars(text: str, fixes: Counter[str]) -> str:
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        fixes["unicode_nfc"] += 1
    text = nfc.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\x0b", "\n").replace("\x0c", "\n\n")
    text, n = _INVISIBLE_RE.subn("", text)
    fixes["invisible_chars"] += n
    text, n = _ODD_SPACE_RE.subn(" ", text)
    fixes["odd_spaces"] += n
    return text


def normalize_question(text: str) -> str:
    """Repair one short question: NFC, invisibles, look-alike letters, single spaces, stripped."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", text))
    text = " ".join(text.split())
    return fix_homoglyphs(text)[0]


# `..` (or `.....`) between text and the next sentence was a paragraph break; `...` is an
# ellipsis and stays. `:.` before a capital is a lost list.
_DOT_BREAK_RE = re.compile(
    rf"(?<=[^\s.])(?:\.\.(?!\.)|\.{{4,}}|(?<=:)\.)[ ]*(?=[{_UPPER_CYR}A-Z\d«\"(])"
)
_PARA_SPLIT_RE = re.compile(r"\n[ ]*\n\s*")
_INITIALS_END_RE = re.compile(rf"(?:^|[\s(«\"])(?:[{_UPPER_CYR}A-Z]\.){{1,3}}$")
_ABBREV_END_RE = re.compile(r"(?:^|[\s(])(?:жж|ж|ғғ|ғ|бб|б|т\.б|т\.с\.с|б\.з\.д|т\.т)\.$")
_LIST_ITEM_RE = re.compile(rf"^(?:[{_LOWER}]\)|\d{{1,2}}[.)]\s|[-–—•*]\s)")
_STARTS_LOWER_RE = re.compile(rf"^[«\"(]?[{_LOWER}]")
_STARTS_UPPER_RE = re.compile(rf"^[{_UPPER_CYR}A-Z]")
_STARTS_DIGIT_RE = re.compile(r"^\d")
# Glued sentences: two lowercase Cyrillic letters (or a closing bracket/quote), end mark, then
# a capitalized Cyrillic word. Initials (`Н.Назарбаев`), `т.б.`, decimals and URLs never match.
_GLUED_RE = re.compile(
    rf"(?:(?<=[{_LOWER_CYR}]{{2}})|(?<=[\])»]))([.!?])(?=[{_UPPER_CYR}][{_LOWER_CYR}])"
)
_SPACES_RE = re.compile(r" {2,}")
_DUP_WORD_RE = re.compile(r"\b([^\W\d_]{3,})(?:\s+\1\b)+")
_MIN_DUP_PARAGRAPH = 40  # characters; short headings may legitimately repeat


def _join_lines(prev: str, nxt: str) -> str | None:
    """Return the separator joining two lines of one paragraph, or None to keep the break."""
    if not prev or not nxt:
        return None
    if prev.endswith((":", ";")) or _LIST_ITEM_RE.match(nxt):
        return None
    if prev.endswith("-") and prev[-2:-1].isalpha() and _STARTS_LOWER_RE.match(nxt):
        return ""  # a word hyphenated across lines: keep the hyphen, drop the break
    if _STARTS_LOWER_RE.match(nxt):
        return " "
    if _INITIALS_END_RE.search(prev) and _STARTS_UPPER_RE.match(nxt):
        return " "  # `Н.Ә.⏎Назарбаев`
    if _ABBREV_END_RE.search(prev) and _STARTS_DIGIT_RE.match(nxt):
        return " "  # `2007 ж.⏎20 тамызында`
    if prev.endswith((",", "–", "—")):
        return " "  # a sentence never ends on a comma or a dash
    return None


def _repair_paragraph(par: str, fixes: Counter[str]) -> str:
    par, n = _GLUED_RE.subn(r"\1 ", par)
    fixes["glued_sentences"] += n
    par, n = fix_homoglyphs(par)
    fixes["homoglyph_words"] += n
    par, n = _DUP_WORD_RE.subn(r"\1", par)
    fixes["duplicate_words"] += n
    return par


def repair(text: str) -> Repaired:
    """Repair a damaged article; the result is idempotent and safe to quote to users."""
    fixes: Counter[str] = Counter()
    text = _clean_chars(text, fixes)
    text, n = _DOT_BREAK_RE.subn(".\n\n", text)
    # `:.` became `.` + break; put the colon back without the stray dot.
    text = text.replace(":.\n\n", ":\n\n")
    fixes["dot_breaks"] += n

    paragraphs: list[str] = []
    for block in _PARA_SPLIT_RE.split(text):
        lines = [line.strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        current = lines[0]
        for line in lines[1:]:
            sep = _join_lines(current, line)
            if sep is None:
                paragraphs.append(current)
                current = line
            else:
                fixes["broken_lines"] += 1
                current = current + sep + line
        paragraphs.append(current)

    seen: set[str] = set()
    out: list[str] = []
    for par in paragraphs:
        par, n = _SPACES_RE.subn(" ", par)
        fixes["extra_spaces"] += n
        par = _repair_paragraph(par.strip(), fixes)
        if not par:
            continue
        if len(par) >= _MIN_DUP_PARAGRAPH:
            if par in seen:
                fixes["duplicate_paragraphs"] += 1
                continue
            seen.add(par)
        out.append(par)
    return Repaired("\n\n".join(out), {k: v for k, v in sorted(fixes.items()) if v})
