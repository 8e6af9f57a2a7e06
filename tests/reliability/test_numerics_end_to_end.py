"""|net| up to 1e4 and outputs of exactly 0 or 1, through the network's own methods and fit.

tests/core/test_numerics.py checks the bare activation and cost functions (float64 costs) and
one saturated softmax net; here every activation × cost pair that saturates goes through
``forward``, ``predict``, ``backprop``, ``cost_value``, ``evaluate`` and ``fit``, in float32 and
float64, with NumPy set to raise on overflow, division by zero and invalid operations
(underflow to 0 is allowed: it is how e^(−1e4) reaches its limit).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import costs

pytestmark = pytest.mark.filterwarnings("error")

NET_LIMIT = 1e4  # the largest |net| the weights below can produce
SIZES = [3, 4, 2]
# inputs of ±1, so that |net| = |Σ x_i w_ij| ≤ n_in · 1e4 / n_in = 1e4
X = np.array([[1.0, 1.0, 1.0], [-1.0, -1.0, -1.0], [1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])

PAIRS = [
    ("logistic", "logistic", "cross_entropy"),
    ("logistic", "logistic", "quadratic"),
    ("tanh", "softmax", "log_likelihood"),
    ("logistic", "softmax", "log_likelihood"),
    ("tanh", "tanh", "quadratic"),
    ("tanh", "logistic", "cross_entropy"),
]
DTYPES = [np.float32, np.float64]


def saturated_net(hidden: str, output: str, cost: str, dtype) -> dp.Network:
    """Weights ±1e4/n_in (biases 0): every weighted input sits at |net| ≤ 1e4, most near it."""
    net = dp.Network(SIZES, activation=hidden, output_activation=output, cost=cost, seed=0, dtype=dtype)
    net.weights = [np.sign(w) * (NET_LIMIT / w.shape[0]) for w in net.weights]
    net.biases = [np.zeros_like(b) for b in net.biases]
    return net


def wrong_targets(net: dp.Network) -> np.ndarray:
    """One-hot rows for the class each sample is *not* predicted as: the costs see a = 0 there."""
    labels = 1 - net.predict(X).argmax(axis=1)
    return np.eye(SIZES[-1])[labels]


def STRICT():  # noqa: N802
    """Overflow, division by zero and invalid operations raise; underflow to 0 is how limits are reached."""
    return np.errstate(over="raise", divide="raise", invalid="raise")


LIMITS = {"logistic": (0.0, 1.0), "tanh": (-1.0, 1.0)}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("hidden", "output", "cost"), PAIRS)
def test_forward_and_predict_reach_the_limits(hidden, output, cost, dtype):
    net = saturated_net(hidden, output, cost, dtype)
    with STRICT():
        fp = net.forward(X)
        a = net.predict(X)
    assert a.dtype == dtype and np.isfinite(a).all()
    np.testing.assert_array_equal(a, fp.a)
    assert max(np.abs(z).max() for z in fp.net) <= NET_LIMIT * (1 + 1e-6)
    for l, name in enumerate([hidden, output]):
        z, o = fp.net[l], fp.o[l + 1]
        if name == "softmax":
            # the larger of the two nets wins outright: e^(−|Δnet|) underflows to exactly 0
            far = np.abs(z[:, 0] - z[:, 1]) > 200
            np.testing.assert_array_equal(o[far], np.eye(2)[z[far].argmax(axis=1)])
            np.testing.assert_allclose(o.sum(axis=1), 1.0, rtol=1e-6)
            continue
        low, high = LIMITS[name]
        far = np.abs(z) > 200
        assert far.any()
        expected = np.where(z[far] > 0, high, low)
        np.testing.assert_allclose(o[far], expected, rtol=0, atol=100 * np.finfo(dtype).tiny)
        assert ((o >= low) & (o <= high)).all()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("hidden", "output", "cost"), PAIRS)
def test_backprop_cost_value_and_evaluate_stay_finite_at_outputs_of_0_or_1(hidden, output, cost, dtype):
    net = saturated_net(hidden, output, cost, dtype)
    Y = wrong_targets(net)
    with STRICT():
        grads = net.backprop(X, Y)
        C = net.cost_value(X, Y)
        logs = dp.evaluate(net, X, Y)
    assert all(np.isfinite(g).all() for g in [*grads.weights, *grads.biases, *grads.deltas])
    assert all(g.dtype == dtype for g in [*grads.weights, *grads.biases])
    assert math.isfinite(grads.cost) and math.isfinite(C) and math.isfinite(logs["loss"])
    assert grads.cost == pytest.approx(C, rel=1e-5) and logs["loss"] == pytest.approx(C, rel=1e-5)
    assert logs["accuracy"] == 0.0  # every target is the class not predicted
    if cost != "quadratic":
        # confident wrong answers cost a sizeable part of −ln ε (ε the dtype's eps): large, but a number
        assert C > -math.log(np.finfo(dtype).eps) / 4


@pytest.mark.parametrize("name", ["cross_entropy", "log_likelihood"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_log_costs_of_exactly_0_or_1_in_both_dtypes(name, dtype):
    a = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    y = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=dtype)
    cost = costs.get(name)
    with STRICT():
        value = cost.value(a, y)
        derivative = cost.derivative(a, y)
    # the first sample is certain and wrong, the second right: with a clipped to [ε, 1 − ε]
    # (ε the dtype's eps) the cost is −ln ε summed over the wrong terms (2 for cross-entropy, which
    # counts both outputs, 1 for log-likelihood), averaged over the 2 samples: large but finite
    wrong_terms = 2 if name == "cross_entropy" else 1
    expected = -math.log(np.finfo(dtype).eps) * wrong_terms / 2
    assert math.isfinite(value) and value == pytest.approx(expected, rel=0.01)
    assert np.isfinite(derivative).all()
    assert cost.value(y, y) == pytest.approx(0.0, abs=1e-5)  # right and certain: no cost


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("hidden", "output", "cost"), PAIRS)
def test_fit_from_saturation_keeps_every_number_finite(hidden, output, cost, dtype):
    net = saturated_net(hidden, output, cost, dtype)
    Y = wrong_targets(net)
    with STRICT():
        history = dp.fit(net, X, Y, 3, batch_size=2, learning_rate=0.5, seed=0)
    assert history.epoch == [0, 1, 2] and history.stopped_reason is None
    assert all(math.isfinite(v) for v in history.history["loss"])
    assert all(p.dtype == dtype and np.isfinite(p).all() for p in [*net.weights, *net.biases])
