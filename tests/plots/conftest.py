"""Tiny trained networks for the picture tests."""

from __future__ import annotations

import pytest

import deltaprop as dp
from deltaprop.diagnostics import GradientStats


@pytest.fixture(scope="session")
def digits():
    from sklearn.datasets import load_digits

    data = load_digits()
    return data.data[:600] / 16.0, data.target[:600]


@pytest.fixture(scope="session")
def trained_digits(digits):
    """A [64, 20, 10] network after 4 epochs on 600 digits, its history and gradient statistics."""
    X, y = digits
    net = dp.Network([64, 20, 10], seed=0)
    stats = GradientStats(X[:128], y[:128])
    history = dp.fit(net, X, y, epochs=4, learning_rate=3.0, seed=0, callbacks=[stats])
    return net, history, stats


@pytest.fixture
def drawn(monkeypatch):
    """The figures ``deltaprop explain --diagram`` draws, kept for a look at their texts."""
    from deltaprop import plots

    figures = []
    real = plots.network_diagram

    def keep(*args, **kwargs):
        figures.append(real(*args, **kwargs))
        return figures[-1]

    monkeypatch.setattr(plots, "network_diagram", keep)
    return figures
