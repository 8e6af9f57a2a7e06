"""Every picture is drawn, saved as PNG and SVG, and not blank; the drawings say what they should."""

from __future__ import annotations

import re

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from picture_checks import assert_png_drawn, assert_svg_drawn
from PIL import Image

import deltaprop as dp
from deltaprop import plots
from deltaprop.plots._figure import NEGATIVE, POSITIVE


def _pictures(trained_digits, digits):
    net, history, stats = trained_digits
    X, y = digits
    predicted = net.predict_classes(X)
    moons = dp.datasets.make_moons(n_samples=120, seed=0)
    small = dp.Network([2, 4, 2], seed=0)
    return {
        "network_diagram": lambda: plots.network_diagram(net, X[0], y[0]),
        "learning_curves": lambda: plots.learning_curves(history),
        "decision_boundary": lambda: plots.decision_boundary(small, *moons),
        "confusion_matrix": lambda: plots.confusion_matrix(y, predicted),
        "misclassified_gallery": lambda: plots.misclassified_gallery(X, y, predicted, (8, 8)),
        "first_layer_weights": lambda: plots.first_layer_weights(net, (8, 8)),
        "gradient_distributions": lambda: plots.gradient_distributions(stats),
    }


NAMES = [
    "network_diagram",
    "learning_curves",
    "decision_boundary",
    "confusion_matrix",
    "misclassified_gallery",
    "first_layer_weights",
    "gradient_distributions",
]


@pytest.mark.parametrize("name", NAMES)
def test_each_picture_is_drawn_as_png_and_svg(name, trained_digits, digits, tmp_path):
    before_rc, before_backend = dict(matplotlib.rcParams), matplotlib.get_backend()
    fig = _pictures(trained_digits, digits)[name]()
    assert isinstance(fig, Figure)
    png = plots.save_figure(fig, tmp_path / f"{name}.png")
    svg = plots.save_figure(fig, tmp_path / f"{name}.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_png_drawn(png)
    assert_svg_drawn(svg)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([png.name, svg.name])  # no temporary left
    assert png.stat().st_mode & 0o777 == 0o644  # readable by all, like any other file written
    assert dict(matplotlib.rcParams) == before_rc, "a picture changed matplotlib's global rcParams"
    assert matplotlib.get_backend() == before_backend


def test_network_diagram_colours_every_line_by_the_sign_of_its_weight():
    net = dp.Network([3, 4, 2], seed=1)
    fig = plots.network_diagram(net)
    lines = [line for line in fig.axes[0].lines if (line.get_gid() or "").startswith("w[")]
    assert len(lines) == 3 * 4 + 4 * 2  # small enough to draw every connection
    signs_seen = set()
    for line in lines:
        l, i, j = map(int, re.fullmatch(r"w\[(\d+)\]\[(\d+),(\d+)\]", line.get_gid()).groups())
        w = net.weights[l][i, j]
        assert to_hex(line.get_color()) == (POSITIVE if w >= 0 else NEGATIVE)
        signs_seen.add(w >= 0)
    assert signs_seen == {True, False}
    # wider line, larger |w|
    pairs = sorted(
        (abs(net.weights[int(g[2])][int(g[5]), int(g[7])]), line.get_linewidth())
        for line in lines
        for g in [line.get_gid()]
    )
    widths = [width for _, width in pairs]
    assert widths == sorted(widths)


def test_network_diagram_labels_neurons_with_their_backprop_delta():
    net = dp.Network([2, 3, 2], seed=0)
    x, y = np.array([0.05, 0.10]), np.array([0.01, 0.99])
    fig = plots.network_diagram(net, x, y)
    texts = {t.get_text() for t in fig.axes[0].texts}
    deltas = net.backprop(x[None, :], y[None, :]).deltas
    for layer in deltas:
        for value in layer[0]:
            assert f"{value:.3g}" in texts  # 3 significant digits, as DIGITS
    assert len(fig.axes) == 2  # the diagram and the colour bar of δ


def test_network_diagram_takes_a_class_label_bare_or_in_a_list_as_explain_does():
    # dp.explain(net, x, [2], η) reads [2] as class 2 of a 3-output network; the diagram
    # refused it ("Y has 1 columns, but the network has 3 outputs").
    net = dp.Network([2, 3, 3], output_activation="softmax", cost="log_likelihood", seed=0)
    x = np.array([0.1, 0.2])
    texts = [
        {t.get_text() for t in plots.network_diagram(net, x, y).axes[0].texts} for y in (2, [2], np.eye(3)[2])
    ]
    assert texts[0] == texts[1] == texts[2]
    delta = net.backprop(x[None, :], np.array([2])).deltas[-1][0]
    assert all(f"{value:.3g}" in texts[1] for value in delta)


def test_network_diagram_of_outputs_that_are_never_negative_uses_a_scale_from_zero():
    # Without y the neurons show their outputs o; for logistic outputs in (0, 1) the colour bar
    # ran from −max to max, so its lower half was never used (learner audit).
    x = np.array([0.1, 0.2])
    logistic = plots.network_diagram(dp.Network([2, 3, 2], seed=0), x)
    low, high = logistic.axes[1].get_ylim()
    assert low == 0.0 and high > 0.0
    tanh = plots.network_diagram(dp.Network([2, 3, 2], activation="tanh", seed=0), x)
    low, high = tanh.axes[1].get_ylim()
    assert low == -high < 0.0  # outputs of either sign keep the scale centred at 0


def test_network_diagram_of_a_big_layer_shows_a_subset_and_an_ellipsis():
    net = dp.Network([784, 30, 10], seed=0)
    fig = plots.network_diagram(net, max_neurons=8)
    ax = fig.axes[0]
    weight_lines = [line for line in ax.lines if (line.get_gid() or "").startswith("w[")]
    assert len(weight_lines) == 8 * 8 + 8 * 8  # not 784·30 + 30·10
    assert sum(t.get_text() == "⋮" for t in ax.texts) == 3  # every layer has more than 8
    assert any("784 neurons" in t.get_text() for t in ax.texts)


def test_confusion_matrix_shows_sklearns_counts():
    from sklearn.metrics import confusion_matrix

    y_true = np.array([0, 0, 1, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 0, 2])
    fig = plots.confusion_matrix(y_true, y_pred)
    counts = confusion_matrix(y_true, y_pred)
    shown = [int(t.get_text()) for t in fig.axes[0].texts]
    assert shown == counts.ravel().tolist()


def test_learning_curves_add_a_panel_when_the_learning_rate_varies():
    base = {"loss": [1.0, 0.5, 0.3], "accuracy": [0.5, 0.7, 0.8], "val_loss": [1.1, 0.6, 0.4]}
    assert len(plots.learning_curves({**base, "lr": [0.5, 0.5, 0.5]}).axes) == 2
    assert len(plots.learning_curves({**base, "lr": [0.5, 0.25, 0.125]}).axes) == 3
    ax = plots.learning_curves(base).axes[0]
    assert [line.get_label() for line in ax.lines] == [
        "training (mean over the epoch)",
        "validation (at the epoch's end)",
    ]


def test_gradient_distributions_draw_one_line_per_layer(trained_digits):
    _, _, stats = trained_digits
    fig = plots.gradient_distributions(stats)
    for ax in fig.axes:
        assert len(ax.lines) == 2  # hidden and output layer
        assert ax.get_yscale() == "log"
        assert len(ax.lines[0].get_xdata()) == len(stats.records)


def test_the_decision_boundary_gif_has_a_frame_per_snapshot(tmp_path):
    X, y = dp.datasets.make_moons(n_samples=100, seed=0)
    net = dp.Network([2, 8, 1], seed=0)
    snaps = plots.BoundarySnapshots(every=2)
    dp.fit(net, X, y, epochs=6, learning_rate=3.0, seed=0, callbacks=[snaps])
    assert [epoch for epoch, _, _ in snaps.snapshots] == [0, 2, 4, 6]
    frames = plots.decision_boundary_frames(snaps, X, y, resolution=40)
    assert len(frames) == 4 and all(isinstance(f, Figure) for f in frames)
    assert frames[0].axes[0].get_title().startswith("epoch 0")
    path = plots.animate_decision_boundary(snaps, X, y, tmp_path / "boundary.gif", resolution=40)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 4
        gif.seek(0)
        first = np.asarray(gif.convert("RGB"), dtype=float)
        gif.seek(3)
        last = np.asarray(gif.convert("RGB"), dtype=float)
    assert np.abs(first - last).mean() > 0.5  # the boundary moved


def test_plots_never_use_pyplot_or_global_settings():
    """The package draws through Figure objects only: no pyplot, no matplotlib.use, no rcParams writes."""
    from pathlib import Path

    for source in Path(plots.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        forbidden = re.search(
            r"import matplotlib\.pyplot|from matplotlib import pyplot|matplotlib\.use\(|"
            r"rcParams\[|rcParams\.|matplotlib\.rc\(|style\.use\(",
            text,
        )
        assert forbidden is None, f"{source.name} uses {forbidden.group()}"


def test_bad_arguments_are_named(trained_digits, tmp_path):
    net, _, _ = trained_digits
    fig = plots.learning_curves({"loss": [1.0, 0.5]})
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        plots.save_figure(fig, tmp_path / "curves.jpg")
    with pytest.raises(TypeError, match="Figure"):
        plots.save_figure("not a figure", tmp_path / "x.png")
    with pytest.raises(ValueError, match="image_shape"):
        plots.first_layer_weights(net, (28, 28))
    with pytest.raises(ValueError, match=r"\(n_samples, 2\)"):
        plots.decision_boundary(dp.Network([2, 2]), np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="without x"):
        plots.network_diagram(net, y=[1])
    with pytest.raises(ValueError, match="no 'loss'"):
        plots.learning_curves({"loss": []})
    with pytest.raises(ValueError, match="empty"):
        plots.decision_boundary_frames([], np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"\.gif"):
        plots.animate_decision_boundary(
            [(0, dp.Network([2, 2]))], np.zeros((3, 2)), np.zeros(3), tmp_path / "a.png"
        )
    with pytest.raises(ValueError, match="y_true and y_pred"):
        plots.confusion_matrix([0, 1], [0])


def test_a_gallery_without_mistakes_says_so():
    X = np.random.default_rng(0).random((4, 64))
    fig = plots.misclassified_gallery(X, [1, 2, 3, 4], [1, 2, 3, 4], (8, 8))
    assert fig.axes[0].texts[0].get_text() == "no misclassified examples"


def test_first_layer_weights_number_the_neurons_from_one(trained_digits):
    """Tiles are labelled 1..n, as the walk-through and the diagnostics number neurons."""
    net, _, _ = trained_digits
    fig = plots.first_layer_weights(net, (8, 8), max_neurons=12)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == [str(k) for k in range(1, 13)]
    assert "j = 1, 2, …" in fig._suptitle.get_text()


def test_the_cost_axis_says_when_the_cost_is_of_scaled_targets():
    history = {"loss": [2.0, 1.0], "val_loss": [2.5, 1.5]}
    assert plots.learning_curves(history).axes[0].get_ylabel() == "cost C"
    scaled = plots.learning_curves(history, scaled_targets=True)
    assert scaled.axes[0].get_ylabel() == "cost C (scaled targets)"
