"""Worked examples with every weight fixed: Mazur's 2-2-2 network and an XOR network.

Each function returns ``Example(net, x, y, learning_rate, update_biases)``, ready for
``explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..network import Network


class Example(NamedTuple):
    net: Network
    x: np.ndarray  # (n_0,)
    y: np.ndarray  # (n_L,)
    learning_rate: float
    update_biases: bool


def mazur() -> Example:
    """Matt Mazur, "A Step by Step Backpropagation Example" (2015): a 2-2-2 logistic network.

    Inputs i1 = 0.05, i2 = 0.10; targets 0.01, 0.99; w1..w4 = .15 .20 .25 .30 (w1 i1→h1,
    w2 i2→h1, w3 i1→h2, w4 i2→h2), w5..w8 = .40 .45 .50 .55 (w5 h1→o1, w6 h2→o1, w7 h1→o2,
    w8 h2→o2); bias 0.35 on both hidden neurons, 0.60 on both outputs; E = ½Σ(target − out)²
    (deltaprop's quadratic cost for one example); η = 0.5; the biases are not updated.

    ``weights[l][i, j]`` is w_ij from i to j, so w1..w4 sit as ``[[w1, w3], [w2, w4]]``.
    """
    weights = [
        np.array([[0.15, 0.25], [0.20, 0.30]]),  # [[w1, w3], [w2, w4]]
        np.array([[0.40, 0.50], [0.45, 0.55]]),  # [[w5, w7], [w6, w8]]
    ]
    biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    net = Network.from_arrays(weights, biases, activation="logistic", cost="quadratic")
    return Example(net, np.array([0.05, 0.10]), np.array([0.01, 0.99]), 0.5, False)


def xor() -> Example:
    """A hand-set [2, 2, 1] logistic network for XOR, stepped on x = (1, 0), y = 1.

    Hidden neuron 1 acts as OR (w = 6, 6, b = −2.5), hidden neuron 2 as AND (w = 4, 4,
    b = −6), and the output as "OR and not AND" (w = 5, −5.5, b = −2). It already computes
    XOR roughly, giving 0.163, 0.900, 0.900 and 0.136 for (0, 0), (0, 1), (1, 0) and (1, 1);
    the step pushes its 0.900 for (1, 0) towards 1. The numbers are picked by hand, not
    trained, so that they are easy to follow. Quadratic cost, η = 0.5, biases updated.
    """
    weights = [np.array([[6.0, 4.0], [6.0, 4.0]]), np.array([[5.0], [-5.5]])]
    biases = [np.array([-2.5, -6.0]), np.array([-2.0])]
    net = Network.from_arrays(weights, biases, activation="logistic", cost="quadratic")
    return Example(net, np.array([1.0, 0.0]), np.array([1.0]), 0.5, True)


EXAMPLES = {"mazur": mazur, "xor": xor}


def is_mazur_step(trace) -> bool:
    """Whether ``trace`` is the step of Mazur's post: his network, input, targets, η and biases kept.

    Only then are the post's printed figures (0.291027924 after the step) about this step;
    another η, updated biases or any other weight gives other numbers. The network may be
    float32: its values are compared with the example's cast to the same dtype.
    """
    ex = mazur()
    if (
        list(trace.sizes) != ex.net.sizes
        or list(trace.activations) != ex.net.activation_names
        or trace.cost != ex.net.cost.name
        or trace.learning_rate != ex.learning_rate
        or trace.update_biases != ex.update_biases
        or trace.x.shape != (1, ex.x.size)
    ):
        return False
    dtype = trace.x.dtype
    pairs = [
        *zip(trace.weights_before, ex.net.weights),
        *zip(trace.biases_before, ex.net.biases),
        (trace.x[0], ex.x),
        (trace.y[0], ex.y),
    ]
    return all(np.array_equal(mine, np.asarray(theirs).astype(dtype)) for mine, theirs in pairs)


def get(name: str) -> Example:
    """The example called ``name`` (``"mazur"`` or ``"xor"``)."""
    if not isinstance(name, str) or name.lower() not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; expected one of {sorted(EXAMPLES)}")
    return EXAMPLES[name.lower()]()
