"""train's data line says how many rows the validation split really holds out where the
stratified split's rounding per class makes that far from the share asked for: 10 % of a
class of 1-4 rows is none (scikit-learn's diabetes, its whole-number targets read as 214
classes, held out 2 of 442 rows while the line said "10% of it")."""

from __future__ import annotations

import numpy as np


def _write(path, labels) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(len(labels), 3))
    np.savetxt(path, np.c_[X, labels], delimiter=",", header="a,b,c,label", comments="")


def test_the_rows_held_out_are_counted_where_small_classes_give_none(run, tmp_path):
    # 2 classes of 20 rows (2 held out each) and 60 classes of one row (none): 4 of 100, not 10
    _write(tmp_path / "many.csv", [0] * 20 + [1] * 20 + list(range(2, 62)))

    result = run("train", "--data", "many.csv", "--epochs", "1", "--no-plots", "--name", "m")

    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("data "))
    assert line == (
        "data many.csv: 100 train, 4 of them held out for validation (96 trained on), not 10%: 10% of "
        "each class, rounded, is 4 of its 100 training samples (the largest of its 62 classes has 20)"
    )


def test_a_split_near_its_share_is_said_as_the_share(run, tmp_path):
    _write(tmp_path / "two.csv", [0] * 50 + [1] * 47)  # 5 + 5 held out of 97: 9.7 asked

    result = run("train", "--data", "two.csv", "--epochs", "1", "--no-plots", "--name", "t")

    assert "data two.csv: 97 train, 10% of it held out for validation\n" in result.stdout
