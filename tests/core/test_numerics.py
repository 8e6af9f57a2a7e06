"""Numerical edge cases: huge weighted inputs, outputs of exactly 0 or 1, and invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import deltaprop as dp
from deltaprop import activations, costs

HUGE = np.array([[-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_reach_their_limits_without_overflow(dtype):
    net = HUGE.astype(dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        a = activations.get("logistic").forward(net)
        # σ(−800) is below the smallest normal number; the sigmoid's overflow guard returns
        # a value within a hundred of those of it, which is 0 for every practical purpose.
        np.testing.assert_allclose(a[0, [0, 1]], [0.0, 0.0], rtol=0, atol=100 * np.finfo(dtype).tiny)
        np.testing.assert_array_equal(a[0, [5, 6]], [1.0, 1.0])
        assert a[0, 3] == 0.5
        np.testing.assert_array_equal(activations.get("tanh").forward(net)[0, [0, 6]], [-1.0, 1.0])
        s = activations.get("softmax").forward(net)
        assert s[0, 6] == 1.0 and s[0, :6].max() == 0.0  # e^(800 − 1e4) underflows to 0
        assert np.isfinite(s).all() and s.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["cross_entropy", "log_likelihood"])
def test_log_costs_stay_finite_at_outputs_of_exactly_0_or_1(name):
    a = np.array([[0.0, 1.0], [1.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    cost = costs.get(name)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert np.isfinite(cost.value(a, y)) and cost.value(a, y) > 10  # badly wrong: a large cost
        assert np.isfinite(cost.derivative(a, y)).all()


def test_a_saturated_network_still_gives_finite_gradients():
    net = dp.Network([3, 4, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    net.weights = [w * 1e4 for w in net.weights]
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        grads = net.backprop(np.ones((2, 3)), [0, 1])
    assert all(np.isfinite(g).all() for g in grads.weights + grads.biases)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (4, 5), elements=st.floats(-1e4, 1e4)))
def test_softmax_rows_sum_to_one(net):
    a = activations.get("softmax").forward(net)
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-12)
    assert (a >= 0).all()


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_predictions_do_not_depend_on_batch_split_or_order(split, seed):
    rng = np.random.default_rng(seed)
    net = dp.Network([5, 6, 3], activation="relu", output_activation="softmax", seed=seed % 100)
    X = rng.normal(size=(13, 5))
    whole = net.predict(X)
    pieces = np.vstack([net.predict(X[:split]), net.predict(X[split:])]) if split < 13 else net.predict(X)
    np.testing.assert_allclose(pieces, whole, rtol=1e-13, atol=1e-15)
    order = rng.permutation(13)
    np.testing.assert_allclose(net.predict(X[order]), whole[order], rtol=1e-13, atol=1e-15)
