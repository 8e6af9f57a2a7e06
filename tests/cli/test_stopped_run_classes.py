"""A run stopped before its end (a checkpoint, no model) keeps its class names: ``evaluate`` reads
a file's text labels through them and ``predict`` names them, as for a finished run. Without
them a file of only "virginica" rows was numbered by itself, scored as class 0 without a word.
"""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest
from cli_helpers import write_iris_csv
from test_resume import popen_in

import deltaprop as dp

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

IRIS = ["--data", "iris.csv", "--label-column", "species", "--scale", "standard", "--batch-size", "10"]
IRIS += ["--seed", "2", "--no-plots", "--quiet"]


def _stopped(tmp_path, name: str, *more: str):
    """A run of iris stopped by a Ctrl-C in its second epoch, after mini-batch 3."""
    popen, script = popen_in(tmp_path)
    proc = popen(script, "1", "3", "train", *IRIS, "--epochs", "50", "--name", name, *more)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    run_dir = tmp_path / "runs" / name
    assert not (run_dir / "model.safetensors").exists()
    return run_dir


def test_a_stopped_runs_checkpoint_keeps_its_class_names_for_evaluate_and_predict(run, tmp_path):
    frame = write_iris_csv(tmp_path)
    iris = pd.read_csv(tmp_path / "iris.csv")
    iris[iris.species == "virginica"].to_csv(tmp_path / "virg.csv", index=False)
    frame.iloc[100:103].to_csv(tmp_path / "rows.csv", index=False)
    run_dir = _stopped(tmp_path, "it")
    _, _, state = dp.files.load_checkpoint(run_dir / "checkpoint.safetensors")
    assert state["classes"] == ["setosa", "versicolor", "virginica"]

    scored = run("evaluate", "runs/it", "--data", "virg.csv", "--json")
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    # every row is virginica, class 2, whatever the stopped model predicts
    assert [row["support"] for row in result["per_class"]] == [0, 0, 50]
    assert result["per_class"][2]["name"] == "virginica"

    predicted = run("predict", "runs/it", "rows.csv", "--json")
    assert predicted.returncode == 0, predicted.stderr
    for row in json.loads(predicted.stdout)["predictions"]:
        assert row["class_name"] == ["setosa", "versicolor", "virginica"][row["class"]]
