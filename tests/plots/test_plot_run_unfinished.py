"""The learning curves of a run that wrote no model mark no kept epoch, even with
--restore-best-weights: 'plot' draws its checkpoint's network, the weights of where it stopped,
and the best epoch's weights, which the checkpoint keeps beside them for resume, were never
restored. A diverged run's curves said "weights kept: epoch 1" over the weights of epoch 4."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_diabetes

from deltaprop import plots
from deltaprop.cli import main
from deltaprop.diagnostics.run import read_run
from deltaprop.files import load_checkpoint
from deltaprop.plots import run as plots_run


def test_a_diverged_run_that_restores_its_best_epoch_marks_no_kept_epoch(tmp_path, monkeypatch):
    # scikit-learn's diabetes unscaled at η = 0.5: the cost grows ~1e60 an epoch, best at epoch 1
    load_diabetes(as_frame=True, scaled=False).frame.to_csv(tmp_path / "big.csv", index=False)
    args = ["train", "--data", str(tmp_path / "big.csv"), "--task", "regression", "--lr", "0.5"]
    args += ["--seed", "1", "--restore-best-weights", "--no-plots", "--out", str(tmp_path), "--name", "div"]
    assert main([*args, "--quiet"]) == 1
    folder = tmp_path / "div"
    net, _, state = load_checkpoint(folder / "checkpoint.safetensors")
    run = read_run(folder)
    epochs = len(run.history["loss"])
    assert run.unfinished is not None and epochs == state["epoch"] > state["best"]["epoch"] + 1
    assert not np.array_equal(net.weights[0], state["best_w0"])  # the checkpoint's are the last epoch's
    drawn = []

    def recording(*args, **kwargs):
        drawn.append(kwargs.get("kept_epoch"))
        return plots.learning_curves(*args, **kwargs)

    monkeypatch.setattr(plots_run, "learning_curves", recording)
    plots.plot_run(folder)

    assert drawn == [None]
    assert (folder / "plots" / "learning_curves.png").is_file()
