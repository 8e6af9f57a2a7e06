"""A run's data, loaded the way a run names it: a built-in set, or the user's ``.csv``/``.npz``.

A run names its data in the ``[data]`` table of its ``config.toml``: a built-in ``name``
(``digits``, ``mnist``, ``fashion-mnist``, ``xor``, ``moons``, ``circles``, ``spiral``,
``blobs``) or a file ``path``, with a CSV's ``label_column``; its ``[training] seed`` draws
the generated sets. ``deltaprop train`` (and ``resume``, ``evaluate``) load it with
:func:`load_by_name` before training, and ``diagnose`` and ``plot`` load it again from the
finished run folder, so both see the same arrays. The validation rows are not carved here:
``fit`` carves them from what this returns.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .catalog import dataset_info, load
from .user import load_csv, load_npz

FILE_SUFFIXES = (".csv", ".npz")  # what a user's data file may be; anything not .csv is read as .npz
CSV_SUFFIX = ".csv"


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


def as_targets(y: np.ndarray) -> np.ndarray:
    """Real-valued targets ``(n,)`` (a regression column: not all whole numbers) as one target
    column ``(n, 1)``; class labels ``(n,)`` and target rows ``(n, k)`` as they are."""
    if y.ndim == 1 and np.issubdtype(y.dtype, np.floating) and not np.all(y == np.round(y)):
        return y.reshape(-1, 1)
    return y


def load_by_name(
    name: str | None = None,
    path: str | os.PathLike | None = None,
    *,
    split: str = "train",
    seed: int | None = None,
    label_column: int | str | None = None,
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...] | None]:
    """``(X, y, classes)`` of the data a run names: the built-in set ``name``, or the file ``path``.

    Parameters
    ----------
    name : a built-in data set (see :data:`~deltaprop.datasets.DATASET_NAMES`); ``None`` or
        ``""`` (as ``config.toml`` writes the source not used) to read ``path`` instead.
    path : the user's ``.csv`` file (:func:`~deltaprop.datasets.load_csv`) or, for any
        other suffix, ``.npz`` archive (:func:`~deltaprop.datasets.load_npz`, arrays ``X``
        and ``y``); read whole, whatever ``split``. ``None`` or ``""`` with a ``name``.
    split : a built-in set's split, ``"train"`` or ``"test"`` (digits also ``"all"``).
    seed : the run's seed, an int ≥ 0: it draws the generated sets (moons, circles, spiral,
        blobs), so the run's points are drawn again; the other sets ignore it. ``None``:
        fresh points each call.
    label_column : a CSV's label column, as :func:`parse_label_column` reads it (``None``
        or ``""``: the last column); ignored for other data.

    Returns
    -------
    X : ``(n_samples, n_features)``.
    y : ``(n_samples,)`` class labels (``int64`` for a built-in set or a CSV's labels), or
        targets ``(n_samples, n_outputs)``: a column of real numbers that are not all whole
        (a regression column, from a CSV or an NPZ) comes as ``(n_samples, 1)``.
    classes : the class names, label ``k`` being ``classes[k]``: a built-in set's catalogue
        names, a CSV's labels as written (``"cat"``, ``"dog"``; ``"0"``, ``"1"``, ...).
        ``None`` for targets, for an NPZ file, and for CSV labels too many to name.

    Raises
    ------
    ValueError : neither or both of ``name`` and ``path`` given; an unknown ``name`` or
        ``split``; a negative ``seed`` for a generated set.
    FileNotFoundError : ``path`` does not exist.
    DownloadError : ``mnist`` or ``fashion-mnist`` is not in the data root
        (:mod:`~deltaprop.datasets.paths`) and cannot be fetched.
    DataFileError : the file is malformed (a ``ValueError``; the message says where).
    """
    if name and path:
        raise ValueError(
            f"give a data set name or a file path, not both; got name={name!r} and path={str(path)!r}"
        )
    if name:
        X, y = load(name, split=split, seed=seed)  # seed: ignored by all but the generated sets
        return X, y, tuple(dataset_info(name).classes)
    if not path:
        raise ValueError(
            "no data given: name a built-in data set (e.g. name='digits') or a .csv/.npz file (path=...)"
        )
    path = Path(path)
    classes = None
    if path.suffix.lower() == CSV_SUFFIX:
        column = parse_label_column(label_column)
        kwargs = {} if column is None else {"label_column": column}
        X, y, classes = load_csv(path, return_classes=True, **kwargs)
    else:
        X, y = load_npz(path)
    y = as_targets(np.asarray(y))
    if y.ndim != 1 or classes is None:
        return X, y, None
    return X, y, tuple(str(c) for c in classes)
