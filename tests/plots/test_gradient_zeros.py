"""A layer whose δ is exactly 0 (dead ReLU units) is drawn, not dropped from the log axis.

On the audit's MNIST run at η = 5 every ReLU of the hidden layer died: the |δ| panel showed
the output layer alone, and the |∂C/∂w| panel a single point at epoch 0, as if nothing were
wrong with the hidden layer. Zeros now sit on a dotted "exactly 0" line under the data.
"""

from __future__ import annotations

import numpy as np

import deltaprop as dp
from deltaprop import plots
from deltaprop.diagnostics import GradientStats


def test_a_dead_layer_is_drawn_at_exactly_zero():
    rng = np.random.default_rng(0)
    X, y = rng.random((40, 4)), rng.integers(0, 3, 40)
    net = dp.Network([4, 6, 3], activation="relu", output_activation="softmax", cost="log_likelihood", seed=0)
    stats = GradientStats(X, y)
    net.biases = [np.full(6, 5.0), net.biases[1]]  # every hidden ReLU active
    stats.record(net, epoch=0)
    net.biases = [np.full(6, -100.0), net.biases[1]]  # every hidden ReLU dead: δ = 0, and a = 0
    for epoch in (1, 2):
        stats.record(net, epoch=epoch)
    fig = plots.gradient_distributions(stats)
    for ax in fig.axes:
        assert ax.get_yscale() == "log"
        hidden = ax.lines[0]
        assert np.isfinite(hidden.get_ydata()).all()  # all three epochs drawn
        zero = min(line.get_ydata()[-1] for line in ax.lines)
        assert zero > 0 and any(text.get_text() == "exactly 0 (drawn here)" for text in ax.texts)
    delta_hidden = fig.axes[0].lines[0].get_ydata()
    assert delta_hidden[0] > delta_hidden[1] == delta_hidden[2]  # alive, then on the zero line


def test_no_zero_line_without_zeros(trained_digits):
    _, _, stats = trained_digits
    fig = plots.gradient_distributions(stats)
    assert all(not ax.texts for ax in fig.axes)
