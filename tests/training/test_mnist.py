"""A short run on the real MNIST: the loader, the loop and evaluation end to end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import deltaprop as dp

REPO = Path(__file__).resolve().parents[2]


def mnist_root() -> Path | None:
    """The data root holding ``mnist/``: ``$DELTAPROP_DATA``, else the shared copy beside the repo."""
    for root in (os.environ.get("DELTAPROP_DATA"), REPO.parent / "shared" / "data"):
        if root and (Path(root) / "mnist" / "train-labels-idx1-ubyte.gz").exists():
            return Path(root)
    return None


def load(split: str, root: Path):
    """``(X, y)`` through deltaprop's own IDX reader (no download)."""
    return dp.datasets.load_mnist(split, data_dir=root, download=False)


@pytest.mark.mnist
def test_one_epoch_on_10000_images_clearly_beats_chance():
    root = mnist_root()
    if root is None:
        pytest.skip("no MNIST copy: set DELTAPROP_DATA to a folder holding mnist/*.gz")
    X_train, y_train = load("train", root)
    X_test, y_test = load("test", root)
    assert X_train.shape == (60_000, 784) and X_test.shape == (10_000, 784)
    net = dp.Network([784, 30, 10], seed=0)
    history = net.fit(X_train[:10_000], y_train[:10_000], 1, batch_size=10, learning_rate=3.0, seed=0)
    test = net.evaluate(X_test, y_test)
    assert history.history["accuracy"][0] > 0.5
    assert test["accuracy"] > 0.6  # chance is 0.1; seed 0 gives 0.815 after this one short epoch
