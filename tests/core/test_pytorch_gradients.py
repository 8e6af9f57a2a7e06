"""Differential tests against PyTorch's autograd: C, ∂C/∂w, ∂C/∂b and every δ, and the
optimizers' L2 decay against ``torch.optim``'s ``weight_decay``.

The costs are written out for torch from their textbook definitions (not from deltaprop's
code), averaged over the n samples of the batch:

* quadratic       C = 1/(2n) Σ_x Σ_j (y_j − a_j)²
* cross_entropy   C = −1/n Σ_x Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]
* log_likelihood  C = −1/n Σ_x Σ_j y_j ln a_j      (= −1/n Σ_x ln a_{y(x)} for one-hot y)

``Gradients.deltas[l]`` is the per-sample δ = ∂C_x/∂net, so it is n times torch's gradient of
the batch mean C with respect to the weighted inputs. Skipped where torch is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest
from core_cases import random_batch

import deltaprop as dp

torch = pytest.importorskip("torch")

LEAKY_SLOPE = 0.01  # deltaprop's α for leaky_relu (activations.LEAKY_SLOPE), torch's default too
N_SAMPLES = 7

TORCH_ACTIVATIONS = {
    "logistic": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, LEAKY_SLOPE),
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}


def torch_cost(name: str, a, y):
    n = a.shape[0]
    if name == "quadratic":
        return 0.5 * ((y - a) ** 2).sum() / n
    if name == "cross_entropy":
        return -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum() / n
    assert name == "log_likelihood"
    return -(y * torch.log(a)).sum() / n


def torch_backprop(net: dp.Network, X: np.ndarray, Y: np.ndarray):
    """C, [∂C/∂w], [∂C/∂b] and [∂C/∂net] of the batch-mean cost, by torch's autograd."""
    weights = [torch.tensor(w, requires_grad=True) for w in net.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in net.biases]
    o, nets = torch.tensor(X), []
    for w, b, name in zip(weights, biases, net.activation_names):
        z = o @ w + b
        z.retain_grad()
        nets.append(z)
        o = TORCH_ACTIVATIONS[name](z)
    cost = torch_cost(net.cost.name, o, torch.tensor(Y))
    cost.backward()
    return (
        cost.item(),
        [w.grad.numpy() for w in weights],
        [b.grad.numpy() for b in biases],
        [z.grad.numpy() for z in nets],
    )


# Every hidden activation, with every output/cost pair a practitioner would pick, plus the
# unusual-but-allowed ones (softmax with quadratic or cross-entropy, logistic with log-likelihood),
# whose output δ cannot take the a − y short cut.
HIDDEN = ["logistic", "tanh", "relu", "leaky_relu", "linear"]
OUTPUT_COST = [
    ("logistic", "quadratic"),
    ("logistic", "cross_entropy"),
    ("logistic", "log_likelihood"),
    ("softmax", "log_likelihood"),
    ("softmax", "cross_entropy"),
    ("softmax", "quadratic"),
    ("linear", "quadratic"),
    ("tanh", "quadratic"),
]


@pytest.mark.parametrize("depth", [1, 2])  # hidden layers
@pytest.mark.parametrize(("output", "cost"), OUTPUT_COST)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backprop_equals_torch_autograd(hidden, output, cost, depth):
    rng = np.random.default_rng([depth, len(hidden), len(output), len(cost)])
    sizes = [5, *([6] * depth), 4]
    net = dp.Network(
        sizes, activation=hidden, output_activation=output, cost=cost, init="glorot_normal", seed=depth
    )
    X, Y = random_batch(rng, N_SAMPLES, sizes[0], sizes[-1], output, cost)

    with np.errstate(over="raise", divide="raise", invalid="raise"):
        grads = net.backprop(X, Y)
    cost_ref, grad_w, grad_b, grad_net = torch_backprop(net, X, Y)

    assert grads.cost == pytest.approx(cost_ref, rel=1e-12, abs=1e-14)
    for l in range(net.n_layers):
        scale = max(np.abs(grad_w[l]).max(), np.abs(grad_b[l]).max(), 1e-3)
        np.testing.assert_allclose(grads.weights[l], grad_w[l], rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(grads.biases[l], grad_b[l], rtol=0, atol=1e-12 * scale)
        per_sample = N_SAMPLES * grad_net[l]  # δ = ∂C_x/∂net, torch differentiates the mean
        np.testing.assert_allclose(
            grads.deltas[l], per_sample, rtol=0, atol=1e-12 * max(np.abs(per_sample).max(), 1e-3)
        )


def test_integer_labels_give_torchs_nll_loss_gradient():
    """Labels ``(n,)`` with softmax + log-likelihood are torch's ``cross_entropy`` on the logits."""
    rng = np.random.default_rng(0)
    net = dp.Network([6, 8, 5], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=2)
    X, labels = rng.normal(size=(11, 6)), rng.integers(0, 5, 11)
    grads = net.backprop(X, labels)

    weights = [torch.tensor(w, requires_grad=True) for w in net.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in net.biases]
    logits = torch.tanh(torch.tensor(X) @ weights[0] + biases[0]) @ weights[1] + biases[1]
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    assert grads.cost == pytest.approx(loss.item(), rel=1e-12)
    for mine, theirs in zip(grads.weights + grads.biases, weights + biases):
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-10, atol=1e-14)


# --- optimizers with L2: Nielsen's λ/n against torch's weight_decay on the weights only -----

N_TRAIN = 40
L2 = 3.0  # λ; the decay of ∂C/∂w is λ/n = 0.075

OPTIMIZERS = {
    "sgd": (
        lambda: dp.SGD(0.05, l2=L2, n_train=N_TRAIN),
        lambda w, b: torch.optim.SGD([{"params": w, "weight_decay": L2 / N_TRAIN}, {"params": b}], lr=0.05),
    ),
    "momentum": (
        lambda: dp.Momentum(0.05, momentum=0.9, l2=L2, n_train=N_TRAIN),
        lambda w, b: torch.optim.SGD(
            [{"params": w, "weight_decay": L2 / N_TRAIN}, {"params": b}], lr=0.05, momentum=0.9
        ),
    ),
    "nesterov": (
        lambda: dp.Nesterov(0.05, momentum=0.8, l2=L2, n_train=N_TRAIN),
        lambda w, b: torch.optim.SGD(
            [{"params": w, "weight_decay": L2 / N_TRAIN}, {"params": b}], lr=0.05, momentum=0.8, nesterov=True
        ),
    ),
    "adam": (
        lambda: dp.Adam(0.01, l2=L2, n_train=N_TRAIN),
        # torch's Adam adds weight_decay · w to the gradient (L2), unlike AdamW's decoupled decay.
        lambda w, b: torch.optim.Adam([{"params": w, "weight_decay": L2 / N_TRAIN}, {"params": b}], lr=0.01),
    ),
}


def make_network() -> dp.Network:
    return dp.Network(
        [4, 5, 3], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=5
    )


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_l2_decay_equals_torch_weight_decay_on_the_weights_only(name):
    """Five steps from gradients of a changing network; biases are not decayed in either."""
    make_ours, make_theirs = OPTIMIZERS[name]
    net = make_network()
    weights = [torch.tensor(w.copy()) for w in net.weights]
    biases = [torch.tensor(b.copy()) for b in net.biases]
    ours, theirs = make_ours(), make_theirs(weights, biases)
    rng = np.random.default_rng(1)
    for _ in range(5):
        X, labels = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
        grads = net.backprop(X, labels)  # the gradient at deltaprop's current weights
        for param, grad in zip(weights + biases, grads.weights + grads.biases):
            param.grad = torch.tensor(grad)
        theirs.step()
        ours.step(net, grads)
        for mine, param in zip(net.weights + net.biases, weights + biases):
            np.testing.assert_allclose(mine, param.numpy(), rtol=1e-12, atol=1e-14)
    assert np.abs(net.weights[0] - make_network().weights[0]).max() > 1e-3  # the steps really moved
