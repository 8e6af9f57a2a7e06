"""The learning curves of a run that kept its best epoch's weights (--restore-best-weights) mark
that epoch: a dotted vertical line, "weights kept: epoch 4" in the legend."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from deltaprop import plots
from deltaprop.cli import main
from deltaprop.files import load_checkpoint
from deltaprop.plots import run as plots_run

HISTORY = {
    "loss": [1.0, 0.6, 0.5, 0.45, 0.44],
    "val_loss": [1.1, 0.7, 0.65, 0.66, 0.7],
    "accuracy": [0.5, 0.7, 0.8, 0.85, 0.86],
    "val_accuracy": [0.5, 0.68, 0.75, 0.74, 0.73],
}


def _kept_lines(ax):
    """The x of each dotted vertical line labelled 'weights kept: ...', and the legend's texts."""
    xs = [
        line.get_xdata()[0]
        for line in ax.get_lines()
        if line.get_linestyle() == ":" and line.get_label().startswith("weights kept")
    ]
    return xs, [t.get_text() for t in ax.get_legend().get_texts()]


def test_the_kept_epoch_is_marked_on_the_cost_and_accuracy_panels():
    fig = plots.learning_curves(HISTORY, kept_epoch=3)
    try:
        for ax in fig.axes[:2]:
            xs, legend = _kept_lines(ax)
            assert xs == [3] and "weights kept: epoch 3" in legend
    finally:
        plt.close(fig)
    fig = plots.learning_curves(HISTORY)
    try:
        for ax in fig.axes:
            xs, legend = _kept_lines(ax)
            assert xs == [] and not any("weights kept" in text for text in legend)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("kept", "error", "message"),
    [
        (0, ValueError, "kept_epoch must be > 0; got 0"),
        (6, ValueError, "kept_epoch must be an epoch of the history, 1 to 5; got 6"),
        (2.0, TypeError, "kept_epoch must be an integer; got 2.0"),
    ],
)
def test_a_kept_epoch_outside_the_history_is_refused(kept, error, message):
    with pytest.raises(error, match=message):
        plots.learning_curves(HISTORY, kept_epoch=kept)


@pytest.fixture(scope="module")
def restored_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    args = ["train", "--epochs", "8", "--lr", "10", "--seed", "1", "--restore-best-weights", "--no-plots"]
    assert main([*args, "--out", str(out), "--name", "r", "--quiet"]) == 0
    return out / "r"


def test_a_restored_runs_curves_mark_the_epoch_train_kept(restored_run, monkeypatch):
    drawn = []

    def recording(*args, **kwargs):
        drawn.append(fig := plots.learning_curves(*args, **kwargs))
        return fig

    monkeypatch.setattr(plots_run, "learning_curves", recording)
    plots.plot_run(restored_run, out_dir=restored_run / "plots")
    assert (restored_run / "plots" / "learning_curves.png").is_file()
    val_loss = json.loads((restored_run / "history.json").read_text())["history"]["val_loss"]
    _, _, state = load_checkpoint(restored_run / "checkpoint.safetensors")
    kept = state["best"]["epoch"] + 1  # what EarlyStopping kept, as the checkpoint records it
    assert kept == int(np.nanargmin(val_loss)) + 1 and kept < len(val_loss)  # not simply the last
    xs, legend = _kept_lines(drawn[0].axes[0])
    assert xs == [kept] and f"weights kept: epoch {kept}" in legend


def test_a_run_that_keeps_its_last_weights_has_no_mark(restored_run, tmp_path):
    config = (restored_run / "config.toml").read_text()
    assert "restore_best_weights = true" in config
    run = tmp_path / "last"
    run.mkdir()
    for name in ("model.safetensors", "history.json"):
        (run / name).write_bytes((restored_run / name).read_bytes())
    (run / "config.toml").write_text(
        config.replace("restore_best_weights = true", "restore_best_weights = false")
    )
    assert plots_run._kept_epoch(plots_run.read_run(run)) is None
    assert plots_run._kept_epoch(plots_run.read_run(restored_run)) is not None
