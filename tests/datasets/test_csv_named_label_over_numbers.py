"""A label column's name above numeric labels is pandas' header beyond doubt, whatever the
number of features (df = pd.DataFrame(X); df["label"] = y), and is read without a warning;
above text labels, one feature beside it is a sample, as it was."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import deltaprop as dp
from deltaprop.datasets import load_csv


@pytest.mark.parametrize("n_features", [1, 2, 4, 6])
def test_a_name_over_numeric_labels_is_a_quiet_header(tmp_path, n_features):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, n_features))
    df = pd.DataFrame(X)
    df["label"] = (X[:, 0] > 0).astype(int)
    df.to_csv(tmp_path / "f.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", dp.CsvLayoutWarning)
        X_read, y_read = load_csv(tmp_path / "f.csv")[:2]
    assert X_read.shape == (20, n_features) and set(np.unique(y_read)) <= {0, 1}
    np.testing.assert_allclose(X_read, X)


def test_two_data_lines_under_one_feature_and_a_name(tmp_path):
    (tmp_path / "f.csv").write_text("0,label\n0.5,0\n1.5,1\n")
    X, y = load_csv(tmp_path / "f.csv")[:2]
    assert X.tolist() == [[0.5], [1.5]] and y.tolist() == [0, 1]


def test_one_feature_above_text_labels_stays_a_sample(tmp_path):
    (tmp_path / "f.csv").write_text("1,spam\n5,ham\n7,ham\n3,ham\n")
    with pytest.warns(dp.CsvLayoutWarning, match="spam"):
        X, y = load_csv(tmp_path / "f.csv")[:2]
    assert X.ravel().tolist() == [1, 5, 7, 3]
