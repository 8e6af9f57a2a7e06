"""train's summary gives the validation figures: the final and the best validation loss (and
its epoch) for every run, and for regression the saved model's R² and RMSE on the validation
rows, in the targets' own units (the loss alone is ½‖y − a‖², of scaled targets with --scale),
the very numbers 'deltaprop evaluate RUN_DIR' gives for those rows."""

from __future__ import annotations

import json
import re

import numpy as np
from sklearn.datasets import load_diabetes


def _row(stdout: str, name: str) -> str:
    """The value of the summary row ``name``."""
    found = re.search(rf"^│ {re.escape(name)}\s+│ (.*?)\s+│$", stdout, re.MULTILINE)
    assert found, (name, stdout)
    return found[1]


def test_a_regression_summary_gives_the_validation_loss_and_fit_in_target_units(run, tmp_path):
    load_diabetes(as_frame=True).frame.to_csv(tmp_path / "diabetes.csv", index=False)
    args = ("--data", "diabetes.csv", "--task", "regression", "--scale", "standard", "--lr", "0.1")
    result = run("train", *args, "--epochs", "8", "--seed", "1", "--no-plots", "--name", "reg")
    assert result.returncode == 0, result.stderr
    val_loss = json.loads((tmp_path / "runs/reg/history.json").read_text())["history"]["val_loss"]
    best = int(np.argmin(val_loss))

    assert _row(result.stdout, "final validation loss (scaled targets)") == f"{val_loss[-1]:.4f}"
    assert (
        _row(result.stdout, "best validation loss (scaled targets)")
        == f"{val_loss[best]:.4f} (epoch {best + 1})"
    )
    evaluated = json.loads(run("evaluate", "runs/reg", "--json").stdout)
    assert evaluated["rows"] == "validation"
    assert _row(result.stdout, "validation R²") == f"{evaluated['r2']:.4f}"
    rmse = _row(result.stdout, "validation RMSE")
    assert rmse == f"{evaluated['root_mean_squared_error']:.4f} (targets' units)"
    assert 0.2 < evaluated["r2"] < 0.8 and 40 < evaluated["root_mean_squared_error"] < 80


def test_a_classifier_summary_gives_the_best_validation_loss_and_its_epoch(run, tmp_path):
    result = run("train", "--epochs", "4", "--seed", "2", "--no-plots", "--name", "digits")
    assert result.returncode == 0, result.stderr
    val_loss = json.loads((tmp_path / "runs/digits/history.json").read_text())["history"]["val_loss"]
    best = int(np.argmin(val_loss))

    assert _row(result.stdout, "final validation loss") == f"{val_loss[-1]:.4f}"
    assert _row(result.stdout, "best validation loss") == f"{val_loss[best]:.4f} (epoch {best + 1})"
    assert "validation R²" not in result.stdout
