from index.chunking import chunk_sentences
from index.normalize import repair
from index.sentences import split_sentences
from tests.conftest import CONTENT


def words(text: str) -> int:
    return len(text.split())


def test_chunks_are_whole_sentences_within_the_limit() -> None:
    for path in CONTENT.glob("*.md"):
        text = repair(path.read_text(encoding="utf-8").split("---", 2)[2]).text
        spans = split_sentences(text)
        chunks = chunk_sentences(text, spans, words, max_tokens=60, overlap=1)
        assert chunks[0].start == spans[0][0] and chunks[-1].end == spans[-1][1]
        for chunk in chunks:
            assert sum(words(text[s:e]) for s, e in chunk.sentences) <= 60
            assert chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
        covered = {s for c in chunks for s in c.sentences}
        assert covered >= {s for s in spans if words(text[s[0] : s[1]]) <= 60}


def test_overlap_repeats_the_last_sentence() -> None:
    text = "Бір екі. Үш төрт. Бес алты. Жеті сегіз."
    spans = [(0, 8), (9, 17), (18, 27), (28, 39)]
    chunks = chunk_sentences(text, spans, words, max_tokens=4, overlap=1)
    assert [c.sentences for c in chunks] == [
        ((0, 8), (9, 17)),
        ((9, 17), (18, 27)),
        ((18, 27), (28, 39)),
    ]


def test_an_overlong_sentence_is_cut_at_spaces() -> None:
    text = " ".join(f"сөз{i}" for i in range(25)) + "."
    chunks = chunk_sentences(text, [(0, len(text))], words, max_tokens=10, overlap=0)
    assert len(chunks) == 3
    assert " ".join(text[c.start : c.end] for c in chunks) == text
    assert all(words(text[c.start : c.end]) <= 10 for c in chunks)
