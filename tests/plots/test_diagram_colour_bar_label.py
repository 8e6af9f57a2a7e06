"""The network diagram of a batch keeps its colour bar's label inside the picture.

An audit: ``deltaprop explain --model net.safetensors --input-file batch.txt --diagram bd.png
--dpi 200``, for a [3, 4, 2] softmax network and two examples, saved δ = ∂C_x/∂z cut at the
picture's right edge. Constrained layout made room for the label where it had not been drawn
yet; the label, drawn beside the colour bar's tick labels, then lay past the edge.
"""

from __future__ import annotations

import numpy as np
import pytest
from picture_checks import BACKGROUND, assert_png_drawn
from PIL import Image

import deltaprop as dp
from deltaprop.cli import main

BATCH = "0.1 0.2 0.3 1 0\n0.3 0.2 0.1 0 1\n"  # the audit's two "inputs targets" lines


def _label_inside(fig, dpi: float) -> None:
    """The colour bar's label, where the saved picture has it, lies inside the picture."""
    label = fig.axes[-1].yaxis.label
    box = label.get_window_extent(dpi=dpi)  # where the last draw, the save, put it
    width, height = fig.get_size_inches() * dpi
    assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height, (
        f"{label.get_text()!r} spans x {box.x0:.0f}..{box.x1:.0f}, y {box.y0:.0f}..{box.y1:.0f} "
        f"of a {width:.0f} × {height:.0f} picture"
    )


@pytest.mark.parametrize("dpi", ["100", "200"])
@pytest.mark.parametrize("seed", [0, 1])  # 0: the label was cut on the old layout
def test_a_batchs_diagram_shows_the_whole_colour_bar_label(tmp_path, drawn, capsys, seed, dpi):
    model, batch, picture = tmp_path / "net.safetensors", tmp_path / "batch.txt", tmp_path / "bd.png"
    dp.save(dp.Network([3, 4, 2], output_activation="softmax", cost="log_likelihood", seed=seed), model)
    batch.write_text(BATCH, encoding="utf-8")
    args = ["explain", "--model", str(model), "--input-file", str(batch), "--diagram", str(picture)]
    assert main([*args, "--dpi", dpi]) == 0
    fig = drawn[-1]
    assert fig.axes[-1].get_ylabel() == "δ = ∂C_x/∂z" and fig.axes[0].get_title().endswith("sample 1 of 2")
    _label_inside(fig, float(dpi))
    assert_png_drawn(picture)
    with Image.open(picture) as image:
        edge = np.asarray(image.convert("RGB"))[:, -2:]
    assert not (edge < BACKGROUND).any(), "something is drawn on the picture's right edge: cut off"


def test_the_library_says_which_sample_of_a_batch_it_draws(tmp_path):
    from deltaprop.plots import network_diagram, save_figure

    net = dp.Network([3, 4, 2], output_activation="softmax", cost="log_likelihood", seed=0)
    trace = dp.explain(net, [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]], [0, 1], 0.5)
    fig = network_diagram(net, trace=trace)
    assert fig.axes[0].get_title().endswith("\nfor sample 1 of 2")
    save_figure(fig, tmp_path / "d.png", 200)
    _label_inside(fig, 200)
    one = network_diagram(net, trace=dp.explain(net, [0.1, 0.2, 0.3], 0, 0.5))
    assert "sample" not in one.axes[0].get_title()
