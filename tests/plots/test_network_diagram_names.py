"""``deltaprop explain --diagram`` names what it draws as the walk-through beside it does.

A teacher's audit: the columns were headed "hidden 1 / hidden 2" while the text said "Layer 2
(hidden) / Layer 3"; the colour bar read "δ = ∂C/∂net" whatever the notation (Nielsen's text
says ∂C/∂z, Mazur's ∂E_total/∂net); Mazur's diagram showed 0.15 … 0.55 on the lines but not
the names w1 … w8 that ``--help`` promised; δ written to 2 significant digits put "0.01"
(δ_h2 = 0.00995) beside "0.0088" (δ_h1 = 0.00877); and the inputs' shading had no legend.
"""

from __future__ import annotations

import itertools

import pytest
from PIL import Image

import deltaprop as dp
from deltaprop import plots
from deltaprop.cli import main
from deltaprop.walkthrough import examples


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def headers(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("layer ")]


def colour_bar_label(fig) -> str:
    return fig.axes[1].get_ylabel()


def explain_diagram(tmp_path, drawn, *args: str):
    picture = tmp_path / "d.png"
    assert main(["explain", "--diagram", str(picture), *args]) == 0
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return drawn[-1], picture


def test_mazurs_diagram_uses_his_names_and_three_digits(tmp_path, drawn, capsys):
    fig, _ = explain_diagram(tmp_path, drawn)
    shown = texts(fig)
    assert headers(fig) == [
        "input layer\n2 neurons",
        "hidden layer\nlogistic\n2 neurons",
        "output layer\nlogistic\n2 neurons",
    ]
    # the walk-through's "Backward: hidden layer" prints δ_h1 = 0.008771355, δ_h2 = 0.009954255
    for label in (
        "i1 = 0.05",
        "i2 = 0.1",
        "δ_h1 = 0.00877",
        "δ_h2 = 0.00995",
        "δ_o1 = 0.138",
        "δ_o2 = -0.0381",
    ):
        assert label in shown
    weights = {t.get_gid(): t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith("w[")}
    assert weights == {  # w1 i1→h1, w2 i2→h1, w3 i1→h2, w4 i2→h2, then w5 … w8 into o1, o2 alike
        "w[0][0,0]": "w1 = 0.15",
        "w[0][1,0]": "w2 = 0.2",
        "w[0][0,1]": "w3 = 0.25",
        "w[0][1,1]": "w4 = 0.3",
        "w[1][0,0]": "w5 = 0.4",
        "w[1][1,0]": "w6 = 0.45",
        "w[1][0,1]": "w7 = 0.5",
        "w[1][1,1]": "w8 = 0.55",
    }
    assert colour_bar_label(fig) == "δ = ∂E_total/∂net"
    assert fig.axes[0].get_title() == "Network [2, 2, 2], quadratic cost\nneurons show δ = ∂E_total/∂net"


def test_nielsens_diagram_numbers_layers_as_his_text(tmp_path, drawn, capsys):
    fig, _ = explain_diagram(tmp_path, drawn, "--example", "xor")
    walk_through = capsys.readouterr().out
    assert "Layer 2 (hidden)" in walk_through and "Layer 3 (output)" in walk_through
    assert headers(fig) == [
        "layer 1 (input)\n2 neurons",
        "layer 2 (hidden)\nlogistic\n2 neurons",
        "layer 3 (output)\nlogistic\n1 neuron",
    ]
    assert colour_bar_label(fig) == "δ = ∂C/∂z"
    shown = texts(fig)
    assert "a¹₁ = 1" in shown and "a¹₂ = 0" in shown  # the inputs, named as the text names them
    assert "w³₁₂ = -5.5" in shown  # weights[1][1, 0]: into output neuron 1 from hidden neuron 2
    ex = examples.xor()
    delta = ex.net.backprop(ex.x[None, :], ex.y[None, :]).deltas[-1][0, 0]
    assert f"δ³₁ = {delta:.3g}" in shown


def test_one_sample_of_a_batch_shows_its_own_cost(tmp_path, drawn, capsys):
    model, data = tmp_path / "m.safetensors", tmp_path / "batch.txt"
    dp.save(dp.Network([3, 5, 4, 2], seed=0), model)
    data.write_text("0.1 0.2 0.3 1 0\n0.5 0.5 0.5 0 1\n", encoding="utf-8")
    fig, _ = explain_diagram(
        tmp_path, drawn, "--model", str(model), "--input-file", str(data), "--notation", "mazur"
    )
    assert colour_bar_label(fig) == "δ = ∂E_x/∂net"  # δ of sample 1: its own E_x, as the text writes
    assert headers(fig)[1:3] == ["hidden layer 1\nlogistic\n5 neurons", "hidden layer 2\nlogistic\n4 neurons"]
    assert "i3 = 0.3" in texts(fig) and fig.axes[0].get_title().endswith("for sample 1 of 2")


@pytest.mark.parametrize(
    "sizes,notation",
    [
        ([2, 2, 2], "mazur"),
        ([2, 2, 2], "nielsen"),
        ([3, 3, 3], "mazur"),
        ([2, 3, 1], "nielsen"),
        ([3, 12, 12, 2], "mazur"),
    ],
)
def test_no_label_runs_into_another(tmp_path, drawn, capsys, sizes, notation):
    """Longer labels ("δ_h1.12 = -0.000123", "w2 = 0.2") need more room between the layers."""
    net = dp.Network(sizes, activation="tanh", seed=4)
    net.weights[0][0, 0] = -0.000123456  # a long label
    model = tmp_path / "m.safetensors"
    dp.save(net, model)
    x, y = ",".join(["0.3"] * sizes[0]), ",".join(["0.5"] * sizes[-1])
    fig, _ = explain_diagram(
        tmp_path, drawn, "--model", str(model), "--input", x, "--target", y, "--notation", notation
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts if t.get_text() and "=" in t.get_text()]
    assert len(boxes) >= sum(sizes)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    figure = fig.bbox
    assert all(figure.x0 <= box.x0 and box.x1 <= figure.x1 for box in boxes)


def test_dpi_sizes_the_diagram_as_plot_does(tmp_path, drawn, capsys):
    _, small = explain_diagram(tmp_path, drawn)
    small_size = Image.open(small).size
    _, large = explain_diagram(tmp_path, drawn, "--dpi", "200")
    large_size = Image.open(large).size
    assert large_size[0] == pytest.approx(2 * small_size[0], abs=2)
    capsys.readouterr()
    assert main(["explain", "--dpi", "200"]) == 2
    assert "--dpi 200 goes with --diagram" in capsys.readouterr().err
    assert main(["explain", "--diagram", str(tmp_path / "d.png"), "--dpi", "5000"]) == 2
    assert "--dpi 5000: dpi must be at most 1200" in capsys.readouterr().err


def test_the_plain_diagram_keeps_its_names():
    """Without names (deltaprop plot, dp.plots.network_diagram) nothing changes."""
    ex = examples.mazur()
    fig = plots.network_diagram(ex.net, ex.x, ex.y, show_weights=True)
    assert headers(fig)[1] == "hidden 1\nlogistic\n2 neurons"
    assert colour_bar_label(fig) == "δ = ∂C/∂net" and "0.15" in texts(fig)
    # the walk-through's δ_h1 = 0.008771354, δ_h2 = 0.009954254 to 3 significant digits, no name:
    # with 2 they read "0.0088" and "0.01", as if δ_h2 were rounder than δ_h1
    assert {"0.00877", "0.00995"} <= set(texts(fig))
    assert "0.0088" not in texts(fig) and "0.01" not in texts(fig)
