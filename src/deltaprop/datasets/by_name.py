"""A run's data, loaded the way a run names it: a built-in set, or the user's file: a text
table (``.csv``, ``.tsv``, ``.txt``) or an ``.npz`` archive.

A run names its data in the ``[data]`` table of its ``config.toml``: a built-in ``name``
(``digits``, ``mnist``, ``fashion-mnist``, ``xor``, ``moons``, ``circles``, ``spiral``,
``blobs``) or a file ``path``, with how the file is read (a CSV's ``label_column``, ``header``,
``delimiter`` and ``drop_columns``, an NPZ's ``x_key`` and ``y_key``: :func:`read_options`)
and the ``task`` that says how a file's numeric labels are read (classes or regression
targets, :func:`as_targets`); its
``[training] seed`` draws the generated sets. ``deltaprop train`` (and ``resume``, ``evaluate``) load it with
:func:`load_by_name` before training, and ``diagnose`` and ``plot`` load it again from the
finished run folder, so both see the same arrays. The validation rows are not carved here:
``fit`` carves them from what this returns. A file's :func:`file_sha256`, recorded by the run
(``[data] sha256``), lets its readers tell when the file has changed since.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from .catalog import dataset_info, load
from .csv_file import MAX_EXACT_INTEGER, load_csv
from .csv_layout import DEFAULT_DELIMITER, first_data_line, own_separator
from .npz_file import load_npz

#: How a label column is read (:func:`as_targets`): ``"auto"`` decides by the numbers.
AUTO, CLASSIFICATION, REGRESSION = "auto", "classification", "regression"
TASKS = (AUTO, CLASSIFICATION, REGRESSION)
CSV_SUFFIX = ".csv"
NPZ_SUFFIX = ".npz"
#: Text tables, read as CSV (:func:`~deltaprop.datasets.load_csv`): a ``.tsv``'s tabs and a
#: ``.txt``'s separator are found in its first line unless another than ``,`` is given.
TEXT_SUFFIXES = (CSV_SUFFIX, ".tsv", ".txt")
FILE_SUFFIXES = (*TEXT_SUFFIXES, NPZ_SUFFIX)  # a user's data file; any other name is read as .npz


HASH_CHUNK_BYTES = 1 << 20


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 of a data file's bytes, as 64 hex digits (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def changed_since(table: dict, now: str | None = None) -> str | None:
    """Why a run's data file is no longer the one it trained on, or None if it is (or if the
    run recorded no ``sha256``, as runs from before it did, or named a built-in set).
    ``now``: the file's :func:`file_sha256` where the caller has it already."""
    recorded, path = table.get("sha256") or "", table.get("path") or ""
    if not recorded or table.get("name") or not path or not Path(path).is_file():
        return None
    now = now or file_sha256(path)
    if now == recorded:
        return None
    return f"{path} has changed since the run read it (SHA-256 {now[:12]}…; the run read {recorded[:12]}…)"


#: How a ``[data]`` table writes a CSV's ``header`` (as ``--header`` does), and what
#: :func:`~deltaprop.datasets.load_csv` calls it.
HEADER_WORDS = {"auto": "infer", "yes": True, "no": False}
#: The ``[data]`` keys that say how a file is read, with the values that leave the loaders'
#: defaults: a CSV's (label column, header, separator, columns left out) and an NPZ's arrays.
CSV_KEYS = {"label_column": "", "header": "auto", "delimiter": ",", "drop_columns": []}
NPZ_KEYS = {"x_key": "X", "y_key": "y"}


def read_options(table: dict) -> dict:
    """The keyword arguments of :func:`load_by_name` that a run's ``[data]`` table gives for
    reading its file (:data:`CSV_KEYS`, :data:`NPZ_KEYS`); a key the table lacks (a run from
    before it) or leaves empty keeps the loader's default."""
    options = {}
    for key, default in {**CSV_KEYS, **NPZ_KEYS}.items():
        value = table.get(key)
        if value is None or value == "" or value == default:
            continue
        options[key] = HEADER_WORDS.get(value, value) if key == "header" else value
    return options


FIRST_LINES_READ = 1000  # lines read to find a file's first data line (past comments and blanks)


def delimiter_for(path: str | os.PathLike, delimiter: str = DEFAULT_DELIMITER) -> str:
    """The separator :func:`~deltaprop.datasets.load_csv` splits the text table ``path`` with
    when given ``delimiter``: a ``.tsv``'s tab where the default ``,`` was given, say
    (:func:`~deltaprop.datasets.csv_layout.own_separator`); ``delimiter`` where the file
    cannot be read (the reader says why)."""
    path = Path(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return delimiter
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            first = first_data_line("".join(line for _, line in zip(range(FIRST_LINES_READ), fh)))
    except OSError:
        return delimiter
    return own_separator(path.suffix, first, delimiter)


def parse_label_column(value) -> int | str | None:
    """A CSV's label column as a config file or a flag gives it: an index (``3``, ``"-1"``) as
    an ``int``, a header name (``"label"``) as it is, ``None`` or ``""`` as ``None`` (the
    loader's default, the last column). Any other value is returned unchanged, for
    :func:`~deltaprop.datasets.load_csv` to refuse with its own message."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value  # an int as it is; a float is not truncated to a column but refused
    try:
        return int(value)
    except ValueError:
        return value


def as_targets(y: np.ndarray, task: str = AUTO) -> tuple[np.ndarray, tuple[str, ...] | None]:
    """A file's numeric labels ``y`` as a network's targets, read as ``task`` says.

    Parameters
    ----------
    y : ``(n,)`` numbers, one label per sample (also as a column ``(n, 1)``, as
        ``np.savez(y=df[["label"]])`` writes it), or target rows ``(n, k)``, k ≥ 2 (returned
        as they are, whatever the task).
    task : how to read a label column ``(n,)``:

        - ``"auto"``: whole numbers ≥ 0 (up to 2^53) are class labels, kept as they are;
          any other numbers (``0.5``, ``-1``) are real-valued regression targets;
        - ``"classification"``: every label is a class. Whole numbers ≥ 0 are kept as they
          are; other whole numbers (``-1`` and ``1``) are numbered ``0..k-1`` in sorted
          order, as text labels are; a number that is not whole is refused;
        - ``"regression"``: every label is a real-valued target, whole or not (ages,
          counts, prices).

    Returns
    -------
    targets : class labels ``(n,)`` as ``int64``, or a regression column ``(n, 1)`` (float,
        of ``y``'s dtype when ``y`` is floating, else ``float64``), or ``y`` unchanged.
    classes : the names of renumbered labels (``("-1", "1")``: label ``k`` was written
        ``classes[k]``); ``None`` where the labels are kept as they are or are targets.

    Raises
    ------
    ValueError : an unknown ``task``; ``"classification"`` of a number that is not whole.
    """
    task = check_task(task)
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:  # a label column: read as one, as a CSV's is
        y = y[:, 0]
    if y.ndim != 1:
        return y, None
    if y.dtype.kind == "b":
        y = y.astype(np.int64)
    if task == REGRESSION:
        return (y if y.dtype.kind == "f" else y.astype(np.float64)).reshape(-1, 1), None
    whole = bool(np.all(y == np.round(y)))
    indices = whole and (len(y) == 0 or (y.min() >= 0 and y.max() <= MAX_EXACT_INTEGER))
    if indices:
        return (y if y.dtype == np.int64 else y.astype(np.int64)), None
    if task == AUTO:
        return (y if y.dtype.kind == "f" else y.astype(np.float64)).reshape(-1, 1), None
    if not whole:
        value = y[int(np.argmax(y != np.round(y)))]
        raise ValueError(
            f"task='classification' reads every label as a class, but label {_number_name(value)} is "
            f"not a whole number; for real-valued targets use task='regression' (or 'auto')"
        )
    values = np.unique(y)
    return np.searchsorted(values, y).astype(np.int64), tuple(_number_name(v) for v in values)


def check_task(task) -> str:
    """``task`` if it is one of :data:`TASKS`, else a ValueError saying what is allowed."""
    if not isinstance(task, str) or task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(repr(t) for t in TASKS)}; got {task!r}")
    return task


def _number_name(value) -> str:
    """A label as a person writes it: ``-1`` for -1.0, ``0.25`` for 0.25."""
    value = float(value)
    return str(int(value)) if value == round(value) and abs(value) <= MAX_EXACT_INTEGER else repr(value)


def load_by_name(
    name: str | None = None,
    path: str | os.PathLike | None = None,
    *,
    split: str = "train",
    seed: int | None = None,
    label_column: int | str | None = None,
    task: str = AUTO,
    progress=None,
    header="infer",
    delimiter: str = ",",
    drop_columns=(),
    x_key: str = "X",
    y_key: str = "y",
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...] | None]:
    """``(X, y, classes)`` of the data a run names: the built-in set ``name``, or the file ``path``.

    Parameters
    ----------
    name : a built-in data set (see :data:`~deltaprop.datasets.DATASET_NAMES`); ``None`` or
        ``""`` (as ``config.toml`` writes the source not used) to read ``path`` instead.
    path : the user's ``.csv``, ``.tsv`` or ``.txt`` file (:func:`~deltaprop.datasets.load_csv`)
        or, for any other suffix, ``.npz`` archive (:func:`~deltaprop.datasets.load_npz`, arrays ``X``
        and ``y``); read whole, whatever ``split``. ``None`` or ``""`` with a ``name``.
    split : a built-in set's split, ``"train"`` or ``"test"`` (digits also ``"all"``).
    seed : the run's seed, an int ≥ 0: it draws the generated sets (moons, circles, spiral,
        blobs), so the run's points are drawn again; the other sets ignore it. ``None``:
        fresh points each call.
    label_column : a CSV's label column, as :func:`parse_label_column` reads it (``None``
        or ``""``: the last column); ignored for other data.
    task : how a file's numeric labels are read (:func:`as_targets`): ``"auto"`` (whole
        numbers ≥ 0 are classes, other numbers regression targets), ``"classification"``
        or ``"regression"``; ``None`` or ``""`` (as an older ``config.toml`` lacks the key)
        is ``"auto"``. A CSV's text labels and a built-in set's labels are classes:
        ``"regression"`` refuses them.
    progress : while ``mnist`` or ``fashion-mnist`` downloads on first use: ``True`` for a
        text bar on stderr, a callable ``progress(bytes_done, bytes_total)`` (a CLI's own
        bar), ``None`` (default) or ``False`` for silence; ignored for the other data.
    header, delimiter, drop_columns : how a CSV is read, as
        :func:`~deltaprop.datasets.load_csv` takes them; ignored for other data.
    x_key, y_key : an NPZ archive's arrays, as :func:`~deltaprop.datasets.load_npz` takes
        them; ignored for other data. (:func:`read_options` gives all five from a ``[data]``
        table.)

    Returns
    -------
    X : ``(n_samples, n_features)``.
    y : ``(n_samples,)`` ``int64`` class labels, or targets ``(n_samples, n_outputs)``: a
        regression column (a file's labels that are not all whole numbers ≥ 0, with
        ``task="auto"``; any numbers, with ``"regression"``) comes as ``(n_samples, 1)``.
    classes : the class names, label ``k`` being ``classes[k]``: a built-in set's catalogue
        names, a CSV's labels as written (``"cat"``, ``"dog"``; ``"0"``, ``"1"``, ...), the
        numbers that ``task="classification"`` renumbered (``"-1"``, ``"1"``). ``None``
        for targets, for an NPZ file's labels 0..k-1, and for CSV labels too many to name.

    Raises
    ------
    ValueError : neither or both of ``name`` and ``path`` given; an unknown ``name``,
        ``split`` or ``task``; a negative ``seed`` for a generated set; labels the ``task``
        cannot read (a built-in set's or text for ``"regression"``, fractions for
        ``"classification"``).
    FileNotFoundError : ``path`` does not exist.
    DownloadError : ``mnist`` or ``fashion-mnist`` is not in the data root
        (:mod:`~deltaprop.datasets.paths`) and cannot be fetched.
    DataFileError : the file is malformed (a ``ValueError``; the message says where).
    """
    task = check_task(task or AUTO)
    if name and path:
        raise ValueError(
            f"give a data set name or a file path, not both; got name={name!r} and path={str(path)!r}"
        )
    if name:
        if task == REGRESSION:
            raise ValueError(
                f"task='regression' reads a file's labels as targets, but the built-in set {name!r} "
                f"has class labels; leave task out (or 'auto') for it"
            )
        # seed: ignored by all but the generated sets; progress: by all but the downloaded ones
        X, y = load(name, split=split, seed=seed, progress=progress)
        return X, y, tuple(dataset_info(name).classes)
    if not path:
        raise ValueError(
            "no data given: name a built-in data set (e.g. name='digits') or a .csv/.npz file (path=...)"
        )
    path = Path(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        column = parse_label_column(label_column)
        kwargs = {} if column is None else {"label_column": column}
        X, y, classes = load_csv(
            path, return_classes=True, header=header, delimiter=delimiter, drop_columns=drop_columns, **kwargs
        )
    else:
        X, y, classes = load_npz(path, x_key, y_key, return_classes=True)
    if classes and isinstance(classes[0], str):  # text labels: classes, numbered in sorted order
        if task == REGRESSION:
            raise ValueError(
                f"{path}: task='regression' needs numbers in the label column, but it holds text "
                f"({', '.join(repr(c) for c in classes[:3])}{', ...' if len(classes) > 3 else ''}); "
                f"text labels are classes"
            )
        return X, y, tuple(classes)
    try:
        y, renumbered = as_targets(np.asarray(y), task)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from None
    if y.ndim != 1:
        return X, y, None
    if renumbered is not None:
        return X, y, renumbered
    return X, y, None if classes is None else tuple(str(c) for c in classes)
