"""Text tables beside .csv: a .tsv is split by its tabs and a .txt by the separator its first
line holds (``np.savetxt`` writes spaces), unless another than ``,`` is given; comment lines
(``#`` first, as ``np.savetxt(header=...)`` writes its header) are skipped as NumPy's loadtxt
skips them. Checked against pandas and NumPy reading the same files."""

from __future__ import annotations

import numpy as np
import pytest

from deltaprop import DataFileError
from deltaprop.datasets import load_csv
from deltaprop.datasets.by_name import delimiter_for, load_by_name

pd = pytest.importorskip("pandas")


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    return np.round(rng.random((12, 3)), 3), np.arange(12) % 3


def test_a_tsv_is_read_by_its_tabs_as_pandas_reads_it(tmp_path, table):
    X, y = table
    frame = pd.DataFrame(np.c_[X, y], columns=["a", "b", "c", "label"]).astype({"label": int})
    frame.to_csv(tmp_path / "t.tsv", sep="\t", index=False)

    got_X, got_y = load_csv(tmp_path / "t.tsv")

    np.testing.assert_array_equal(got_X, pd.read_csv(tmp_path / "t.tsv", sep="\t").to_numpy()[:, :3])
    np.testing.assert_array_equal(got_y, y)
    assert delimiter_for(tmp_path / "t.tsv") == "\t"
    # the same bytes named .csv are refused as before: one column, with the hint to say tab
    (tmp_path / "t.csv").write_bytes((tmp_path / "t.tsv").read_bytes())
    with pytest.raises(DataFileError, match="delimiter='\\\\t'"):
        load_csv(tmp_path / "t.csv")


def test_a_txt_from_savetxt_with_its_header_comment_is_read_as_numpy_reads_it(tmp_path, table):
    X, y = table
    np.savetxt(tmp_path / "s.txt", np.c_[X, y], header="a b c label")  # '# a b c label', spaces

    got_X, got_y, classes = load_by_name(path=tmp_path / "s.txt")

    expected = np.loadtxt(tmp_path / "s.txt")
    np.testing.assert_array_equal(got_X, expected[:, :3])
    np.testing.assert_array_equal(got_y, y)
    assert classes == ("0", "1", "2") and delimiter_for(tmp_path / "s.txt") == " "


def test_a_separator_given_is_kept_and_a_comma_txt_stays_commas(tmp_path, table):
    X, y = table
    lines = [";".join(f"{v:g}" for v in row) + f";{label}" for row, label in zip(X, y)]
    (tmp_path / "semi.tsv").write_text("\n".join(lines) + "\n")
    np.testing.assert_array_equal(load_csv(tmp_path / "semi.tsv", delimiter=";")[1], y)
    np.testing.assert_array_equal(load_csv(tmp_path / "semi.tsv")[1], y)  # no tab: its ';' found
    (tmp_path / "c.txt").write_text("a,b c,label\n" + "\n".join(line.replace(";", ",") for line in lines))
    assert delimiter_for(tmp_path / "c.txt") == ","  # the default, held by line 1: kept


def test_comment_lines_are_skipped_and_lines_keep_their_numbers(tmp_path):
    (tmp_path / "c.csv").write_text("# my data\na,b,label\n1,2,0\n  # a note\n3,x,1\n")
    with pytest.raises(DataFileError, match="line 5, column 'b'"):
        load_csv(tmp_path / "c.csv")
    (tmp_path / "c.csv").write_text("# my data\na,b,label\n1,2,0\n  # a note\n3,4,1\n")
    X, y = load_csv(tmp_path / "c.csv")
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(y, [0, 1])


def test_a_separator_ending_every_line_is_no_column(tmp_path):
    """``a,b,c,label,`` and ``0.6,0.2,0.1,0,`` on every line: the column after the last comma
    is empty on each, no label at all ("column '' (index 4): the label is empty", it said)."""
    plain = "a,b,label\n1,2,0\n3,4,1\n5,6,1\n"
    (tmp_path / "plain.csv").write_text(plain)
    (tmp_path / "trailing.csv").write_text(plain.replace("\n", ",\n"))

    for got, expected in zip(load_csv(tmp_path / "trailing.csv"), load_csv(tmp_path / "plain.csv")):
        np.testing.assert_array_equal(got, expected)
    # a line without it: the empty last cells are data, and the empty label is refused by line
    (tmp_path / "mixed.csv").write_text("a,b,label,\n1,2,0,\n3,4,1,1\n")
    with pytest.raises(DataFileError, match="line 2, column '' \\(index 3\\): the label is empty"):
        load_csv(tmp_path / "mixed.csv")
