"""Class labels far too large to be class numbers (an ID or a typo in the label column):
refused before anything is sized by them, naming the label, the outputs it would need and
the fixes. A label 10^9 used to make ``train`` allocate 7.45 GiB for the validation split's
class counts (minutes, then NumPy's out-of-memory message); labels {0, 5000} trained a
softmax of 5001 outputs for 2 classes without a word.
"""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

from deltaprop.cli.train_checks import SPARSE_FACTOR, SPARSE_OUTPUTS


def _csv(path, labels) -> None:
    rng = np.random.default_rng(0)
    lines = ["a,b,c,label"] + [
        f"{x:.3f},{y:.3f},{z:.3f},{label}" for (x, y, z), label in zip(rng.random((len(labels), 3)), labels)
    ]
    path.write_text("\n".join(lines) + "\n")


def _nothing_trained(tmp_path) -> bool:
    return not (tmp_path / "runs").exists()


@pytest.mark.parametrize(
    "labels, words",
    [
        # 40 good rows and one typo: 1000000001 outputs for 4 distinct labels
        (
            [0, 1, 2] * 13 + [0, 1_000_000_000],
            [
                "class label 1000000000 (1 row)",
                "1000000001 outputs",
                "4 distinct labels in 41 rows",
                "number them 0..3",
            ],
        ),
        # an ID-like pair of codes: 5001 outputs for 2 labels
        (
            [0, 5000] * 20,
            [
                "class label 5000 (20 rows)",
                "5001 outputs",
                "2 distinct labels in 40 rows",
                "number them 0..1",
            ],
        ),
    ],
)
def test_labels_far_beyond_the_classes_present_are_refused(run, tmp_path, labels, words):
    _csv(tmp_path / "ids.csv", labels)

    result = run("train", "--data", "ids.csv", "--epochs", "1", "--no-plots")

    assert_one_line_error(result, 2, "ids.csv", *words, "--task regression", "--label-column")
    assert _nothing_trained(tmp_path)


def test_an_npz_label_far_beyond_its_classes_names_the_array(run, tmp_path):
    y = np.r_[np.zeros(20, dtype=np.int64), np.ones(9, dtype=np.int64), 123_456_789]
    np.savez(tmp_path / "ids.npz", X=np.random.default_rng(0).random((30, 2)), y=y)

    result = run("train", "--data", "ids.npz", "--epochs", "1", "--no-plots")

    assert_one_line_error(result, 2, "class label 123456789 (1 row) in its array y", "--y-key")
    assert _nothing_trained(tmp_path)


@pytest.mark.parametrize(
    "labels",
    [
        [0, SPARSE_OUTPUTS - 1] * 10,  # a gap within the limit: taken as meant (ImageNet's 1, 404, 999)
        [*range(200), 1500] * 2,  # wider than the limit, but under SPARSE_FACTOR outputs a label
    ],
)
def test_labels_within_the_rule_train(run, tmp_path, labels):
    assert max(labels) + 1 <= SPARSE_OUTPUTS or max(labels) + 1 <= SPARSE_FACTOR * len(set(labels))
    _csv(tmp_path / "fine.csv", labels)

    result = run("train", "--data", "fine.csv", "--epochs", "1", "--no-plots", "--quiet", "--hidden", "3")

    assert result.returncode == 0, result.stderr
    (config,) = (tmp_path / "runs").glob("*/config.toml")
    assert f"    {max(labels) + 1},\n]" in config.read_text()  # the output layer: an output a class number
