"""The decline model: features, fitting, and a threshold that keeps real questions answered."""

from dataclasses import replace

import numpy as np

from index.decline import FEATURES, Evidence, calibrate, off_topic_probability


def evidence(dense: float, matched: float, unknown: int = 0) -> Evidence:
    return Evidence(dense, dense, matched, matched, unknown, False)


REAL = [evidence(0.87 + 0.002 * i, 0.9 - 0.01 * (i % 3)) for i in range(50)]
OFF = [evidence(0.80 + 0.002 * i, 0.2, unknown=2) for i in range(10)]


def test_every_feature_is_an_input() -> None:
    assert len(REAL[0].features()) == len(FEATURES)


def test_the_fitted_model_tells_off_topic_from_real() -> None:
    fitted = calibrate(REAL + OFF, [False] * len(REAL) + [True] * len(OFF))
    assert min(off_topic_probability(e, fitted.coefficients) for e in OFF) > max(
        off_topic_probability(e, fitted.coefficients) for e in REAL
    )
    assert all(fitted.declines(e) for e in OFF)


def test_the_threshold_declines_at_most_the_allowed_share_of_real_questions() -> None:
    # overlapping classes: some real questions look off-topic
    real = REAL + [evidence(0.80, 0.2, unknown=2)] * 5
    fitted = calibrate(real + OFF, [False] * len(real) + [True] * len(OFF), share=0.02)
    declined = sum(fitted.declines(e) for e in real)
    assert declined <= 0.02 * len(real)
    assert np.isfinite(fitted.threshold)


def test_the_readers_signal_is_one_more_input_and_is_weighed() -> None:
    def read(e: Evidence, signal: float) -> Evidence:
        return replace(e, reader=signal)

    assert len(read(REAL[0], 1.0).features()) == len(FEATURES) + 1
    # the evidence alone cannot tell these apart; the reader's signal can
    real = [read(evidence(0.85, 0.5), 2.0 + 0.01 * i) for i in range(40)]
    off = [read(evidence(0.85, 0.5), -2.0 - 0.01 * i) for i in range(20)]
    fitted = calibrate(real + off, [False] * 40 + [True] * 20, share=0.0)
    assert all(fitted.declines(e) for e in off) and not any(fitted.declines(e) for e in real)


def test_the_fit_does_not_depend_on_the_scale_of_a_feature() -> None:
    # a fine-tuned embedder's cosines sit far below the base model's band
    shifted = [replace(e, dense=e.dense - 0.4, dense_chunk=e.dense_chunk - 0.4) for e in REAL + OFF]
    fitted = calibrate(shifted, [False] * len(REAL) + [True] * len(OFF))
    assert [fitted.declines(e) for e in shifted] == [False] * len(REAL) + [True] * len(OFF)
