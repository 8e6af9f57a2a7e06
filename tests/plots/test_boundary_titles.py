"""A decision-boundary frame's title describes the network drawn in it, on the points drawn.

The training log's ``loss`` is the running mean of the epoch's mini-batch costs, each taken
before its own update: not the cost of the network in the picture. At epoch 30 of the README's
moons run the title said C = 0.144 while the drawn network's C on the points was 0.104.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import plots

TITLE = re.compile(r"^epoch (\d+): accuracy ([\d.]+)%, C = (\S+)\non the points shown$")


@pytest.fixture(scope="module")
def moons_run():
    X, y = dp.datasets.make_moons(n_samples=120, seed=0)
    net = dp.Network([2, 8, 2], output_activation="softmax", cost="log_likelihood", seed=1)
    snaps = plots.BoundarySnapshots(every=3)
    dp.fit(net, X, y, epochs=9, batch_size=10, learning_rate=3.0, seed=0, callbacks=[snaps])
    return X, y, snaps


def test_every_title_gives_the_drawn_networks_accuracy_and_cost(moons_run):
    X, y, snaps = moons_run
    frames = plots.decision_boundary_frames(snaps, X, y, resolution=20)
    assert len(frames) == len(snaps.snapshots) == 4
    for (epoch, net, logs), fig in zip(snaps.snapshots, frames):
        title = TITLE.match(fig.axes[0].get_title())
        assert title is not None, fig.axes[0].get_title()  # frame 0 has a cost too
        assert int(title[1]) == epoch
        assert float(title[2]) == pytest.approx(100 * np.mean(net.predict_classes(X) == y), abs=0.05)
        assert title[3] == f"{net.cost_value(X, y):.3g}"
        if logs:  # the running training loss is another number, and is not the one shown
            assert f"{logs['loss']:.3g}" != title[3]


def test_the_cost_is_taken_on_the_targets_given(moons_run):
    # one-hot rows give the same cost as their labels; a one-output network gets a column of 0/1
    X, y, snaps = moons_run
    one_hot = np.eye(2)[y]
    by_label = [fig.axes[0].get_title() for fig in plots.decision_boundary_frames(snaps, X, y, resolution=20)]
    by_row = [
        fig.axes[0].get_title() for fig in plots.decision_boundary_frames(snaps, X, one_hot, resolution=20)
    ]
    assert by_label == by_row
    single = dp.Network([2, 4, 1], seed=0)
    (fig,) = plots.decision_boundary_frames([(0, single)], X, y, resolution=20)
    assert TITLE.match(fig.axes[0].get_title())[3] == f"{single.cost_value(X, y.reshape(-1, 1)):.3g}"


def test_the_title_fits_the_frame(moons_run):
    X, y, snaps = moons_run
    fig = plots.decision_boundary_frames(snaps, X, y, resolution=20)[-1]
    fig.canvas.draw()
    box = fig.axes[0].title.get_window_extent()
    width, _ = fig.canvas.get_width_height()
    assert box.x0 >= 0 and box.x1 <= width, "the title is cut off"


def test_snapshots_of_a_resumed_run_start_at_its_epoch():
    X, y = dp.datasets.make_moons(60, noise=0.1, seed=0)
    net = dp.Network([2, 4, 2], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=0)
    snaps = plots.BoundarySnapshots(every=2)
    dp.fit(net, X, y, epochs=7, initial_epoch=3, learning_rate=0.5, seed=0, callbacks=[snaps])
    assert [epoch for epoch, _net, _logs in snaps.snapshots] == [3, 4, 6]


def test_a_column_of_labels_of_three_classes_is_read_as_the_labels():
    """y as df[["label"]] gives it, (n, 1), is the labels for a network of several outputs, as fit
    reads it; it was taken for 0/1 targets (y > 0.5), so classes 1 and 2 merged and the title's
    accuracy was that of another problem."""
    X, y = dp.datasets.make_blobs(n_samples=90, n_classes=3, seed=0)
    net = dp.Network([2, 8, 3], output_activation="softmax", seed=1)
    dp.fit(net, X, y, epochs=3, batch_size=10, learning_rate=0.5, seed=0)
    (by_label,) = plots.decision_boundary_frames([(3, net)], X, y, resolution=20)
    (by_column,) = plots.decision_boundary_frames([(3, net)], X, y.reshape(-1, 1), resolution=20)
    accuracy = 100 * np.mean(net.predict_classes(X) == y)
    assert float(TITLE.match(by_column.axes[0].get_title())[2]) == pytest.approx(accuracy, abs=0.05)
    assert by_column.axes[0].get_title() == by_label.axes[0].get_title()
