"""Numerics at the extremes, against PyTorch's numerically stable losses, and the ReLU
derivatives at net = 0 against torch's (the whole module needs torch; the tests that do not
are in test_predict.py and test_gradcheck.py, so they run where torch is not installed).

Torch's stable losses take the logits net, not the probabilities: ``log_softmax`` for the
log-likelihood, ``binary_cross_entropy_with_logits`` for the cross-entropy. Their gradients
with respect to net are a − y, which is deltaprop's output δ for these pairs, so δ, ∂C/∂w
and ∂C/∂b must agree at any |net|. The *cost* deltaprop reports is a function of a with
the probabilities clipped to [ε, 1 − ε] (house style; scikit-learn's MLP does the same): it
equals torch's while −ln a < −ln ε (36.04 in float64, 15.94 in float32) and is capped there
beyond, where torch's keeps growing with |net|. Both facts are tested below.

Strict numerics: overflow, division by zero and invalid operations raise; underflow to 0 is
how e^(−1600) reaches its limit, so it is allowed.
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import activations

torch = pytest.importorskip("torch")

STRICT = dict(over="raise", divide="raise", invalid="raise")
# |net| far past the exp bounds: 708 (float64), 87 (float32)
HUGE = {np.float64: 800.0, np.float32: 100.0}
GRAD_TOL = {np.float64: dict(rtol=1e-12, atol=1e-12), np.float32: dict(rtol=1e-5, atol=1e-5)}


def one_layer(w, b, dtype, **kwargs) -> dp.Network:
    """A network of one layer of weights, so that net = X w + b can be set exactly."""
    return dp.Network.from_arrays([np.asarray(w, dtype)], [np.asarray(b, dtype)], dtype=dtype, **kwargs)


def torch_grads(net: dp.Network, X, loss_of_net):
    """∂loss/∂w, ∂loss/∂b and ∂loss/∂net of a one-layer network, by autograd."""
    w = torch.tensor(net.weights[0], requires_grad=True)
    b = torch.tensor(net.biases[0], requires_grad=True)
    z = torch.tensor(X) @ w + b
    z.retain_grad()
    loss = loss_of_net(z)
    loss.backward()
    return loss.item(), w.grad.numpy(), b.grad.numpy(), z.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_log_likelihood_at_huge_net_equals_torch_log_softmax(dtype):
    big = HUGE[dtype]
    # net rows: (big, −big, 0) for x = 1, its negative for x = −1, moderate ones for x = 0.5
    net = one_layer([[1.0, -1.0, 0.0]], [0.0, 0.0, 0.1], dtype, activation="softmax", cost="log_likelihood")
    X = np.array([[big], [-big], [0.5], [big]], dtype)
    labels = np.array([1, 0, 2, 0])  # wrong, wrong, moderate, right
    with np.errstate(**STRICT):
        grads = net.backprop(X, labels)
    Y = torch.nn.functional.one_hot(torch.tensor(labels), 3).to(torch.tensor(X).dtype)
    loss, g_w, g_b, g_net = torch_grads(net, X, lambda z: -(Y * torch.log_softmax(z, 1)).sum() / len(X))

    for mine in grads.weights + grads.biases + grads.deltas + [grads.a]:
        assert np.isfinite(mine).all()
    np.testing.assert_allclose(grads.deltas[0], len(X) * g_net, **GRAD_TOL[dtype])
    np.testing.assert_allclose(grads.weights[0], g_w, **GRAD_TOL[dtype])
    np.testing.assert_allclose(grads.biases[0], g_b, **GRAD_TOL[dtype])
    # the cost: finite, and capped at −ln ε per sample where the prediction is hopelessly wrong
    cap = -np.log(np.finfo(dtype).eps)
    assert np.isfinite(grads.cost) and grads.cost <= loss
    assert grads.cost == pytest.approx((2 * cap - np.log(net.predict(X[2:3])[0, 2])) / 4, rel=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_costs_equal_torch_where_nothing_is_clipped(dtype):
    """Margins below the clip: deltaprop's C equals torch's logit-based losses."""
    rng = np.random.default_rng(0)
    # −ln a stays below −ln ε (and, in float32, 1 − a keeps most of its digits)
    margin = 15.0 if dtype == np.float64 else 6.0
    X = rng.uniform(-1, 1, size=(9, 1)).astype(dtype)
    net = one_layer(
        [[margin, -margin, 0.0]], [0.0, 0.0, 0.0], dtype, activation="softmax", cost="log_likelihood"
    )
    labels = rng.integers(0, 3, 9)
    grads = net.backprop(X, labels)
    Y = torch.nn.functional.one_hot(torch.tensor(labels), 3).to(torch.tensor(X).dtype)
    loss = torch_grads(net, X, lambda z: -(Y * torch.log_softmax(z, 1)).sum() / len(X))[0]
    assert grads.cost == pytest.approx(loss, rel=1e-12 if dtype == np.float64 else 2e-6)

    net = one_layer([[margin]], [0.0], dtype, activation="logistic", cost="cross_entropy")
    Y01 = rng.integers(0, 2, (9, 1)).astype(dtype)
    grads = net.backprop(X, Y01)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    loss = torch_grads(net, X, lambda z: bce(z, torch.tensor(Y01), reduction="sum") / len(X))[0]
    assert grads.cost == pytest.approx(loss, rel=1e-10 if dtype == np.float64 else 1e-4)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logistic_cross_entropy_at_huge_net_equals_torch_bce_with_logits(dtype):
    big = HUGE[dtype]
    net = one_layer([[1.0]], [0.0], dtype, activation="logistic", cost="cross_entropy")
    X = np.array([[big], [-big], [big], [-big], [0.3]], dtype)
    Y = np.array([[0.0], [1.0], [1.0], [0.0], [0.7]], dtype)
    with np.errstate(**STRICT):
        grads = net.backprop(X, Y)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    loss, g_w, g_b, g_net = torch_grads(net, X, lambda z: bce(z, torch.tensor(Y), reduction="sum") / len(X))
    assert np.isfinite(grads.cost) and grads.cost <= loss
    np.testing.assert_allclose(grads.deltas[0], len(X) * g_net, **GRAD_TOL[dtype])
    np.testing.assert_allclose(grads.weights[0], g_w, **GRAD_TOL[dtype])
    np.testing.assert_allclose(grads.biases[0], g_b, **GRAD_TOL[dtype])
    # the right answers cost (almost) nothing, the wrong ones are capped at −ln ε each
    assert grads.deltas[0][[2, 3], 0] == pytest.approx([0.0, 0.0], abs=1e-30)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_saturated_tanh_and_linear_regression_equal_torch(dtype):
    """tanh at |net| = 40 (σ' = 1 − a² = 0 in both) under a linear output and the quadratic cost."""
    w0 = np.array([[20.0, -20.0, 0.4]], dtype)
    w1 = np.array([[0.5, -1.0], [0.25, 2.0], [1.5, 0.5]], dtype)
    net = dp.Network.from_arrays(
        [w0, w1],
        [np.zeros(3, dtype), np.array([0.1, -0.2], dtype)],
        activation="tanh",
        output_activation="linear",
        cost="quadratic",
        dtype=dtype,
    )
    X = np.array([[2.0], [-2.0], [0.1]], dtype)
    Y = np.array([[1.0, -1.0], [0.5, 3.0], [-2.0, 0.0]], dtype)
    with np.errstate(**STRICT):
        grads = net.backprop(X, Y)
    params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
    a = torch.tanh(torch.tensor(X) @ params[0] + params[2]) @ params[1] + params[3]
    loss = torch.nn.functional.mse_loss(a, torch.tensor(Y), reduction="sum") / (2 * len(X))
    loss.backward()
    assert grads.cost == pytest.approx(loss.item(), rel=1e-12 if dtype == np.float64 else 1e-6)
    for mine, p in zip(grads.weights + grads.biases, params):
        np.testing.assert_allclose(mine, p.grad.numpy(), **GRAD_TOL[dtype])
    # the saturated units (the first two samples, the first two hidden neurons) pass back no δ
    assert grads.deltas[0][:2, :2].tolist() == [[0.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize(
    ("name", "torch_fn", "slope_at_0"),
    [
        ("relu", torch.relu, 0.0),
        (
            "leaky_relu",
            lambda z: torch.nn.functional.leaky_relu(z, activations.LEAKY_SLOPE),
            activations.LEAKY_SLOPE,
        ),
    ],
)
def test_relu_derivative_at_exactly_zero_is_torchs(name, torch_fn, slope_at_0):
    """net = 0 exactly in the hidden layer: torch's convention σ'(0) = 0 (relu), α (leaky_relu)."""
    w0 = np.array([[1.0, -1.0, 0.0], [1.0, 1.0, 0.0]])  # x = (1, −1): net = (0, −2, 0)
    b0 = np.array([0.0, 0.0, 0.0])
    w1 = np.array([[0.7], [-0.3], [0.2]])
    net = dp.Network.from_arrays([w0, w1], [b0, np.array([0.1])], activation=name, output_activation="linear")
    X, Y = np.array([[1.0, -1.0]]), np.array([[2.0]])
    grads = net.backprop(X, Y)
    assert net.forward(X).net[0][0].tolist() == [0.0, -2.0, 0.0]
    params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
    a = torch_fn(torch.tensor(X) @ params[0] + params[2]) @ params[1] + params[3]
    (0.5 * ((a - torch.tensor(Y)) ** 2).sum()).backward()
    for mine, p in zip(grads.weights + grads.biases, params):
        np.testing.assert_allclose(mine, p.grad.numpy(), rtol=1e-15, atol=0)
    # δ of the neuron at net = 0 is σ'(0) · w δ_out, δ_out = a − y
    # (a = 0.7·0 − 0.3·σ(−2) + 0.2·0 + 0.1: 0.1 for relu, 0.106 for leaky_relu)
    a_out = -0.3 * (slope_at_0 * -2.0) + 0.1
    assert grads.deltas[0][0, 0] == pytest.approx(slope_at_0 * 0.7 * (a_out - 2.0), abs=1e-15)
