"""Adam's update runs in place, and its numbers are the rule's as written, to the bit."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from memory_peak import peak_bytes


def literal_adam(w, m, v, g, t, eta=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    """Kingma & Ba's update with a temporary for every term, as the docstring writes it."""
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * (g * g)
    m_hat, v_hat = m / (1.0 - beta1**t), v / (1.0 - beta2**t)
    return w - eta * m_hat / (np.sqrt(v_hat) + eps), m, v


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_three_steps_give_the_written_rules_bits(dtype):
    rng = np.random.default_rng(0)
    net = dp.Network([5, 4], activation="linear", seed=0, dtype=dtype)
    w, b = net.weights[0].copy(), net.biases[0].copy()
    m_w, v_w, m_b, v_b = (np.zeros_like(a) for a in (w, w, b, b))
    adam = dp.Adam(0.01)
    for t in (1, 2, 3):
        grads = net.backprop(rng.random((6, 5)).astype(dtype), rng.random((6, 4)).astype(dtype))
        adam.step(net, grads)
        w, m_w, v_w = literal_adam(w, m_w, v_w, grads.weights[0], t)
        b, m_b, v_b = literal_adam(b, m_b, v_b, grads.biases[0], t)
        np.testing.assert_array_equal(net.weights[0], w)
        np.testing.assert_array_equal(net.biases[0], b)
        assert net.weights[0].dtype == dtype


def test_a_step_after_the_first_makes_no_array_the_size_of_w():
    net = dp.Network([400, 300], activation="linear", seed=0)
    grads = net.backprop(np.ones((2, 400)), np.ones((2, 300)))
    adam = dp.Adam()
    adam.step(net, grads)  # the first makes the moments and the scratch arrays
    peak, _ = peak_bytes(lambda: adam.step(net, grads))
    # with a temporary per term, a step made ~9 arrays of w's 960 kB at once
    assert peak < net.weights[0].nbytes / 4, peak
