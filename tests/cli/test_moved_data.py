"""A run whose data file has moved: the file is known by the SHA-256 the run recorded (``[data]
sha256``), wherever it lies now, so ``evaluate --data`` still says which rows were trained on,
and ``resume --data NEW_PATH`` goes on with it (another file is refused, naming both hashes).
"""

from __future__ import annotations

import json
import shutil

import tomllib
from cli_helpers import assert_one_line_error, same_weights, write_iris_csv

from deltaprop.datasets.by_name import file_sha256

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


def test_resume_says_where_the_path_comes_from_and_both_ways_on(run, tmp_path):
    run_dir = _moved_run(run, tmp_path)
    lost = run("resume", run_dir, "--epochs", "4")
    assert_one_line_error(lost, 2, "proj/iris.csv", "the path its checkpoint.safetensors records")
    assert "Put it back there" in lost.stderr and f"deltaprop resume {run_dir} --data NEW_PATH" in lost.stderr
    assert "named in its config.toml" not in lost.stderr

    (tmp_path / "virg.csv").write_text("\n".join((tmp_path / "iris.csv").read_text().splitlines()[:60]))
    other = run("resume", run_dir, "--epochs", "4", "--data", "virg.csv")
    recorded = tomllib.loads((tmp_path / run_dir / "config.toml").read_text())["data"]["sha256"]
    assert_one_line_error(other, 2, file_sha256(tmp_path / "virg.csv"), recorded)
    builtin = run("resume", run_dir, "--epochs", "4", "--data", "digits")
    assert_one_line_error(builtin, 2, "not on a built-in set")
    assert (tmp_path / run_dir / "model.safetensors").is_file()  # refused: nothing changed


def test_resume_data_takes_the_same_file_at_its_new_path(run, tmp_path):
    run_dir = tmp_path / _moved_run(run, tmp_path)
    resumed = run("resume", str(run_dir), "--epochs", "4", "--data", "iris.csv", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert "was changed after the run began" not in resumed.stderr
    assert tomllib.loads((run_dir / "config.toml").read_text())["data"]["path"] == str(tmp_path / "iris.csv")
    whole = run(*TRAIN, "--data", "iris.csv", "--epochs", "4", "--name", "whole")
    assert whole.returncode == 0, whole.stderr
    assert same_weights(run_dir / "model.safetensors", tmp_path / "runs/whole/model.safetensors")
    assert run("evaluate", str(run_dir)).returncode == 0  # config.toml names the file where it is


def test_resume_data_of_a_built_in_set_must_name_it(run, tmp_path):
    trained = run("train", "--epochs", "1", "--seed", "1", "--name", "d", "--no-plots", "--quiet")
    assert trained.returncode == 0, trained.stderr
    write_iris_csv(tmp_path)
    refused = run("resume", "runs/d", "--epochs", "2", "--data", "iris.csv")
    assert_one_line_error(refused, 2, "trained on the built-in data set digits")
    assert run("resume", "runs/d", "--epochs", "2", "--data", "digits", "--quiet").returncode == 0


def test_resume_data_of_a_finished_run_records_the_new_path(run, tmp_path):
    run_dir = tmp_path / _moved_run(run, tmp_path)
    done = run("resume", str(run_dir), "--data", "iris.csv")
    assert done.returncode == 0 and "nothing to resume" in done.stdout, done.stderr
    assert tomllib.loads((run_dir / "config.toml").read_text())["data"]["path"] == str(tmp_path / "iris.csv")
    assert run("evaluate", str(run_dir)).returncode == 0
