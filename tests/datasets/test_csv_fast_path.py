"""load_csv's two readers agree: a body of plain numbers is read by NumPy's ``loadtxt`` a block
of lines at a time (``csv_plain``), any other line by the csv module row by row, which names a
bad cell by line and column. A file with a quote anywhere is read row by row, so a table written
plain and the same table with every cell quoted compare the two, value for value and message
for message; and the fast reader holds the numbers once, not once per row and again stacked."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deltaprop import DataFileError
from deltaprop.datasets import load_csv
from deltaprop.datasets.csv_plain import BLOCK_CHARS
from memory_peak import peak_bytes

sk_datasets = pytest.importorskip("sklearn.datasets")

#: Cells a feature or label may hold: numbers as people and programs write them (1e39: too
#: large for float32), and what is no finite number or not one to loadtxt (text, empty, NaN,
#: too large, digits that float reads and loadtxt does not); numbers nine times in ten.
NUMBERS = ["0", "1", "7", "0.5", "-3e2", " 2 ", "+.5", "1.", "1e39", "\xa02", "0.1", "2.675"]
OTHERS = ["nan", "-inf", "1e400", "", "x", "NA", "\u0663", "1_0", "\uff12", "cat", "dog"]
CELLS = st.sampled_from(NUMBERS * 9 + OTHERS)
DELIMITERS = [",", ";", "\t", "|"]
FAST = settings(
    max_examples=150,
    deadline=None,  # a shared 2-core machine: time limits would only make the test flaky
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _outcome(path, **kwargs):
    """What load_csv makes of ``path``: its arrays, or its error, and its warnings, with the
    file's name left out of the messages (the two files differ by name only)."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            result = load_csv(path, return_classes=True, **kwargs)
        except (DataFileError, ValueError) as err:
            result = (type(err).__name__, str(err).replace(str(path), "FILE"))
    return result, [str(w.message).replace(str(path), "FILE") for w in said]


def _same(a, b):
    (result_a, said_a), (result_b, said_b) = a, b
    assert said_a == said_b
    assert type(result_a[0]) is type(result_b[0])
    if isinstance(result_a[0], str):
        assert result_a == result_b
        return
    X_a, y_a, classes_a = result_a
    X_b, y_b, classes_b = result_b
    assert X_a.dtype == X_b.dtype and X_a.shape == X_b.shape
    np.testing.assert_array_equal(X_a, X_b)  # bit for bit: both parse to the nearest float
    assert classes_a == classes_b
    if y_a is None:
        assert y_b is None
    else:
        assert y_a.dtype == y_b.dtype
        np.testing.assert_array_equal(y_a, y_b)


@FAST
@given(
    rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=8),
    extra=st.lists(st.sampled_from(["", "   ", "# a comment", "1,2", "1,2,3,4"]), max_size=2),
    where=st.lists(st.integers(0, 8), max_size=2),
    delimiter=st.sampled_from(DELIMITERS),
    header=st.sampled_from(["infer", True, False]),
    label_column=st.sampled_from([-1, 0, 1, None]),
    trailing=st.booleans(),
    dtype=st.sampled_from([np.float64, np.float32]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_plain_and_quoted_files_read_alike(
    tmp_path_factory, rows, extra, where, delimiter, header, label_column, trailing, dtype, line_end
):
    lines = [delimiter.join(row) + (delimiter if trailing else "") for row in rows]
    quoted = [delimiter.join(f'"{cell}"' for cell in row) + (delimiter if trailing else "") for row in rows]
    for text, at in zip(extra, where):  # blank lines, comments, lines of another width
        lines.insert(at, text.replace(",", delimiter))
        quoted.insert(at, text.replace(",", delimiter))
    folder = tmp_path_factory.mktemp("pair")
    plain, marked = folder / "plain" / "t.csv", folder / "quoted" / "t.csv"
    for path, text in ((plain, lines), (marked, quoted)):
        path.parent.mkdir()
        path.write_bytes((line_end.join(text) + line_end).encode())
    kwargs = {"delimiter": delimiter, "header": header, "label_column": label_column, "dtype": dtype}
    _same(_outcome(plain, **kwargs), _outcome(marked, **kwargs))


@pytest.fixture(scope="module")
def many_digits(tmp_path_factory):
    """scikit-learn's digits six times over: 10,782 rows, 1.6 MB, more than one block of text;
    and the index of a line in the last block (the file's line ``late + 1``)."""
    X, y = sk_datasets.load_digits(return_X_y=True)
    X, y = np.tile(X, (6, 1)), np.tile(y, 6)
    lines = [",".join(f"x{j}" for j in range(X.shape[1])) + ",label"]
    lines += [",".join(f"{value:g}" for value in row) + f",{label}" for row, label in zip(X, y)]
    assert sum(len(line) + 1 for line in lines[:-100]) > BLOCK_CHARS
    return X, y, lines, tmp_path_factory.mktemp("digits")


LATE = 10_700  # in the file's last block of text: line 10,701


def _write(folder, name, lines, line_end="\n"):
    path = folder / name
    path.write_bytes(line_end.join(lines).encode() + line_end.encode())
    return path


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_a_large_file_is_read_whole_across_blocks(many_digits, line_end):
    X, y, lines, folder = many_digits
    X_read, y_read = load_csv(_write(folder, "d.csv", lines, line_end))
    np.testing.assert_array_equal(X_read, X)
    np.testing.assert_array_equal(y_read, y)
    X32, _ = load_csv(folder / "d.csv", dtype=np.float32)
    assert X32.dtype == np.float32
    np.testing.assert_array_equal(X32, X.astype(np.float32))


@pytest.mark.parametrize(
    "cell, message",
    [
        ("x", r"line 10701, column 'x5' \(index 5\): 'x' is not a number"),
        ("", r"line 10701, column 'x5' \(index 5\): an empty value \(missing data\) is not a number"),
        ("inf", r"line 10701, column 'x5' \(index 5\): 'inf' is not finite"),
    ],
)
def test_a_bad_cell_in_a_later_block_is_named_by_its_line(many_digits, cell, message):
    _, _, lines, folder = many_digits
    bad = list(lines)
    cells = bad[LATE].split(",")
    cells[5] = cell
    bad[LATE] = ",".join(cells)
    with pytest.raises(DataFileError, match=message):
        load_csv(_write(folder, "bad.csv", bad, "\r\n"))


def test_a_short_line_in_a_later_block_is_named(many_digits):
    _, _, lines, folder = many_digits
    short = list(lines)
    short[LATE] = short[LATE].rsplit(",", 1)[0]  # its label left out: 64 fields
    with pytest.raises(DataFileError, match=r"line 10701 has 64 fields, expected 65"):
        load_csv(_write(folder, "short.csv", short))


def test_blank_lines_and_comments_are_skipped_in_any_block(many_digits):
    X, y, lines, folder = many_digits
    spaced = list(lines)
    spaced[LATE:LATE] = ["", "# a comment", "   "]
    spaced[3:3] = ["", "\t"]
    spaced.append("")
    X_read, y_read = load_csv(_write(folder, "spaced.csv", spaced, "\r\n"))
    np.testing.assert_array_equal(X_read, X)
    np.testing.assert_array_equal(y_read, y)


def test_the_numbers_are_held_once(tmp_path):
    # 50,000 rows of 100 features: X is 40 MB, the text 10 MB. Read row by row, every row was
    # an array of its own (X once) and then stacked (X twice): 2 X; read by blocks into X, X is
    # held once beside one block of lines (a few MB)
    n_rows, n_features = 50_000, 100
    line = ",".join(["1"] * n_features) + ",0\n"
    path = tmp_path / "wide.csv"
    path.write_text(line * n_rows)
    peak, (X, y) = peak_bytes(lambda: load_csv(path))
    assert X.shape == (n_rows, n_features) and (X == 1).all() and (y == 0).all()
    text = len(line) * n_rows  # held twice: the file's bytes and their decoded text
    assert peak < 2 * text + 1.5 * X.nbytes, (peak, X.nbytes)
