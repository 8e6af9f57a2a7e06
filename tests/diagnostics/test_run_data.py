"""A finished run's data, read back by `diagnose` and `plot`, are the arrays `train` loaded."""

from __future__ import annotations

import numpy as np
import pytest

from deltaprop.cli.data import load_labelled
from deltaprop.diagnostics.run import RunFiles, load_run_data

PETS = "x1,x2,label\n0.5,1.5,dog\n-2,0.25,cat\n4,5,dog\n1,1,bird\n"
REGRESSION = "target,x\n0.5,0\n1.25,1\n-3.5,2\n"


def _run(tmp_path, data: dict, seed) -> RunFiles:
    """A run folder's reading of config.toml, as 'deltaprop train' writes the [data] table."""
    table = {"name": "", "path": "", "label_column": "", **data}
    return RunFiles(tmp_path, config={"data": table, "training": {"seed": seed}})


@pytest.mark.parametrize(
    "data",
    [
        {"name": "moons"},
        {"name": "spiral"},
        {"name": "xor"},
        {"name": "digits"},
        {"path": "pets.csv", "label_column": "label"},
        {"path": "reg.csv", "label_column": "0"},
        {"path": "pts.npz"},
    ],
    ids=lambda data: data.get("name") or data["path"],
)
@pytest.mark.parametrize("split", ["train", "test"])
def test_diagnose_reads_the_arrays_train_loaded(tmp_path, data, split):
    (tmp_path / "pets.csv").write_text(PETS)
    (tmp_path / "reg.csv").write_text(REGRESSION)
    np.savez(tmp_path / "pts.npz", X=np.arange(8.0).reshape(4, 2), y=np.array([0.5, 1.0, 1.5, 2.5]))
    if "path" in data:
        data = {**data, "path": str(tmp_path / data["path"])}
    run = _run(tmp_path, data, seed=7)
    X, y = load_run_data(run, split=split)
    X_train, y_train, _ = load_labelled(run.data, split, seed=7)
    np.testing.assert_array_equal(X, X_train)
    np.testing.assert_array_equal(y, y_train)
    assert y.shape == y_train.shape  # a regression column is (n, 1) in both


def test_a_regression_runs_training_rows_are_one_target_column(tmp_path):
    (tmp_path / "reg.csv").write_text(REGRESSION)
    run = _run(tmp_path, {"path": str(tmp_path / "reg.csv"), "label_column": "target"}, seed=0)
    X, y = load_run_data(run, split="train")
    assert X.shape == (3, 1) and y.shape == (3, 1)
    np.testing.assert_array_equal(y[:, 0], [0.5, 1.25, -3.5])


def test_a_negative_seed_is_reported_not_replaced_by_fresh_points(tmp_path):
    run = _run(tmp_path, {"name": "moons"}, seed=-1)
    assert load_run_data(run) is None
    assert (
        run.missing["data"] == "data 'moons' could not be loaded: "
        "seed must be an integer ≥ 0, a numpy.random.Generator or None; got -1"
    )


def test_a_label_column_that_is_no_index_nor_name_is_reported_not_truncated(tmp_path):
    (tmp_path / "pets.csv").write_text(PETS)
    run = _run(tmp_path, {"path": str(tmp_path / "pets.csv"), "label_column": 1.5}, seed=0)
    assert load_run_data(run, split="train") is None
    assert "could not be loaded: label_column must be a column index (int)" in run.missing["data"]


def test_a_missing_data_file_is_reported(tmp_path):
    run = _run(tmp_path, {"path": str(tmp_path / "gone.csv")}, seed=0)
    assert load_run_data(run) is None
    assert run.missing["data"].startswith(f"data {str(tmp_path / 'gone.csv')!r} could not be loaded: ")
