"""train's summary says what its train loss and accuracy are: the last epoch's means over its
mini-batches, taken while the weights changed (as Keras reports them), not the final network's
score on the training data, which is higher after an epoch of fast learning. With --l2 a row
says that the losses leave the L2 term out.
"""

from __future__ import annotations

import json
import re

import numpy as np

import deltaprop as dp


def _row(stdout: str, name: str) -> str | None:
    """The value of the summary row ``name``; None when there is no such row."""
    found = re.search(rf"^│ {re.escape(name)}\s+│ (.*?)\s+│$", stdout, re.MULTILINE)
    return found and found[1]


def test_the_train_figures_are_labelled_as_the_last_epochs_means(run, tmp_path):
    result = run("train", "--epochs", "2", "--batch-size", "10", "--seed", "4", "--no-plots", "--name", "d")
    assert result.returncode == 0, result.stderr
    h = json.loads((tmp_path / "runs/d/history.json").read_text())["history"]

    assert _row(result.stdout, "train loss (mean over epoch 2)") == f"{h['loss'][-1]:.4f}"
    assert _row(result.stdout, "train accuracy (mean over epoch 2)") == f"{100 * h['accuracy'][-1]:.2f}%"
    assert "final loss" not in result.stdout and "final train accuracy" not in result.stdout
    assert _row(result.stdout, "L2 term (λ/2n)Σw²") is None
    # What the label warns of: the final network scores otherwise on the rows it trained on.
    net = dp.load(tmp_path / "runs/d/model.safetensors")
    X, y = dp.datasets.load_digits("train")
    assert abs(net.evaluate(X, y)["accuracy"] - h["accuracy"][-1]) > 0.005


def test_with_l2_a_row_says_the_losses_leave_its_term_out(run, tmp_path):
    result = run("train", "--epochs", "2", "--l2", "5", "--seed", "4", "--no-plots", "--name", "l2")
    assert result.returncode == 0, result.stderr
    assert _row(result.stdout, "L2 term (λ/2n)Σw²") == "not in the losses above"
    # It is not: the test loss is the cost C₀ alone, as evaluate gives it for the same weights,
    # and the term left out would show: (λ/2n)Σw² with n the rows trained on.
    net = dp.load(tmp_path / "runs/l2/model.safetensors")
    X, y = dp.datasets.load_digits("test")
    assert np.isclose(float(_row(result.stdout, "test loss")), net.evaluate(X, y)["loss"], atol=5e-5)
    n_train = round(0.9 * len(dp.datasets.load_digits("train")[1]))
    assert 5 / (2 * n_train) * sum(float((w**2).sum()) for w in net.weights) > 0.05
