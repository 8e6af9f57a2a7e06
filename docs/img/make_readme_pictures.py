"""Regenerate the README's example pictures from real runs: ``python docs/img/make_readme_pictures.py``.

Needs the real MNIST files under ``$DELTAPROP_DATA/mnist`` for the first-layer weights and the
stuck [784, 3, 10] example; everything else uses the built-in digits and moons.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

import deltaprop as dp
from deltaprop import plots
from deltaprop.cli import main as deltaprop_command
from deltaprop.diagnostics import Diagnostics, GradientStats, diagnose

HERE = Path(__file__).parent
README_RUN_SEED = 825290767  # the seed of the `deltaprop train --name first` run the README shows
PALETTE_COLOURS = 256  # a palette PNG this size looks the same and is half as large


def save_small_png(fig, path: Path) -> None:
    """Save ``fig`` as a palette PNG: for the pictures whose many colours make a large file."""
    plots.save_figure(fig, path)
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(PALETTE_COLOURS, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    # a small 2-D classifier: the diagram with δ for one example, and the boundary as it learns
    X, y = dp.datasets.load("moons", split="train", seed=0)
    net = dp.Network(
        [2, 16, 2], output_activation="softmax", cost="log_likelihood", init="glorot_normal", seed=1
    )
    snaps = plots.BoundarySnapshots(every=6)
    dp.fit(net, X, y, epochs=60, learning_rate=3.0, seed=0, callbacks=[snaps])
    plots.save_figure(plots.network_diagram(net, X[0], y[0], max_neurons=8), HERE / "network_diagram.png")
    plots.animate_decision_boundary(snaps, X, y, HERE / "decision_boundary.gif", fps=2, resolution=80)

    # digits: learning curves with validation, and a deep logistic net's vanishing δ
    X, y = dp.datasets.load("digits", split="train")
    net = dp.Network([64, 30, 10], output_activation="softmax", cost="log_likelihood", seed=0)
    history = dp.fit(net, X, y, epochs=15, learning_rate=0.5, validation_split=0.2, seed=0)
    plots.save_figure(plots.learning_curves(history), HERE / "learning_curves.png")
    deep = dp.Network([64, 30, 30, 30, 30, 10], init="normal_scaled", seed=0)
    stats = GradientStats(probe_size=256)
    dp.fit(deep, X, y, epochs=10, learning_rate=1.0, seed=0, callbacks=[stats])
    plots.save_figure(plots.gradient_distributions(stats), HERE / "gradient_distributions.png")

    # MNIST: what the hidden neurons look for, and the classic network stuck at 10 %
    X, y = dp.datasets.load("mnist", split="train")
    X, y = X[:20000], y[:20000]
    net = dp.Network(
        [784, 30, 10], output_activation="softmax", cost="log_likelihood", init="normal_scaled", seed=0
    )
    # L2 decay (λ = 5, Nielsen's chapter 3) fades the weights no digit uses, so the patterns show
    dp.fit(net, X, y, epochs=6, optimizer=dp.SGD(0.5, l2=5.0), seed=0)
    # all 30, as a run's own plot shows them and as the README says
    save_small_png(plots.first_layer_weights(net, (28, 28)), HERE / "first_layer_weights.png")
    raw = np.rint(X[:2000] * 255.0)  # the pixels as the IDX file holds them, 0..255
    stuck = dp.Network([784, 3, 10], seed=0)
    stats = GradientStats(probe_size=256)
    live = Diagnostics(stats=stats)
    history = dp.fit(stuck, raw, y[:2000], epochs=5, learning_rate=3.0, seed=0, callbacks=[stats, live])
    for finding in diagnose(stuck, history, raw, y[:2000], stats):
        print(finding)
    print("seen live during training:", [f.code for f in live.findings])

    # the README's own command-line run, whose output it prints: its learning curves
    with tempfile.TemporaryDirectory() as out:
        deltaprop_command(["train", "--name", "first", "--seed", str(README_RUN_SEED), "--out", out, "--quiet"])
        shutil.copyfile(Path(out) / "first" / "plots" / "learning_curves.png", HERE / "cli-learning-curves.png")


if __name__ == "__main__":
    main()
