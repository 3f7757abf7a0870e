"""Chunks: runs of whole sentences sized for the model, each remembering its sentence spans."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Chunk:
    """Offsets into the repaired article text; `sentences` are the spans a quote is cut from."""

    position: int
    start: int
    end: int
    sentences: tuple[Span, ...]


def _word_windows(text: str, span: Span, count: Callable[[str], int], limit: int) -> list[Span]:
    """Split one over-long sentence at spaces into pieces that fit the limit."""
    start, end = span
    if count(text[start:end]) <= limit:
        return [span]
    pieces: list[Span] = []
    piece_start = start
    last_space = None
    for i in range(start, end + 1):
        if i < end and text[i] != " ":
            continue
        if count(text[piece_start:i]) > limit and last_space is not None:
            pieces.append((piece_start, last_space))
            piece_start = last_space + 1
        last_space = i
    pieces.append((piece_start, end))
    return pieces


def chunk_sentences(
    text: str,
    spans: Sequence[Span],
    count_tokens: Callable[[str], int],
    *,
    max_tokens: int = 200,
    overlap: int = 1,
) -> list[Chunk]:
    """Greedily pack consecutive sentences up to `max_tokens`, repeating `overlap` sentences.

    A sentence longer than the limit is cut at spaces into pieces of its own, so no chunk is
    ever truncated by the model.
    """
    units: list[Span] = []
    costs: list[int] = []
    for span in spans:
        for piece in _word_windows(text, span, count_tokens, max_tokens):
            units.append(piece)
            costs.append(count_tokens(text[piece[0] : piece[1]]))
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last = first
        total = costs[first]
        while last + 1 < len(units) and total + costs[last + 1] <= max_tokens:
            last += 1
            total += costs[last]
        members = tuple(units[first : last + 1])
        chunks.append(Chunk(len(chunks), members[0][0], members[-1][1], members))
        if last + 1 >= len(units):
            break
        first = max(last + 1 - overlap, first + 1)
    return chunks
