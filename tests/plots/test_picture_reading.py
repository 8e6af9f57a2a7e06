"""What a teacher's audit found hard to read: η drawn as slopes, a 100 % curve on the frame,
Fashion-MNIST as a photo negative, text that ignores matplotlib's font.size, no PDF."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from picture_checks import assert_lines_fill_height

import deltaprop as dp
from deltaprop import plots
from deltaprop.datasets import data_home
from deltaprop.plots._figure import image_cmap
from deltaprop.walkthrough import examples


def test_a_step_schedule_is_drawn_as_steps():
    eta = [0.5] * 10 + [0.25] * 10  # step:0.5:10, constant within each epoch
    fig = plots.learning_curves({"loss": list(np.linspace(1, 0.1, 20)), "lr": eta})
    line = fig.axes[-1].lines[0]
    assert fig.axes[-1].get_title() == "Learning rate" and line.get_drawstyle() == "steps-mid"


def test_an_accuracy_of_100_percent_stays_off_the_frame():
    history = {"loss": [1.0, 0.5, 0.2], "accuracy": [0.90, 0.97, 0.99], "val_accuracy": [0.93, 1.0, 1.0]}
    ax = plots.learning_curves(history).axes[1]
    bottom, top = ax.get_ylim()
    assert top > 100.0 and max(ax.get_yticks()) == 100.0  # room above, and no "101" on the axis
    assert_lines_fill_height(ax, 0.5)


def _test_images(name: str) -> np.ndarray:
    folder = data_home() / name
    if not all((folder / f"t10k-{kind}-ubyte.gz").is_file() for kind in ("images-idx3", "labels-idx1")):
        pytest.skip(f"no {name} test files in {folder}: set DELTAPROP_DATA to a folder holding {name}/")
    X, _ = dp.datasets.load(name, split="test", download=False)
    return np.asarray(X[:300], dtype=float).reshape(-1, 28, 28)


def test_ink_is_drawn_dark_on_white_and_garments_as_stored():
    from sklearn.datasets import load_digits

    assert image_cmap(_test_images("mnist")) == "gray_r"
    assert image_cmap(load_digits().images[:300]) == "gray_r"
    assert image_cmap(_test_images("fashion-mnist")) == "gray"  # bright garments on black, not a negative


def test_the_gallery_takes_its_colour_map_from_the_data_or_the_caller():
    X = _test_images("fashion-mnist").reshape(-1, 784)
    y_true, y_pred = np.zeros(len(X), int), np.ones(len(X), int)
    assert plots.misclassified_gallery(X, y_true, y_pred).axes[0].images[0].get_cmap().name == "gray"
    chosen = plots.misclassified_gallery(X, y_true, y_pred, cmap="viridis")
    assert chosen.axes[0].images[0].get_cmap().name == "viridis"


def _sizes(fig) -> list[float]:
    return [t.get_fontsize() for ax in fig.axes for t in [*ax.texts, ax.title]] + [
        t.get_fontsize() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plots.network_diagram(examples.mazur().net, [0.05, 0.1], [0.01, 0.99], show_weights=True),
        lambda: plots.confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0]),
        lambda: plots.learning_curves({"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]}),
    ],
)
def test_text_follows_matplotlibs_font_size(draw):
    plain = _sizes(draw())
    with matplotlib.rc_context({"font.size": 20}):
        large = _sizes(draw())
    assert len(plain) == len(large) > 0
    np.testing.assert_allclose(large, 2 * np.asarray(plain))  # a slide's 20 pt doubles every word


def test_a_figure_is_saved_as_pdf(tmp_path):
    fig = plots.learning_curves({"loss": [1.0, 0.5]})
    path = plots.save_figure(fig, tmp_path / "curves.PDF")
    assert path.read_bytes()[:5] == b"%PDF-" and list(tmp_path.iterdir()) == [path]  # no temporary left
