"""Reading what a user passes as an array of numbers: lists of lists, pandas tables of mixed
numeric columns, object arrays of numbers; refusing strings and missing values with messages
that say what was found and how to fix it. :mod:`deltaprop._validation` checks shapes and
values on top of this.
"""

from __future__ import annotations

import numbers

import numpy as np

# Rows checked for NaN/inf at a time, so the exact check never allocates a mask the size of X.
FINITE_CHECK_ROWS = 8192

# What to do with labels that are words ("cat", "dog"): the core takes numbers only.
WORD_LABELS_FIX = (
    "To train on labels that are not numbers, number them with "
    "`np.unique(y, return_inverse=True)` (its second result is the numbers, its first the labels "
    "they stand for), or use `deltaprop.sklearn.DeltapropClassifier`, which takes any labels."
)
SHOWN_VALUES = 3  # of an array that is not numbers, the first few are quoted in the message


def _first_values(arr: np.ndarray) -> str:
    """The first :data:`SHOWN_VALUES` values of ``arr`` as the words of a message."""
    values = [f"{value!r:.30}" for value in arr.flat[:SHOWN_VALUES].tolist()]
    return ", ".join(values) + (", ..." if arr.size > SHOWN_VALUES else "")


def as_numeric(array, name: str, labels: bool = False) -> np.ndarray:
    """``array`` as an ndarray of numbers (lists of lists are accepted).

    An array of Python objects (what ``np.asarray`` makes of a pandas DataFrame that mixes
    float, int and bool columns, or holds nullable ``Int64`` ones) is accepted when every value
    is a real number or a bool: a table in its columns' common dtype, any other as float64.
    Strings are refused (for ``labels``, targets, with how to number them:
    :data:`WORD_LABELS_FIX`), and so are missing values (None, pandas' NA), as NaN is.
    """
    if array is None:  # NumPy would make it a 0-D object array, and the message say so
        raise TypeError(f"{name} must hold numbers (an array or a list of lists); got None")
    _refuse_sparse(array, name)
    try:
        arr = np.asarray(array)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} could not be read as a rectangular array: {err}") from err
    if arr.dtype == object:
        return _object_numbers(array, arr, name, labels)
    if arr.dtype.kind in "USVMm":
        _refuse_not_numbers(arr, name, labels)
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers; got complex dtype {arr.dtype.name!r}")
    return arr


def _refuse_sparse(array, name: str) -> None:
    """Refuse a sparse matrix (SciPy's, or any with ``toarray`` and ``nnz``, known so by duck type:
    the core does not import SciPy), which ``np.asarray`` would make a 0-D object array."""
    if hasattr(array, "toarray") and hasattr(array, "nnz"):
        variable = name.rsplit("(", 1)[-1].rstrip(")")  # X_val of "validation_data[0] (X_val)"
        raise TypeError(
            f"{name} is a sparse matrix ({type(array).__name__} of shape {getattr(array, 'shape', '?')}), "
            f"and deltaprop takes dense arrays only: pass {variable}.toarray() instead"
        )


def _refuse_not_numbers(arr: np.ndarray, name: str, labels: bool) -> None:
    """Refuse ``arr``, which holds strings or other things that are not numbers."""
    words = arr.dtype.kind in "US" or any(isinstance(v, str | bytes) for v in arr.flat)
    fix = WORD_LABELS_FIX if labels and words else "Convert strings or objects to numbers first."
    raise TypeError(
        f"{name} must hold numbers; got an array of dtype {arr.dtype.name!r} ({_first_values(arr)}). {fix}"
    )


# pandas' missing values, known by their type's name so that the core need not import pandas.
MISSING_VALUE_TYPES = frozenset({"NoneType", "NAType", "NaTType"})


def _refuse_missing(arr: np.ndarray, index: tuple[int, ...], name: str) -> None:
    """Refuse ``arr`` if its value at ``index`` is missing (None, pandas' NA), as NaN is."""
    if type(arr[index]).__name__ in MISSING_VALUE_TYPES:
        raise ValueError(
            f"{name} contains a missing value (first at index {index}: {arr[index]!r}); remove or "
            f"impute those values"
        )


def _table_dtype(table) -> np.dtype | None:
    """The common dtype of a table's columns (a pandas DataFrame or Series: anything with
    ``to_numpy`` and ``dtypes``) when all hold numbers or bools, nullable ``Int64`` too; else None."""
    if isinstance(table, np.ndarray) or not (hasattr(table, "to_numpy") and hasattr(table, "dtypes")):
        return None
    try:
        dtypes = list(table.dtypes)  # a DataFrame's, one per column
    except TypeError:
        dtypes = [table.dtypes]  # a Series's own
    try:
        dtypes = [np.dtype(getattr(dtype, "numpy_dtype", dtype)) for dtype in dtypes]
    except (TypeError, ValueError):  # a categorical column, say: read value by value
        return None
    ok = dtypes and all(dtype.kind in "biuf" for dtype in dtypes)
    return np.result_type(*dtypes) if ok else None


def _object_numbers(array, arr: np.ndarray, name: str, labels: bool) -> np.ndarray:
    """``arr``, the object array ``np.asarray`` made of ``array``, as numbers: a table of numeric
    columns by its ``to_numpy`` in their common dtype (a missing value it made NaN is named as
    missing), anything else value by value as float64, refusing all but real numbers and bools."""
    common = _table_dtype(array)
    if common is not None:
        try:
            values = np.asarray(array.to_numpy(dtype=common))
        except (TypeError, ValueError):  # a missing value in an integer column: found below
            values = None
        if values is not None:
            if common.kind == "f":
                nan = first_bad(values, lambda chunk: not np.isnan(chunk).any(), np.isnan)
                if nan is not None:  # a NaN given as NaN is check_finite's to name
                    _refuse_missing(arr, nan, name)
            return values
    for flat_index, value in enumerate(arr.flat):
        if not isinstance(value, numbers.Real | np.bool_):
            _refuse_missing(arr, tuple(int(i) for i in np.unravel_index(flat_index, arr.shape)), name)
            _refuse_not_numbers(arr, name, labels)
    return arr.astype(np.float64)


def first_bad(arr: np.ndarray, clean, bad) -> tuple[int, ...] | None:
    """The index of ``arr``'s first bad value, or None: through the rows in blocks of
    :data:`FINITE_CHECK_ROWS`, so no mask the size of ``arr`` is made. ``clean(chunk)`` is the
    quick test of a block; only a block that fails it is searched with the mask ``bad(chunk)``."""
    for start in range(0, max(arr.shape[0], 1) if arr.ndim else 1, FINITE_CHECK_ROWS):
        chunk = arr[start : start + FINITE_CHECK_ROWS] if arr.ndim else arr
        if not clean(chunk):
            index = tuple(int(i) for i in np.argwhere(bad(chunk))[0])
            return (index[0] + start, *index[1:]) if arr.ndim else index
    return None
