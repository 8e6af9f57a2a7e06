"""``net.fit`` against the training loop a PyTorch user writes: ``torch.nn.Linear`` layers given
deltaprop's initial weights, torch's own losses (``F.cross_entropy`` on the logits for a softmax
output with the log-likelihood cost, ``F.mse_loss`` for logistic outputs with the quadratic
cost) and ``torch.optim`` (SGD, momentum, Nesterov, Adam), on 1,000 real MNIST images, the
batches in the order the README promises (``np.random.default_rng([seed, e]).permutation(n)``).

The other torch tests build the costs by hand; this one uses only what a torch user reaches
for. Two conversions, both documented: ``nn.Linear`` stores w transposed ((n_out, n_in), so
``weight.T`` is deltaprop's ``weights[l]``, w_ij from neuron i to neuron j), and ``mse_loss``
averages over the outputs too, where Nielsen's quadratic cost sums ½(y − a)² over them: the
same gradient up to the factor n_out / 2. After whole epochs in float64 the weights agree to
rounding (1e-10).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import deltaprop as dp

torch = pytest.importorskip("torch")
F = torch.nn.functional

pytestmark = pytest.mark.mnist

N_SAMPLES = 1000
N_OUT = 10
SEED = 3


@pytest.fixture(scope="module")
def mnist_subset():
    root = os.environ.get("DELTAPROP_DATA")
    if not root or not (Path(root) / "mnist" / "train-images-idx3-ubyte.gz").exists():
        pytest.skip("real MNIST not found: set DELTAPROP_DATA to a folder holding mnist/train-*-ubyte.gz")
    X, y = dp.datasets.load_mnist("train", data_dir=root, download=False)
    return X[:N_SAMPLES].astype(np.float64), y[:N_SAMPLES]


def torch_layers(net: dp.Network) -> list:
    """``nn.Linear`` layers holding ``net``'s weights (transposed: torch's are (n_out, n_in))."""
    layers = []
    for w, b in zip(net.weights, net.biases):
        layer = torch.nn.Linear(*w.shape, dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(w.T))
            layer.bias.copy_(torch.from_numpy(b))
        layers.append(layer)
    return layers


OPTIMIZERS = {  # deltaprop's and torch.optim's, with the same hyperparameters
    "sgd": (lambda: dp.SGD(0.5), lambda p: torch.optim.SGD(p, lr=0.5)),
    "momentum": (lambda: dp.Momentum(0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    "nesterov": (
        lambda: dp.Nesterov(0.1, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    ),
    "adam": (lambda: dp.Adam(0.001), lambda p: torch.optim.Adam(p, lr=0.001)),
}

SETUPS = {  # hidden, output, cost, init, and the torch loss of the output layer's net (its logits)
    "softmax+log_likelihood": (
        "relu",
        "softmax",
        "log_likelihood",
        "he_normal",
        lambda z, y: F.cross_entropy(z, y),
    ),
    "logistic+quadratic": (  # Nielsen's chapter 1
        "logistic",
        "logistic",
        "quadratic",
        "normal",
        lambda z, y: F.mse_loss(torch.sigmoid(z), F.one_hot(y, N_OUT).double()) * N_OUT / 2,
    ),
}


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_whole_epochs_of_fit_equal_a_torch_nn_loop(mnist_subset, setup, optimizer):
    X, y = mnist_subset
    hidden, output, cost, init, torch_loss = SETUPS[setup]
    make_ours, make_torch = OPTIMIZERS[optimizer]
    net = dp.Network(
        [784, 30, N_OUT], activation=hidden, output_activation=output, cost=cost, init=init, seed=1
    )
    layers = torch_layers(net)
    torch_optimizer = make_torch([p for layer in layers for p in layer.parameters()])
    act = torch.relu if hidden == "relu" else torch.sigmoid
    epochs, batch_size = 2, 32  # 1,000 = 31 × 32 + 8: each epoch ends with a smaller batch

    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    losses = []
    for epoch in range(epochs):
        order = np.random.default_rng([SEED, epoch]).permutation(N_SAMPLES)
        total = 0.0
        for start in range(0, N_SAMPLES, batch_size):
            rows = torch.from_numpy(order[start : start + batch_size])
            loss = torch_loss(layers[1](act(layers[0](X_t[rows]))), y_t[rows])
            torch_optimizer.zero_grad()
            loss.backward()
            torch_optimizer.step()
            total += loss.item() * len(rows)
        losses.append(total / N_SAMPLES)

    history = net.fit(X, y, epochs=epochs, batch_size=batch_size, optimizer=make_ours(), seed=SEED)

    for ours, layer in zip(net.weights, layers):
        np.testing.assert_allclose(ours, layer.weight.detach().numpy().T, rtol=0, atol=1e-10)
    for ours, layer in zip(net.biases, layers):
        np.testing.assert_allclose(ours, layer.bias.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-10)
    assert np.abs(net.weights[0]).max() > 0  # the nets moved: a loop that did nothing fails above


def test_fit_without_shuffling_equals_torch_in_order_batches(mnist_subset):
    """``shuffle=False``: the mini-batches are the rows in order, as a torch ``DataLoader``
    without ``shuffle`` gives them."""
    X, y = mnist_subset
    net = dp.Network(
        [784, 30, N_OUT],
        activation="relu",
        output_activation="softmax",
        cost="log_likelihood",
        init="he_normal",
        seed=1,
    )
    layers = torch_layers(net)
    torch_optimizer = torch.optim.Adam([p for layer in layers for p in layer.parameters()], lr=0.01)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_size=64, shuffle=False
    )
    for _ in range(2):
        for rows, labels in loader:
            loss = F.cross_entropy(layers[1](torch.relu(layers[0](rows))), labels)
            torch_optimizer.zero_grad()
            loss.backward()
            torch_optimizer.step()
    net.fit(X, y, epochs=2, batch_size=64, optimizer=dp.Adam(0.01), shuffle=False)
    for ours, layer in zip(net.weights, layers):
        np.testing.assert_allclose(ours, layer.weight.detach().numpy().T, rtol=0, atol=1e-10)
