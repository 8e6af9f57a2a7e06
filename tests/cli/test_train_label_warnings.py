"""train warns, before training, of a file's numeric labels that do not look like classes:
hundreds of values of a row or two each (scikit-learn's diabetes targets, 25-346, read as 214
classes by --task auto), or UCI-style labels 1..3 that leave class 0 without a sample."""

from __future__ import annotations

import numpy as np
import pytest

MANY = "classes for"


def _write(path, labels, header="a,b,label") -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(len(labels), 2))
    rows = [f"{x0},{x1},{label}" for (x0, x1), label in zip(X, labels)]
    path.write_text("\n".join([header, *rows]) + "\n")


def _train(run, *args):
    return run("train", *args, "--epochs", "1", "--no-plots", "--quiet")


def test_whole_number_targets_read_as_classes_are_questioned(run, tmp_path):
    targets = np.random.default_rng(1).integers(25, 347, size=200)  # ~150 values over 200 rows
    _write(tmp_path / "targets.csv", targets)

    result = _train(run, "--data", "targets.csv")

    assert result.returncode == 0, result.stderr
    k = len(np.unique(targets))
    assert f"warning: {k} classes for 200 rows of targets.csv" in result.stderr
    assert "are its labels real-valued targets? If so, say --task regression" in result.stderr
    said = _train(run, "--data", "targets.csv", "--task", "classification")  # the user said so
    assert MANY not in said.stderr


@pytest.mark.parametrize(
    ("labels", "words"),
    [
        (
            [1, 2, 3] * 20,
            "are 1..3: class 0 has no samples, and the network gets an output for each "
            "class number (4 outputs for 3 classes); number them from 0 (subtract 1)",
        ),
        ([2, 3] * 30, "are 2..3: classes 0..1 have no samples"),
    ],
)
def test_labels_that_leave_classes_empty_are_said(run, tmp_path, labels, words):
    _write(tmp_path / "uci.csv", labels)

    result = _train(run, "--data", "uci.csv")

    assert result.returncode == 0, result.stderr
    assert f"warning: the labels of uci.csv {words}" in result.stderr


# labels with gaps are taken as meant (0 and 999: two classes, tests/cli/test_new_user_mistakes.py)
@pytest.mark.parametrize(
    "labels", [[0, 1, 2] * 20, ["setosa", "versicolor", "virginica"] * 20, [1, 3, 5] * 20]
)
def test_labels_that_are_classes_get_no_warning(run, tmp_path, labels):
    _write(tmp_path / "fine.csv", labels)

    result = _train(run, "--data", "fine.csv")

    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_a_label_warning_waits_until_nothing_else_refuses_the_run(run, tmp_path):
    # It was printed as the labels were checked, so a refusal after it (here: layers that do not
    # end in the data's 4 outputs) came with a warning about a run that never started.
    _write(tmp_path / "uci.csv", [1, 2, 3] * 20)

    refused = _train(run, "--data", "uci.csv", "--layers", "2,5,9")

    assert refused.returncode == 2
    assert "warning" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    trained = _train(run, "--data", "uci.csv", "--layers", "2,5,4")
    assert trained.returncode == 0, trained.stderr
    assert trained.stderr.startswith("deltaprop train: warning: the labels of uci.csv are 1..3")
