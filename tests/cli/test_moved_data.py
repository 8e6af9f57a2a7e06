"""A run whose data file has moved: the file is known by the SHA-256 the run recorded (``[data]
sha256``), wherever it lies now, so ``evaluate --data`` still says which rows were trained on.
"""

from __future__ import annotations

import json
import shutil

from cli_helpers import write_iris_csv

TRAIN = ["train", "--label-column", "species", "--epochs", "3", "--seed", "5", "--no-plots", "--quiet"]


def _moved_run(run, tmp_path):
    """An iris run trained in ``proj/`` on ``proj/iris.csv``, the folder then renamed ``proj2``;
    a copy of the file stays at ``iris.csv``."""
    write_iris_csv(tmp_path)
    (tmp_path / "proj").mkdir()
    shutil.copy(tmp_path / "iris.csv", tmp_path / "proj")
    trained = run(*TRAIN, "--data", "proj/iris.csv", "--out", "proj/runs", "--name", "iris")
    assert trained.returncode == 0, trained.stderr
    (tmp_path / "proj").rename(tmp_path / "proj2")
    return "proj2/runs/iris"


def test_evaluate_knows_the_runs_file_by_its_sha256_once_it_has_moved(run, tmp_path):
    run_dir = _moved_run(run, tmp_path)
    scored = run("evaluate", run_dir, "--data", "iris.csv", "--json")
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    assert result["includes_training_rows"] is True
    assert (result["n_trained"], result["n_validation"]) == (135, 15)

    # the same rows in another order are another file: not known as the run's
    lines = (tmp_path / "iris.csv").read_text().splitlines()
    (tmp_path / "other.csv").write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    other = json.loads(run("evaluate", run_dir, "--data", "other.csv", "--json").stdout)
    assert other["includes_training_rows"] is None
