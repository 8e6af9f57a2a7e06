"""The network diagram names its layers as the other pictures do and, on request, its weights.

Before, a column was headed only by its activation ("logistic / 2 neurons"), so hidden and
output layers could not be told apart, the title wrote the cost's identifier
("log_likelihood cost"), and a lecturer drawing Mazur's 2-2-2 network for a slide had no way
to show w1 … w8 on their lines.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import plots
from deltaprop.walkthrough import examples


def header_texts(fig) -> set[str]:
    return {t.get_text() for t in fig.axes[0].texts if "neuron" in t.get_text()}


def weight_labels(fig) -> dict[str, str]:
    return {t.get_gid(): t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("w[")}


def test_columns_are_named_input_hidden_output_and_the_cost_as_prose():
    net = dp.Network([3, 4, 4, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    fig = plots.network_diagram(net, [0.1, 0.2, 0.3], 1)
    assert header_texts(fig) == {
        "input\n3 neurons",
        "hidden 1\nlogistic\n4 neurons",
        "hidden 2\nlogistic\n4 neurons",
        "output\nsoftmax\n2 neurons",
    }
    title = fig.axes[0].get_title()
    assert title == "Network [3, 4, 4, 2], log-likelihood cost\nneurons show δ = ∂C/∂net, inputs x"


def test_mazurs_weights_on_their_lines():
    ex = examples.mazur()
    fig = plots.network_diagram(ex.net, ex.x, ex.y, show_weights=True)
    labels = weight_labels(fig)
    # Mazur's w1 … w8: w1 i1→h1, w2 i2→h1, w3 i1→h2, w4 i2→h2, then w5 … w8 into o1, o2 alike;
    # the gid names weights[l][i, j], the same indices as the walk-through's trace.weight_step(l, i, j)
    assert labels == {
        "w[0][0,0]": "0.15",
        "w[0][1,0]": "0.2",
        "w[0][0,1]": "0.25",
        "w[0][1,1]": "0.3",
        "w[1][0,0]": "0.4",
        "w[1][1,0]": "0.45",
        "w[1][0,1]": "0.5",
        "w[1][1,1]": "0.55",
    }
    assert weight_labels(plots.network_diagram(ex.net, ex.x, ex.y)) == {}  # only on request


@pytest.mark.parametrize("sizes", [[2, 2, 2], [2, 2, 1], [2, 3, 1], [2, 1], [3, 3, 3]])
def test_weight_labels_do_not_overlap(sizes):
    net = dp.Network(sizes, seed=2)
    fig = plots.network_diagram(net, np.full(sizes[0], 0.5), np.zeros(sizes[-1]), show_weights=True)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts if (t.get_gid() or "").startswith("w[")]
    assert len(boxes) == sum(a * b for a, b in zip(sizes, sizes[1:]))
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)


def test_show_weights_refuses_a_layer_too_wide_to_label():
    with pytest.raises(
        ValueError, match=r"show_weights .* at most 3 neurons; this network's are \[3, 4, 2\]"
    ):
        plots.network_diagram(dp.Network([3, 4, 2], seed=0), show_weights=True)


def test_headers_stand_above_every_line():
    """A short layer's header sat just above its own neurons, among the lines to a tall layer."""
    fig = plots.network_diagram(dp.Network([2, 30, 2], seed=0), [0.5, -0.4], 1)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    headers = [t.get_window_extent(renderer) for t in ax.texts if "neuron" in t.get_text()]
    assert len(headers) == 3 and len({round(h.y0, 3) for h in headers}) == 1  # on one line
    lines_top = max(
        line.get_window_extent(renderer).y1 for line in ax.lines if (line.get_gid() or "").startswith("w[")
    )
    assert min(h.y0 for h in headers) > lines_top


@pytest.mark.parametrize("sizes", [[2, 30, 2], [3, 4, 4, 2], [784, 30, 10], [2, 2, 2], [2, 2]])
def test_headers_do_not_run_into_each_other(sizes):
    net = dp.Network(
        sizes, activation="leaky_relu", output_activation="softmax", cost="log_likelihood", seed=0
    )
    fig = plots.network_diagram(net, np.full(sizes[0], 0.5), 0)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    headers = [t.get_window_extent(renderer) for t in fig.axes[0].texts if "neuron" in t.get_text()]
    assert len(headers) == len(sizes)
    for a, b in itertools.combinations(headers, 2):
        assert not a.overlaps(b), (a, b)
