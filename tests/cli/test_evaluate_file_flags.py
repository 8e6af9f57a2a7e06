"""``evaluate RUN --data FILE`` reads FILE as ``predict RUN FILE`` does: for a file of the
kind the run read, the run's reading flags (separator, columns left out, label column) are
the defaults and a flag given wins; and a reading flag that does not fit the data names them
as they are (the run's data, not a ``--data`` that is not on the line), shell-quoted."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

import deltaprop as dp

pd = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")

FAST = ("--epochs", "3", "--no-plots", "--hidden", "5", "--seed", "0", "--quiet")
FEATURES = ["sepal length", "sepal width", "petal length", "petal width"]


@pytest.fixture
def iris_run(run, tmp_path):
    """A run trained on iris.csv (';'-separated, an ID column dropped, the species named as
    the label), other.csv (30 other rows, the same layout) and the model file alone."""
    X, y = sk_datasets.load_iris(return_X_y=True)
    frame = pd.DataFrame(X, columns=FEATURES)
    frame["species"] = np.array(["setosa", "versicolor", "virginica"])[y]
    frame.insert(0, "id", [f"r{i}" for i in range(len(frame))])
    frame.iloc[::2].to_csv(tmp_path / "iris.csv", sep=";", index=False)
    frame.iloc[1::5].to_csv(tmp_path / "other.csv", sep=";", index=False)
    flags = ("--delimiter", ";", "--drop-columns", "id", "--label-column", "species")
    trained = run("train", "--data", "iris.csv", *FAST, *flags, "--name", "a")
    assert trained.returncode == 0, trained.stderr
    shutil.copy(tmp_path / "runs/a/model.safetensors", tmp_path / "alone.safetensors")
    return "runs/a", frame.iloc[1::5]


def _report(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_file_of_the_runs_kind_is_read_as_the_run_read_its_file(run, tmp_path, iris_run):
    model, other = iris_run
    # once read with ',' and the last column as the label: "no feature columns ... pass delimiter=';'"
    by_run = _report(run("evaluate", model, "--data", "other.csv", "--json"))
    flags = ("--delimiter", ";", "--drop-columns", "id", "--label-column", "species")
    flagged = _report(run("evaluate", "alone.safetensors", "--data", "other.csv", *flags, "--json"))
    assert by_run["n_samples"] == flagged["n_samples"] == 30
    assert by_run["accuracy"] == flagged["accuracy"] and by_run["loss"] == flagged["loss"]
    net = dp.load(tmp_path / "alone.safetensors")
    classes = ["setosa", "versicolor", "virginica"]
    predicted = net.predict(other[FEATURES].to_numpy()).argmax(1)
    expected = np.mean(predicted == [classes.index(s) for s in other["species"]])
    assert by_run["accuracy"] == pytest.approx(expected, abs=1e-12)
    # a flag given wins over the run's: the same rows written with commas
    other.to_csv(tmp_path / "commas.csv", index=False)
    commas = _report(run("evaluate", model, "--data", "commas.csv", "--delimiter", ",", "--json"))
    assert commas["accuracy"] == by_run["accuracy"] and commas["loss"] == by_run["loss"]


def test_a_reading_flag_for_the_runs_built_in_set_names_the_runs_data(run):
    trained = run("train", "--data", "moons", *FAST, "--name", "m")
    assert trained.returncode == 0, trained.stderr
    refused = run("evaluate", "runs/m", "--delimiter", ";")
    # once: "--delimiter ;: ... and --data moons is not one", with no --data on the line
    assert_one_line_error(refused, 2, "--delimiter ';': applies to a .csv file only", "the run's data moons")
    assert "--data" not in refused.stderr
    given = run("evaluate", "runs/m", "--data", "moons", "--delimiter", "tab")
    assert_one_line_error(given, 2, "--delimiter tab: applies to a .csv file only", "--data moons is not one")


def test_pandas_index_in_the_data_is_named_with_the_flag_that_leaves_it_out(run, tmp_path, iris_run):
    model, other = iris_run
    other.to_csv(tmp_path / "indexed.csv", sep=";")  # index kept: ";id;sepal length;...;species"
    refused = run("evaluate", model, "--data", "indexed.csv")
    assert refused.returncode == 1, refused.stderr
    (line,) = [line for line in refused.stderr.splitlines() if "error:" in line]
    # once: "evaluate it on data of the kind it was trained on (--data)", though the data were
    assert "have 5 features, one more than the model runs/a expects" in line
    assert line.endswith(
        "pandas' index (df.to_csv(path) without index=False), no feature; "
        "leave it out with --drop-columns id,0"
    )  # the run's id, then the index
    scored = _report(run("evaluate", model, "--data", "indexed.csv", "--drop-columns", "id,0", "--json"))
    plain = _report(run("evaluate", model, "--data", "other.csv", "--json"))
    assert (scored["n_samples"], scored["accuracy"], scored["loss"]) == (30, plain["accuracy"], plain["loss"])
