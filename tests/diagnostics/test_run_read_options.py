"""diagnose and plot read a run's data file as train read it: with its --delimiter,
--drop-columns, --header, --label-column and an NPZ's --x-key/--y-key. They read a ';' file at
',', found one column, and skipped every check that needs the data ("could not be loaded")."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_iris

from deltaprop.cli import main
from deltaprop.cli.data import load_labelled
from deltaprop.diagnostics import diagnose_run
from deltaprop.diagnostics.run import RunFiles, load_run_data, read_run
from deltaprop.plots import plot_run


def _iris_semicolons(path) -> None:
    """Iris as a European spreadsheet writes it: ';'-separated, an ID column first, the class
    name in a column called 'species' before the last one."""
    iris = load_iris()
    lines = [
        "id;" + ";".join(n.replace(" (cm)", "") for n in iris.feature_names[:3]) + ";species;petal width"
    ]
    for i, (x, k) in enumerate(zip(iris.data, iris.target)):
        lines.append(f"{1000 + i};{x[0]};{x[1]};{x[2]};{iris.target_names[k]};{x[3]}")
    path.write_text("\n".join(lines) + "\n")


def test_diagnose_and_plot_read_a_semicolon_file_with_an_id_column_as_train_did(tmp_path):
    _iris_semicolons(tmp_path / "iris.csv")
    args = ["train", "--data", str(tmp_path / "iris.csv"), "--delimiter", ";", "--drop-columns", "id"]
    args += ["--label-column", "species", "--epochs", "3", "--seed", "1", "--no-plots"]
    assert main([*args, "--out", str(tmp_path), "--name", "iris", "--quiet"]) == 0
    run = read_run(tmp_path / "iris")

    X, y = load_run_data(run, split="train")

    assert X.shape == (150, 4) and run.class_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_allclose(X[:, 3], load_iris().data[:, 3])  # petal width, after the label
    np.testing.assert_array_equal(y, load_iris().target)
    codes = [f.code for f in diagnose_run(tmp_path / "iris")]
    assert "data-unavailable" not in codes, codes
    drawn = plot_run(tmp_path / "iris")
    assert "confusion_matrix" not in drawn.skipped, drawn.skipped
    assert (tmp_path / "iris" / "plots" / "confusion_matrix.png").is_file()


def test_an_npz_runs_own_array_names_are_read(tmp_path):
    X = np.arange(12.0).reshape(6, 2)
    np.savez(tmp_path / "pts.npz", inputs=X, labels=np.array([0, 1, 0, 1, 0, 1]))
    table = {"name": "", "path": str(tmp_path / "pts.npz"), "label_column": ""}
    table.update(x_key="inputs", y_key="labels")
    run = RunFiles(tmp_path, config={"data": table, "training": {"seed": 0}})

    loaded = load_run_data(run)

    assert loaded is not None, run.missing
    np.testing.assert_array_equal(loaded[0], X)
    np.testing.assert_array_equal(loaded[1], load_labelled(table)[1])
