"""Whether data fit a model, for ``evaluate``: its features against the model's inputs, its
labels against the model's outputs; and, for a model file alone, the built-in set that fits it.

The feature count is checked first, before a label is read: a file of unlabelled rows
(as many columns as the model has inputs) or a data set of another width (MNIST's 784
pixels for an iris model) is refused for what it is, not for what its last column would
hold as a label (``label 0.2 is not a whole number``, ``labels 3-9 the model does not
know``).
"""

from __future__ import annotations

import csv
import shlex
from pathlib import Path

import numpy as np

from .._text import count
from ..datasets.by_name import TEXT_SUFFIXES
from ..datasets.csv_layout import holds_data
from .errors import UsageError

FILE = "a .csv/.tsv/.txt/.npz file"  # what --data may name beside a built-in set
INDEX_AND_LABEL = 2  # the columns of a CSV beside its features, at most: a label and a pandas index


def csv_first_row(path: str | Path, delimiter: str = ",") -> list[str] | None:
    """The fields of a CSV's first line that is neither blank nor a comment (None if it cannot
    be read)."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh, delimiter=delimiter):
                if row and holds_data(row):
                    return row
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def csv_width(path: str | Path, delimiter: str = ",") -> int | None:
    """The number of fields on a CSV's first data line (None if it cannot be read)."""
    row = csv_first_row(path, delimiter)
    return None if row is None else len(row)


def unnamed_first_column(path: str | Path, delimiter: str, drop_columns: list) -> bool:
    """Whether a CSV read without error keeps a first column with no name (line 1's first
    cell empty, so line 1 is a header): pandas' index, whether its numbers are ``0..n-1``
    (which the reader warns of) or not (a frame filtered before it was saved), no feature.
    ``drop_columns``: the columns left out (by index or name); one of them may be it."""
    first = csv_first_row(path, delimiter)
    if not first or first[0].strip():
        return False
    return not any(column in (0, -len(first), "") for column in drop_columns)


def index_advice(drop_columns: list) -> str:
    """What a CSV's one column too many is when :func:`unnamed_first_column`, and how to leave
    it out: ``--drop-columns 0``, after the columns left out already."""
    columns = shlex.quote(",".join(map(str, [*drop_columns, 0])))
    return (
        f"the first, unnamed, is pandas' index (df.to_csv(path) without index=False), no feature; "
        f"leave it out with --drop-columns {columns}"
    )


def check_width_first(table: dict, model: str, n_in: int) -> None:
    """Refuse, before any label is read, data whose feature count cannot be the model's ``n_in``.

    ``table``: evaluate's ``[data]`` table (a built-in set's ``name``, or a file's ``path``).
    A built-in set's width is its catalogue's. A CSV's first line (split at the table's
    ``delimiter``, less its ``drop_columns``) has a label column beside its features (and
    perhaps pandas' index column, which the reader keeps and warns of): one exactly
    ``n_in`` wide holds no label column at all (rows for ``predict``, not ``evaluate``), and
    one narrower than that or wider than ``n_in + 2`` cannot hold ``n_in`` features. Any other
    width, and an NPZ's, is checked once the data are read (:func:`check_data_fits`); so is a
    one-column reading, most likely another separator, which the reader names.
    """
    from .. import datasets

    name, data = table.get("name"), table.get("name") or table.get("path")
    if name:
        try:
            n_features = datasets.dataset_info(name).n_features
        except (ValueError, KeyError):  # an unknown name: the loader says so, with the choices
            return
        if n_features != n_in:
            raise ValueError(_wrong_width(data, model, n_features, n_in))
        return
    path = Path(table.get("path") or "")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return
    width = csv_width(path, table.get("delimiter") or ",")
    if width is None or width == 1:
        return
    dropped = len(table.get("drop_columns") or [])  # --drop-columns: neither features nor the label
    width -= dropped
    if n_in < width <= n_in + INDEX_AND_LABEL:
        return
    if width == n_in:
        left = " left after --drop-columns" if dropped else ""
        raise ValueError(
            f"the data {data} have {count(width, 'column')}{left}, as many as the model {model} has inputs, "
            f"so they seem to hold no label column, and evaluate needs the true labels to score the "
            f"model; for rows without labels use 'deltaprop predict {model} {data}'"
        )
    raise ValueError(_wrong_width(data, model, width - 1, n_in, " beside the label column"))


def _wrong_width(data: str, model: str, n_features: int, n_in: int, where: str = "") -> str:
    return (
        f"the data {data} have {count(n_features, 'feature')}{where}, but the model {model} expects "
        f"{count(n_in, 'input')}; evaluate it on data of the kind it was trained on (--data)"
    )


def check_data_fits(net, X, y, data: str, model: str, table: dict | None = None) -> None:
    """The data's features and classes must match the model's inputs and outputs. ``table``:
    the ``[data]`` table read (a CSV's one feature too many may be pandas' index, named so).

    A label the output layer cannot express (class 5 for a 3-output model, or class 2 for a
    single-output one, which says only 0 or 1) would otherwise be scored as a wrong guess, or
    not at all, without a word.
    """
    n_in, n_out = net.sizes[0], net.sizes[-1]
    width = np.asarray(X).shape[1]
    if width != n_in:
        table = table or {}
        path, drops = table.get("path") or "", list(table.get("drop_columns") or [])
        is_csv = not table.get("name") and Path(path).suffix.lower() in TEXT_SUFFIXES
        if width == n_in + 1 and is_csv and unnamed_first_column(path, table.get("delimiter") or ",", drops):
            raise ValueError(
                f"the data {data} have {count(width, 'feature')}, one more than the model {model} "
                f"expects: {index_advice(drops)}"
            )
        raise ValueError(_wrong_width(data, model, width, n_in))
    y = np.asarray(y)
    if y.ndim == 1 and len(y) and np.issubdtype(y.dtype, np.integer):
        n_classes, top = max(n_out, 2), int(np.max(y))
        if top >= n_classes:
            raise ValueError(
                f"the data {data} have class labels up to {top}, but the model {model} has "
                f"{count(n_out, 'output')} (classes 0..{n_classes - 1}); evaluate it on the data "
                f"it was trained on (--data)"
            )


def builtin_for(model: str, net, names) -> str:
    """For a model file outside a run folder, given no ``--data``: the one built-in data set
    whose inputs and classes (their names, where the model stores them) are the model's, as
    ``mnist`` for a model of 784 inputs and the classes 0-9; else a usage error that says
    to give ``--data``."""
    from .. import datasets

    n_in, n_classes = net.sizes[0], max(net.sizes[-1], 2)
    sized = [
        info for info in datasets.list_datasets() if info.n_features == n_in and info.n_classes == n_classes
    ]
    fits = [info.name for info in sized if names is None or list(info.classes) == list(names)]
    if len(fits) == 1:
        return fits[0]
    if fits:
        which = f"one of {', '.join(fits)}, or {FILE}"
    elif sized:  # the right sizes, but the model's classes are named otherwise (a CSV's labels)
        which = f"{FILE} (no built-in data set has the model's classes {', '.join(names)})"
    else:
        which = f"{FILE} (no built-in data set has {n_in} features and {n_classes} classes)"
    raise UsageError(
        f"{model} is a model file outside a run folder, so nothing says what data it was trained on; "
        f"give them with --data: {which}"
    )
