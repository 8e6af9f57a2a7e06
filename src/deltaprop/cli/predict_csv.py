"""How ``predict`` reads a CSV INPUT: its feature rows, each named by its file line, and, for
rows one column wider than the model's inputs, which column is the one too many and how to
leave it out: pandas' index (``--drop-columns 0``) or a label (``--label-column``).

The reader's own advice for a text cell (``label_column=…``, ``drop_columns=…``) is left out
of predict's message where predict gives its own: one piece of advice, with the flags.
"""

from __future__ import annotations

import csv
import shlex
from pathlib import Path

import numpy as np

from ..datasets.csv_file import CsvCellError
from ..datasets.csv_layout import holds_data
from ..errors import DataFileError
from .data import layout_warnings_on_stderr
from .evaluate_fit import csv_width, index_advice, unnamed_first_column


def read_csv_rows(path: Path, given: str, n_in: int, reading: dict) -> np.ndarray:
    """A CSV's feature rows ``(n, n_in)``, read as ``reading`` says
    (:func:`~deltaprop.cli.predict.input_reading`); rows of another width are refused. Rows
    one column wider than the model's inputs (after ``drop_columns``), read without
    ``--label-column``, most likely hold pandas' index or the labels (the training file
    itself, say); the message says which, and how to leave it out. A label of text is
    refused by the reader as a feature, and the message says the same."""
    from .. import datasets

    try:
        with layout_warnings_on_stderr():
            X, _ = datasets.load_csv(
                path,
                label_column=reading["label_column"],
                header=reading["header"],
                delimiter=reading["delimiter"],
                drop_columns=reading["drop_columns"],
            )
    except DataFileError as err:
        hint = _one_more_hint(path, given, n_in, reading, getattr(err, "column", None))
        if hint is None:
            raise
        problem = err.problem if isinstance(err, CsvCellError) else str(err)
        raise DataFileError(f"{problem}; {hint}") from None
    if X.shape[1] != n_in:
        raise ValueError(_one_more_hint(path, given, n_in, reading) or wrong_width(given, X, n_in))
    return X


def data_lines(path: Path, n_rows: int, delimiter: str = ",") -> list[int] | None:
    """The file line numbers of a CSV's ``n_rows`` data rows, as the reader's messages cite
    them ("line 2"): its lines neither blank nor comments, less a header; None where they cannot be told
    (the file unreadable, or other than ``n_rows`` lines, or one more).

    A CSV row is named ``rows.csv:2`` by this number, so a row in the table and a row in
    an error are the same line of the file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            lines = [reader.line_num for row in reader if row and holds_data(row)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if len(lines) == n_rows + 1:  # a header first
        return lines[1:]
    return lines if len(lines) == n_rows else None


def _one_more_hint(path: Path, given: str, n_in: int, reading: dict, column=None) -> str | None:
    """What the one column too many of a CSV is, and how to leave it out; None where the file
    (less ``drop_columns`` and ``--label-column``) is not ``n_in + 1`` wide.

    An unnamed first column (line 1's first cell empty, the rows read: a header) is pandas'
    index, whether its numbers are ``0..n-1`` (which the reader warns of) or not (a frame
    filtered before it was saved): ``--drop-columns 0``. Else, read without
    ``--label-column``, a label: the run's label column where it named one, else ``column``
    (the text column the reader refused), else by index."""
    width = csv_width(path, reading["delimiter"])
    if width is None:
        return None
    labelled = reading["label_column"] is not None
    drops = reading["drop_columns"]
    width -= len(drops) + labelled
    if width != n_in + 1:
        return None
    after = [flag for flag, used in (("--drop-columns", drops), ("--label-column", labelled)) if used]
    left = f" left after {' and '.join(after)}" if after else ""
    said = (
        f"input {given} has {width} columns per row{left}, one more than the {n_in} features the "
        f"model expects"
    )
    if unnamed_first_column(path, reading["delimiter"], drops) and reading["label_column"] not in (0, ""):
        return f"{said}: {index_advice(drops)}"
    if labelled:
        return None
    how = "--label-column (its name, or its index: --label-column -1 for the last)"
    run_label = reading["run_label"]  # -1 too where the run took the loader's default, the last
    if run_label is not None and run_label != -1:
        how = f"--label-column (the run's: --label-column {shlex.quote(str(run_label))})"
    elif column is not None:
        how = f"--label-column {shlex.quote(str(column))} (the column of text)"
    elif run_label == -1:
        how = "--label-column -1 (the run's label column: the last)"
    return f"{said}; if one is a label column, drop it with {how}"


def wrong_width(given: str, X: np.ndarray, n_in: int) -> str:
    """The message for rows ``X`` that are not ``n_in`` wide."""
    width = X.shape[1] if X.ndim == 2 else X.shape
    return (
        f"input {given} has {width} features per row, but the model expects {n_in}; "
        f"give rows with {n_in} features"
    )
