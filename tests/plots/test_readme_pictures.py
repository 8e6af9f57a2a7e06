"""The README's pictures show what the README's words say of them."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

import deltaprop as dp
from deltaprop.plots import first_layer_weights

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
