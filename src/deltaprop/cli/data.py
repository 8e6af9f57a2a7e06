"""``--data``: a built-in name or a file's path (a ``.csv``, ``.tsv`` or ``.txt`` text table, an
``.npz`` archive), turned into training, validation and test arrays.

The test split of a built-in set is kept for the final evaluation only; the validation set
is carved from the training data with the run's seed, so a rerun carves the same one.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._text import count, did_you_mean
from ..datasets.by_name import (
    CSV_KEYS,
    CSV_SUFFIX,
    FILE_SUFFIXES,
    HEADER_WORDS,
    NPZ_KEYS,
    TEXT_SUFFIXES,
    delimiter_for,
    load_by_name,
    read_options,
)
from ..datasets.by_name import TASKS as TASKS  # for --task
from ..datasets.csv_file import CsvLayoutWarning
from .config import BUILTIN_DATA, DEFAULTS
from .config_flags import parse_columns, parse_delimiter
from .config_origins import spell
from .config_validate import reading_problem
from .errors import UsageError
from .rundir import CONFIG


@dataclass
class RunData:
    """Arrays for one run: X ``(n, n_in)``; y integer labels ``(n,)`` or targets ``(n, n_out)``.

    The validation set is carved from the training arrays by ``fit`` (seeded, stratified);
    the test arrays (None for a user's file) serve only the final evaluation.
    """

    label: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray | None
    y_test: np.ndarray | None
    classes: tuple[str, ...] | None = None  # class names: label k is classes[k] (None: none known)

    @property
    def n_in(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def n_out(self) -> int:
        return output_size(self.y_train, self.y_test)

    @property
    def classification(self) -> bool:
        return self.y_train.ndim == 1


def data_table(value: str) -> dict:
    """``--data VALUE`` as the ``[data]`` table: ``name`` for a built-in set, else ``path``."""
    if value in BUILTIN_DATA:
        return {"name": value, "path": ""}
    path = Path(value)
    if path.suffix.lower() not in FILE_SUFFIXES:
        raise UsageError(
            f"--data {value!r} is neither a built-in data set ({', '.join(BUILTIN_DATA)}) "
            f"nor a .csv, .tsv, .txt or .npz file{did_you_mean(value, BUILTIN_DATA)}"
        )
    if path.is_dir():
        raise UsageError(f"--data {value} is a folder, not a file; give a .csv, .tsv, .txt or .npz file")
    if not path.is_file():
        raise UsageError(f"data file {value} does not exist; check the path given to --data")
    return {"name": "", "path": str(path.resolve())}


def add_file_options(group, labels: bool = True) -> None:
    """How a CSV or NPZ file is read, beyond its label column: each sets the ``[data]`` key of
    its name (:data:`deltaprop.datasets.by_name.CSV_KEYS`, ``NPZ_KEYS``). ``labels=False``
    (predict, which reads features only) leaves out ``--y-key``."""
    d = DEFAULTS["data"]
    group.add_argument(
        "--header",
        choices=tuple(HEADER_WORDS),
        help="whether a CSV's first line names the columns: yes, no, or auto (names are a header; so "
        "is pandas' 0,1,...,k-1 when its label is on no other line, the features below are not "
        "whole, or it has 5 cells or more; a numbered line is warned of either way) (auto)",
    )
    group.add_argument(
        "--delimiter",
        type=parse_delimiter,
        metavar="CHAR",
        help=f"a CSV's field separator, e.g. ';' or tab ({d['delimiter']!r})",
    )
    group.add_argument(
        "--drop-columns",
        type=parse_columns,
        metavar="COL,...",
        help="CSV columns that are neither features nor the label, by name or index, e.g. id,name or 0",
    )
    group.add_argument("--x-key", metavar="NAME", help=f"an NPZ archive's features array ({d['x_key']})")
    if labels:
        group.add_argument("--y-key", metavar="NAME", help=f"an NPZ archive's labels array ({d['y_key']})")


def file_options(table: dict) -> dict:
    """The keys of a ``[data]`` table that say how its file is read (a CSV's label column,
    header, separator and columns left out; an NPZ's arrays), those it lacks at their defaults:
    what ``evaluate RUN_DIR`` carries from the run to read its file as the run did."""
    return {key: table.get(key, default) for key, default in {**CSV_KEYS, **NPZ_KEYS}.items()}


def file_kind(path: str) -> str | None:
    """``".csv"`` for a text table (``.csv``, ``.tsv``, ``.txt``: read alike, by the same
    keys), ``".npz"`` for an archive (any case), else None (an image, say)."""
    suffix = Path(path).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return CSV_SUFFIX
    return suffix if suffix in FILE_SUFFIXES else None


def run_file_options(table: dict | None, kind: str | None, given: list[str] = ()) -> dict:
    """How a file of ``kind`` (``".csv"``, ``".npz"``) given beside a run is read by default:
    the keys of the run's ``[data]`` ``table`` (:func:`file_options`) for that kind where the
    run's file is of that kind, so more rows of its layout are read as the run read its file
    (``predict RUN rows.csv``, ``evaluate RUN --data more.csv``); else ``{}`` (a built-in set's
    run, a file of the other kind). A flag given wins over them (the caller's).

    Columns the run dropped by index (``--drop-columns 0``: pandas' index, say) are dropped from
    the CSVs ``given`` only where their first line is the run's file's: a file of another layout
    (the same rows saved without the index) would lose a feature instead, silently; stderr says
    so. By name they are dropped as given (a file without that column is refused, naming it)."""
    path = table.get("path") if table and not table.get("name") else None
    if kind is None or not isinstance(path, str) or not path or file_kind(path) != kind:
        return {}
    keys = CSV_KEYS if kind == CSV_SUFFIX else NPZ_KEYS
    options = {key: value for key, value in file_options(table).items() if key in keys}
    by_index = [c for c in options.get("drop_columns") or () if isinstance(c, int)]
    runs = _first_line(path) if by_index else None  # None: nothing to judge, or the file is gone
    others = [g for g in given if runs is not None and file_kind(g) == CSV_SUFFIX and _first_line(g) != runs]
    if others:
        options["drop_columns"] = [c for c in options["drop_columns"] if not isinstance(c, int)]
        print(
            f"deltaprop: note: the run dropped column(s) {by_index} of its file by index; the first line "
            f"of {', '.join(others)} differs from that file's, so they are not dropped unasked "
            f"(--drop-columns {','.join(map(str, by_index))} drops them)",
            file=sys.stderr,
        )
    return options


def _first_line(path: str) -> str | None:
    """A file's first line (None where it cannot be read): what tells two CSV layouts apart."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            return fh.readline().rstrip("\r\n")
    except OSError:
        return None


def apply_file_flags(args, table: dict, named: str | None = None) -> None:
    """The flags of :func:`add_file_options` given on the command line, set in ``table`` and
    checked against its data (a CSV's ``--delimiter`` for a CSV only), naming the flag (its
    value shell-quoted) and the data as ``named`` says (default: ``--data VALUE``, for data
    the command line gave; a run's own data are named as such by the caller)."""
    for key in (*CSV_KEYS, *NPZ_KEYS):
        value = getattr(args, key, None)
        if key != "label_column" and value is not None:
            table[key] = value
    problem = reading_problem(table, named or f"--data {table.get('name') or table.get('path')}")
    if problem is not None:
        key, text = problem
        raise UsageError(f"{spell({}, 'data', key, table[key])}: {text}")


def check_label_column(table: dict) -> None:
    """``--label-column`` picks a column of a CSV; for any other data it would be silently ignored."""
    column = table.get("label_column")
    if column is None or column == "":
        return
    path = table.get("path") or ""
    if table.get("name") or file_kind(path) != CSV_SUFFIX:
        data = table.get("name") or path
        raise UsageError(
            f"--label-column {column} applies to CSV data only; got it with --data {data}, whose labels "
            f"are known already. Leave --label-column out"
        )


TASK_FLAG = "--task"  # train's flag for the [data] task key: classification, regression or auto


def load_arrays(table: dict, split: str = "train", seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` for the ``[data]`` table: a built-in set's ``split``, or the whole file."""
    X, y, _ = load_labelled(table, split, seed)
    return X, y


def load_labelled(table: dict, split: str = "train", seed: int | None = None, instead: str = ""):
    """``(X, y, classes)``: as :func:`load_arrays`, with the class names where the data has them
    (a built-in set's catalogue names, a CSV's text labels), else None.

    The loading is :func:`deltaprop.datasets.load_by_name`'s, which ``diagnose`` and ``plot``
    share; here a ``name`` wins over a ``path``, and a missing file is a usage error. The
    table's ``task`` (one of :data:`TASKS`; missing or ``""``: ``"auto"``) says whether a
    file's numeric labels are classes or regression targets.

    A ``--data`` file is checked where the flag is read (:func:`data_table`), so a file
    missing here is one a run's configuration names: moved or deleted since the run read
    it. ``instead``: what else the command can be given (evaluate: ``--data``)."""
    name = table.get("name") or None
    path = None
    if name is None:
        path = Path(table["path"])
        if not path.is_file():
            raise UsageError(
                f"the run's data file {path} (named in its {CONFIG}) does not exist: moved or deleted "
                f"since the run read it? Put it back there{instead}"
            )
    # progress: a built-in set downloading on first use draws its bar on stderr (an 11 MB
    # MNIST download was minutes of silence on a slow line)
    if path is not None and file_kind(str(path)) == CSV_SUFFIX:  # the separator read, as config.toml keeps it
        table["delimiter"] = delimiter_for(path, table.get("delimiter") or CSV_KEYS["delimiter"])
    with layout_warnings_on_stderr():
        return load_by_name(
            name, path, split=split, seed=seed, task=table.get("task"), progress=True, **read_options(table)
        )


@contextlib.contextmanager
def layout_warnings_on_stderr():
    """Inside: a CSV layout the file seems not to mean (pandas' index read as a feature, a lone
    first label) is said as the CLI's one line, ``deltaprop: warning: …``, not as Python's
    warning with a source line; other warnings go on as they were."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", CsvLayoutWarning)
        try:
            yield
        finally:
            caught = list(said)
    for warning in caught:
        if issubclass(warning.category, CsvLayoutWarning):
            print(f"deltaprop: warning: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


MAX_LISTED = 10  # labels or classes named in one message; the rest are counted


def match_classes(y: np.ndarray, data_classes, model_classes, data: str, model: str) -> np.ndarray:
    """The data's class labels ``y`` ``(n,)`` renumbered as the model numbers its classes.

    A file's labels are numbered by that file alone (text labels in sorted order), so a
    file holding only the "yes" rows calls them 0, where the model's 0 is "no". Here each
    label is looked up in the model's class names instead, in the order ``train`` stored them.

    Parameters
    ----------
    y : ``(n,)`` labels, ``y[i]`` written ``data_classes[y[i]]``; targets ``(n, k)`` pass through.
    data_classes : the data's label names (:func:`load_labelled`); ``None``: ``y`` holds
        class numbers already (an NPZ file), passed through.
    model_classes : the model's class names, class ``k`` being ``model_classes[k]``;
        ``None`` (a model saved without them): ``y`` passes through.
    data, model : how to name the data and the model in a message.

    Text labels are matched by name. Numbers are matched by value where the model's classes
    are numbers too (a CSV's ``0``, ``1``, ...; ``-1``, ``1`` read as classes); for a model
    whose classes are words (Fashion-MNIST's "Ankle boot"), a whole number ``k`` ≥ 0 is its
    class ``k``, as in the data set's own files.

    Raises
    ------
    ValueError : a label the model does not know, naming the data, those labels (with
        their rows) and the model's classes.
    """
    y = np.asarray(y)
    if y.ndim != 1 or data_classes is None or model_classes is None:
        return y
    present, counts = np.unique(y, return_counts=True)
    written = [str(data_classes[k]) for k in present]
    as_numbers = all(_number(name) is not None for name in data_classes)
    model_numbers = {_number(name): k for k, name in enumerate(model_classes) if _number(name) is not None}
    if not as_numbers:
        index = {name: k for k, name in enumerate(model_classes)}
        found = [index.get(name) for name in written]
    elif model_numbers:
        found = [model_numbers.get(_number(name)) for name in written]
    else:  # the model's classes are words: a number is a class number
        values = [_number(name) for name in written]
        found = [int(v) if v == int(v) and 0 <= v < len(model_classes) else None for v in values]
    unknown = [(name, int(n)) for name, n, k in zip(written, counts, found) if k is None]
    if unknown:
        shown = ", ".join(
            f"{name if as_numbers else repr(name)} ({count(n, 'row')})" for name, n in unknown[:MAX_LISTED]
        )
        more = f" and {len(unknown) - MAX_LISTED} more" if len(unknown) > MAX_LISTED else ""
        names = [
            f"{k} {name}" if as_numbers and not model_numbers else (name if as_numbers else repr(name))
            for k, name in enumerate(model_classes)
        ]
        listed = ", ".join(names[:MAX_LISTED]) + (", ..." if len(names) > MAX_LISTED else "")
        raise ValueError(
            f"the data {data} hold {'labels' if len(unknown) != 1 else 'a label'} that the model {model} "
            f"does not know: {shown}{more}; the model's {len(model_classes)} classes are {listed}. "
            f"Evaluate it on data labelled with those classes, or leave those rows out"
        )
    lookup = np.zeros(int(present.max()) + 1 if len(present) else 0, dtype=np.int64)
    lookup[present] = found
    return lookup[y]


def _number(name) -> float | None:
    """A label name as the number it writes (``"-1"`` is -1.0), or None for a word."""
    try:
        value = float(name)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


def check_targets_fit_cost(data: RunData, cost: str) -> None:
    """Refuse, before a run folder is made, a probability cost for targets outside [0, 1]."""
    if data.classification or cost not in ("log_likelihood", "cross_entropy"):
        return
    low, high = float(np.min(data.y_train)), float(np.max(data.y_train))
    if low < 0.0 or high > 1.0:
        y = data.y_train
        classes = ""
        if y.shape[1] == 1 and np.all(y == np.round(y)):  # -1/+1 labels, say: perhaps classes
            classes = f"; if they are class labels, say so with {TASK_FLAG} classification"
        raise UsageError(
            f"the data {data.label} has real-valued targets from {low:.4g} to {high:.4g} (regression), "
            f"but the {cost} cost needs class labels or targets in [0, 1]; "
            f"use --cost quadratic --output-activation linear{classes}"
        )


def output_size(*targets) -> int:
    """Outputs a network needs: classes (at least 2) for labels, columns for targets."""
    y = next(t for t in targets if t is not None)
    if y.ndim == 2:
        return int(y.shape[1])
    top = max(int(np.max(t)) for t in targets if t is not None and len(t))
    return max(top + 1, 2)


def load_run_data(table: dict, seed: int) -> RunData:
    """Training and test arrays for the ``[data]`` table (test: None for a user's file)."""
    X, y, classes = load_labelled(table, "train", seed)
    X_test = y_test = None
    if table.get("name"):
        X_test, y_test = load_arrays(table, "test", seed)
    label = table.get("name") or Path(table["path"]).name
    return RunData(label, np.asarray(X), np.asarray(y), X_test, y_test, classes)
