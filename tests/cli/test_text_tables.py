"""``.tsv`` and ``.txt`` files wherever a ``.csv`` is taken (train, evaluate --data, predict
INPUTs, resume --data), read as the library reads them (a .tsv by its tabs, a .txt by the
separator its first line holds) and recorded in config.toml as CSV files are. They were
refused by their extension: "neither a built-in data set ... nor a .csv or .npz file", and
predict's --delimiter "applies to CSV INPUT files only"."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from deltaprop.cli.config import read_toml


def _write(path, separator: str) -> np.ndarray:
    rng = np.random.default_rng(0)
    X = np.round(rng.random((30, 3)), 3)
    y = (X[:, 0] > 0.5).astype(int)
    lines = [separator.join(["a", "b", "c", "label"])]
    lines += [separator.join([*(f"{v:g}" for v in row), str(label)]) for row, label in zip(X, y)]
    path.write_text("\n".join(lines) + "\n")
    return X


@pytest.mark.parametrize(
    "name, separator, flags",
    [("t.tsv", "\t", []), ("t.tsv", "\t", ["--delimiter", "tab"]), ("s.txt", " ", []), ("c.txt", ",", [])],
)
def test_train_evaluate_and_predict_take_text_tables(run, tmp_path, name, separator, flags):
    X = _write(tmp_path / name, separator)
    trained = run("train", "--data", name, *flags, "--epochs", "1", "--no-plots", "--quiet", "--name", "r")
    assert trained.returncode == 0, trained.stderr
    data = read_toml(tmp_path / "runs/r/config.toml")["data"]
    assert data["path"] == str(tmp_path / name) and data["delimiter"] == separator and data["sha256"]

    scored = run("evaluate", "runs/r", "--data", name, *flags, "--json")
    assert scored.returncode == 0, scored.stderr
    assert '"n_samples": 30' in scored.stdout

    rows = tmp_path / ("rows" + name[1:])
    rows.write_text("\n".join(separator.join(f"{v:g}" for v in row) for row in X[:2]) + "\n")
    predicted = run("predict", "runs/r", rows.name, *flags, "--format", "csv")
    assert predicted.returncode == 0, predicted.stderr
    assert f"{rows.name}:1," in predicted.stdout and f"{rows.name}:2," in predicted.stdout


def test_resume_takes_a_moved_tsv(run, tmp_path):
    _write(tmp_path / "t.tsv", "\t")
    assert (
        run("train", "--data", "t.tsv", "--epochs", "1", "--no-plots", "--quiet", "--name", "r").returncode
        == 0
    )
    shutil.move(tmp_path / "t.tsv", tmp_path / "moved.tsv")

    resumed = run("resume", "runs/r", "--data", "moved.tsv", "--epochs", "2", "--no-plots", "--quiet")

    assert resumed.returncode == 0, resumed.stderr
    assert read_toml(tmp_path / "runs/r/config.toml")["data"]["path"] == str(tmp_path / "moved.tsv")


def test_a_config_rerun_on_a_tsv_keeps_the_configs_csv_keys(run, tmp_path):
    """train --config RUN/config.toml --data x.tsv reset the config's label column, header and
    dropped columns to their defaults, as for a file of another kind: a .tsv is a text table."""
    X = _write(tmp_path / "t.csv", ",")
    lines = (tmp_path / "t.csv").read_text().splitlines()
    # the label first and an ID column last: only the config's keys read them right
    moved = ["label,a,b,c,id"] + [
        ",".join([line.split(",")[-1], *line.split(",")[:-1], str(k)]) for k, line in enumerate(lines[1:])
    ]
    (tmp_path / "t.csv").write_text("\n".join(moved) + "\n")
    (tmp_path / "t.tsv").write_text("\n".join(line.replace(",", "\t") for line in moved) + "\n")
    flags = ["--label-column", "label", "--drop-columns", "id", "--epochs", "1", "--no-plots", "--quiet"]
    assert run("train", "--data", "t.csv", *flags, "--name", "r").returncode == 0
    again = run("train", "--config", "runs/r/config.toml", "--data", "t.tsv", "--name", "again")
    assert again.returncode == 0, again.stderr
    data = read_toml(tmp_path / "runs/again/config.toml")["data"]
    assert data["label_column"] == "label" and data["drop_columns"] == ["id"], data
    assert data["delimiter"] == "\t" and X.shape == (30, 3)
