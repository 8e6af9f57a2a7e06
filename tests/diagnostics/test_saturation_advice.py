"""The saturated-units fix follows the inputs' scale, as the unscaled-inputs finding does: inputs
already in a small range (standardised, as `train --scale standard` leaves them) are not told to
be scaled again, but to start from smaller weights and a lower η."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.diagnostics import Diagnostics, GradientStats, check_saturation, diagnose


def _saturated_net():
    net = dp.Network([8, 6, 1], seed=0)
    net.weights = [net.weights[0] * 40.0, net.weights[1]]  # |net| ≫ 5 for nearly every sample
    return net


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(3.0, 2.0, (64, 8))
    return (X - X.mean(axis=0)) / X.std(axis=0), rng.integers(0, 2, 64)  # standardised


def _saturation(findings):
    (found,) = [f for f in findings if f.code == "saturated-units"]
    return found


def test_standardised_inputs_are_not_told_to_be_scaled(data):
    X, y = data
    found = _saturation(diagnose(_saturated_net(), None, X, y))
    assert found.severity == "warning"
    assert "scale the inputs" not in found.fix and "/ 255" not in found.fix
    assert found.fix.startswith("the inputs are in a small range already, so start from smaller weights")
    assert "lower the learning rate" in found.fix


def test_the_same_advice_during_training(data):
    X, y = data
    net = _saturated_net()
    stats = GradientStats(probe_size=32)
    live = Diagnostics(stats=stats, probe_size=32)
    dp.fit(net, X, y, epochs=1, learning_rate=0.01, seed=0, callbacks=[stats, live])
    found = _saturation(live.findings)
    assert "scale the inputs" not in found.fix and "smaller weights" in found.fix


def test_unscaled_inputs_are_pointed_to_their_own_finding(data):
    X, y = data
    found = diagnose(_saturated_net(), None, X * 100.0, y)
    assert "unscaled-inputs" in {f.code for f in found}
    assert _saturation(found).fix.startswith("scale the inputs (see the unscaled-inputs finding), start from")


def test_statistics_without_their_rows_give_the_conditional_advice(data):
    X, y = data
    stats = GradientStats(X, y)
    stats.record(_saturated_net(), 0)
    read_back = GradientStats.from_dict(stats.to_dict())  # as diagnose reads gradients.json
    fix = _saturation(check_saturation(read_back)).fix
    assert fix.startswith("scale the inputs to [0, 1] (e.g. pixels / 255) if they are not in a small range")
    assert _saturation(check_saturation(read_back, inputs_scaled=True)).fix.startswith("the inputs are in")


def test_diagnose_of_a_saved_run_judges_the_scale_from_its_rows(data):
    """deltaprop diagnose reads the statistics back from gradients.json (no rows in them) and
    the run's data: the data say whether the inputs are scaled, as during training."""
    X, y = data
    stats = GradientStats(X, y)
    stats.record(_saturated_net(), 0)
    read_back = GradientStats.from_dict(stats.to_dict())
    scaled = _saturation(diagnose(_saturated_net(), None, X, y, read_back))
    assert scaled.fix.startswith("the inputs are in a small range already")
    raw = _saturation(diagnose(_saturated_net(), None, X * 100.0, y, read_back))
    assert raw.fix.startswith("scale the inputs (see the unscaled-inputs finding)")
