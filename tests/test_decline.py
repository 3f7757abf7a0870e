"""The decline model: features, fitting, and a threshold that keeps real questions answered."""

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
