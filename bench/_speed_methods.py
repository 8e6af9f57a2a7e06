"""The contestants of ``bench/speed.py``: each times one training epoch the way a user would.

Every ``run_*`` function takes a :class:`Case` (the network, its batches and the data) and
returns the seconds one epoch over all 60,000 samples takes — timed over ``case.n`` samples
(a subset for the slow ones) and scaled by 60,000 / n. Building the model is not timed;
everything one epoch of training does is.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import deltaprop as dp
from deltaprop.training.step import make_step

N_EPOCH = 60_000  # samples in one MNIST epoch
N_CLASSES = 10


@dataclass
class Data:
    """The training set in one dtype: X ``(60000, 784)`` in [0, 1], labels, one-hot Y, X_test."""

    X: np.ndarray
    labels: np.ndarray
    Y: np.ndarray
    X_test: np.ndarray
    source: str


def load_data(dtype) -> Data:
    """The real MNIST from ``$DELTAPROP_DATA/mnist`` when present, else random data of its shape."""
    root = os.environ.get("DELTAPROP_DATA")
    folder = Path(root) / "mnist" if root else None
    if folder is not None and (folder / "train-images-idx3-ubyte.gz").exists():
        X, labels = dp.datasets.load_mnist("train", data_dir=root, download=False, dtype=dtype)
        X_test, _ = dp.datasets.load_mnist("test", data_dir=root, download=False, dtype=dtype)
        Y = np.zeros((len(labels), N_CLASSES), dtype=dtype)
        Y[np.arange(len(labels)), labels] = 1.0
        return Data(X, labels, Y, X_test, f"MNIST from {folder}")
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(N_EPOCH, 784), dtype=np.uint8)
    labels = rng.integers(0, N_CLASSES, size=N_EPOCH)
    X_test = rng.integers(0, 256, size=(10_000, 784), dtype=np.uint8)
    source = "random data of MNIST's shape ($DELTAPROP_DATA/mnist not found)"
    Xf = _scaled(X, dtype)
    del X
    Y = np.zeros((len(labels), N_CLASSES), dtype=dtype)
    Y[np.arange(len(labels)), labels] = 1.0
    return Data(Xf, labels, Y, _scaled(X_test, dtype), source)


def _scaled(pixels: np.ndarray, dtype) -> np.ndarray:
    """Pixels / 255 in ``dtype``, converted in blocks so no float64 temporary of the whole set exists."""
    out = np.empty(pixels.shape, dtype=dtype)
    for start in range(0, len(pixels), 4096):
        np.divide(pixels[start : start + 4096], 255.0, out=out[start : start + 4096], dtype=dtype)
    return out


@dataclass
class Case:
    """One configuration in one dtype: sizes, batch size m, η, the first n samples timed."""

    name: str
    sizes: list[int]
    batch_size: int
    dtype: np.dtype
    n: int  # samples timed (a multiple of batch_size, or all 60,000)
    n_textbook: int
    data: Data
    net: dp.Network  # the initial network every method starts from
    eta: float = 3.0
    threads: int = 1

    @property
    def scale(self) -> float:
        return N_EPOCH / self.n

    def order(self) -> np.ndarray:
        """The shuffled sample order of the timed epoch (the same for every method)."""
        return np.random.default_rng(0).permutation(self.n)


def flops_per_epoch(sizes: list[int]) -> float:
    """Multiply-adds ×2 of the floor's products for 60,000 samples: forward, δ back, ∂C/∂w."""
    pairs = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    per_sample = 2 * sum(pairs) + 2 * sum(pairs[1:]) + 2 * sum(pairs)
    return float(per_sample) * N_EPOCH


# --- deltaprop --------------------------------------------------------------------------------


def run_deltaprop(case: Case) -> float:
    """``net.fit`` for one epoch (shuffle, gather, step, accuracy: the whole loop)."""
    net = case.net.copy()
    X, labels = case.data.X[: case.n], case.data.labels[: case.n]
    t0 = time.perf_counter()
    net.fit(X, labels, epochs=1, batch_size=case.batch_size, learning_rate=case.eta, seed=0)
    return (time.perf_counter() - t0) * case.scale


def run_steps(case: Case) -> float:
    """The step kernel alone, in a bare loop: gather by index into buffers, then ``step``."""
    net = case.net.copy()
    X, Y, m = case.data.X, case.data.Y, case.batch_size
    order = case.order()
    step = make_step(net, dp.SGD(case.eta), m)
    xb = np.empty((m, X.shape[1]), dtype=X.dtype)
    yb = np.empty((m, Y.shape[1]), dtype=Y.dtype)
    take = np.take
    t0 = time.perf_counter()
    for start in range(0, case.n, m):
        idx = order[start : start + m]
        k = len(idx)
        take(X, idx, axis=0, out=xb[:k], mode="clip")
        take(Y, idx, axis=0, out=yb[:k], mode="clip")
        step(xb[:k], yb[:k])
    return (time.perf_counter() - t0) * case.scale


# --- the floor: the products of each SGD step, nothing else ------------------------------------


def run_floor(case: Case) -> float:
    """Only the matrix products of each step, into preallocated outputs, over batches of m rows.

    Forward o[l+1] = o[l]·w[l]; δ back δ[l−1] = δ[l]·w[l]ᵀ; gradient o[l]ᵀ·δ[l]. The batches
    are consecutive row blocks (which rows they hold does not change a product's cost).
    """
    w = [x.copy() for x in case.net.weights]
    X, m, dtype = case.data.X, case.batch_size, case.dtype
    sizes = case.sizes
    rng = np.random.default_rng(1)
    o = [None] + [np.empty((m, k), dtype=dtype) for k in sizes[1:]]
    # δ buffers hold ordinary numbers (uninitialised memory could hold denormals or NaN,
    # which would make the products slow or raise).
    d = [rng.normal(size=(m, k)).astype(dtype) for k in sizes[1:]]
    g = [np.empty_like(x) for x in w]
    L = len(w)
    matmul = np.matmul
    t0 = time.perf_counter()
    for start in range(0, case.n, m):
        xb = X[start : start + m]
        k = len(xb)
        o[0] = xb
        for l in range(L):
            matmul(o[l], w[l], out=o[l + 1][:k])
        for l in range(L - 1, 0, -1):
            matmul(d[l][:k], w[l].T, out=d[l - 1][:k])
        for l in range(L):
            matmul(o[l][:k].T, d[l][:k], out=g[l])
    return (time.perf_counter() - t0) * case.scale


# --- PyTorch --------------------------------------------------------------------------------------


def run_torch(case: Case) -> float:
    """The same network in PyTorch (CPU, same threads), torch.optim.SGD, manual slicing."""
    import torch

    torch.set_num_threads(case.threads)
    tdtype = torch.float64 if case.dtype == np.float64 else torch.float32
    layers = []
    for w, b in zip(case.net.weights, case.net.biases):
        lin = torch.nn.Linear(w.shape[0], w.shape[1], dtype=tdtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.T.copy()))  # torch stores (n_out, n_in)
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=case.eta)
    X = torch.from_numpy(case.data.X)  # shares memory with NumPy: no copy
    Y = torch.from_numpy(case.data.Y)
    order = torch.from_numpy(case.order())
    m = case.batch_size
    t0 = time.perf_counter()
    for start in range(0, case.n, m):
        idx = order[start : start + m]
        xb, yb = X[idx], Y[idx]
        a = model(xb)
        loss = 0.5 * ((a - yb) ** 2).sum() / len(idx)  # C = 1/(2n) Σ ||y − a||²
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return (time.perf_counter() - t0) * case.scale


# --- scikit-learn ---------------------------------------------------------------------------------


def run_sklearn(case: Case) -> float:
    """``MLPClassifier(solver="sgd", momentum=0, alpha=0)``, one ``partial_fit`` pass.

    scikit-learn's classifier has a softmax output and the log-loss (no quadratic cost) and
    its own Glorot initialisation; otherwise the same layers, logistic units and batch size.
    """
    import warnings

    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=tuple(case.sizes[1:-1]),
        activation="logistic",
        solver="sgd",
        momentum=0.0,
        nesterovs_momentum=False,
        alpha=0.0,
        batch_size=case.batch_size,
        learning_rate_init=0.1,
        shuffle=True,
        random_state=0,
    )
    X, labels = case.data.X[: case.n], case.data.labels[: case.n]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        clf.partial_fit(X, labels, classes=np.arange(N_CLASSES))
        return (time.perf_counter() - t0) * case.scale


# --- the textbook loop ------------------------------------------------------------------------------


def run_textbook(case: Case) -> float:
    """Nielsen's network.py: per-example backprop summed over each mini-batch (a subset, scaled)."""
    from _textbook import TextbookNetwork

    tnet = TextbookNetwork(case.net.weights, case.net.biases)
    X, Y, m = case.data.X, case.data.Y, case.batch_size
    order = case.order() if case.n_textbook >= case.n else np.random.default_rng(0).permutation(N_EPOCH)
    order = order[: case.n_textbook]
    t0 = time.perf_counter()
    for start in range(0, len(order), m):
        idx = order[start : start + m]
        tnet.update_mini_batch(X[idx], Y[idx], case.eta)
    return (time.perf_counter() - t0) * N_EPOCH / len(order)


METHODS = {
    "deltaprop": run_deltaprop,
    "steps": run_steps,
    "floor": run_floor,
    "torch": run_torch,
    "sklearn": run_sklearn,
    "textbook": run_textbook,
}


# --- predict ----------------------------------------------------------------------------------------


def run_predict(net: dp.Network, X_test: np.ndarray) -> float:
    t0 = time.perf_counter()
    net._predict(X_test)
    return time.perf_counter() - t0


def make_predict_floor(net: dp.Network, X_test: np.ndarray):
    """predict's products alone, into outputs allocated once."""
    outs = [np.empty((len(X_test), w.shape[1]), dtype=net.dtype) for w in net.weights]

    def run() -> float:
        t0 = time.perf_counter()
        o = X_test
        for w, out in zip(net.weights, outs):
            o = np.matmul(o, w, out=out)
        return time.perf_counter() - t0

    return run


# --- the machine ------------------------------------------------------------------------------------


def matmul_peak_gflops(dtype, n: int = 2048, repeats: int = 3) -> float:
    """The machine's measured matrix-product speed: the best of a few n × n × n gemms."""
    rng = np.random.default_rng(0)
    A = rng.random((n, n)).astype(dtype)
    B = rng.random((n, n)).astype(dtype)
    C = np.empty((n, n), dtype=dtype)
    np.matmul(A, B, out=C)  # warm up threads and caches
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        np.matmul(A, B, out=C)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n**3 / best / 1e9
