"""Sentence spans in repaired Kazakh text, so quotes can be cut exactly from the article.

Kazakh is verb-final, so a sentence almost never ends on an abbreviation such as `ж.` or on an
initial; we never split there. A new sentence must start with a capital, a digit, an opening
quote or bracket; `;` and `:` never split; a paragraph break always does.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
# End of a sentence: terminal marks, closing quotes/brackets, an optional reference mark like
# `[5]` that belongs to the sentence before, then the space before the next sentence.
_BOUNDARY_RE = re.compile(
    r"[.!?…]+[»\"”’)\]]*(?:\s*\[\d+(?:\s*[-–,]\s*\d+)*\])?"
    rf"(?P<space>\s+)(?=[«\"“(\[–—-]?\s*[{_UPPER}\d])"
)
# Words after which a dot is not a sentence end (lowercase abbreviations, as in the text).
_ABBREVIATIONS = frozenset(
    {
        "ж", "жж", "ғ", "ғғ", "б", "бб", "т.б", "т.с.с", "б.з.д", "т.т", "тт", "мыс", "проф",
        "акад", "доц", "ред", "қ", "обл", "г", "гг", "т.е", "см", "стр", "млн", "млрд",
    }
)  # fmt: skip
_TOKEN_BEFORE_DOT_RE = re.compile(r"(\S+)\.$")
_INITIAL_RE = re.compile(rf"^(?:[{_UPPER}]\.)+$")
_LIST_NUMBER_RE = re.compile(r"^(?:\d{1,3}|[a-zа-яәіңғүұқөһ])[.)]$")
_PARAGRAPH_RE = re.compile(r"[^\n]+")


def _is_false_end(para: str, start: int, end_mark: int) -> bool:
    """True when the mark ending at end_mark closes an abbreviation, an initial or a list number."""
    run_start = end_mark
    while run_start > start and para[run_start - 1] in ".…":
        run_start -= 1
    if run_start == end_mark:
        return False  # `!` or `?`
    if run_start > start and para[run_start - 1] in '«"(“[':
        return True  # an ellipsis opening a quote: `«... ішкі`
    if end_mark - run_start > 1 or para[end_mark - 1] != ".":
        return False  # an ellipsis after a word may end a sentence
    token_match = _TOKEN_BEFORE_DOT_RE.search(para, max(start, end_mark - 40), end_mark)
    if token_match is None:
        return False
    token = token_match.group(1).lstrip('(«"')
    if token in _ABBREVIATIONS or token.lower() in _ABBREVIATIONS:
        return True
    if _INITIAL_RE.match(token + "."):
        return True
    # `1. Ассамблея ...`: a list number alone at the start of the sentence.
    return para[start:end_mark].strip() == token + "." and bool(_LIST_NUMBER_RE.match(token + "."))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of text, each stripped of outer spaces."""
    spans: list[tuple[int, int]] = []
    for par_match in _PARAGRAPH_RE.finditer(text):
        par = par_match.group()
        offset = par_match.start()
        start = 0
        for m in _BOUNDARY_RE.finditer(par):
            end = m.start("space")
            mark_end = end
            # the last terminal mark before closing quotes / references
            while mark_end > start and par[mark_end - 1] not in ".!?…":
                mark_end -= 1
            if mark_end <= start or _is_false_end(par, start, mark_end):
                continue
            _add(spans, par, offset, start, end)
            start = m.end()
        _add(spans, par, offset, start, len(par))
    return spans


def _add(spans: list[tuple[int, int]], par: str, offset: int, start: int, end: int) -> None:
    piece = par[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + start + lead, offset + start + lead + len(stripped)))
