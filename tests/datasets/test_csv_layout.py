"""How a CSV's layout is read: pandas' numbered header and index column, columns left out,
another separator, text in a feature column. On scikit-learn's own data sets saved as pandas
saves them, the files a new user audit tried."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import CsvLayoutWarning, load_csv

pd = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")


def iris_frame():
    iris = sk_datasets.load_iris(as_frame=True)
    frame = iris.data.copy()
    frame["species"] = iris.target_names[iris.target.to_numpy()]
    return frame, iris.data.to_numpy(), iris.target.to_numpy()


def read_quietly(path, **kwargs):
    """load_csv, failing the test if it warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", CsvLayoutWarning)
        return load_csv(path, return_classes=True, **kwargs)


@pytest.mark.parametrize("loader", ["load_iris", "load_wine", "load_diabetes"])
def test_pandas_numbered_header_is_a_header(tmp_path, loader):
    # pd.DataFrame(np.c_[X, y]).to_csv(f, index=False) writes the header 0,1,...,k-1
    X, y = getattr(sk_datasets, loader)(return_X_y=True)
    path = tmp_path / "data.csv"
    pd.DataFrame(np.c_[X, y]).to_csv(path, index=False)
    header = ",".join(str(j) for j in range(X.shape[1] + 1))
    assert path.read_text().splitlines()[0] == header
    # inferred, so said: were line 1 data, a row would be gone without a word
    with pytest.warns(CsvLayoutWarning, match=rf"line 1, {header}, is read as pandas' numbered header"):
        X_read, y_read = load_csv(path)
    assert X_read.shape == X.shape  # iris: 150 rows, not 151 with a class 4 of one sample
    np.testing.assert_allclose(X_read, X)
    np.testing.assert_array_equal(y_read, y)
    X_said, _, _ = read_quietly(path, header=True)  # said: no warning
    np.testing.assert_array_equal(X_said, X_read)


def test_numbered_header_features_only_is_a_header(tmp_path):
    _, X, _ = iris_frame()
    path = tmp_path / "x.csv"
    pd.DataFrame(X).to_csv(path, index=False)
    with pytest.warns(CsvLayoutWarning, match=r"numbered header.*numbers that are not whole"):
        X_read, _ = load_csv(path, None)
    np.testing.assert_allclose(X_read, X)


def test_numbered_header_read_the_other_way_when_said(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("0,1,2\n5.5,6,1\n7,8,0\n9,1,1\n")
    X, y = load_csv(path, header=False)
    assert X.shape == (4, 2) and y.tolist() == [2, 1, 0, 1]
    with pytest.warns(CsvLayoutWarning, match=r"line 1, 0,1,2, is read as pandas' numbered header"):
        X, y = load_csv(path)  # inferred: label 2 is on no other line, so line 1 is pandas' header
    assert X.shape == (3, 2) and y.tolist() == [1, 0, 1]


def test_a_numbered_first_line_read_as_a_header_is_warned_about(tmp_path):
    # five rows of counts, the first 0,1,2: its label 2 is on no other line, so line 1 is read
    # as pandas' header and 4 rows are left; that once happened without a word
    path = tmp_path / "counts.csv"
    path.write_text("0,1,2\n3,1,0\n2,2,1\n5,0,1\n1,1,0\n")
    with pytest.warns(CsvLayoutWarning) as said:
        X, y = load_csv(path)
    assert X.shape == (4, 2) and y.tolist() == [0, 1, 1, 0]
    (message,) = [str(w.message) for w in said]
    assert "line 1, 0,1,2, is read as pandas' numbered header" in message
    assert "its label '2' is written on no other line" in message
    assert "header=False if it is data (on the command line: --header no)" in message
    X, y, _ = read_quietly(path, header=False)
    assert X.shape == (5, 2) and y.tolist() == [2, 0, 1, 1, 0]


@pytest.mark.parametrize("labelled", [True, False])
def test_pandas_header_of_unnamed_columns_with_its_index(tmp_path, labelled):
    # pd.DataFrame(X).to_csv(f) writes ",0,1,2,3" above its index: read as a header, the
    # index warned of, and left out with drop_columns=[0]
    _, X, y = iris_frame()
    frame = pd.DataFrame(np.c_[X, y] if labelled else X)
    path = tmp_path / "unnamed.csv"
    frame.to_csv(path)
    assert path.read_text().splitlines()[0] == "," + ",".join(map(str, range(frame.shape[1])))
    label_column = -1 if labelled else None
    with pytest.warns(CsvLayoutWarning, match=r"empty name and holds the row numbers 0\.\.149"):
        X_read, _ = load_csv(path, label_column)
    assert X_read.shape == (150, 5)  # no row lost, the index read as a feature (and warned of)
    X_read, y_read, _ = read_quietly(path, label_column=label_column, drop_columns=[0])
    np.testing.assert_allclose(X_read, X)
    if labelled:
        np.testing.assert_array_equal(y_read, y)


def test_a_first_line_with_an_empty_cell_above_no_index_is_data(tmp_path):
    # ",0,1,2" above a first column that is no row numbering: data with a missing value,
    # refused naming the cell, not dropped as a header
    path = tmp_path / "gap.csv"
    path.write_text(",0,1,2\n5.5,6,1,0\n7,8,0,1\n")
    with pytest.raises(DataFileError, match=r"line 1, column 0: an empty value"):
        load_csv(path)


def test_a_first_data_line_of_counts_stays_data(tmp_path):
    # 0,1,2 whose label 2 is a class the other lines share: data, as before, and said (it
    # counts its columns as pandas' header does); header=False says it is data, and is quiet
    path = tmp_path / "counts.csv"
    path.write_text("0,1,2\n3,4,2\n5,6,0\n7,8,2\n")
    with pytest.warns(CsvLayoutWarning, match=r"line 1, 0,1,2, is read as data though.*header=True"):
        load_csv(path)
    X, y, _ = read_quietly(path, header=False)
    np.testing.assert_array_equal(X, [[0, 1], [3, 4], [5, 6], [7, 8]])
    assert y.tolist() == [2, 2, 0, 2]


def test_a_first_line_whose_label_is_alone_is_warned_about(tmp_path):
    # a header of numbers that are not the column numbers (years, say): read as data, warned
    path = tmp_path / "years.csv"
    path.write_text("1990,1991,7\n1,2,0\n3,4,0\n5,6,1\n7,8,1\n")
    with pytest.warns(CsvLayoutWarning, match=r"line 1 is read as data, but its label '7'.*header=True"):
        X, y = load_csv(path)
    assert X.shape == (5, 2)
    X, y, _ = read_quietly(path, header=True)  # said: no warning
    assert y.tolist() == [0, 0, 1, 1]


def test_regression_targets_are_not_warned_about(tmp_path):
    X, y = sk_datasets.load_diabetes(return_X_y=True)
    path = tmp_path / "diabetes.csv"
    np.savetxt(path, np.c_[X, y / 7], delimiter=",")  # every target written once: no classes
    X_read, y_read, _ = read_quietly(path)
    assert X_read.shape == X.shape


def test_pandas_index_column_is_warned_about(tmp_path):
    frame, X, _ = iris_frame()
    path = tmp_path / "sorted.csv"
    frame.sort_values("species", kind="stable").iloc[::-1].to_csv(path)  # index kept: ",sepal...,species"
    with pytest.warns(CsvLayoutWarning, match=r"empty name and holds the row numbers 0\.\.149.*index=False"):
        X_read, _ = load_csv(path)
    assert X_read.shape == (150, 5)
    X_read, y_read, classes = read_quietly(path, drop_columns=[0])
    np.testing.assert_allclose(X_read, X[::-1])
    assert classes == ("setosa", "versicolor", "virginica")


def test_drop_columns_by_name_and_by_index(tmp_path):
    frame, X, y = iris_frame()
    frame.insert(0, "id", [f"r{i}" for i in range(len(frame))])
    frame.insert(1, "name", "flower")
    path = tmp_path / "ids.csv"
    frame.to_csv(path, index=False)
    X_read, y_read, _ = read_quietly(path, drop_columns=["id", "name"])
    np.testing.assert_allclose(X_read, X)
    np.testing.assert_array_equal(y_read, y)
    X_read, _, _ = read_quietly(path, drop_columns=[0, -6])
    np.testing.assert_allclose(X_read, X)
    X_read, _, _ = read_quietly(path, label_column="species", drop_columns=("id", 1))
    np.testing.assert_allclose(X_read, X)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"drop_columns": ["species"]}, ValueError, r"drops the label column"),
        ({"drop_columns": ["nope"]}, DataFileError, r"no column named 'nope'"),
        ({"drop_columns": [9]}, DataFileError, r"drop_columns=9 is out of range: the file has 3 columns"),
        ({"drop_columns": ["a"], "header": False}, ValueError, r"drop_columns='a' names a column"),
        ({"drop_columns": [1.5]}, TypeError, r"drop_columns must hold column indices"),
        ({"drop_columns": [0, 1]}, DataFileError, r"no feature columns.*drop_columns leaves out 2"),
    ],
)
def test_drop_columns_refusals(tmp_path, kwargs, error, message):
    path = tmp_path / "d.csv"
    path.write_text("a,b,species\n1,2,x\n3,4,y\n")
    with pytest.raises(error, match=message):
        load_csv(path, **kwargs)


@pytest.mark.parametrize(
    ("sep", "said"), [(";", r"holds ';' and no ','.*delimiter=';'"), ("\t", r"holds tabs")]
)
def test_another_separator_is_named(tmp_path, sep, said):
    frame, X, _ = iris_frame()
    path = tmp_path / "iris.csv"
    frame.to_csv(path, index=False, sep=sep)
    with pytest.raises(DataFileError, match=r"no feature columns: the file has 1 column\(s\).*" + said):
        load_csv(path)
    X_read, _, _ = read_quietly(path, delimiter=sep)
    np.testing.assert_allclose(X_read, X)


@pytest.mark.parametrize(
    ("first", "hint"),
    [
        ("species", r"'setosa' is not a number.*label_column='species'.*drop_columns=\['species'\]"),
        ("id", r"'r0' is not a number.*label_column='id'.*drop_columns=\['id'\] \(--drop-columns id\)"),
    ],
)
def test_text_in_a_feature_column_names_both_ways_out(tmp_path, first, hint):
    frame, X, _ = iris_frame()
    if first == "id":
        frame.insert(0, "id", [f"r{i}" for i in range(len(frame))])
    else:
        frame = frame[["species", *frame.columns[:-1]]]
    path = tmp_path / "iris.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataFileError, match=hint):
        load_csv(path)


def test_a_semicolon_file_read_for_features_only_names_its_separator(tmp_path):
    # predict reads feature rows (no label column): a ';' file read at ',' is one text column,
    # and the message says which separator its first line holds, not that 'r0;5.1' is a label
    path = tmp_path / "semi.csv"
    path.write_text("id;a;b\nr0;5.1;3.5\nr1;4.9;3.0\n", encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"line 2 is one column, 'r0;5\.1;3\.5', which is not a number; .*delimiter=';'"
    ):
        load_csv(path, label_column=None)
