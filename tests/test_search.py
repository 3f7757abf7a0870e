"""The engine's bookkeeping between quote spans and the chunks that hold them."""

import numpy as np

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
    per_span = engine._per_span(scores)
    for value, held in zip(per_span, engine._held, strict=True):
        assert value == max(scores[j] for j in held if j >= 0)


def test_dense_scores_are_scaled_between_the_best_and_the_depth_th_best() -> None:
    values = np.linspace(0.0, 1.0, 101, dtype=np.float32)
    scaled = _scaled_top(values, depth=50)
    assert scaled.max() == 1.0 and scaled[50] == 0.0 and scaled.min() == 0.0
    assert np.allclose(scaled[75], 0.5)
