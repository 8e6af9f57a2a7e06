"""pandas' header of unnamed feature columns beside a named label column: ``df = pd.DataFrame(X);
df["label"] = y`` writes ``0,1,...,k-1,label``, the most common way a NumPy array reaches a
CSV. It is a header, read without a warning, wherever the label column is and however it is
given; it once was read as a sample of a class "label", with the column numbers as pixels."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import CsvLayoutWarning, load_csv
from deltaprop.datasets.csv_layout import named_label_header

pd = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")


@pytest.fixture(scope="module")
def digits():
    """scikit-learn's 8x8 digits: 1,797 rows of 64 whole-number pixels 0..16, labels 0..9."""
    X, y = sk_datasets.load_digits(return_X_y=True)
    return X, y


def frame(X, y, names=None):
    df = pd.DataFrame(X.astype(np.uint8))
    df["label"] = y if names is None else np.asarray(names)[y]
    return df


def read_quietly(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CsvLayoutWarning)
        return load_csv(path, return_classes=True, **kwargs)


@pytest.mark.parametrize(
    "layout, kwargs",
    [
        ("last", {}),  # label_column=-1, the default
        ("last", {"label_column": "label"}),
        ("first", {"label_column": 0}),
        ("first", {"label_column": "label"}),
        ("index", {"drop_columns": [0]}),  # df.to_csv(f): ,0,1,...,63,label
        ("index", {"drop_columns": [0], "label_column": "label"}),
    ],
)
def test_numbered_features_and_a_named_label_are_a_header(tmp_path, digits, layout, kwargs):
    X, y = digits
    df = frame(X, y)
    path = tmp_path / "digits.csv"
    if layout == "first":
        df = df[["label", *range(X.shape[1])]]
    df.to_csv(path, index=layout == "index")
    first_line = path.read_text().splitlines()[0]
    assert first_line.endswith("61,62,63,label") or first_line.startswith("label,0,1,2,")
    X_read, y_read, classes = read_quietly(path, **kwargs)
    assert X_read.shape == X.shape  # 1,797 rows, not 1,798 with the header as a sample
    np.testing.assert_array_equal(X_read, X)
    np.testing.assert_array_equal(y_read, y)
    assert classes == tuple(range(10))  # no 11th class "label"


def test_class_names_as_labels(tmp_path, digits):
    X, y = digits
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    frame(X, y, names).to_csv(tmp_path / "named.csv", index=False)
    X_read, y_read, classes = read_quietly(tmp_path / "named.csv")
    assert X_read.shape == X.shape and classes == tuple(sorted(names))
    np.testing.assert_array_equal(np.asarray(classes)[y_read], np.asarray(names)[y])


def test_with_pandas_index_the_index_alone_is_warned_of(tmp_path, digits):
    X, y = digits
    frame(X, y).to_csv(tmp_path / "indexed.csv")
    with pytest.warns(CsvLayoutWarning) as said:
        X_read, y_read = load_csv(tmp_path / "indexed.csv")
    (message,) = [str(w.message) for w in said]
    assert "empty name and holds the row numbers 0..1796" in message
    assert X_read.shape == (1797, 65)  # the index read as a feature, as warned; no row lost
    np.testing.assert_array_equal(X_read[:, 1:], X)
    np.testing.assert_array_equal(y_read, y)


def test_said_to_be_data_it_is_data(tmp_path, digits):
    X, y = digits
    frame(X, y).to_csv(tmp_path / "digits.csv", index=False)
    X_read, y_read, classes = read_quietly(tmp_path / "digits.csv", header=False)
    assert X_read.shape == (1798, 64) and "label" in classes
    np.testing.assert_array_equal(X_read[0], np.arange(64))


def test_a_first_line_whose_label_is_a_class_below_stays_data(tmp_path):
    # features 0,1 and a label "cat" that other lines share: a sample, as before
    path = tmp_path / "pets.csv"
    path.write_text("0,1,cat\n2,3,cat\n4,5,dog\n6,7,dog\n")
    X, y, classes = read_quietly(path)
    np.testing.assert_array_equal(X, [[0, 1], [2, 3], [4, 5], [6, 7]])
    assert classes == ("cat", "dog") and y.tolist() == [0, 0, 1, 1]


def test_such_a_header_alone_is_a_header_with_no_data(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("0,1,2,label\n")
    with pytest.warns(CsvLayoutWarning, match=r"line 1, 0,1,2,label, is read as pandas'"):
        with pytest.raises(DataFileError, match=r"a header row but no data lines"):
            load_csv(path)


def test_a_missing_or_numeric_label_cell_is_no_name():
    assert named_label_header(["0", "1", "label"], 2)
    assert named_label_header(["label", "1", "2"], 0)  # R numbers from 1
    assert named_label_header(["", "0", "1", "y"], 3)  # pandas' index header
    assert named_label_header(["0", "y"], 1)  # one feature: the labels below decide (1,spam over ham: data)
    assert not named_label_header(["0", "1", "NA"], 2)  # data with a missing label
    assert not named_label_header(["0", "1", ""], 2)
    assert not named_label_header(["0", "1", "7"], 2)  # numbers: numbered_header's to judge
    assert not named_label_header(["0", "2", "label"], 2)  # not the column numbers
    assert not named_label_header(["0", "1", "label"], 0)  # the label cell holds a number
