"""A table of numbers in a CSV file, read strictly: :func:`load_csv`.

One sample per line, one column of labels, every other column a feature. The first line is a
header or data (decided, when not said, so that a data line with a missing value is never
dropped as a header); every feature must be a finite number of the requested dtype, and a
cell that is not says so by line and column. Labels are typed by what they hold: integer class
indices, real-valued targets, or class names mapped to 0..k−1 in sorted order.

The lines below the first are read by NumPy's ``loadtxt``, a block at a time, where they are
plain numbers (:mod:`.csv_plain`), and otherwise row by row with the csv module, which also
names a bad cell.
"""

from __future__ import annotations

import csv
import itertools
import math
import os
import warnings
from pathlib import Path

import numpy as np

from .._validation import check_dtype
from ..errors import DataFileError
from .csv_columns import check_column_arguments, resolve_column
from .csv_layout import (
    ends_with_delimiter,
    first_data_line,
    first_label_alone,
    holds_data,
    index_column,
    index_header,
    is_number,
    looks_like_header,
    named_label_header,
    numbered_header,
    own_separator,
    separator_hint,
    text_lines,
    why_named_label_header,
    why_numbered_header,
)
from .csv_plain import plain_table
from .size_limit import DEFAULT_MAX_BYTES, check_file_size

HEADER_CHOICES = ("infer", True, False)
#: Integer labels up to this are class indices, each named in ``classes``; above it (a label
#: such as 99999999999) ``classes`` is ``None`` rather than a tuple of billions of names.
MAX_NAMED_CLASSES = 1 << 16
#: Integer-valued labels above this (2^53) are not exact in float64, so they are real targets.
MAX_EXACT_INTEGER = 1 << 53


class CsvLayoutWarning(UserWarning):
    """A CSV file read as asked, but laid out as if meant otherwise: a first line that looks
    like a header read as data, pandas' index column read as a feature."""


class CsvCellError(DataFileError):
    """A feature cell that is not a number. ``problem``: the message without the advice after
    it (what to pass), for a caller with advice of its own (predict's ``--label-column``);
    ``column``: the cell's column, by its header name where it has one, else by index."""

    def __init__(self, problem: str, advice: str, column: int | str):
        super().__init__(problem + advice)
        self.problem, self.column = problem, column


def _column_label(names: list[str] | None, index: int) -> str:
    return f"column {names[index]!r} (index {index})" if names else f"column {index}"


def _parse_row(cells: list[str], line: int, names, columns: list[int], dtype, path) -> np.ndarray:
    """One line's feature cells ``(n_features,)`` as finite numbers; name the first bad cell if any."""
    try:
        with np.errstate(over="ignore"):  # 1e40 in float32: reported below, by cell
            values = np.array(cells, dtype=dtype)
    except ValueError:
        # Slow path, only to name the first bad cell (or to parse what NumPy's reader refuses).
        values = np.empty(len(cells), dtype=dtype)
        for j, cell in enumerate(cells):
            try:
                number = float(cell)
            except ValueError:
                what = "an empty value (missing data)" if not cell.strip() else f"{cell!r}"
                column, hint = names[columns[j]] if names else columns[j], ""
                if line == 1 and names is None:
                    hint = (
                        " (if line 1 names the columns, pass header=True; on the command line: --header yes)"
                    )
                elif cell.strip():
                    hint = _text_column_hint(column)
                raise CsvCellError(
                    f"{path}: line {line}, {_column_label(names, columns[j])}: {what} is not a "
                    f"number; every feature must be numeric",
                    hint,
                    column,
                ) from None
            with np.errstate(over="ignore"):
                values[j] = number
    if not np.isfinite(values).all():
        j = int(np.argmax(~np.isfinite(values)))
        raise DataFileError(
            f"{path}: line {line}, {_column_label(names, columns[j])}: {_not_finite(cells[j], dtype)}"
        )
    return values


def _text_column_hint(column: int | str) -> str:
    """What to do about text in a feature column: make it the labels, or leave it out."""
    flag = column if isinstance(column, int) or column.isidentifier() else repr(column)
    return (
        f"; if this column holds the labels, pass label_column={column!r} (on the command line: "
        f"--label-column {flag}); if it is an ID, a name or another column to leave out, pass "
        f"drop_columns=[{column!r}] (--drop-columns {flag})"
    )


def _not_finite(cell: str, dtype: np.dtype) -> str:
    """Why ``cell`` is not a finite number of ``dtype``: NaN/inf, or too large for float32."""
    cell = cell.strip()
    if math.isfinite(float(cell)):
        return (
            f"{cell!r} is too large for {np.dtype(dtype).name} (largest {np.finfo(dtype).max:.4g}); "
            f"rescale it, or pass dtype=np.float64"
        )
    return f"{cell!r} is not finite; remove or impute NaN and infinite values"


def _data_rows(text: str, delimiter: str, path: Path):
    """``(line number, cells)`` for each line that is neither blank nor a comment."""
    reader = csv.reader(text_lines(text), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if row and holds_data(row):
                yield reader.line_num, row
    except csv.Error as err:
        raise DataFileError(f"{path}: line {reader.line_num}: malformed CSV ({err})") from None


def _table_by_rows(rows, first_row, names, columns, column, delimiter, dtype, path):
    """``(X, labels, lines)`` of the data rows ``rows`` (``(line number, cells)``) parsed one
    by one: the reader of any CSV, and the one that names a bad cell by line and column."""
    width = len(first_row)
    features, labels, lines = [], [], []
    for line, row in rows:
        if len(row) != width:
            raise DataFileError(
                f"{path}: line {line} has {len(row)} fields, expected {width} (as on the first line)"
                f"{separator_hint(delimiter.join(first_row), delimiter) if width == 1 else ''}"
            )
        try:
            features.append(_parse_row([row[j] for j in columns], line, names, columns, dtype, path))
        except DataFileError:  # one column: perhaps the file is split by another separator
            hint = separator_hint(delimiter.join(first_row), delimiter) if width == 1 else ""
            if not hint:
                raise
            one = f"{path}: line {line} is one column, {row[0].strip()!r}, which is not a number"
            raise DataFileError(f"{one}{hint}") from None
        if column is not None:
            labels.append(row[column])
        lines.append(line)
    X = np.stack(features) if features else np.empty((0, len(columns)), dtype=dtype)
    return X, labels, lines


def _parse_labels(cells: list[str], lines: list[int], names, column: int, dtype, path):
    """Labels as (y, classes); see :func:`load_csv` for the rules."""
    cells = [cell.strip() for cell in cells]
    for i, cell in enumerate(cells):
        if not cell:
            raise DataFileError(
                f"{path}: line {lines[i]}, {_column_label(names, column)}: the label is empty"
            )
    if all(is_number(cell) for cell in cells):
        values = np.array([float(cell) for cell in cells])
        if not np.isfinite(values).all():
            i = int(np.argmax(~np.isfinite(values)))
            raise DataFileError(
                f"{path}: line {lines[i]}, {_column_label(names, column)}: label {cells[i]!r} is not finite"
            )
        if np.all(values == np.round(values)) and values.min() >= 0 and values.max() <= MAX_EXACT_INTEGER:
            y = values.astype(np.int64)
            n_classes = int(y.max()) + 1
            return y, (tuple(range(n_classes)) if n_classes <= MAX_NAMED_CLASSES else None)
        with np.errstate(over="ignore"):
            targets = values.astype(dtype)
        if not np.isfinite(targets).all():
            i = int(np.argmax(~np.isfinite(targets)))
            where = f"line {lines[i]}, {_column_label(names, column)}"
            raise DataFileError(f"{path}: {where}: label {_not_finite(cells[i], dtype)}")
        return targets, None
    classes = tuple(sorted(set(cells)))
    index = {name: k for k, name in enumerate(classes)}
    return np.array([index[cell] for cell in cells], dtype=np.int64), classes


def load_csv(
    path: str | os.PathLike,
    label_column: int | str | None = -1,
    *,
    header="infer",
    delimiter: str = ",",
    dtype=np.float64,
    return_classes: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    drop_columns=(),
):
    """Read a table of numbers from a CSV file: one sample per line, one label column.

    Parameters
    ----------
    path : a UTF-8 text file (a leading byte-order mark is allowed): ``.csv``, ``.tsv``,
        ``.txt`` or any other name; blank lines, and comment lines (whose first non-blank
        character is ``#``, as NumPy's ``loadtxt`` skips them), are skipped; so is the empty
        column after a separator that ends every line (``1,2,0,``).
    label_column : the label column's index (negative counts from the end; default the last)
        or, with a header row, its name; ``None`` when the file holds features only.
        Every other column is a feature.
    header : ``True`` if the first line names the columns, ``False`` if it is data,
        ``"infer"`` (default) to decide: it is a header when ``label_column`` is a name, or
        when none of its cells outside the label column is a number and one at least is a
        name (not empty, nor a missing-value marker such as ``NA``). So a first data line
        with a missing value is data (and refused, naming the cell), never dropped as a
        header. A first line of the column numbers ``0,1,...,k-1`` (or ``1..k``), the header
        pandas writes for unnamed columns, is a header when its label is written on no other
        line (a class of one sample), when the features below hold numbers that are not whole
        (with no label column: the lines below), or when it has five cells or more (no row of
        data counts out its columns); else it is data, and warned of. Two numbered feature
        cells or more beside a name in the label column (``0,1,...,k-1,label``, pandas'
        ``DataFrame(X)`` with a named label column) are a header when that name is no label
        below. Any other header of numbers needs ``header=True``.
    delimiter : the one-character field separator (``";"``, ``"\\t"``, ...). When a file has
        one column only, the error says which other common separator its first line holds.
        A ``.tsv`` or ``.txt`` file given the default ``","`` that its first line does not
        hold is split by the separator the line holds: a tab, ``;``, ``|`` or a space.
    dtype : ``float64`` (default) or ``float32``, for ``X`` and real-valued targets.
    return_classes : also return ``classes`` (below).
    max_bytes : refuse files larger than this.
    drop_columns : columns that are neither features nor labels (an ID, a name, pandas'
        index), each by index (negative from the end) or, with a header row, by name.

    Returns
    -------
    X : ``(n_samples, n_features)`` of ``dtype``, all finite.
    y : ``(n_samples,)``, or ``None`` when ``label_column`` is ``None``:

        - labels that are all integers from 0 to 2^53 are kept as they are, as ``int64``;
        - labels that are all numbers otherwise (``0.5``, ``-1``, ``1e300``) are real-valued
          targets of ``dtype`` (for regression);
        - any other labels (``"cat"``, ``"dog"``) are class names, mapped to ``0..k-1`` in
          sorted order, as ``int64``.
    classes : only with ``return_classes=True``: a tuple such that ``classes[y[i]]`` is the
        label as written in the file (``range``-like ints for integer labels, the sorted
        names for string labels), or ``None`` for real-valued targets, no labels, or
        integer labels above :data:`MAX_NAMED_CLASSES` − 1 (too many classes to name).

    Raises
    ------
    DataFileError : not UTF-8 text, malformed quoting, a line with the wrong number of fields,
        a non-numeric, empty or non-finite feature or one too large for ``dtype`` (the
        message names the line and column; text in a feature column names ``label_column``
        and ``drop_columns``), an empty or non-finite label, no data lines or no feature column.
    ValueError : a column named with ``header=False``, or dropped that is the label column.

    Warns
    -----
    CsvLayoutWarning : with ``header="infer"``, a first line of the column numbers read as a
        header (unless five feature cells or more beside a named label column: pandas' header
        beyond doubt) or read as data; a first line read as data whose label is the only one of
        its class, which may be a header; a first column with an empty name holding the row
        numbers ``0..n-1`` (or ``1..n``) in any order, pandas' index, read as a feature.
    """
    path = Path(path)
    if header not in HEADER_CHOICES or isinstance(header, (int, float)) and not isinstance(header, bool):
        raise ValueError(f"header must be 'infer', True or False; got {header!r}")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        raise ValueError(f"delimiter must be one character other than a quote or newline; got {delimiter!r}")
    drop_columns = check_column_arguments(label_column, drop_columns)
    dtype = check_dtype(dtype)
    check_file_size(path, max_bytes)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataFileError(
            f"{path}: not UTF-8 text (byte 0x{raw[err.start]:02X} at offset {err.start}); "
            f"is this really a CSV file? Save it as UTF-8."
        ) from None

    delimiter = own_separator(path.suffix, first_data_line(text), delimiter)  # a .tsv's tabs
    rows = _data_rows(text, delimiter, path)
    trailing = ends_with_delimiter(_data_rows(text, delimiter, path))
    if trailing:  # "1,2,0," on every line: no 5th column
        rows = ((line, row[:-1]) for line, row in rows)
    first = next(rows, None)
    if first is None:
        raise DataFileError(f"{path}: the file holds no data")
    first_row = first[1]
    width = len(first_row)

    # line 1 as 0,1,...,k-1 (numbered), or that beside a named label (named): header or data, by the rest
    numbered = named = False
    if header == "infer":
        if isinstance(label_column, str) or any(isinstance(value, str) for value in drop_columns):
            has_header = True
        else:
            skip = None
            if label_column is not None and -width <= label_column < width:
                skip = label_column % width
            feature_cells = [cell for j, cell in enumerate(first_row) if j != skip]
            has_header = looks_like_header(feature_cells)
            # 0,1,...,k-1,label: pandas' DataFrame(X) with a label column (judged with the labels)
            named = not has_header and skip is not None and named_label_header(first_row, skip)
            numbered = not has_header and not named and numbered_header(first_row)
            pandas_index = index_header(feature_cells if named else first_row)
            if (named or numbered) and pandas_index and _first_column_is_index(text, delimiter, path):
                has_header = True  # pandas' ,0,1,2 above its index: warned of below
                named = numbered = False
    else:
        has_header = header
    where = (first_row, has_header, path, delimiter)  # the columns as the first line names them
    column = None if label_column is None else resolve_column(label_column, "label_column", *where)
    dropped = {resolve_column(value, "drop_columns", *where) for value in drop_columns}
    if column is not None and column in dropped:
        raise ValueError(f"drop_columns={list(drop_columns)!r} drops the label column ({label_column!r})")
    names = [cell.strip() for cell in first_row] if has_header else None
    columns = [j for j in range(width) if j != column and j not in dropped]
    if not columns:
        raise DataFileError(
            f"{path}: no feature columns: the file has {width} column(s) and "
            f"{'one is the label column' if not dropped else f'drop_columns leaves out {len(dropped)}'}"
            f"{separator_hint(delimiter.join(first_row), delimiter)}"
        )

    # NumPy's reader, a block of lines at a time, where the body is plain numbers; else (or to
    # name a bad cell by line and column) row by row
    table = plain_table(
        text, first[0] if has_header else 0, delimiter, width + trailing, columns, column, dtype
    )
    if table is None:
        data_rows = itertools.chain([] if has_header else [first], rows)
        table = _table_by_rows(data_rows, first_row, names, columns, column, delimiter, dtype, path)
    X, labels, lines = table
    # the column numbers: pandas' header, said unless beyond doubt, or data, said too
    why = quiet = said = None
    if named:
        why, quiet = why_named_label_header(labels, width - 1)
    elif numbered:
        why = why_numbered_header(X, labels)
    line_1 = f"line {first[0]}, {delimiter.join(cell.strip() for cell in first_row)},"
    if why:
        if not quiet:  # beside a named label: over numeric labels or k >= 5, nothing in doubt
            said = (
                f"{line_1} is read as pandas' numbered header (the column numbers), {why}: pass "
                f"header=False if it is data (on the command line: --header no), or header=True to say "
                f"it is a header (--header yes)"
            )
        names = [cell.strip() for cell in first_row]
        X, labels, lines = X[1:], labels[1:], lines[1:]
    elif numbered:
        said = (
            f"{line_1} is read as data though it counts its columns as pandas' header does; pass "
            f"header=True if it is a header (on the command line: --header yes), or header=False to say "
            f"it is data (--header no)"
        )
    elif header == "infer" and not has_header and first_label_alone(labels):
        said = (
            f"line {first[0]} is read as data, but its label {labels[0].strip()!r} is written on no other "
            f"line, a class of one sample: if line {first[0]} names the columns, pass header=True (on the "
            f"command line: --header yes)"
        )
    if said:
        warnings.warn(f"{path}: {said}", CsvLayoutWarning, stacklevel=2)
    if not len(X):
        raise DataFileError(f"{path}: the file has a header row but no data lines")
    if columns[0] == 0 and index_column(names[0] if names else None, X[:, 0]):
        warnings.warn(
            f"{path}: the first column has an empty name and holds the row numbers "
            f"{int(X[:, 0].min())}..{int(X[:, 0].max())}, "
            f"as pandas writes its index (df.to_csv(path) without index=False); it is read as a feature, "
            f"and in a file sorted by label it gives the labels away. Leave it out with drop_columns=[0] "
            f"(on the command line: --drop-columns 0), or save the file with df.to_csv(path, index=False)",
            CsvLayoutWarning,
            stacklevel=2,
        )
    y, classes = (None, None) if column is None else _parse_labels(labels, lines, names, column, dtype, path)
    return (X, y, classes) if return_classes else (X, y)


def _first_column_is_index(text: str, delimiter: str, path: Path) -> bool:
    """Whether the first column below line 1 holds pandas' index (row numbers, :func:`index_column`):
    then a line 1 of ``,0,1,...,k-1`` is its header, not data with a missing value."""
    cells = [row[0] for _, row in itertools.islice(_data_rows(text, delimiter, path), 1, None)]
    if not cells or not all(is_number(cell) for cell in cells):
        return False
    return index_column("", np.array([float(cell) for cell in cells]))
