"""A first line that counts its columns (pandas' header for unnamed columns) is never judged in
silence: read as a header, it is warned of unless beyond doubt (five feature cells or more
beside a named label column); read as data, it is warned of too. The small files here are
those the audits found: a real first sample dropped as a "header" of one feature cell, and
the README's own ``pd.DataFrame(np.c_[X, y]).to_csv(f, index=False)`` for 2 features and 3
classes read one sample too long."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import CsvLayoutWarning, load_csv

pd = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")


def layout_warnings(path, **kwargs):
    """``(X, y, classes)`` and the CsvLayoutWarning messages ``load_csv`` gave."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        read = load_csv(path, return_classes=True, **kwargs)
    return read, [str(w.message) for w in said if issubclass(w.category, CsvLayoutWarning)]


@pytest.mark.parametrize(
    "text, rows, alone",
    [
        ("1,spam\n5,ham\n7,ham\n3,ham\n", 4, "spam"),  # one feature cell: no count of columns
        ("0,yes\n4,no\n2,no\n", 3, "yes"),
    ],
)
def test_one_feature_cell_beside_a_name_is_a_sample(tmp_path, text, rows, alone):
    # once dropped in silence as pandas' header 0,label; a sample of a class of one, warned of
    path = tmp_path / "one.csv"
    path.write_text(text)
    (X, y, classes), said = layout_warnings(path)
    assert len(X) == rows and X[0, 0] == float(text.split(",")[0])
    assert classes[y[0]] == alone
    (message,) = said
    assert f"line 1 is read as data, but its label {alone!r} is written on no other line" in message


def test_a_short_named_label_header_is_dropped_and_said(tmp_path):
    # 1,2,cat over 3,4,dog: R's numbered header beside a name, or a sample of a class of one
    path = tmp_path / "pets.csv"
    path.write_text("1,2,cat\n3,4,dog\n")
    (X, _, classes), said = layout_warnings(path)
    np.testing.assert_array_equal(X, [[3, 4]])
    assert classes == ("dog",)
    (message,) = said
    assert "line 1, 1,2,cat, is read as pandas' numbered header" in message
    assert "name 'cat' is written on no line below" in message and "--header no" in message
    (X, _, classes), said = layout_warnings(path, header=False)  # said: data, quietly
    assert len(X) == 2 and classes == ("cat", "dog") and not said


@pytest.mark.parametrize("n_features, quiet", [(4, False), (5, True)])
def test_a_named_label_header_is_quiet_only_when_long(tmp_path, n_features, quiet):
    X, y = sk_datasets.make_blobs(60, n_features=n_features, centers=3, random_state=0)
    df = pd.DataFrame(X)
    df["label"] = np.array(["a", "b", "c"])[y]
    df.to_csv(tmp_path / "blobs.csv", index=False)
    (X_read, y_read, classes), said = layout_warnings(tmp_path / "blobs.csv")
    np.testing.assert_allclose(X_read, X)
    np.testing.assert_array_equal(y_read, y)
    assert classes == ("a", "b", "c")
    assert len(said) == (0 if quiet else 1)
    if not quiet:
        assert "line 1, 0,1,2,3,label, is read as pandas' numbered header" in said[0]


@pytest.mark.parametrize("centers, n_features", [(3, 2), (2, 1)])
def test_the_readmes_pandas_file_loses_its_header(tmp_path, centers, n_features):
    # the header 0,1,2 (or 0,1) counts the columns and its label is a class below; the
    # features below are not whole, as the line's are: pandas' header, warned of
    X, y = sk_datasets.make_blobs(90, n_features=n_features, centers=centers, random_state=0)
    path = tmp_path / "blobs.csv"
    pd.DataFrame(np.c_[X, y]).to_csv(path, index=False)
    header = ",".join(str(j) for j in range(n_features + 1))
    assert path.read_text().splitlines()[0] == header
    (X_read, y_read, _), said = layout_warnings(path)
    assert X_read.shape == X.shape  # 90 samples, not 91 with the header as one
    np.testing.assert_allclose(X_read, X)
    np.testing.assert_array_equal(y_read, y)
    (message,) = said
    assert f"line 1, {header}, is read as pandas' numbered header" in message
    assert "the features below hold numbers that are not whole" in message


@pytest.mark.parametrize("label_column", [-1, None])
def test_a_numbered_line_read_as_data_is_said(tmp_path, label_column):
    # counts: 0,1,2 above whole numbers, its label 2 a class below; data, but never in silence
    path = tmp_path / "counts.csv"
    path.write_text("0,1,2\n3,4,2\n5,6,0\n7,8,2\n")
    (X, _, _), said = layout_warnings(path, label_column=label_column)
    assert len(X) == 4 and X[0].tolist() == [0, 1] + ([2] if label_column is None else [])
    (message,) = said
    assert message.endswith(
        "line 1, 0,1,2, is read as data though it counts its columns as pandas' header does; "
        "pass header=True if it is a header (on the command line: --header yes), or header=False "
        "to say it is data (--header no)"
    )
    for header, rows in [(False, 4), (True, 3)]:  # said either way: quiet
        (X, _, _), said = layout_warnings(path, label_column=label_column, header=header)
        assert len(X) == rows and not said


@pytest.mark.parametrize(
    "kwargs", [{"label_column": "species"}, {"label_column": None, "drop_columns": ["species"]}]
)
def test_a_column_name_in_a_file_of_another_separator_names_it(tmp_path, kwargs):
    iris = sk_datasets.load_iris(as_frame=True)
    frame = iris.data.copy()
    frame["species"] = iris.target_names[iris.target.to_numpy()]
    frame.to_csv(tmp_path / "iris.csv", sep=";", index=False)
    with pytest.raises(DataFileError) as raised:
        load_csv(tmp_path / "iris.csv", **kwargs)
    message = str(raised.value)
    assert "no column named 'species'" in message
    assert "pass delimiter=';' (on the command line: --delimiter ';')" in message
    X, y = load_csv(tmp_path / "iris.csv", label_column="species", delimiter=";")
    np.testing.assert_allclose(X, iris.data.to_numpy())
    np.testing.assert_array_equal(y, iris.target.to_numpy())


def test_a_missing_name_in_a_file_of_the_right_separator_has_no_separator_hint(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b,label\n1,2,0\n3,4,1\n")
    with pytest.raises(
        DataFileError, match=r"no column named 'species'; the header row has \['a', 'b', 'label'\]$"
    ):
        load_csv(path, label_column="species")
