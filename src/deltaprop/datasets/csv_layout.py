"""What a CSV file's first line and first column are: names or data, row numbers or a feature.

:func:`~deltaprop.datasets.load_csv` reads the numbers; this module judges the layout around
them, from the cells alone:

- :func:`looks_like_header`: a first line whose feature cells name columns (none a number);
- :func:`numbered_header`: a first line of the column numbers ``0,1,...,k-1`` (or ``1..k``),
  the header pandas writes for a frame without column names
  (``pd.DataFrame(np.c_[X, y]).to_csv(f, index=False)``): numbers, yet a header; with its
  index (``index_header``: ``,0,1,...,k-1``) as ``to_csv(f)`` writes it;
- :func:`named_label_header`: the same numbers over the features beside a label column with a
  name (``df = pd.DataFrame(X); df["label"] = y``: ``0,1,...,k-1,label``);
- :func:`why_numbered_header`, :func:`why_named_label_header`: why such a line, parsed as
  data, is a header after all, judged by the lines below (None: it is data);
- :func:`index_column`: pandas' index (``df.to_csv(f)``, index left on): a first column with
  an empty name holding the row numbers ``0..n-1`` (or ``1..n``), no feature at all;
- :func:`separator_hint`: the separator a file seems to use when it is not the one given;
- :func:`own_separator`: the one a ``.tsv`` or ``.txt`` file is read with when none was given;
- :func:`holds_data`: a line that is neither blank nor a comment;
- :func:`ends_with_delimiter`: every line ends with the separator (``1,2,0,``): no last column;
- :func:`text_lines`: a text's lines, one by one, split as the csv module splits them.

These are pure functions of strings and arrays; nothing here reads a file.
"""

from __future__ import annotations

import collections

import numpy as np

#: What a first line may hold in a feature column and still be data with a missing value,
#: not a header: an empty cell or a usual missing-value marker (compared in lower case).
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-"})
#: The separators a CSV file commonly uses, as a message names them.
SEPARATORS = {",": "','", ";": "';'", "\t": "tabs", "|": "'|'"}
#: The separator a CSV is read with unless another is given.
DEFAULT_DELIMITER = ","
#: Text tables read as CSV whose separator, when none other than the default is given, is
#: the one their first line holds, tried in this order: a .tsv's tabs, a .txt's anything
#: (``np.savetxt`` writes spaces).
OWN_SEPARATOR_SUFFIXES = (".tsv", ".txt")
SNIFFED_SEPARATORS = ("\t", ";", "|", " ")
#: A line whose first non-blank character is this is a comment, skipped as NumPy's loadtxt
#: and R's read.table skip it (``np.savetxt(header=...)`` writes its header so).
COMMENT = "#"
#: The first number of a numbered header or an index column: pandas counts from 0, R from 1.
FIRST_NUMBERS = (0, 1)
# A first line counting its columns 0, 1, 2, 3, 4 (or 1..5) or more is taken for a header
# whatever lies below it: a row of data counting out its own columns is not to be expected
# (pandas' features-only pixels file, whole numbers below, was read one row too long)
LONG_NUMBERED_HEADER = 5


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def looks_like_header(cells: list[str]) -> bool:
    """Whether a first line's feature cells name columns: none is a number, one at least is a name.

    A data line with a missing value (``1,,3`` or ``1,NA,3``) has numbers in its other cells
    and is not taken for a header (which would silently drop it).
    """
    cells = [cell.strip() for cell in cells]
    if any(is_number(cell) for cell in cells):
        return False
    return any(cell.lower() not in MISSING_MARKERS for cell in cells)


def numbered_header(cells: list[str]) -> bool:
    """Whether a first line is the column numbers ``0,1,...,k-1`` (or ``1,...,k``), written as
    whole numbers, at least two cells: pandas' header for unnamed columns (R's from 1), or
    pandas' with its index, an empty cell first (:func:`index_header`).

    It may still be data (a row of counts), so the caller decides with the rows below it
    (:func:`why_numbered_header`)."""
    cells = [cell.strip() for cell in cells]
    if len(cells) < 2:
        return False
    return index_header(cells) or _column_numbers(cells)


def named_label_header(cells: list[str], label: int) -> bool:
    """Whether a first line is pandas' header of unnamed feature columns beside a label column
    with a name (``df = pd.DataFrame(X); df["label"] = y``, the label column anywhere): its cells
    but the label's (index ``label``) are the column numbers ``0,1,...,k-1`` (or ``1..k``, or
    :func:`index_header`'s ``,0,1,...``), and the label's is a name, neither a number nor a
    missing-value marker.

    Data would be a sample whose features are ``0,1,...,k-1``; the caller reads it so unless
    :func:`why_named_label_header` finds the name a header's."""
    cells = [cell.strip() for cell in cells]
    name, features = cells[label], cells[:label] + cells[label + 1 :]
    if is_number(name) or name.lower() in MISSING_MARKERS:
        return False
    return index_header(features) or _column_numbers(features)


def why_named_label_header(labels: list[str], n_features: int) -> tuple[str | None, bool]:
    """``(why, beyond_doubt)``: why a first line of :func:`named_label_header`, parsed as data
    (its label column's name ``labels[0]``, the labels below ``labels[1:]``, ``n_features``
    feature cells), is pandas' header after all; None: it is data.

    A name above labels that are all numbers is a header beyond doubt (``0,label`` above 0s and
    1s: ``df["label"] = y``). Above text labels, it is one when the name is written on no line
    below (:func:`only_member`) and two feature cells at least count out their columns (``1,spam``
    above ``5,ham`` is a sample of a class of one), beyond doubt from
    :data:`LONG_NUMBERED_HEADER` cells (no sample counts out its features); else warned of."""
    name, below = labels[0].strip(), labels[1:]
    if below and all(is_number(label.strip()) for label in below):
        return f"as its label column's name {name!r} stands above numeric labels", True
    if n_features >= 2 and only_member(labels[0], below):
        why = f"as its label column's name {name!r} is written on no line below"
        return why, n_features >= LONG_NUMBERED_HEADER
    return None, False


def _column_numbers(cells: list[str]) -> bool:
    """Whether ``cells`` (stripped) are ``0,1,...,k-1`` or ``1,...,k``, one cell at least."""
    return bool(cells) and any(
        cells == [str(first + j) for j in range(len(cells))] for first in FIRST_NUMBERS
    )


def index_header(cells: list[str]) -> bool:
    """Whether a first line is an empty cell, then ``0,1,...,k-1``: the header pandas writes for
    unnamed columns with its index (``pd.DataFrame(X).to_csv(f)``)."""
    cells = [cell.strip() for cell in cells]
    return len(cells) >= 2 and cells == ["", *(str(j) for j in range(len(cells) - 1))]


def why_numbered_header(X: np.ndarray, labels: list[str]) -> str | None:
    """Why a first line of the column numbers (:func:`numbered_header`), parsed as data
    (``X[0]`` of ``X`` ``(n_samples, n_features)``, ``labels[0]``), is pandas' header after all,
    for the warning that says so: its label is a class of its own (:func:`only_member`: iris's
    ``4`` among ``0.0``, ``1.0``, ``2.0``); or the features below hold numbers that are not
    whole (``5.1``) where it counts ``0,1,2`` (with labels or without: ``make_blobs``' three
    classes under ``0,1,2``); or it is long (:data:`LONG_NUMBERED_HEADER` cells at least),
    which no row of data would be. None: it is data, and the caller warns that it reads it so."""
    if len(X) < 2:
        return None
    if labels and only_member(labels[0], labels[1:]):
        return f"as its label {labels[0].strip()!r} is written on no other line"
    if not np.array_equal(X[1:], np.round(X[1:])):
        below = "features below" if labels else "lines below"
        return f"as the {below} hold numbers that are not whole"
    cells = X.shape[1] + bool(labels)
    if cells >= LONG_NUMBERED_HEADER:
        return f"as no row of data would count out its {cells} columns"
    return None


def first_label_alone(labels: list[str]) -> bool:
    """Whether the first line's label is the only one of its class while every other class has
    two samples at least (so the labels are classes, not real-valued targets)."""
    if len(labels) < 3 or not only_member(labels[0], labels[1:]):
        return False
    counts = collections.Counter(cell.strip() for cell in labels[1:])
    return min(counts.values()) >= 2


def only_member(label: str, others: list[str]) -> bool:
    """Whether the label ``label`` (a first line's) is written nowhere among ``others`` (the
    labels of the lines below), compared as numbers where both are: a class of one sample, the
    mark of a header read as data (``4`` among iris's ``0.0``, ``1.0``, ``2.0``)."""
    label = label.strip()
    if not is_number(label):
        return label not in {cell.strip() for cell in others}
    value = float(label)
    return not any(is_number(cell) and float(cell) == value for cell in others)


def index_column(name: str | None, values: np.ndarray) -> bool:
    """Whether a first column is pandas' index: an empty header cell (``name`` ``""``; ``None``,
    no header at all, is not enough to tell) above the row numbers ``0..n-1`` (or ``1..n``), in
    any order (a frame sorted before it was saved keeps each row's number), ``values`` ``(n,)``."""
    if name is None or name.strip() or len(values) < 2:
        return False
    rows, ordered = np.arange(len(values)), np.sort(values)
    return any(np.array_equal(ordered, rows + first) for first in FIRST_NUMBERS)


def separator_hint(first_line: str, delimiter: str) -> str:
    """``"; line 1 holds ';' and no ',': pass delimiter=';'"`` when the first line seems to
    be split by another common separator than ``delimiter``; else ``""``."""
    if delimiter in first_line:
        return ""
    for separator, name in SEPARATORS.items():
        if separator != delimiter and separator in first_line:
            return (
                f"; line 1 holds {name} and no {SEPARATORS.get(delimiter, repr(delimiter))}: "
                f"the file may use another separator; pass delimiter={separator!r} "
                f"(on the command line: --delimiter {_shell_quoted(separator)})"
            )
    return ""


def own_separator(suffix: str, first_line: str, delimiter: str) -> str:
    """The separator a file of ``suffix`` whose first data line is ``first_line`` is read with:
    ``delimiter``, unless the file is a ``.tsv`` or ``.txt`` (:data:`OWN_SEPARATOR_SUFFIXES`)
    given the default ``','`` that its first line does not hold; then the first of tab,
    ``';'``, ``'|'`` and space that it holds (a ``.tsv``'s tabs)."""
    if suffix.lower() not in OWN_SEPARATOR_SUFFIXES or delimiter != DEFAULT_DELIMITER:
        return delimiter
    if delimiter in first_line:
        return delimiter
    return next((separator for separator in SNIFFED_SEPARATORS if separator in first_line.strip()), delimiter)


def holds_data(row: list[str]) -> bool:
    """Whether a CSV line's cells ``row`` are data or a header: not blank, not a comment."""
    return any(cell.strip() for cell in row) and not row[0].lstrip().startswith(COMMENT)


def ends_with_delimiter(rows) -> bool:
    """Whether every row of ``rows`` (``(line number, cells)``, header included) has an empty
    last cell after two at least: each line ends with the separator, as some spreadsheets and
    hand-written exports write ``1,2,0,``, and there is no column after it."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None or len(first[1]) < 2 or first[1][-1].strip():
        return False
    return all(len(row) >= 2 and not row[-1].strip() for _, row in rows)


def first_data_line(text: str) -> str:
    """A file's first line that is neither blank nor a comment (``""`` if none), without its end."""
    return next((line.rstrip("\r\n") for line in text_lines(text) if holds_data([line])), "")


def text_lines(text: str):
    r"""The lines of ``text``, each with its end, as ``io.StringIO(text, newline="")`` yields them
    (split at ``\n``, ``\r\n`` and ``\r``, as the csv module reads them), one by one: a
    file's first line is read without a copy of the whole text."""
    start, size, returns = 0, len(text), "\r" in text
    newline = text.find("\n")
    while start < size:
        if 0 <= newline < start:  # passed: the next one (-1, none left, stays so)
            newline = text.find("\n", start)
        end = size if newline < 0 else newline
        if returns:  # a \r before the \n, not just before it, ends the line (old Mac files)
            carriage = text.find("\r", start, end)
            if carriage >= 0 and carriage + 1 != newline:
                end = carriage
        end = min(end + 1, size)
        yield text[start:end]
        start = end


def _shell_quoted(separator: str) -> str:
    return "tab" if separator == "\t" else f"'{separator}'"
