"""The user's own files: CSV and NPZ, what they accept and every refusal with its message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import load_csv, load_npz
from deltaprop.datasets.csv_file import CsvLayoutWarning


def csv_file(tmp_path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------------------------- CSV


def test_numeric_csv_with_a_header_and_the_label_last(tmp_path):
    path = csv_file(tmp_path, "x1,x2,label\n0.5,1.5,1\n-2,3e-1,0\n4,5,2\n")
    X, y = load_csv(path)
    assert X.dtype == np.float64 and X.shape == (3, 2)
    np.testing.assert_array_equal(X, [[0.5, 1.5], [-2, 0.3], [4, 5]])
    assert y.dtype == np.int64 and y.tolist() == [1, 0, 2]


def test_label_column_by_name_in_the_middle(tmp_path):
    path = csv_file(tmp_path, "a,digit,b\n1,7,2\n3,9,4\n")
    X, y, classes = load_csv(path, "digit", return_classes=True)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    assert y.tolist() == [7, 9]
    assert classes == tuple(range(10))


def test_no_header_label_first_semicolons_quotes_bom_and_blank_lines(tmp_path):
    path = csv_file(tmp_path, '\ufeff1;"2.5";3\n\n0; 4 ;"5"\n', encoding="utf-8")
    X, y = load_csv(path, 0, delimiter=";", dtype=np.float32)
    assert X.dtype == np.float32
    np.testing.assert_array_equal(X, [[2.5, 3], [4, 5]])
    assert y.tolist() == [1, 0]


def test_string_labels_become_sorted_class_indices(tmp_path):
    path = csv_file(tmp_path, "w,h,animal\n1,2,dog\n3,4,cat\n5,6,dog\n7,8,emu\n")
    X, y, classes = load_csv(path, "animal", return_classes=True)
    assert classes == ("cat", "dog", "emu")
    assert y.dtype == np.int64 and y.tolist() == [1, 0, 1, 2]
    assert [classes[k] for k in y] == ["dog", "cat", "dog", "emu"]


def test_real_valued_labels_are_regression_targets(tmp_path):
    path = csv_file(tmp_path, "1,0.25\n2,-1\n3,7\n")
    X, y, classes = load_csv(path, return_classes=True, dtype=np.float32)
    assert y.dtype == np.float32 and y.tolist() == [0.25, -1.0, 7.0]
    assert classes is None
    np.testing.assert_array_equal(X, [[1], [2], [3]])


def test_features_only(tmp_path):
    X, y = load_csv(csv_file(tmp_path, "a,b\n1,2\n3,4\n"), None)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    assert y is None


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("x1,x2,y\n1,2,0\n3,abc,1\n", {}, r"line 3, column 'x2' \(index 1\): 'abc' is not a number"),
        ("1,2,0\n3,,1\n", {}, r"line 2, column 1: an empty value \(missing data\) is not a number"),
        ("x1,x2,y\n1,2,0\n3,nan,1\n", {}, r"line 3, column 'x2' \(index 1\): 'nan' is not finite"),
        ("1,2,0\n3,1e999,1\n", {}, r"line 2, column 1: '1e999' is not finite"),
        (
            "x1,x2,y\n1,2,0\n",
            {"header": False},
            r"line 1, column 0: 'x1' is not a number",
        ),
        ("x,y\n1,0\n2,3,1\n", {}, r"line 3 has 3 fields, expected 2 \(as on the first line\)"),
        ("", {}, r"the file holds no data"),
        ("\n \n", {}, r"the file holds no data"),
        ("x,y\n", {}, r"the file has a header row but no data lines"),
        (
            "x,y\n1,0\n",
            {"label_column": "label"},
            r"no column named 'label'; the header row has \['x', 'y'\]",
        ),
        (
            "1,0\n2,1\n",
            {"label_column": 2},
            r"label_column=2 is out of range: the file has 2 columns \(valid",
        ),
        ("1\n2\n", {}, r"no feature columns: the file has 1 column\(s\) and one is the label column"),
        ('1,"2"x,0\n', {}, r"line 1: malformed CSV"),
        ("x,y\n1,\n", {}, r"line 2, column 'y' \(index 1\): the label is empty"),
        ("x,y\n1,inf\n", {}, r"line 2, column 'y' \(index 1\): label 'inf' is not finite"),
    ],
)
def test_csv_faults_name_the_line_and_column(tmp_path, text, kwargs, message):
    path = csv_file(tmp_path, text)
    with pytest.raises(DataFileError, match=message) as info:
        load_csv(path, **kwargs)
    assert str(path) in str(info.value)


def test_csv_that_is_not_text(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\xff\xd8\xff\xe0JFIF")
    with pytest.raises(DataFileError, match=r"image.csv: not UTF-8 text \(byte 0xFF at offset 0\)"):
        load_csv(path)


def test_csv_larger_than_the_limit_is_not_read(tmp_path):
    path = csv_file(tmp_path, "1,0\n" * 100)
    with pytest.raises(DataFileError, match=r"the file is 400 bytes, more than the limit of 399 bytes"):
        load_csv(path, max_bytes=399)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"header": "yes"}, ValueError, r"header must be 'infer', True or False; got 'yes'"),
        ({"header": 1}, ValueError, r"header must be 'infer', True or False; got 1"),
        (
            {"delimiter": ",,"},
            ValueError,
            r"delimiter must be one character other than a quote or newline; got ',,'",
        ),
        ({"label_column": 1.0}, TypeError, r"label_column must be a column index \(int\), a column name"),
        (
            {"label_column": "y", "header": False},
            ValueError,
            r"label_column='y' names a column, but header=False",
        ),
        ({"dtype": np.int64}, ValueError, r"dtype must be float32 or float64; got 'int64'"),
    ],
)
def test_csv_bad_arguments(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        load_csv(csv_file(tmp_path, "x,y\n1,0\n"), **kwargs)


def test_missing_csv(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_csv(tmp_path / "absent.csv")


# ---------------------------------------------------------------------------------- NPZ


@pytest.mark.parametrize("save", [np.savez, np.savez_compressed])
def test_npz_round_trip(tmp_path, save):
    X = np.arange(12, dtype=np.int32).reshape(4, 3)
    y = np.array([True, False, True, True])
    save(tmp_path / "d.npz", X=X, y=y, other=np.zeros(2))
    X_got, y_got = load_npz(tmp_path / "d.npz")
    assert X_got.dtype == np.float64 and y_got.dtype == np.int64
    np.testing.assert_array_equal(X_got, X)
    assert y_got.tolist() == [1, 0, 1, 1]


def test_npz_custom_keys_targets_and_features_only(tmp_path):
    Y = np.linspace(0, 1, 6).reshape(3, 2)
    np.savez(tmp_path / "d.npz", features=np.ones((3, 4)), targets=Y)
    X, Y_got = load_npz(tmp_path / "d.npz", "features", "targets", dtype=np.float32)
    assert X.dtype == np.float32 and Y_got.dtype == np.float32 and Y_got.shape == (3, 2)
    X, none = load_npz(tmp_path / "d.npz", "features", None)
    assert X.shape == (3, 4) and none is None


class Canary:
    """Unpickling this creates a file: proof, if the file appears, that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("column", [False, True])
def test_npz_text_labels_are_classes_numbered_in_sorted_order(tmp_path, column):
    """As a CSV's text labels are. They were refused ("'y' must hold numbers; got dtype <U3"),
    where the README says a CSV's or an NPZ's labels say what is learnt."""
    labels = np.array(["dog", "cat", "owl", "cat"])
    np.savez(tmp_path / "pets.npz", X=np.eye(4), y=labels.reshape(-1, 1) if column else labels)
    X, y, classes = load_npz(tmp_path / "pets.npz", return_classes=True)
    assert classes == ("cat", "dog", "owl")
    assert y.dtype == np.int64 and y.tolist() == [1, 0, 2, 0]
    assert [classes[k] for k in y] == labels.tolist()
    X2, y2 = load_npz(tmp_path / "pets.npz")
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


def test_npz_numeric_labels_come_with_no_class_names(tmp_path):
    np.savez(tmp_path / "d.npz", X=np.eye(3), y=np.array([2, 0, 1]))
    _, y, classes = load_npz(tmp_path / "d.npz", return_classes=True)
    assert y.tolist() == [2, 0, 1] and classes is None


@pytest.mark.parametrize("key", ["X", "y"])
def test_npz_with_a_pickled_object_is_refused_and_nothing_is_unpickled(tmp_path, key):
    marker = tmp_path / "code-ran"
    hostile = np.array([Canary(marker), 1.0], dtype=object)
    arrays = {"X": np.zeros((2, 2)), "y": np.zeros(2)}
    arrays[key] = hostile if key == "y" else hostile.reshape(1, 2)
    np.savez(tmp_path / "evil.npz", **arrays)
    with pytest.raises(
        DataFileError, match=rf"array '{key}' holds Python objects \(dtype object\), .*refuses it"
    ):
        load_npz(tmp_path / "evil.npz")
    assert not marker.exists()
    # The control: the same file *would* run code if it were loaded with pickle allowed.
    with np.load(tmp_path / "evil.npz", allow_pickle=True) as archive:
        archive[key]
    assert marker.exists()


def _npz_with_member(path: Path, name: str, header: dict, payload: bytes) -> Path:
    member = io.BytesIO()
    np.lib.format.write_array_header_1_0(member, header)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, member.getvalue() + payload)
    return path


def test_npz_header_claiming_more_than_the_archive_holds(tmp_path):
    header = {"descr": "<f8", "fortran_order": False, "shape": (100_000, 100_000)}
    path = _npz_with_member(tmp_path / "liar.npz", "X.npy", header, bytes(16))
    with pytest.raises(
        DataFileError,
        match=r"'X' declares shape \(100000, 100000\) of float64, "
        r"80,000,000,000 bytes, but the archive holds 16 bytes",
    ):
        load_npz(path, y_key=None)


@pytest.mark.parametrize(
    ("arrays", "kwargs", "message"),
    [
        ({"X": np.zeros((2, 2))}, {}, r"no array named 'y'; the archive holds \['X'\]"),
        (
            {"X": np.zeros(3), "y": np.zeros(3)},
            {},
            r"'X' must be 2-D \(n_samples, n_features\); got shape \(3,\)",
        ),
        ({"X": np.zeros((2, 2, 2)), "y": np.zeros(2)}, {}, r"got shape \(2, 2, 2\). Flatten each sample"),
        ({"X": np.zeros((0, 3)), "y": np.zeros(0)}, {}, r"'X' is empty \(shape \(0, 3\)\)"),
        ({"X": np.array([["a", "b"]]), "y": np.zeros(1)}, {}, r"'X' must hold numbers; got dtype <U1"),
        ({"X": np.array([[1.0, np.nan]]), "y": np.zeros(1)}, {}, r"'X' contains nan at \[0, 1\]"),
        ({"X": np.zeros((3, 2)), "y": np.zeros(2)}, {}, r"X has 3 samples but 'y' has 2; they must match"),
        (
            {"X": np.zeros((2, 2)), "y": np.array([["a", "b"], ["c", "d"]])},
            {},
            r"'y' must hold numbers; got dtype <U1",
        ),
        ({"X": np.zeros((2, 2)), "y": np.array(["cat", ""])}, {}, r"'y' holds an empty label at \[1\]"),
        ({"X": np.zeros((2, 2)), "y": np.array([0.0, np.inf])}, {}, r"'y' contains NaN or infinity"),
        (
            {"X": np.zeros((2, 2)), "y": np.zeros((2, 1, 1))},
            {},
            r"'y' must be labels \(n_samples,\) or targets",
        ),
    ],
)
def test_npz_faults(tmp_path, arrays, kwargs, message):
    np.savez(tmp_path / "d.npz", **arrays)
    with pytest.raises(DataFileError, match=message) as info:
        load_npz(tmp_path / "d.npz", **kwargs)
    assert str(tmp_path / "d.npz") in str(info.value)


@pytest.mark.parametrize("content", [b"x,y\n1,0\n", b"PK\x03\x04broken", b""])
def test_not_an_npz(tmp_path, content):
    (tmp_path / "d.npz").write_bytes(content)
    with pytest.raises(DataFileError, match=r"d.npz: not a readable .npz archive \(BadZipFile"):
        load_npz(tmp_path / "d.npz")


def test_a_plain_npy_is_not_an_npz(tmp_path):
    np.save(tmp_path / "d.npy", np.zeros((2, 2)))
    with pytest.raises(DataFileError, match=r"not a readable .npz archive"):
        load_npz(tmp_path / "d.npy")


def test_npz_larger_than_the_limit(tmp_path):
    np.savez(tmp_path / "d.npz", X=np.zeros((10, 10)), y=np.zeros(10))
    size = (tmp_path / "d.npz").stat().st_size
    with pytest.raises(DataFileError, match=rf"the file is {size:,} bytes, more than the limit of 100 bytes"):
        load_npz(tmp_path / "d.npz", max_bytes=100)


def test_npz_bad_arguments(tmp_path):
    np.savez(tmp_path / "d.npz", X=np.zeros((2, 2)), y=np.zeros(2))
    with pytest.raises(TypeError, match=r"x_key must be an array name \(str\); got 0"):
        load_npz(tmp_path / "d.npz", 0)
    with pytest.raises(ValueError, match=r"dtype must be float32 or float64; got 'float16'"):
        load_npz(tmp_path / "d.npz", dtype=np.float16)
    with pytest.raises(FileNotFoundError):
        load_npz(tmp_path / "absent.npz")


# ------------------------------------------------ CSV and NPZ: defects found in the audit


@pytest.mark.parametrize("missing", ["", "NA", "n/a", "?"])
def test_a_missing_value_on_the_first_line_is_data_not_a_header(tmp_path, missing):
    # Before the fix, header="infer" took "1,<missing>,0" for a header (one cell was not a
    # number) and dropped it: the first sample vanished without a word.
    path = csv_file(tmp_path, f"1,{missing},0\n3,4,1\n5,6,0\n")
    with pytest.raises(DataFileError, match=r"line 1, column 1: .* is not a number.*pass header=True"):
        load_csv(path)


def test_a_header_is_still_inferred_from_names_even_with_an_unnamed_column(tmp_path):
    # pandas writes its index column with an empty name: ",a,label" (read, and warned about)
    with pytest.warns(CsvLayoutWarning, match="pandas writes its index"):
        X, y = load_csv(csv_file(tmp_path, ",a,label\n0,1.5,1\n1,2.5,0\n"))
    np.testing.assert_array_equal(X, [[0, 1.5], [1, 2.5]])
    assert y.tolist() == [1, 0]


def test_numeric_column_names_need_header_true(tmp_path):
    path = csv_file(tmp_path, "1990,1991,label\n1,2,0\n3,4,1\n")
    X, y = load_csv(path, "label")  # a name: the first line is the header
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    X, y = load_csv(path, header=True)
    assert y.tolist() == [0, 1]


def test_huge_integer_labels_allocate_no_class_list(tmp_path):
    # Before the fix, classes was tuple(range(max_label + 1)): 10^11 entries, a MemoryError.
    path = csv_file(tmp_path, "1,2,0\n3,4,99999999999\n")
    X, y, classes = load_csv(path, return_classes=True)
    assert y.dtype == np.int64 and y.tolist() == [0, 99_999_999_999]
    assert classes is None
    X, y, classes = load_csv(csv_file(tmp_path, "1,0\n2,65535\n", "b.csv"), return_classes=True)
    assert len(classes) == 65_536 and classes[65_535] == 65_535


def test_integer_labels_beyond_float64_precision_are_real_targets(tmp_path):
    # 1e300 cast to int64 was -9223372036854775808; now it stays the number it is.
    X, y, classes = load_csv(csv_file(tmp_path, "1,0\n2,1e300\n"), return_classes=True)
    assert y.dtype == np.float64 and y.tolist() == [0.0, 1e300] and classes is None


def test_values_too_large_for_float32_are_refused_by_cell(tmp_path):
    path = csv_file(tmp_path, "x,y,t\n1,1e39,0.5\n")
    with pytest.raises(
        DataFileError, match=r"line 2, column 'y' \(index 1\): '1e39' is too large for float32"
    ):
        load_csv(path, dtype=np.float32)
    with pytest.raises(DataFileError, match=r"line 3, column 't' \(index 1\): label '1e39' is too large"):
        load_csv(csv_file(tmp_path, "x,t\n1,0.5\n2,1e39\n", "t.csv"), dtype=np.float32)
    assert load_csv(path)[0][0, 1] == 1e39  # float64 holds it


def test_npz_values_too_large_for_float32_are_refused(tmp_path):
    # Before the fix, y = 1e40 came back as float32 inf, silently.
    np.savez(tmp_path / "y.npz", X=np.ones((2, 2)), y=np.array([0.5, 1e40]))
    with pytest.raises(DataFileError, match=r"'y' holds 1e\+40 at \[1\], too large for float32"):
        load_npz(tmp_path / "y.npz", dtype=np.float32)
    np.savez(tmp_path / "x.npz", X=np.array([[1.0, -1e40]]), y=np.array([0]))
    with pytest.raises(DataFileError, match=r"'X' holds -1e\+40 at \[0, 1\], too large for float32"):
        load_npz(tmp_path / "x.npz", dtype=np.float32)
    assert load_npz(tmp_path / "y.npz")[1][1] == 1e40


def test_windows_line_endings_quotes_and_a_bom_with_the_label_by_name(tmp_path):
    text = '\ufeff"x 1","x,2","kind"\r\n"1.5",2,"b"\r\n\r\n3,"-4e-1",a\r\n'
    X, y, classes = load_csv(csv_file(tmp_path, text), "kind", return_classes=True)
    np.testing.assert_array_equal(X, [[1.5, 2], [3, -0.4]])
    assert y.tolist() == [1, 0] and classes == ("a", "b")
