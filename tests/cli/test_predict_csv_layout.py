"""predict on CSV files laid out as pandas writes them (its index, a header of column
numbers, a text label left in), and its table's title: each message gives one piece of
advice, the right one, and the title stays one line in a pipe."""

from __future__ import annotations

import json

import numpy as np
import pytest

import deltaprop as dp

pd = pytest.importorskip("pandas")


def test_a_regression_tables_title_is_one_line_in_a_pipe(run, tmp_path):
    net = dp.Network([2, 3, 1], activation="tanh", output_activation="linear", cost="quadratic", seed=0)
    dp.save(net, tmp_path / "reg.safetensors")
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    pd.DataFrame(X, columns=["a", "b"]).to_csv(tmp_path / "rows.csv", index=False)
    result = run("predict", "reg.safetensors", "rows.csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Predictions (the output a)"  # was "Predictions (the", then "output a)"
    values = [float(line.split()[-1]) for line in lines[2:]]
    np.testing.assert_allclose(values, net.predict(X)[:, 0], rtol=1e-5)


FEATURES = ["a", "b", "c"]


@pytest.fixture
def frame_run(run, tmp_path):
    """A run trained on train.csv (three features, a text label in ``label``, saved without
    pandas' index), and six rows of new features."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3)).round(3)
    frame = pd.DataFrame(X, columns=FEATURES)
    frame["label"] = np.where(X[:, 0] > 0, "yes", "no")
    frame.to_csv(tmp_path / "train.csv", index=False)
    trained = run("train", "--data", "train.csv", "--epochs", "2", "--seed", "0", "--quiet", "--no-plots")
    assert trained.returncode == 0, trained.stderr
    return "runs/" + trained.stdout.split("runs/")[-1].split()[0], rng.normal(size=(6, 3)).round(3)


def _probabilities(result) -> np.ndarray:
    assert result.returncode == 0, result.stderr
    return np.array([p["probabilities"] for p in json.loads(result.stdout)["predictions"]])


def _error_line(result) -> str:
    """The one error line (a layout warning may stand above it), exit 1."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.mark.parametrize("columns", [FEATURES, None], ids=["named", "unnamed"])
def test_pandas_index_is_named_with_drop_columns_0_not_a_label(run, tmp_path, frame_run, columns):
    # df.to_csv(path) keeps pandas' index: ",a,b,c", or ",0,1,2" for unnamed columns (which
    # the reader once took for data, refusing its empty cell); the advice was --label-column -1,
    # which dropped the feature c and kept the index as a feature: wrong predictions, exit 0
    model, X = frame_run
    pd.DataFrame(X, columns=columns).to_csv(tmp_path / "rows.csv")
    refused = run("predict", model, "rows.csv")
    line = _error_line(refused)
    assert "has 4 columns per row, one more than the 3 features" in line
    assert "pandas' index" in line and line.endswith("leave it out with --drop-columns 0")
    assert "--label-column" not in line
    assert "the first column has an empty name and holds the row numbers 0..5" in refused.stderr  # warned
    expected = dp.load(f"{model}/model.safetensors").predict(X)
    got = _probabilities(run("predict", model, "rows.csv", "--drop-columns", "0", "--json"))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_an_index_of_a_filtered_frame_is_named_too(run, tmp_path, frame_run):
    # rows 1, 3, 4 kept: the index 1,3,4 is no 0..n-1 (so no warning), yet its column is unnamed
    model, X = frame_run
    pd.DataFrame(X, columns=FEATURES).iloc[[1, 3, 4]].to_csv(tmp_path / "some.csv")
    line = _error_line(run("predict", model, "some.csv", "--drop-columns", ""))
    assert "pandas' index" in line and "--drop-columns 0" in line and "--label-column" not in line


def test_pandas_index_beside_a_dropped_label_is_named_too(run, tmp_path, frame_run):
    # the training file saved with its index: --label-column drops the label, and the index
    # is still one column too many (once: "4 features per row, but the model expects 3")
    model, _ = frame_run
    pd.read_csv(tmp_path / "train.csv").head(5).to_csv(tmp_path / "labelled.csv")
    line = _error_line(run("predict", model, "labelled.csv", "--label-column", "label"))
    assert "4 columns per row left after --label-column, one more than the 3 features" in line
    assert line.endswith("leave it out with --drop-columns 0")
    flags = ("--label-column", "label", "--drop-columns", "0", "--json")
    assert _probabilities(run("predict", model, "labelled.csv", *flags)).shape == (5, 2)


def test_a_file_still_holding_its_text_label_gets_one_piece_of_advice(run, frame_run):
    model, _ = frame_run
    line = _error_line(run("predict", model, "train.csv"))
    assert "'no' is not a number" in line or "'yes' is not a number" in line
    assert line.endswith("drop it with --label-column label (the column of text)")  # the text column
    # the reader's own advice (label_column=..., drop_columns=...) is left out: one, the CLI's
    assert "label_column=" not in line and "drop_columns" not in line and line.count("--label-column") == 1
    got = _probabilities(run("predict", model, "train.csv", "--label-column", "label", "--json"))
    assert got.shape == (60, 2)


def test_a_runs_index_drop_is_not_applied_to_a_file_of_another_layout(run, tmp_path):
    # trained on a file saved with pandas' index (dropped, as the warning advises, by index 0);
    # the same rows saved without the index lost their first feature to the run's drop, kept the
    # label as a feature, and were predicted wrong with exit 0. Now the drop by index is kept
    # only for files whose first line is the run's file's, and the other file is refused.
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    frame = pd.DataFrame(np.c_[X, y])
    frame[4] = frame[4].astype(int)
    frame.to_csv(tmp_path / "indexed.csv")
    frame.to_csv(tmp_path / "plain.csv", index=False)
    flags = ("--drop-columns", "0", "--epochs", "3", "--no-plots", "--quiet", "--name", "r")
    assert run("train", "--data", "indexed.csv", *flags).returncode == 0
    refused = run("predict", "runs/r", "plain.csv", "--format", "csv")
    assert refused.returncode != 0, refused.stdout
    assert "the run dropped column(s) [0] of its file by index" in refused.stderr
    assert "one more than the 4 features" in refused.stderr
    same = run("predict", "runs/r", "indexed.csv", "--label-column", "-1", "--format", "csv")  # index dropped
    assert same.returncode == 0 and "dropped column" not in same.stderr, same.stderr


def test_the_runs_default_label_column_is_named_for_its_own_file(run, tmp_path):
    # a run that read its CSV's labels from the last column (the default) was told only
    # "drop it with --label-column (its name, or its index …)" for that file
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    pd.DataFrame(np.c_[X, y.astype(int)], columns=[*"abcd", "target"]).to_csv(
        tmp_path / "iris.csv", index=False
    )
    assert (
        run("train", "--data", "iris.csv", "--epochs", "2", "--no-plots", "--quiet", "--name", "d").returncode
        == 0
    )
    line = _error_line(run("predict", "runs/d", "iris.csv"))
    assert line.endswith("drop it with --label-column -1 (the run's label column: the last)")
