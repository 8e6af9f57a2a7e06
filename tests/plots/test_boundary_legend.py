"""A decision-boundary picture says which colour is which class, and what its shading means.

The points and regions were coloured by class with no legend, and a one-output network's
shading (its output a, 0 to 1) had no colour bar: a reader could not tell class 0 from class 1.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

import deltaprop as dp
from deltaprop import plots


def _legend_labels(ax) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None, "the decision boundary has no legend"
    return [text.get_text() for text in legend.get_texts()]


def test_each_class_is_named_in_the_legend_in_its_colour():
    X, y = dp.datasets.make_moons(n_samples=60, seed=0)
    net = dp.Network([2, 4, 2], output_activation="softmax", cost="log_likelihood", seed=1)
    fig = plots.decision_boundary(net, X, y, resolution=20)
    ax = fig.axes[0]
    assert _legend_labels(ax) == ["class 0", "class 1"]
    points = ax.collections[-1].get_facecolors()[:, :3]
    for handle, k in zip(ax.get_legend().legend_handles, (0, 1)):
        np.testing.assert_allclose(to_rgb(handle.get_markerfacecolor()), points[np.flatnonzero(y == k)[0]])


def test_one_output_shading_has_a_colour_bar_and_the_half_line_is_named():
    X, y = dp.datasets.make_moons(n_samples=60, seed=0)
    net = dp.Network([2, 6, 1], activation="tanh", output_activation="logistic", seed=3)
    dp.fit(net, X, y.reshape(-1, 1).astype(float), epochs=20, batch_size=10, learning_rate=2.0, seed=0)
    fig = plots.decision_boundary(net, X, y, resolution=30)
    assert "a = 0.5" in _legend_labels(fig.axes[0])
    assert [ax.get_ylabel() for ax in fig.axes[1:]] == ["network output a"]
