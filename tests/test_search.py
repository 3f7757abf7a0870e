"""The engine's bookkeeping between quote spans and the chunks that hold them."""

import numpy as np

from index.query import understand
from index.search import Engine, _scaled_top


def test_each_span_knows_every_chunk_that_holds_it(engine: Engine) -> None:
    chunks = [engine._chunks[int(c)] for c in engine._chunk_ids]
    for span, held in zip(engine._spans, engine._held, strict=True):
        expected = [
            j
            for j, c in enumerate(chunks)
            if c["article_id"] == span.article and c["start"] <= span.start < c["end"]
        ]
        assert [j for j in held if j >= 0] == expected
        assert span.chunk == int(engine._chunk_ids[expected[0]])


def test_a_span_scores_as_its_best_chunk(engine: Engine) -> None:
    scores = np.arange(len(engine._chunk_ids), dtype=np.float32)
    per_span = engine._per_span(scores, np.arange(len(engine._spans)))
    for value, held in zip(per_span, engine._held, strict=True):
        assert value == max(scores[j] for j in held if j >= 0)


def test_dense_scores_are_scaled_between_the_best_and_the_depth_th_best() -> None:
    values = np.linspace(0.0, 1.0, 101, dtype=np.float32)
    scaled = _scaled_top(values, depth=50)
    assert scaled.max() == 1.0 and scaled[50] == 0.0 and scaled.min() == 0.0
    assert np.allclose(scaled[75], 0.5)


def test_every_chunk_lists_the_spans_it_holds(engine: Engine) -> None:
    for position, spans in enumerate(engine._spans_of):
        expected = [i for i, held in enumerate(engine._held) if position in held]
        assert spans.tolist() == expected


def test_over_a_large_library_only_the_spans_of_the_best_chunks_are_scored(
    engine: Engine,
) -> None:
    query = understand("Ассамблея қай жылы құрылды?", engine.speller)
    every, _, _ = engine.scored(query)
    # the seeds' 67 chunks count as a large library: 5 chunks by FAISS, 5 by BM25
    engine.scored_chunks = engine.candidates = 5
    try:
        spans, signals, _ = engine.scored(query)
        answer = engine.answer("Ассамблея қай жылы құрылды?")
    finally:
        engine.scored_chunks, engine.candidates = 300, 30
    assert len(every) == len(engine._spans)
    assert 0 < len(spans) < len(engine._spans) and signals.shape == (7, len(spans))
    chunks = {int(c) for i in spans for c in engine._held[i] if c >= 0}
    assert len(chunks) <= 2 * (5 + 5)  # those chunks, and their neighbours sharing a sentence
    assert "1995" in answer.quotes[0].text


def test_with_declining_off_the_best_quote_is_always_given(engine: Engine) -> None:
    off_topic = "Футболдан әлем чемпионы кім?"
    assert not engine.answer(off_topic).answered
    engine.decline = False
    try:
        assert engine.answer(off_topic).answered
    finally:
        engine.decline = True


def test_a_list_introduction_whose_items_were_lost_is_never_quoted(engine: Engine) -> None:
    lost = [
        engine._text(s) for s, gone in zip(engine._spans, engine._lost_list, strict=True) if gone
    ]
    assert lost and all(":" in text for text in lost)
    # the words of the seeds' «…негізгі міндеттер тұр:» (its items lost): the candidate quotes,
    # before they are shaped for reading (and whether or not the engine declines)
    query = understand("Ассамблея алдында қандай негізгі міндеттер тұр?", engine.speller)
    quotes, _ = engine._weighed(query)
    assert quotes and not any(text in q.text for q in quotes for text in lost)
