"""XOR, the problem a single-layer perceptron cannot solve, learnt by the classic loop."""

import numpy as np

import deltaprop as dp

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def train_xor(seed: int, steps: int = 4000) -> dp.Network:
    """Full-batch gradient descent with η = 2, written out with backprop and an optimizer."""
    net = dp.Network([2, 3, 1], activation="logistic", seed=seed)
    opt = dp.SGD(2.0)
    for _ in range(steps):
        opt.step(net, net.backprop(X, Y))
    return net


def test_xor_is_learnt_to_a_small_cost():
    # Not a lucky seed: of seeds 0-9, nine end below 0.01 after these 4000 steps (0.0003 to
    # 0.0011); seed 2 stalls at 0.063, in the local minimum that [2, 3, 1] XOR nets can reach.
    net = train_xor(seed=1)
    assert net.cost_value(X, Y) < 0.01
    np.testing.assert_array_equal(net.predict_classes(X), [0, 1, 1, 0])


def test_seeded_runs_are_bit_identical():
    a, b = train_xor(seed=1, steps=300), train_xor(seed=1, steps=300)
    for x, y in zip(a.weights + a.biases, b.weights + b.biases):
        assert np.array_equal(x, y)
