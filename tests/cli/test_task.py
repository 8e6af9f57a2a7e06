"""``--task`` / ``[data] task``: how a file's numeric labels are read (classes or regression targets)."""

from __future__ import annotations

import numpy as np
from cli_helpers import assert_one_line_error

import deltaprop as dp
from deltaprop.diagnostics.run import load_run_data, read_run


def _integer_regression_csv(path):
    # Whole-number targets that are quantities, not classes (like scikit-learn's diabetes
    # targets, 25..346): y = 100 + 40·x₀ − 30·x₁, rounded.
    rng = np.random.default_rng(0)
    X = rng.random((120, 3))
    y = np.round(100 + 40 * X[:, 0] - 30 * X[:, 1])
    np.savetxt(path, np.c_[X, y], delimiter=",", header="a,b,c,target", comments="", fmt="%.6g")
    return X, y


def test_whole_number_targets_train_a_regression_when_told(cli, tmp_path):
    _, y = _integer_regression_csv(tmp_path / "amounts.csv")
    assert len(np.unique(y)) > 30  # auto would make a classifier with one output per value
    flags = ("--data", "amounts.csv", "--cost", "quadratic", "--output-activation", "linear")
    result = cli(
        "train", *flags, "--task", "regression", "--epochs", "2", "--lr", "0.001", "--no-plots", "--name", "r"
    )
    assert result.returncode == 0, result.stderr
    run = tmp_path / "runs" / "r"
    assert dp.load(run / "model.safetensors").sizes == [3, 30, 1]
    assert 'task = "regression"' in (run / "config.toml").read_text()
    # diagnose and plot read the run's data back as train read it: one float target column.
    files = read_run(run)
    loaded = load_run_data(files)
    assert loaded is not None, files.missing
    X_back, y_back = loaded
    assert y_back.shape == (120, 1) and np.array_equal(y_back[:, 0], y)
    # Without --task the same flags make one output per distinct value: the reason for the flag.
    auto = cli("train", *flags, "--epochs", "1", "--no-plots", "--name", "a")
    assert auto.returncode == 0, auto.stderr
    assert dp.load(tmp_path / "runs" / "a" / "model.safetensors").sizes[-1] == int(y.max()) + 1


def test_minus_one_plus_one_labels_are_regression_unless_called_classes(cli, tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 4))
    np.savez(tmp_path / "pm1.npz", X=X, y=np.where(X[:, 0] > 0, 1, -1))
    # auto: −1/+1 are not whole numbers ≥ 0, so regression targets, which the default softmax
    # and log-likelihood cannot fit: a usage error before any run folder, naming the way out.
    refused = cli("train", "--data", "pm1.npz", "--epochs", "1", "--no-plots")
    assert_one_line_error(refused, 2, "--task classification")
    assert not (tmp_path / "runs").exists()
    told = cli(
        "train", "--data", "pm1.npz", "--task", "classification", "--epochs", "3", "--no-plots", "--name", "c"
    )
    assert told.returncode == 0, told.stderr
    net, meta = dp.files.load_with_metadata(tmp_path / "runs" / "c" / "model.safetensors")
    assert net.sizes[-1] == 2
    evaluated = cli("evaluate", "runs/c")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "-1" in evaluated.stdout and "accuracy" in evaluated.stdout


def test_a_task_that_cannot_apply_is_a_usage_error_naming_where_it_was_given(cli, tmp_path):
    assert_one_line_error(
        cli("train", "--data", "digits", "--task", "regression"), 2, "--task regression", "digits"
    )
    assert cli("train", "--task", "guess").returncode == 2  # argparse's choices
    (tmp_path / "run.toml").write_text('[data]\ntask = "guess"\n')
    assert_one_line_error(cli("train", "--config", "run.toml"), 2, '[data] task = "guess" in', "run.toml")
    # A config file's task belongs to its file: --data naming a built-in set drops it.
    (tmp_path / "reg.toml").write_text('[data]\npath = "x.csv"\ntask = "regression"\n')
    fine = cli("train", "--config", "reg.toml", "--data", "xor", "--epochs", "1", "--no-plots", "--name", "x")
    assert fine.returncode == 0, fine.stderr
