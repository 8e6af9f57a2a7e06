"""Cases for the core tests (a plain module, not conftest.py, so its name cannot clash with
another folder's conftest): random networks and batches of every sensible kind."""

import numpy as np

# (hidden activation, output activation, cost): every pair the engine supports, including
# the "allowed but unusual" ones (softmax with a quadratic cost, logistic with quadratic).
PAIRS = [
    (hidden, output, cost)
    for hidden in ("logistic", "tanh", "relu", "leaky_relu", "linear")
    for output, cost in [
        ("logistic", "quadratic"),
        ("logistic", "cross_entropy"),
        ("softmax", "log_likelihood"),
        ("softmax", "quadratic"),
        ("softmax", "cross_entropy"),
        ("linear", "quadratic"),
        ("tanh", "quadratic"),
    ]
]


def random_batch(rng: np.random.Generator, n: int, n_in: int, n_out: int, output: str, cost: str):
    """A batch X ``(n, n_in)`` and targets Y ``(n, n_out)`` suited to the output layer."""
    X = rng.normal(size=(n, n_in))
    if output == "softmax" or cost == "log_likelihood":
        Y = np.eye(n_out)[rng.integers(0, n_out, n)]
    elif output == "logistic" or cost == "cross_entropy":
        Y = rng.uniform(0.05, 0.95, size=(n, n_out))
    else:
        Y = rng.normal(size=(n, n_out))
    return X, Y


def assert_engine_equals_reference(net, X, Y, atol: float = 1e-12) -> None:
    """``net.backprop`` against ``deltaprop.reference.backprop`` (the textbook's per-example,
    per-neuron loops): every ∂C/∂w, ∂C/∂b, δ and the cost C to ``atol``."""
    import pytest

    from deltaprop import reference

    fast, slow = net.backprop(X, Y), reference.backprop(net, X, Y)
    for name in ("weights", "biases", "deltas"):
        for got, want in zip(getattr(fast, name), getattr(slow, name)):
            np.testing.assert_allclose(got, want, rtol=0, atol=atol, err_msg=name)
    assert fast.cost == pytest.approx(slow.cost, abs=atol)
