"""How predict reads its INPUT files: --header, --delimiter, --drop-columns, --x-key as train
reads its data, and by default, for MODEL a run folder, as the run read its file (for INPUTs
of that file's kind). On iris, saved by pandas as a new user saves it."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

import deltaprop as dp

pd = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")

FAST = ("--epochs", "3", "--no-plots", "--hidden", "5", "--seed", "0")
FEATURES = ["sepal length", "sepal width", "petal length", "petal width"]
ROWS = [0, 60, 120, 7, 140]  # a setosa, a versicolor, a virginica and two more


@pytest.fixture
def iris():
    """Iris as a frame: an ID column of text first, the four features, the species last."""
    X, y = sk_datasets.load_iris(return_X_y=True)
    frame = pd.DataFrame(X, columns=FEATURES)
    frame.insert(0, "id", [f"r{i}" for i in range(len(frame))])
    frame["species"] = np.array(["setosa", "versicolor", "virginica"])[y]
    return frame


@pytest.fixture
def csv_run(run, tmp_path, iris):
    """A run trained on iris.csv: ';'-separated, a header, an ID column dropped; and more.csv,
    five of its rows in the same layout without the species, and the model alone elsewhere."""
    iris.to_csv(tmp_path / "iris.csv", sep=";", index=False)
    iris.iloc[ROWS, :-1].to_csv(tmp_path / "more.csv", sep=";", index=False)
    flags = ("--delimiter", ";", "--drop-columns", "id", "--label-column", "species")
    trained = run("train", "--data", "iris.csv", *FAST, *flags, "--name", "a")
    assert trained.returncode == 0, trained.stderr
    shutil.copy(tmp_path / "runs/a/model.safetensors", tmp_path / "alone.safetensors")
    return tmp_path / "runs" / "a"


def _predictions(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["predictions"]


def _expected(model, X) -> np.ndarray:
    return dp.load(model).predict(np.asarray(X, dtype=np.float64))


def test_a_semicolon_file_with_an_id_column_is_read_with_the_flags(run, csv_run, tmp_path, iris):
    flags = ("--delimiter", ";", "--drop-columns", "id")
    got = _predictions(run("predict", "alone.safetensors", "more.csv", *flags, "--json"))
    # a header on line 1: the rows are lines 2..6, as an error about one of them would cite it
    assert [p["input"] for p in got] == [f"more.csv:{line}" for line in range(2, 7)]
    a = _expected(tmp_path / "alone.safetensors", iris.loc[ROWS, FEATURES])
    np.testing.assert_allclose([p["probabilities"] for p in got], a, rtol=0, atol=1e-12)
    assert [p["class_name"] for p in got] == [["setosa", "versicolor", "virginica"][k] for k in a.argmax(1)]
    # without them, the model file alone says nothing of the layout: the ';' line is one text cell
    refused = run("predict", "alone.safetensors", "more.csv")
    assert refused.returncode == 1 and "is not a number" in refused.stderr


def test_a_run_folder_reads_its_kind_of_file_as_the_run_read_it(run, csv_run, tmp_path, iris):
    by_run = _predictions(run("predict", "runs/a", "more.csv", "--json"))
    flagged = _predictions(
        run("predict", "alone.safetensors", "more.csv", "--delimiter", ";", "--drop-columns", "id", "--json")
    )
    assert by_run == flagged
    # a flag given wins over the run's: the same rows written with commas
    iris.iloc[ROWS, :-1].to_csv(tmp_path / "commas.csv", index=False)
    commas = _predictions(run("predict", "runs/a", "commas.csv", "--delimiter", ",", "--json"))
    assert [p["probabilities"] for p in commas] == [p["probabilities"] for p in by_run]
    refused = run("predict", "runs/a", "commas.csv")  # read with the run's ';'
    assert refused.returncode == 1 and "no column named 'id'" in refused.stderr


def test_the_run_s_file_itself_needs_its_label_column_named(run, csv_run, iris):
    # predict reads feature rows: the run's label column is never dropped unasked, but named
    refused = run("predict", "runs/a", "iris.csv")
    assert_one_line_error(
        refused, 1, "'setosa' is not a number", "5 columns per row left after --drop-columns"
    )
    assert "(the run's: --label-column species)" in refused.stderr
    got = _predictions(run("predict", "runs/a", "iris.csv", "--label-column", "species", "--json"))
    assert len(got) == len(iris) and got[0]["input"] == "iris.csv:2"


def test_an_npz_saved_with_x(run, tmp_path, iris):
    X = iris[FEATURES].to_numpy()
    y = iris["species"].map({"setosa": 0, "versicolor": 1, "virginica": 2}).to_numpy()
    np.savez(tmp_path / "iris.npz", x=X, y=y)
    np.savez(tmp_path / "more.npz", x=X[ROWS])
    assert run("train", "--data", "iris.npz", *FAST, "--x-key", "x", "--name", "n").returncode == 0
    shutil.copy(tmp_path / "runs/n/model.safetensors", tmp_path / "alone.safetensors")
    a = _expected(tmp_path / "alone.safetensors", X[ROWS])
    by_run = _predictions(run("predict", "runs/n", "more.npz", "--json"))
    np.testing.assert_allclose([p["probabilities"] for p in by_run], a, rtol=0, atol=1e-12)
    assert [p["input"] for p in by_run] == [f"more.npz:{k}" for k in range(1, 6)]
    assert _predictions(run("predict", "alone.safetensors", "more.npz", "--x-key", "x", "--json")) == by_run
    refused = run("predict", "alone.safetensors", "more.npz")
    assert_one_line_error(refused, 1, "no array named 'X'", "--x-key x")


def test_a_run_gives_no_defaults_to_inputs_of_another_kind(run, csv_run, tmp_path, iris):
    np.savez(tmp_path / "more.npz", x=iris.loc[ROWS, FEATURES].to_numpy())
    refused = run("predict", "runs/a", "more.npz")  # the CSV run's keys say nothing of an NPZ
    assert_one_line_error(refused, 1, "no array named 'X'", "--x-key x")
    # both kinds in one call: the CSV read by the run's keys, the NPZ by --x-key
    both = _predictions(run("predict", "runs/a", "more.csv", "more.npz", "--x-key", "x", "--json"))
    assert [p["input"] for p in both[5:]] == [f"more.npz:{k}" for k in range(1, 6)]
    assert [p["probabilities"] for p in both[:5]] == [p["probabilities"] for p in both[5:]]


@pytest.mark.parametrize(
    ("inputs", "flags", "fragments"),
    [
        (
            ("more.npz",),
            ("--delimiter", ";"),
            ("--delimiter ';': applies to CSV INPUT files only", "more.npz is not one"),
        ),
        (("more.npz",), ("--drop-columns", "id"), ("--drop-columns id: applies to CSV INPUT",)),
        (("more.npz",), ("--header", "yes"), ("--header yes: applies to CSV INPUT",)),
        (("more.npz",), ("--label-column", "species"), ("--label-column species: applies to CSV INPUT",)),
        (("more.csv",), ("--x-key", "x"), ("--x-key x: applies to NPZ INPUT files only", "more.csv")),
        (("more.csv",), ("--y-key", "y"), ("--y-key y:", "features only", "leave --y-key out")),
        (("more.npz",), ("--y-key", "y"), ("--y-key y:", "features only")),
        (("more.csv",), ("--delimiter", "ab"), ("--delimiter ab: must be one character",)),
        (("more.npz",), ("--x-key", ""), ("--x-key '': must name an array",)),
        (("more.csv",), ("--drop-columns", "a,,b"), ("argument --drop-columns", "'a,,b'")),
    ],
)
def test_a_flag_that_does_not_fit_the_inputs_is_a_usage_error(
    run, csv_run, tmp_path, inputs, flags, fragments
):
    np.savez(tmp_path / "more.npz", x=np.zeros((2, 4)))
    assert_one_line_error(run("predict", "runs/a", *inputs, *flags), 2, *fragments)


def test_the_help_speaks_of_input_files(run):
    result = run("predict", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "reading CSV and NPZ inputs" in text and "as the run read its data file" in text
    assert "--data" not in text


def test_a_pandas_index_column_is_warned_of_in_one_line_and_y_key_is_not_offered(
    run, csv_run, tmp_path, iris
):
    # pandas' index left on (df.to_csv(f)): an unnamed first column of row numbers, read as a
    # feature. predict says so as the CLI's one line, not as Python's warning with a source line.
    iris.iloc[ROWS, 1:-2].reset_index(drop=True).to_csv(tmp_path / "indexed.csv")  # index 0..4, 3 features
    result = run("predict", "alone.safetensors", "indexed.csv", "--json")
    assert result.returncode == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "index" in line]
    assert warning and warning[0].startswith("deltaprop: warning: "), result.stderr
    assert "CsvLayoutWarning" not in result.stderr and "predict.py" not in result.stderr
    assert "--y-key" not in run("predict", "--help").stdout  # predict reads no labels
