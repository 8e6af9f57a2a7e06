"""Per-sample weights in backprop: C = Σ_x s_x C_x / Σ_x s_x, as scikit-learn's MLP defines it.

Checked against PyTorch's autograd on losses with ``reduction="none"`` (their weighted sum
divided by Σ s), against repeated rows (s_x = 2 is the row twice), against the unweighted
backprop (s ≡ 1 and s ≡ 2 bit for bit, s ≡ 0.3 to 1e-15), and the boundary's messages; the
fast training step's weighted gradient against torch too.
"""

from __future__ import annotations

import numpy as np
import pytest
from core_cases import random_batch

import deltaprop as dp
from deltaprop.costs import per_sample_costs, weighted_cost
from deltaprop.training import fast_step
from deltaprop.training.fast_step import FastStep

torch = pytest.importorskip("torch")
F = torch.nn.functional

N_SAMPLES = 9
# The three pairs whose output δ takes the a − y short cut, and one that does not.
CASES = [
    ("logistic", "quadratic"),
    ("logistic", "cross_entropy"),
    ("softmax", "log_likelihood"),
    ("tanh", "quadratic"),
]
TORCH_SIGMA = {"logistic": torch.sigmoid, "tanh": torch.tanh, "softmax": lambda z: torch.softmax(z, dim=1)}


def torch_per_sample(cost: str, output: str, z, y):
    """C_x for every sample, from torch's own losses with ``reduction="none"``."""
    if cost == "quadratic":
        return 0.5 * F.mse_loss(TORCH_SIGMA[output](z), y, reduction="none").sum(dim=1)
    if cost == "cross_entropy":
        return F.binary_cross_entropy_with_logits(z, y, reduction="none").sum(dim=1)
    assert cost == "log_likelihood" and output == "softmax"
    return F.cross_entropy(z, y, reduction="none")  # y: probabilities (one-hot rows)


def torch_weighted_backprop(net: dp.Network, X, Y, s):
    """C = Σ s_x C_x / Σ s_x, ∂C/∂w and ∂C/∂b by torch's autograd."""
    weights = [torch.tensor(w, requires_grad=True) for w in net.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in net.biases]
    o = torch.tensor(X)
    for l, (w, b) in enumerate(zip(weights, biases)):
        z = o @ w + b
        if l < net.n_layers - 1:
            o = torch.tanh(z)
    weight = torch.tensor(s)
    cost = (weight * torch_per_sample(net.cost.name, net.activation_names[-1], z, torch.tensor(Y))).sum()
    cost = cost / weight.sum()
    cost.backward()
    return cost.item(), [w.grad.numpy() for w in weights], [b.grad.numpy() for b in biases]


def _weights(rng, n=N_SAMPLES):
    s = rng.uniform(0.0, 3.0, size=n)
    s[2] = 0.0  # a sample that does not count
    return s


@pytest.mark.parametrize(("output", "cost"), CASES)
def test_weighted_gradients_equal_torch_autograd(output, cost):
    rng = np.random.default_rng(5)
    net = dp.Network([4, 6, 5, 3], activation="tanh", output_activation=output, cost=cost, seed=2)
    X, Y = random_batch(rng, N_SAMPLES, 4, 3, output, cost)
    s = _weights(rng)
    with np.errstate(all="raise"):
        grads = net.backprop(X, Y, sample_weight=s)
    C, gw, gb = torch_weighted_backprop(net, X, Y, s)
    assert grads.cost == pytest.approx(C, rel=1e-12, abs=1e-14)
    for l in range(net.n_layers):
        np.testing.assert_allclose(grads.weights[l], gw[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(grads.biases[l], gb[l], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("output", "cost"), CASES)
def test_deltas_are_each_samples_delta_scaled_by_its_weight(output, cost):
    rng = np.random.default_rng(1)
    net = dp.Network([4, 6, 3], output_activation=output, cost=cost, seed=1)
    X, Y = random_batch(rng, N_SAMPLES, 4, 3, output, cost)
    s = _weights(rng)
    plain, weighted = net.backprop(X, Y), net.backprop(X, Y, sample_weight=s)
    for l in range(net.n_layers):
        np.testing.assert_allclose(weighted.deltas[l], plain.deltas[l] * s[:, None], rtol=1e-13, atol=1e-15)
    assert not weighted.deltas[-1][2].any()


@pytest.mark.parametrize(("output", "cost"), CASES)
@pytest.mark.parametrize("c", [1.0, 2.0, 0.3])
def test_equal_weights_are_the_unweighted_step(output, cost, c):
    """s ≡ c: scaling δ by c and dividing by c·n. Exact for c = 1 and 2 (powers of two scale
    without rounding); to 1e-15 for 0.3."""
    rng = np.random.default_rng(3)
    net = dp.Network([4, 6, 3], output_activation=output, cost=cost, seed=3)
    X, Y = random_batch(rng, N_SAMPLES, 4, 3, output, cost)
    plain, weighted = net.backprop(X, Y), net.backprop(X, Y, sample_weight=np.full(N_SAMPLES, c))
    for g, h in zip(plain.weights + plain.biases, weighted.weights + weighted.biases):
        if c in (1.0, 2.0):
            np.testing.assert_array_equal(h, g)
        else:
            np.testing.assert_allclose(h, g, rtol=1e-15, atol=1e-16)
    assert weighted.cost == pytest.approx(plain.cost, rel=1e-15)


def test_unit_weights_in_float32_give_the_same_gradients_and_c_to_rounding():
    """As network.py says: gradients bit for bit; C to float32's rounding, not bit for bit
    (the weighted C is summed in float64, the plain one in the network's dtype)."""
    net = dp.Network([5, 8, 3], seed=1, dtype=np.float32)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 5)), rng.integers(0, 3, 100)
    plain, weighted = net.backprop(X, y), net.backprop(X, y, sample_weight=np.ones(100))
    for g, h in zip(plain.weights + plain.biases, weighted.weights + weighted.biases):
        np.testing.assert_array_equal(h, g)
    assert weighted.cost == pytest.approx(plain.cost, rel=1e-6)


@pytest.mark.parametrize(("output", "cost"), CASES)
def test_integer_weights_equal_repeated_rows(output, cost):
    """s_x = 2 is the row x twice in the batch, 0 is the row left out: one full-batch step."""
    rng = np.random.default_rng(8)
    net = dp.Network([4, 6, 3], output_activation=output, cost=cost, seed=4)
    X, Y = random_batch(rng, N_SAMPLES, 4, 3, output, cost)
    s = rng.integers(0, 4, size=N_SAMPLES)
    s[0] = 2
    rows = np.repeat(np.arange(N_SAMPLES), s)
    weighted, repeated = net.backprop(X, Y, sample_weight=s), net.backprop(X[rows], Y[rows])
    assert weighted.cost == pytest.approx(repeated.cost, rel=1e-13)
    for g, h in zip(repeated.weights + repeated.biases, weighted.weights + weighted.biases):
        np.testing.assert_allclose(h, g, rtol=1e-13, atol=1e-15)
    a, b = net.copy(), net.copy()
    dp.SGD(0.5).step(a, weighted)
    dp.SGD(0.5).step(b, repeated)
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_allclose(wa, wb, rtol=1e-13, atol=1e-15)


def test_per_sample_costs_average_to_the_cost():
    rng = np.random.default_rng(0)
    for output, cost in CASES:
        net = dp.Network([4, 3], output_activation=output, cost=cost, seed=0)
        X, Y = random_batch(rng, N_SAMPLES, 4, 3, output, cost)
        a = net.predict(X)
        per = per_sample_costs(net.cost, a, Y)
        assert per.shape == (N_SAMPLES,)
        assert per.mean() == pytest.approx(net.cost.value(a, Y), rel=1e-14)
        assert weighted_cost(net.cost, a, Y, np.zeros(N_SAMPLES), 0.0) == 0.0


def test_zero_total_weight_gives_zero_gradients_inside_the_core():
    """Checked arrays (what fit's step hands over): weights summing to 0 weigh nothing."""
    net = dp.Network([3, 2], seed=0)
    X, Y = np.ones((4, 3)), np.zeros((4, 2))
    grads = net._backprop(X, Y, np.zeros(4))
    assert grads.cost == 0.0
    assert all(not g.any() for g in grads.weights + grads.biases)


BAD = [
    ([1.0, 2.0], ValueError, r"sample_weight has 2 weights, but X has 4 samples"),
    ([[1.0] * 4], ValueError, r"sample_weight must be 1-D.*shape \(1, 4\)"),
    ([1.0, -0.5, 1.0, 1.0], ValueError, r"sample_weight must be ≥ 0; got -0.5 at index 1"),
    ([1.0, np.nan, 1.0, 1.0], ValueError, r"sample_weight contains NaN.*index \(1,\): nan"),
    ([1.0, 1.0, np.inf, 1.0], ValueError, r"sample_weight contains NaN or infinity.*inf"),
    ([0, 0, 0, 0], ValueError, r"sample_weight is all 0"),
    (["a", "b", "c", "d"], TypeError, r"sample_weight must hold numbers"),
]


@pytest.mark.parametrize(("s", "error", "match"), BAD)
def test_bad_weights_are_refused_by_name(s, error, match):
    net = dp.Network([3, 2], seed=0)
    with pytest.raises(error, match=match):
        net.backprop(np.ones((4, 3)), np.zeros((4, 2)), sample_weight=s)


def test_float32_weights_beyond_its_range_are_refused():
    net = dp.Network([3, 2], seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match=r"sample_weight holds 1e\+39"):
        net.backprop(np.ones((2, 3)), np.zeros((2, 2)), sample_weight=[1.0, 1e39])


# --- the fast training step, both of its update paths ------------------------------------------

SCIPY = [True, False] if fast_step._scipy_blas is not None else [False]


class _Recorder(dp.SGD):
    """An optimizer that keeps the Gradients it is handed (and applies nothing)."""

    def step(self, net, grads):
        self.grads = ([g.copy() for g in grads.weights], [g.copy() for g in grads.biases])


@pytest.mark.parametrize("use_scipy", SCIPY)
@pytest.mark.parametrize(("output", "cost"), CASES[:3])
def test_weighted_fast_step_gradients_equal_torch(output, cost, use_scipy):
    """The fast step's gradient read both ways — the Gradients it hands a stateful optimizer,
    and the fused SGD update w − η ∂C/∂w with η = 1 — against torch's autograd, to 1e-12."""
    rng = np.random.default_rng(6)
    net = dp.Network([4, 6, 5, 3], activation="tanh", output_activation=output, cost=cost, seed=6)
    X, Y = random_batch(rng, N_SAMPLES, 4, 3, output, cost)
    s = _weights(rng)
    C, gw, gb = torch_weighted_backprop(net, X, Y, s)
    recorder = _Recorder(1.0, momentum=0.5)  # momentum > 0: the Gradients path
    fused = net.copy()
    with np.errstate(all="raise"):
        assert FastStep(net, recorder, N_SAMPLES, use_scipy=use_scipy)(X, Y, None, s) == pytest.approx(
            C, rel=1e-12
        )
        FastStep(fused, dp.SGD(1.0), N_SAMPLES, use_scipy=use_scipy)(X, Y, None, s)
    for l in range(net.n_layers):
        np.testing.assert_allclose(recorder.grads[0][l], gw[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(recorder.grads[1][l], gb[l], rtol=1e-12, atol=1e-14)
        # w − (w − g): the subtraction loses the bits of w beyond g's scale (|w| ≲ 3)
        np.testing.assert_allclose(net.weights[l] - fused.weights[l], gw[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.biases[l] - fused.biases[l], gb[l], rtol=1e-12, atol=1e-14)
