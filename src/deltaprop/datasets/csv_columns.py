"""Which columns :func:`~deltaprop.datasets.load_csv`'s arguments name: ``label_column`` and
``drop_columns`` checked (:func:`check_column_arguments`), and each resolved to an index
against the file's first line (:func:`resolve_column`): an index, negative from the end, or,
with a header row, a name.
"""

from __future__ import annotations

import numbers
from pathlib import Path

from ..errors import DataFileError
from .csv_layout import DEFAULT_DELIMITER, separator_hint


def resolve_column(
    value, param: str, first_row: list[str], has_header: bool, path: Path, delimiter: str = DEFAULT_DELIMITER
) -> int:
    """The index of the column ``value`` (an index, negative from the end, or a header name)
    that the argument ``param`` (``label_column``, ``drop_columns``) gives, in a file split by
    ``delimiter``: a header row of one cell holding another separator (``a;b;species``) says
    which ``delimiter=`` reads it."""
    width = len(first_row)
    if isinstance(value, str):
        if not has_header:
            raise ValueError(
                f"{param}={value!r} names a column, but header=False says the file has no "
                f"header row; give the column's index instead"
            )
        names = [cell.strip() for cell in first_row]
        if value not in names:
            hint = separator_hint(delimiter.join(first_row), delimiter) if width == 1 else ""
            raise DataFileError(f"{path}: no column named {value!r}; the header row has {names}{hint}")
        return names.index(value)
    if -width <= value < width:
        return value % width
    raise DataFileError(
        f"{path}: {param}={value} is out of range: the file has {width} columns "
        f"(valid indices {-width}..{width - 1})"
    )


def check_column_arguments(label_column, drop_columns) -> tuple:
    """``label_column`` checked, and ``drop_columns`` as a tuple of indices and names."""
    if label_column is not None and (
        isinstance(label_column, bool) or not isinstance(label_column, (numbers.Integral, str))
    ):
        raise TypeError(
            f"label_column must be a column index (int), a column name (str) or None; got {label_column!r}"
        )
    if isinstance(drop_columns, (str, numbers.Integral)):
        drop_columns = [drop_columns]
    drop_columns = tuple(drop_columns)
    for value in drop_columns:
        if isinstance(value, bool) or not isinstance(value, (numbers.Integral, str)):
            raise TypeError(
                f"drop_columns must hold column indices (int) or names (str); got {value!r} in "
                f"{list(drop_columns)!r}"
            )
    return drop_columns
