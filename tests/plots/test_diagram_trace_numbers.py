"""The diagram shows the numbers of the example it is drawn for, as the walk-through does.

A teacher's audit: beside ``explain --variant post`` the picture showed the exact algorithm's
δ_h1 = 0.00877 while the text said 0.007294458 (the diagram ran its own backprop); the
library's labels had 2 significant digits (δ_h2 = 0.00995 read "0.01" beside "0.0088");
biases were never drawn though every net_h1 line adds b_h1 = 0.35; the inputs were shaded
grey by |x| with no key (−0.9 and 0.9 alike, Mazur's 0.05 and 0.1 as off and on).
"""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import plots
from deltaprop.walkthrough import examples


def labels(fig) -> dict[str, str]:
    """The value under each neuron, by ``"value l,i"``."""
    return {t.get_gid(): t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("value ")}


def biases(fig) -> dict[str, str]:
    return {t.get_gid(): t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("b[")}


def mazur_trace(variant: str):
    ex = examples.mazur()
    return ex, dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False, variant=variant)


def test_a_post_variant_trace_is_drawn_with_its_own_deltas():
    ex, trace = mazur_trace("post")
    fig = plots.network_diagram(ex.net, trace=trace)
    shown = labels(fig)
    # the post's hidden δ, from the updated w5…w8: 0.007294458 and 0.008472592 (the exact: 0.00877, 0.00995)
    assert shown["value 1,0"] == "0.00729" and shown["value 1,1"] == "0.00847"
    for l, delta in enumerate(trace.gradients.deltas, start=1):
        assert [shown[f"value {l},{j}"] for j in range(2)] == [f"{d:.3g}" for d in delta[0]]
    assert "post variant" in fig.axes[0].get_title()


def test_an_exact_trace_draws_what_x_and_y_draw():
    ex, trace = mazur_trace("exact")
    assert labels(plots.network_diagram(ex.net, trace=trace)) == labels(
        plots.network_diagram(ex.net, ex.x, ex.y)
    )


def test_a_trace_of_another_network_or_with_x_is_refused():
    ex, trace = mazur_trace("exact")
    with pytest.raises(ValueError, match="another network"):
        plots.network_diagram(dp.Network([2, 2, 2], seed=1), trace=trace)
    with pytest.raises(ValueError, match="either trace or x and y"):
        plots.network_diagram(ex.net, ex.x, trace=trace)


def test_mazurs_deltas_have_three_significant_digits():
    ex = examples.mazur()
    shown = labels(plots.network_diagram(ex.net, ex.x, ex.y))
    # δ_h1 = 0.008771354, δ_h2 = 0.009954254, δ_o1 = 0.138498562, δ_o2 = −0.038098236 (the walk-through)
    assert [shown[f"value {l},{j}"] for l in (1, 2) for j in (0, 1)] == [
        "0.00877",
        "0.00995",
        "0.138",
        "-0.0381",
    ]


def test_biases_are_written_above_their_neurons_with_the_weights():
    ex = examples.mazur()
    fig = plots.network_diagram(ex.net, ex.x, ex.y, show_weights=True)
    assert biases(fig) == {
        "b[0][0]": "b = 0.35",
        "b[0][1]": "b = 0.35",
        "b[1][0]": "b = 0.6",
        "b[1][1]": "b = 0.6",
    }
    assert biases(plots.network_diagram(ex.net, ex.x, ex.y)) == {}  # only on request
    alone = plots.network_diagram(dp.Network([3, 5, 2], seed=0), show_biases=True)
    assert len(biases(alone)) == 7  # without the weights too, for a layer too wide to label its lines


def test_input_neurons_are_not_shaded_by_their_size():
    net = dp.Network([3, 2, 1], seed=0)
    fig = plots.network_diagram(net, [-0.9, 0.9, 0.05], [1.0])
    ax = fig.axes[0]
    inputs = [p for p in ax.patches if np.isclose(p.center[0], 0.0)]
    assert len(inputs) == 3
    faces = {tuple(np.round(p.get_facecolor(), 6)) for p in inputs}
    assert faces == {(1.0, 1.0, 1.0, 1.0)}  # white, each value written under it
    assert [labels(fig)[f"value 0,{i}"] for i in range(3)] == ["-0.9", "0.9", "0.05"]
