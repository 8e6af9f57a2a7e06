"""The README's pictures show what the README's words say of them."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

import deltaprop as dp
from deltaprop.plots import first_layer_weights, network_diagram

ROOT = Path(__file__).resolve().parents[2]
SMALL_PNG = 64_000  # bytes: a README picture is read on a web page, often over a slow line


def test_the_first_layer_weights_picture_shows_every_hidden_neuron_the_readme_names():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"What the (\d+) hidden neurons of a \[784, (\d+), 10\] network", readme)
    assert said is not None and said[1] == said[2], "the README no longer says how many neurons it shows"
    n_hidden = int(said[1])
    picture = ROOT / "docs" / "img" / "first_layer_weights.png"
    assert "docs/img/first_layer_weights.png" in readme[said.end() : said.end() + 400]
    # the picture of every neuron of such a network has this many pixels; one of 20 of 30 is shorter
    every = first_layer_weights(dp.Network([784, n_hidden, 10], seed=0), (28, 28))
    with Image.open(picture) as image:
        assert image.size == every.canvas.get_width_height(), "the picture does not show every neuron"
    assert picture.stat().st_size < SMALL_PNG


def test_the_network_diagram_picture_is_drawn_as_the_picture_script_draws_it_now():
    """docs/img/network_diagram.png fell behind the diagram's layout (a teacher's audit): the
    picture of the script's [2, 16, 2] network, 8 neurons a layer, has the pixels a fresh one has."""
    script = (ROOT / "docs" / "img" / "make_readme_pictures.py").read_text(encoding="utf-8")
    assert "plots.network_diagram(net, X[0], y[0], max_neurons=8)" in script and "[2, 16, 2]" in script
    net = dp.Network([2, 16, 2], output_activation="softmax", cost="log_likelihood", seed=1)
    fresh = network_diagram(net, [0.5, -0.5], 1, max_neurons=8)
    with Image.open(ROOT / "docs" / "img" / "network_diagram.png") as image:
        assert image.size == fresh.canvas.get_width_height()
