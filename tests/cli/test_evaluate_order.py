"""``evaluate`` checks the data's feature count against the model before it reads a label, and
each command words its own way of taking data.

A file of unlabelled rows, or a data set of another width, used to be refused for its last
column read as labels ("task='classification' reads every label as a class, but label 0.2
is not a whole number", "labels 3..9 the model does not know"): true, but not the problem.
"""

from __future__ import annotations

import pytest
from cli_helpers import assert_one_line_error, write_iris_csv

TRAIN = ("train", "--epochs", "2", "--seed", "0", "--quiet", "--no-plots")


@pytest.fixture
def iris(run, tmp_path):
    """A run trained on iris (4 features, text labels in a ``species`` column) and its CSV."""
    features = write_iris_csv(tmp_path)
    features.head(5).to_csv(tmp_path / "iris_rows.csv", index=False)  # features only
    result = run(*TRAIN, "--data", "iris.csv", "--name", "iris")
    assert result.returncode == 0, result.stderr
    return "runs/iris"


def test_a_file_of_unlabelled_rows_is_said_to_hold_no_label_column(run, iris):
    result = run("evaluate", iris, "--data", "iris_rows.csv")
    assert_one_line_error(
        result, 1, "iris_rows.csv have 4 columns", "no label column", f"deltaprop predict {iris}"
    )
    assert "task=" not in result.stderr and "whole number" not in result.stderr


def test_the_width_is_read_with_the_files_delimiter_and_dropped_columns(run, iris, tmp_path):
    for name in ("iris", "iris_rows"):  # the same files, ';'-separated
        text = (tmp_path / f"{name}.csv").read_text()
        (tmp_path / f"semi_{name}.csv").write_text(text.replace(",", ";"))
    scored = run("evaluate", iris, "--data", "semi_iris.csv", "--delimiter", ";", "--json")
    assert scored.returncode == 0, scored.stderr
    unlabelled = run("evaluate", iris, "--data", "semi_iris_rows.csv", "--delimiter", ";")
    assert_one_line_error(unlabelled, 1, "have 4 columns", "no label column")
    lines = (tmp_path / "iris_rows.csv").read_text().splitlines()  # an ID column first
    (tmp_path / "ids.csv").write_text("\n".join(f"{k},{line}" for k, line in enumerate(lines)) + "\n")
    result = run("evaluate", iris, "--data", "ids.csv", "--drop-columns", "0")
    assert_one_line_error(result, 1, "have 4 columns left after --drop-columns", "no label column")


def test_a_built_in_set_of_another_width_is_refused_for_its_width_before_loading(run, iris):
    # Before any download: the catalogue knows MNIST's width (the test's data cache is empty).
    result = run("evaluate", iris, "--data", "mnist")
    assert_one_line_error(result, 1, "mnist have 784 features", "expects 4 inputs")
    assert "does not know" not in result.stderr


def test_a_file_of_another_width_is_refused_for_its_features(run, iris, tmp_path):
    from sklearn.datasets import load_wine

    load_wine(as_frame=True).frame.to_csv(tmp_path / "wine.csv", index=False)
    result = run("evaluate", iris, "--data", "wine.csv")
    assert_one_line_error(result, 1, "13 features beside the label column", "expects 4 inputs")


def test_the_runs_own_file_is_still_scored(run, iris):
    result = run("evaluate", iris, "--json")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("command", "wording"),
    [("evaluate", "the data with --data"), ("predict", "the INPUT files after it")],
)
def test_a_data_file_given_as_the_model_is_answered_in_the_commands_own_terms(run, iris, command, wording):
    args = ("evaluate", "iris.csv") if command == "evaluate" else ("predict", "iris.csv", "iris_rows.csv")
    result = run(*args)
    assert_one_line_error(result, 2, "iris.csv is a .csv file, not a model", wording)
    if command == "predict":
        assert "--data" not in result.stderr  # predict has no such flag
