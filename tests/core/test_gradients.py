"""Backprop against central differences, and the vectorised engine against the textbook loops."""

import numpy as np
import pytest
from core_cases import PAIRS, assert_engine_equals_reference, random_batch

import deltaprop as dp


def random_network(rng, depth: int, hidden: str, output: str, cost: str, seed: int) -> dp.Network:
    sizes = [int(k) for k in rng.integers(1, 6, size=depth + 1)]
    if output == "softmax" and sizes[-1] == 1:
        sizes[-1] = 3  # a softmax over one neuron is constant; its gradient is trivially 0
    return dp.Network(
        sizes, activation=hidden, output_activation=output, cost=cost, init="normal_scaled", seed=seed
    )


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize(("hidden", "output", "cost"), PAIRS)
def test_backprop_agrees_with_central_differences(hidden, output, cost, depth):
    rng = np.random.default_rng([depth, len(hidden), len(output), len(cost)])
    net = random_network(rng, depth, hidden, output, cost, seed=depth)
    X, Y = random_batch(rng, 7, net.sizes[0], net.sizes[-1], output, cost)
    # ε = 1e-5 sits near the best step for float64 central differences, (machine ε)^(1/3):
    # truncation error ~ε² and rounding error ~1e-16/ε are then both far below 1e-6, even
    # for a layer whose gradient is thousands of times smaller than the others'.
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert dp.gradient_check(net, X, Y, eps=1e-5) < 1e-6


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize(("hidden", "output", "cost"), PAIRS)
def test_vectorised_engine_equals_the_textbook_loops(hidden, output, cost, depth):
    rng = np.random.default_rng([depth, 7, len(hidden) * len(output), len(cost)])
    net = random_network(rng, depth, hidden, output, cost, seed=depth + 10)
    X, Y = random_batch(rng, 5, net.sizes[0], net.sizes[-1], output, cost)
    assert_engine_equals_reference(net, X, Y)


def test_backprop_is_pure():
    net = dp.Network([4, 5, 3], seed=1)
    X, Y = np.random.default_rng(1).normal(size=(6, 4)), np.eye(3)[[0, 1, 2, 0, 1, 2]]
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    first, second = net.backprop(X, Y), net.backprop(X, Y)
    for a, b in zip(
        first.weights + first.biases + first.deltas, second.weights + second.biases + second.deltas
    ):
        assert np.array_equal(a, b)
    assert first.cost == second.cost
    for a, b in zip(before, net.weights + net.biases):
        assert np.array_equal(a, b)


def test_gradients_have_the_shapes_of_the_parameters():
    net = dp.Network([6, 4, 3, 2], seed=2)
    grads = net.backprop(np.zeros((5, 6)), np.zeros((5, 2)))
    assert [g.shape for g in grads.weights] == [w.shape for w in net.weights]
    assert [g.shape for g in grads.biases] == [b.shape for b in net.biases]
    assert [d.shape for d in grads.deltas] == [(5, 4), (5, 3), (5, 2)]


def test_integer_labels_are_one_hot_encoded():
    net = dp.Network([3, 4, 3], output_activation="softmax", cost="log_likelihood", seed=3)
    X = np.random.default_rng(3).normal(size=(4, 3))
    by_label, by_row = net.backprop(X, [0, 2, 1, 2]), net.backprop(X, np.eye(3)[[0, 2, 1, 2]])
    assert by_label.cost == by_row.cost
    for a, b in zip(by_label.weights, by_row.weights):
        assert np.array_equal(a, b)
