"""Checks at the public boundary: turn what a user passes into the arrays the core trusts.

Messages follow scikit-learn's style: what was wrong, the value or shape received, what
was expected and, where there is one, how to fix it. Inside the core, shapes are trusted.
"""

from __future__ import annotations

import numbers

import numpy as np

SUPPORTED_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def check_dtype(dtype) -> np.dtype:
    """The network's floating dtype: float32 or float64."""
    try:
        resolved = np.dtype(dtype)
    except TypeError as err:
        raise ValueError(
            f"dtype must be float32 or float64; got {dtype!r}, which is not a NumPy dtype"
        ) from err
    if resolved not in SUPPORTED_DTYPES:
        raise ValueError(f"dtype must be float32 or float64; got {resolved.name!r}")
    return resolved


def _as_numeric(array, name: str) -> np.ndarray:
    """``array`` as an ndarray of numbers (lists of lists are accepted)."""
    try:
        arr = np.asarray(array)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} could not be read as a rectangular array: {err}") from err
    if arr.dtype == object or arr.dtype.kind in "USVMm":
        raise TypeError(
            f"{name} must hold numbers; got an array of dtype {arr.dtype.name!r}. "
            f"Convert strings or objects to numbers first."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers; got complex dtype {arr.dtype.name!r}")
    return arr


# Rows checked for NaN/inf at a time, so the exact check never allocates a mask the size of X.
FINITE_CHECK_ROWS = 8192


def _check_finite(arr: np.ndarray, name: str) -> None:
    """Refuse NaN and ±inf, naming the first one's index and value."""
    if arr.dtype.kind != "f":
        return
    # Element-wise, in blocks, not by a product with a vector of ones (which reads X faster
    # and proves it finite when the row sums are): the product wakes NumPy's BLAS threads,
    # which then spin against the training step's SciPy BLAS threads (bench/README.md).
    for start in range(0, max(arr.shape[0], 1), FINITE_CHECK_ROWS):
        chunk = arr[start : start + FINITE_CHECK_ROWS] if arr.ndim else arr
        if not np.isfinite(chunk).all():
            bad = np.argwhere(~np.isfinite(chunk))[0]
            index = tuple(int(i) for i in bad)
            if arr.ndim:
                index = (index[0] + start, *index[1:])
            raise ValueError(
                f"{name} contains NaN or infinity (first at index {index}: "
                f"{arr[index].item()!r}); remove or impute those values"
            )


def check_features(X, n_in: int, name: str = "X") -> np.ndarray:
    """``X`` as a finite ``(n_samples, n_in)`` array of numbers in its own dtype: no copy.

    The training loop casts it mini-batch by mini-batch; :func:`check_X` converts it whole.
    """
    arr = _as_numeric(X, name)
    if arr.ndim != 2:
        hint = (
            f" Reshape a single sample with {name}.reshape(1, -1)."
            if arr.ndim == 1
            else " Flatten each sample, e.g. X.reshape(len(X), -1)."
            if arr.ndim > 2
            else ""
        )
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, {n_in}); got a {arr.ndim}-D "
            f"array of shape {arr.shape}.{hint}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: got shape {arr.shape}; need at least one sample")
    if arr.shape[1] != n_in:
        raise ValueError(
            f"{name} has {arr.shape[1]} features per sample, but the network expects "
            f"{n_in} (its input layer size); got shape {arr.shape}"
        )
    _check_finite(arr, name)
    return arr


def check_X(X, n_in: int, dtype: np.dtype, name: str = "X") -> np.ndarray:
    """``X`` as a finite ``(n_samples, n_in)`` array of ``dtype``; a copy only where needed."""
    return np.asarray(check_features(X, n_in, name), dtype=dtype)


def check_target_rows(Y, n_out: int, n_samples: int, name: str = "Y") -> np.ndarray:
    """``Y`` as numbers of shape ``(n_samples,)`` (labels) or ``(n_samples, k)``, one row per sample."""
    arr = _as_numeric(Y, name)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be class labels of shape (n_samples,) or targets of shape "
            f"(n_samples, {n_out}); got a {arr.ndim}-D array of shape {arr.shape}"
        )
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"X and {name} have different numbers of samples: X has {n_samples}, {name} has {arr.shape[0]}"
        )
    return arr


def check_Y(Y, n_out: int, n_samples: int, dtype: np.dtype, name: str = "Y") -> np.ndarray:
    """Targets as a finite ``(n_samples, n_out)`` array of ``dtype``.

    Integer class labels of shape ``(n_samples,)`` are one-hot encoded when ``n_out > 1``;
    with a single output they become a column.
    """
    arr = check_target_rows(Y, n_out, n_samples, name)
    if arr.ndim == 1:
        if n_out > 1:
            arr = one_hot(arr, n_out, dtype, name)
        else:
            arr = arr.reshape(-1, 1)
    if arr.shape[1] != n_out:
        raise ValueError(
            f"{name} has {arr.shape[1]} columns, but the network has {n_out} outputs; "
            f"got shape {arr.shape}, expected ({n_samples}, {n_out})"
        )
    arr = np.asarray(arr, dtype=dtype)
    _check_finite(arr, name)
    return arr


def check_labels(labels, n_classes: int, name: str = "y") -> np.ndarray:
    """Integer class labels in 0..n_classes−1 as an ``int64`` array ``(n_samples,)``."""
    arr = _as_numeric(labels, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D class labels; got shape {arr.shape}")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind == "f":
        _check_finite(arr, name)
        if not np.all(arr == np.round(arr)):
            bad = arr[arr != np.round(arr)][0]
            raise ValueError(
                f"{name} must hold integer class labels 0..{n_classes - 1}; "
                f"got a non-integer value {bad.item()!r}"
            )
    arr = arr.astype(np.int64, copy=False)
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        bad = arr[(arr < 0) | (arr >= n_classes)][0]
        raise ValueError(
            f"{name} holds class label {int(bad)}, outside 0..{n_classes - 1} "
            f"(the network has {n_classes} outputs)"
        )
    return arr


def one_hot(labels, n_classes: int, dtype=np.float64, name: str = "y") -> np.ndarray:
    """``(n_samples, n_classes)`` one-hot rows for integer labels ``(n_samples,)``."""
    idx = check_labels(labels, n_classes, name)
    out = np.zeros((idx.shape[0], n_classes), dtype=dtype)
    out[np.arange(idx.shape[0]), idx] = 1.0
    return out


def check_positive_int(value, name: str, *, allow_zero: bool = False) -> int:
    """``value`` as an int > 0 (or ≥ 0), refusing bools, floats and strings."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r} of type {type(value).__name__}")
    low = 0 if allow_zero else 1
    if value < low:
        raise ValueError(f"{name} must be {'≥ 0' if allow_zero else '> 0'}; got {value}")
    return int(value)


def check_positive_float(value, name: str, *, allow_zero: bool = False) -> float:
    """``value`` as a finite float > 0 (or ≥ 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        expected = "a finite number ≥ 0" if allow_zero else "a finite number > 0"
        raise ValueError(f"{name} must be {expected}; got {value!r}")
    return value
