"""Edge cases of the pictures, checked on the matplotlib objects: limits, ticks, texts, scales."""

from __future__ import annotations

import numpy as np
import pytest
from picture_checks import assert_lines_fill_height

import deltaprop as dp
from deltaprop.plots import confusion_matrix, learning_curves, network_diagram
from deltaprop.plots.curves import ACCURACY_HEADROOM


def test_one_epoch_is_drawn_at_the_whole_epoch_1_and_nowhere_else():
    fig = learning_curves({"loss": [1.6], "accuracy": [0.48]})
    for ax in fig.axes:
        fig.canvas.draw()
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert ticks == [1.0], ticks


def test_every_panel_spans_every_epoch_even_past_a_nan_tail():
    nan = float("nan")
    history = {"loss": [2.3, 1.2, nan], "accuracy": [0.1, 0.5, nan], "lr": [0.5, 0.25, 0.125]}
    fig = learning_curves(history)
    limits = {ax.get_xlim() for ax in fig.axes}
    assert len(limits) == 1
    low, high = limits.pop()
    assert low < 1 and high > 3


def test_the_accuracy_axis_fits_mnist_like_curves_so_training_and_validation_can_be_told_apart():
    # three epochs of MNIST (deltaprop train --data mnist --epochs 3 --lr 0.1 --seed 1)
    history = {
        "loss": [0.423, 0.222, 0.179],
        "accuracy": [0.8861, 0.9359, 0.9476],
        "val_loss": [0.260, 0.194, 0.170],
        "val_accuracy": [0.9210, 0.9433, 0.9497],
    }
    ax = learning_curves(history).axes[1]
    bottom, top = ax.get_ylim()
    assert 80 <= bottom <= 88.61 and 94.97 <= top <= 100, (bottom, top)
    assert_lines_fill_height(ax, 0.5)


@pytest.mark.parametrize(
    ("accuracy", "val_accuracy"),
    [
        ([0.991, 0.992, 0.9925], [0.990, 0.991, 0.991]),  # a tiny spread right under 100 %
        ([0.001, 0.002, 0.004], [0.0, 0.003, 0.002]),  # a tiny spread right over 0 %
        ([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),  # no spread at all
    ],
)
def test_a_tiny_accuracy_spread_keeps_a_few_points_of_axis_and_stays_within_0_to_100(accuracy, val_accuracy):
    history = {"loss": [1.0, 0.9, 0.8], "accuracy": accuracy, "val_accuracy": val_accuracy}
    ax = learning_curves(history).axes[1]
    bottom, top = ax.get_ylim()
    assert 0 <= bottom and top <= 100 + ACCURACY_HEADROOM * (100 - bottom)  # headroom above 100 only
    assert max(ax.get_yticks()) <= 100
    assert top - bottom >= 3, (bottom, top)  # 0.2 points of noise must not fill the panel
    assert_lines_fill_height(ax, 0.0)  # the data lies inside the axis


def test_a_run_that_starts_at_chance_keeps_its_first_epoch_on_the_accuracy_axis():
    nan = float("nan")
    history = {
        "loss": [2.3, 0.5, 0.3, nan],
        "accuracy": [0.10, 0.93, 0.99, nan],
        "val_accuracy": [0.5, 0.9, 1.0, nan],
    }
    ax = learning_curves(history).axes[1]
    bottom, top = ax.get_ylim()
    assert 0 <= bottom <= 10 and top == 100 + ACCURACY_HEADROOM * (100 - bottom)
    assert_lines_fill_height(ax, 0.85)


def test_a_two_class_confusion_matrix_fits_its_title_and_starts_its_colours_at_zero():
    y_true = [0] * 75 + [1] * 125
    y_pred = [0] * 63 + [1] * 12 + [0] * 37 + [1] * 88
    fig = confusion_matrix(y_true, y_pred)
    ax = fig.axes[0]
    fig.canvas.draw()
    title = ax.title.get_window_extent()
    width, height = fig.canvas.get_width_height()
    assert title.x0 >= 0 and title.x1 <= width and title.y1 <= height, "the title is cut off"
    image = ax.images[0]
    assert image.norm.vmin == 0  # 12 of a class is light blue, not white like 0
    assert np.array_equal(image.get_array(), [[63, 12], [37, 88]])
    normalized = confusion_matrix(y_true, y_pred, normalize=True).axes[0].images[0].norm
    assert (normalized.vmin, normalized.vmax) == (0, 1)


def test_a_layer_of_one_neuron_is_one_neuron():
    fig = network_diagram(dp.Network([2, 3, 1], seed=0))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "output\nlogistic\n1 neuron" in texts and "input\n2 neurons" in texts


def test_learning_curves_take_a_saved_history_as_read_back(tmp_path):
    # History.to_dict() and a history.json read back hold the lists under "history": they were
    # refused as "no 'loss' values: train for at least one epoch"
    import json

    net = dp.Network([2, 4, 2], output_activation="softmax", seed=0)
    X, y = dp.datasets.load("moons", seed=0)
    history = net.fit(X, y, epochs=3, learning_rate=1.0, seed=0)
    history.to_json(tmp_path / "h.json")
    saved = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    drawn = [learning_curves(h) for h in (history, history.to_dict(), saved)]
    lines = [[line.get_ydata().tolist() for line in fig.axes[0].lines] for fig in drawn]
    assert lines[0] == lines[1] == lines[2] and len(lines[0][0]) == 3


def test_the_diagrams_names_are_public_beside_the_diagram():
    from deltaprop.plots import DiagramNames
    from deltaprop.plots.network_diagram import DiagramNames as where_defined

    assert DiagramNames is where_defined
