"""``fit`` against a training loop written in PyTorch: the same mini-batches, the same
optimizer (SGD, momentum, Nesterov, Adam, with and without L2), the same weights after three
epochs on real data (the 8×8 digits), and the same running-mean loss per epoch.

The torch loop uses only what the documentation promises: epoch e visits the samples in the
order ``np.random.default_rng([seed, e]).permutation(n)`` cut into consecutive mini-batches
(the last one smaller), one step per mini-batch on the batch-mean cost, Nielsen's L2 decay λ/n
on the weights only (torch's ``weight_decay`` = λ/n in a parameter group of the weights), and
``loss`` the mean of the mini-batch costs weighted by their sizes, without the L2 term.
This checks the fast training step (``deltaprop.training.step``) end to end against an
independent implementation. Skipped where torch is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp

torch = pytest.importorskip("torch")

N_TRAIN = 203  # not a multiple of either batch size, so every epoch ends with a smaller batch
EPOCHS = 3
SEED = 4
L2 = 5.0

TORCH_ACTIVATIONS = {
    "logistic": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}


def torch_cost(name, a, y):
    n = a.shape[0]
    if name == "quadratic":
        return 0.5 * ((y - a) ** 2).sum() / n
    if name == "cross_entropy":
        return -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum() / n
    return -(y * torch.log(a)).sum() / n  # log_likelihood


def _groups(weights, biases, l2):
    return [{"params": weights, "weight_decay": l2 / N_TRAIN}, {"params": biases}]


OPTIMIZERS = {
    "sgd": (lambda: dp.SGD(0.3), lambda w, b: torch.optim.SGD(_groups(w, b, 0.0), lr=0.3)),
    "sgd_l2": (lambda: dp.SGD(0.3, l2=L2), lambda w, b: torch.optim.SGD(_groups(w, b, L2), lr=0.3)),
    "momentum_l2": (
        lambda: dp.Momentum(0.05, momentum=0.9, l2=L2),
        lambda w, b: torch.optim.SGD(_groups(w, b, L2), lr=0.05, momentum=0.9),
    ),
    "nesterov_l2": (
        lambda: dp.Nesterov(0.05, momentum=0.8, l2=L2),
        lambda w, b: torch.optim.SGD(_groups(w, b, L2), lr=0.05, momentum=0.8, nesterov=True),
    ),
    "adam_l2": (
        lambda: dp.Adam(0.01, l2=L2),
        lambda w, b: torch.optim.Adam(_groups(w, b, L2), lr=0.01),
    ),
}
NETWORKS = [
    ("logistic", "logistic", "cross_entropy"),  # Nielsen ch. 3
    ("tanh", "softmax", "log_likelihood"),
    ("relu", "linear", "quadratic"),
    ("logistic", "logistic", "quadratic"),  # Nielsen ch. 1
]


@pytest.fixture(scope="module")
def digits_subset():
    X, y = dp.datasets.load_digits("train")
    return X[:N_TRAIN], y[:N_TRAIN]


@pytest.mark.parametrize("batch_size", [10, 64])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize(("hidden", "output", "cost"), NETWORKS)
def test_three_epochs_of_fit_equal_a_torch_loop(digits_subset, hidden, output, cost, optimizer, batch_size):
    X, y = digits_subset
    Y = np.eye(10)[y]
    make_ours, make_theirs = OPTIMIZERS[optimizer]
    net = dp.Network([64, 20, 10], activation=hidden, output_activation=output, cost=cost, seed=1)
    weights = [torch.tensor(w.copy(), requires_grad=True) for w in net.weights]
    biases = [torch.tensor(b.copy(), requires_grad=True) for b in net.biases]
    theirs = make_theirs(weights, biases)

    history = net.fit(X, y, epochs=EPOCHS, batch_size=batch_size, optimizer=make_ours(), seed=SEED)

    losses = []
    for epoch in range(EPOCHS):
        order = np.random.default_rng([SEED, epoch]).permutation(N_TRAIN)
        total = 0.0
        for start in range(0, N_TRAIN, batch_size):
            rows = order[start : start + batch_size]
            a = torch.tensor(X[rows])
            for layer, (w, b) in enumerate(zip(weights, biases)):
                a = TORCH_ACTIVATIONS[output if layer == len(weights) - 1 else hidden](a @ w + b)
            batch_cost = torch_cost(cost, a, torch.tensor(Y[rows]))
            theirs.zero_grad()
            batch_cost.backward()
            theirs.step()
            total += batch_cost.item() * len(rows)
        losses.append(total / N_TRAIN)

    for mine, param in zip(net.weights + net.biases, weights + biases):
        np.testing.assert_allclose(mine, param.detach().numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-10)
