"""A first line counting out five or more columns (pandas' header for unnamed columns) is a
header even when whole numbers lie below it: no row of data numbers its own columns."""

from __future__ import annotations

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.datasets import load_csv


def _write(path, header, rows):
    path.write_text("\n".join([",".join(header)] + [",".join(map(str, row)) for row in rows]) + "\n")
    return path


def test_pandas_features_only_pixels_lose_their_header(tmp_path):
    # pd.DataFrame(pixels).to_csv(f, index=False): 0..63 above whole numbers; predict read it as a row
    pixels = np.random.default_rng(0).integers(0, 17, size=(5, 64))
    path = _write(tmp_path / "pixels.csv", [str(j) for j in range(64)], pixels)
    with pytest.warns(dp.CsvLayoutWarning, match="no row of data would count out its 64 columns"):
        X, y = load_csv(path, label_column=None)
    assert y is None
    np.testing.assert_array_equal(X, pixels)


def test_a_label_that_is_a_class_does_not_make_the_numbered_line_data(tmp_path):
    # 9 features and labels 0..9 under the header 0..9: its label cell "9" is a class too
    rng = np.random.default_rng(1)
    rows = np.c_[rng.integers(0, 5, size=(20, 9)), np.arange(20) % 10]
    path = _write(tmp_path / "counts.csv", [str(j) for j in range(10)], rows)
    with pytest.warns(dp.CsvLayoutWarning, match="count out its 10 columns"):
        X, y = load_csv(path)
    assert X.shape == (20, 9)
    np.testing.assert_array_equal(X, rows[:, :9])


def test_a_short_numbered_line_over_whole_numbers_stays_data(tmp_path):
    # 0,1,2 may be a row of counts: with whole numbers below, it is read as data, as before,
    # and said, as a header read as data would otherwise lose nothing but go unnoticed
    path = _write(tmp_path / "short.csv", ["0", "1", "2"], [[3, 4, 5], [6, 7, 8]])
    with pytest.warns(dp.CsvLayoutWarning, match=r"line 1, 0,1,2, is read as data .*--header yes"):
        X, _ = load_csv(path, label_column=None)
    assert X.shape == (3, 3) and X[0].tolist() == [0, 1, 2]


def test_header_false_reads_even_a_long_numbered_line_as_data(tmp_path, recwarn):
    path = _write(tmp_path / "data.csv", [str(j) for j in range(6)], [[1, 2, 3, 4, 5, 6]])
    X, _ = load_csv(path, label_column=None, header=False)
    assert X.shape == (2, 6)
    assert not [w for w in recwarn if issubclass(w.category, dp.CsvLayoutWarning)]
