"""Checks at the public boundary: turn what a user passes into the arrays the core trusts.

Messages follow scikit-learn's style: what was wrong, the value or shape received, what
was expected and, where there is one, how to fix it. Inside the core, shapes are trusted.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._numeric import as_numeric, first_bad
from ._text import count

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


def check_finite(arr: np.ndarray, name: str, dtype=None) -> None:
    """Refuse NaN and ±inf, naming the first one's index and value.

    With ``dtype`` (the network's), also finite values that the cast to it would make ±inf
    (see :func:`check_range`).
    """
    if arr.dtype.kind != "f":
        return
    # Element-wise, in blocks, not by a product with a vector of ones (which reads X faster
    # and proves it finite when the row sums are): the product wakes NumPy's BLAS threads,
    # which then spin against the training step's SciPy BLAS threads (bench/README.md).
    index = first_bad(arr, lambda chunk: np.isfinite(chunk).all(), lambda chunk: ~np.isfinite(chunk))
    if index is not None:
        raise ValueError(
            f"{name} contains NaN or infinity (first at index {index}: "
            f"{arr[index].item()!r}); remove or impute those values"
        )
    if dtype is not None:
        check_range(arr, dtype, name)


DATA = "the data (e.g. standardise each feature)"
TARGETS = "the targets"


def _where(index: tuple) -> str:
    """An index as the words of a message: ``row 3, column 1`` for a 2-D array."""
    if len(index) == 2:
        return f"row {index[0]}, column {index[1]}"
    return f"index {index}"


def check_range(arr: np.ndarray, dtype, name: str, what: str = DATA) -> None:
    """Refuse finite values that the cast to ``dtype`` would make ±inf (1e39 for float32).

    Only a float array wider than ``dtype`` (float64 data for a float32 network) can hold
    them; for any other, nothing is read. Goes through the rows in blocks, as
    :func:`check_finite` does; call it on finite arrays (NaN is that check's to report).
    ``what`` names what to scale in the message's fix.
    """
    dtype = np.dtype(dtype)
    if arr.dtype.kind != "f" or dtype.kind != "f" or arr.dtype.itemsize <= dtype.itemsize:
        return  # float16 < float32 < float64 < long double, in size as in range
    limit = np.finfo(dtype).max
    index = first_bad(
        arr,
        lambda chunk: not chunk.size or not (chunk.max() > limit or chunk.min() < -limit),
        lambda chunk: np.abs(chunk) > limit,
    )
    if index is not None:
        wider = " or use a float64 network (dtype=np.float64)" if dtype != np.float64 else ""
        raise ValueError(
            f"{name} holds {arr[index].item()!r} (first at {_where(index)}), beyond the range of "
            f"{dtype.name}, the network's dtype (±{float(limit):.8g}): cast to it, the value would "
            f"become infinity. To fix it, scale {what}{wider}."
        )


def check_features(X, n_in: int, name: str = "X", dtype=None) -> np.ndarray:
    """``X`` as a finite ``(n_samples, n_in)`` array of numbers in its own dtype: no copy.

    The training loop casts it mini-batch by mini-batch; :func:`check_X` converts it whole.
    With ``dtype`` (the network's), values that the cast to it would make infinite (beyond
    ±3.4e38 for float32) are refused too.
    """
    arr = as_numeric(X, name)
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
            f"{name} has {count(arr.shape[1], 'feature')} per sample, but the network expects "
            f"{n_in} (its input layer size); got shape {arr.shape}"
        )
    check_finite(arr, name, dtype)
    return arr


def check_X(X, n_in: int, dtype: np.dtype, name: str = "X") -> np.ndarray:
    """``X`` as a finite ``(n_samples, n_in)`` array of ``dtype``; a copy only where needed."""
    return np.asarray(check_features(X, n_in, name, dtype), dtype=dtype)


def _whole_numbers(arr: np.ndarray) -> bool:
    """Whether ``arr`` holds no finite value that is not a whole number (NaN and ±inf are left
    for the label checks to name)."""
    if arr.dtype.kind in "iub":
        return True
    return not np.any(np.isfinite(arr) & (arr != np.round(arr)))


def check_target_rows(Y, n_out: int, n_samples: int, name: str = "Y", x_name: str = "X") -> np.ndarray:
    """``Y`` as numbers of shape ``(n_samples,)`` (labels) or ``(n_samples, k)``, one row per sample.

    ``n_samples`` is the number of rows of the inputs called ``x_name`` in messages. A column
    ``(n_samples, 1)`` of whole numbers for a network of ``n_out > 1`` outputs, which can never
    be its targets, is returned as labels ``(n_samples,)`` (a view): ``df[["label"]].to_numpy()``
    gives labels so, and Keras's sparse categorical cross-entropy takes them so too.
    """
    arr = as_numeric(Y, name, labels=True)
    if arr.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be class labels of shape (n_samples,) or targets of shape "
            f"(n_samples, {n_out}); got a {arr.ndim}-D array of shape {arr.shape}"
        )
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"{x_name} and {name} have different numbers of samples: {x_name} has {n_samples}, "
            f"{name} has {arr.shape[0]}"
        )
    return label_column(arr, n_out)


def label_column(arr: np.ndarray, n_out: int) -> np.ndarray:
    """``arr``, a column ``(n, 1)`` of whole numbers for a network of ``n_out > 1`` outputs (which
    can never be its targets), as the labels ``(n,)`` it holds (a view); any other array as it is.
    The one rule by which training and the diagnostics and plots read ``df[["label"]].to_numpy()``."""
    if n_out > 1 and arr.ndim == 2 and arr.shape[1] == 1 and arr.dtype.kind in "biuf" and _whole_numbers(arr):
        return arr[:, 0]
    return arr


def check_n_columns(arr: np.ndarray, n_out: int, name: str = "Y") -> None:
    """Refuse targets ``arr`` ``(n_samples, k)`` unless k is ``n_out``, the network's outputs."""
    n, k = arr.shape
    if k == n_out:
        return
    labels = f"class labels 0..{n_out - 1} as ({n},) or ({n}, 1)" if n_out > 1 else f"({n},)"
    message = (
        f"{name} has {count(k, 'column')}, but the network has {count(n_out, 'output')}; "
        f"got shape {arr.shape}, expected ({n}, {n_out}) or {labels}"
    )
    if k == 1:  # a column of whole numbers would have been read as labels
        value = arr[np.isfinite(arr) & (arr != np.round(arr))][0]
        message += f"; it holds {value.item()!r}, not a class label"
    raise ValueError(message)


def check_Y(Y, n_out: int, n_samples: int, dtype: np.dtype, name: str = "Y") -> np.ndarray:
    """Targets as a finite ``(n_samples, n_out)`` array of ``dtype``.

    Integer class labels of shape ``(n_samples,)``, or ``(n_samples, 1)``, are one-hot encoded
    when ``n_out > 1``; with a single output they become a column.
    """
    arr = check_target_rows(Y, n_out, n_samples, name)
    if arr.ndim == 1:
        if n_out > 1:
            arr = one_hot(arr, n_out, dtype, name)
        else:
            arr = arr.reshape(-1, 1)
    check_n_columns(arr, n_out, name)
    check_finite(arr, name)
    check_range(arr, dtype, name, TARGETS)  # before the cast: 1e39 is finite, float32(1e39) is not
    return np.asarray(arr, dtype=dtype)


def check_sample_or_batch(
    x, y, n_in: int, n_out: int, dtype, x_name: str = "X", y_name: str = "Y"
) -> tuple[np.ndarray, np.ndarray]:
    """``x``, ``y`` as ``(n, n_in)``, ``(n, n_out)`` arrays of ``dtype``: a batch as
    :func:`check_X`/:func:`check_Y` take it, or one sample, ``x`` ``(n_in,)`` with its target
    ``(n_out,)`` or class label (``2``, or ``[2]`` for several outputs: one-hot encoded), as
    ``explain`` and ``gradient_check`` take it."""
    x_arr = as_numeric(x, x_name)
    if x_arr.ndim != 1:
        X = check_X(x_arr, n_in, dtype, name=x_name)
        return X, check_Y(y, n_out, X.shape[0], dtype, name=y_name)
    if x_arr.shape[0] != n_in:
        column = (
            f"; for {x_arr.shape[0]} samples of one feature pass a column ({x_arr.shape[0]}, 1)"
            if n_in == 1
            else ""
        )
        raise ValueError(
            f"{x_name} of shape {x_arr.shape} is one sample of {x_arr.shape[0]} features, but the network "
            f"expects {n_in} (its input layer size){column}"
        )
    y_arr = as_numeric(y, y_name, labels=True)
    whole = y_arr.shape == (1,) and np.isfinite(y_arr).all() and float(y_arr[0]).is_integer()
    if y_arr.ndim == 0 or (whole and n_out > 1):
        y_arr = y_arr.reshape(1)  # one class label: check_Y one-hot encodes it
    elif y_arr.ndim == 1:
        y_arr = y_arr.reshape(1, -1)  # one sample's targets
    X = check_X(x_arr.reshape(1, -1), n_in, dtype, name=x_name)
    return X, check_Y(y_arr, n_out, 1, dtype, name=y_name)


def check_flag(value, name: str) -> bool:
    """``value`` as a bool: True or False (NumPy's too), nothing that merely has a truth value
    (``"False"`` is true, None false)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r} of type {type(value).__name__}")
    return bool(value)


def check_sample_weight(
    sample_weight, n_samples: int, dtype, x_name: str = "X", name: str = "sample_weight"
) -> np.ndarray:
    """``sample_weight`` as a ``(n_samples,)`` array of ``dtype``: finite, ≥ 0, not all 0, with
    a sum ``dtype`` can hold.

    One weight s_x per row of the inputs called ``x_name`` in messages. Raises ``TypeError``
    for values that are not numbers and ``ValueError`` for a wrong shape or length, NaN, ±inf,
    a negative weight, weights that are all 0 or whose sum overflows (every weighted mean
    divides by Σ s_x), naming the argument (``name``) and the value.
    """
    arr = as_numeric(sample_weight, name)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D, one weight per sample: shape ({n_samples},); got a {arr.ndim}-D "
            f"array of shape {arr.shape}"
        )
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {count(arr.shape[0], 'weight')}, but {x_name} has "
            f"{count(n_samples, 'sample')}; give one weight per sample"
        )
    if arr.dtype.kind == "b":
        arr = arr.astype(dtype)
    check_finite(arr, name)
    check_range(arr, dtype, name, "the weights (only their ratios matter)")
    negative = np.flatnonzero(arr < 0)
    if negative.size:
        k = int(negative[0])
        raise ValueError(f"{name} must be ≥ 0; got {arr[k].item()!r} at index {k}")
    if not np.any(arr):
        raise ValueError(
            f"{name} is all 0 ({count(n_samples, 'weight')}): no sample would count; give at least "
            f"one weight > 0"
        )
    return check_weight_sum(np.ascontiguousarray(arr, dtype=dtype), name)


def check_weight_sum(sample_weight: np.ndarray, name: str = "sample_weight") -> np.ndarray:
    """``sample_weight`` (finite, ≥ 0) as it is, if its sum is finite in its dtype; else
    ValueError. A weighted mean (each training step's, evaluate's) divides by Σ s_x, which an
    overflowing sum makes inf, and the result NaN."""
    with np.errstate(over="ignore"):
        total = sample_weight.sum()
    if not np.isfinite(total):
        raise ValueError(
            f"{name} sums to {total} in {sample_weight.dtype.name} (its greatest weight is "
            f"{sample_weight.max():.3g}): each weighted mean divides by the sum of the weights. "
            f"Only their ratios matter: divide them by their greatest ({name} / {name}.max())"
        )
    return sample_weight


def check_labels(labels, n_classes: int, name: str = "y") -> np.ndarray:
    """Integer class labels in 0..n_classes−1 as an ``int64`` array ``(n_samples,)``."""
    arr = as_numeric(labels, name, labels=True)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D class labels; got shape {arr.shape}")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind == "f":
        check_finite(arr, name)
        if not np.all(arr == np.round(arr)):
            bad = arr[arr != np.round(arr)][0]
            raise ValueError(
                f"{name} must hold integer class labels 0..{n_classes - 1}; "
                f"got a non-integer value {bad.item()!r}"
            )
    # The range is checked on the values as given: cast first, 1e20 or uint64 2**63 would
    # wrap to -9223372036854775808 and be reported as that.
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        bad = arr[(arr < 0) | (arr >= n_classes)][0]
        raise ValueError(
            f"{name} holds class label {bad.item()!r}, outside 0..{n_classes - 1} "
            f"(the network has {n_classes} outputs)"
        )
    return arr.astype(np.int64, copy=False)


def one_hot(labels, n_classes: int, dtype=np.float64, name: str = "y") -> np.ndarray:
    """``(n_samples, n_classes)`` one-hot rows for integer labels ``(n_samples,)``."""
    idx = check_labels(labels, n_classes, name)
    out = np.zeros((idx.shape[0], n_classes), dtype=dtype)
    out[np.arange(idx.shape[0]), idx] = 1.0
    return out


def check_network(net, name: str = "net"):
    """``net`` itself if it is a :class:`~deltaprop.network.Network`; else a ``TypeError``
    that quotes what was given (the estimators of :mod:`deltaprop.sklearn` are not networks:
    their network is ``estimator.network_``)."""
    from .network import Network  # here, not at the top: network.py imports this module

    if not isinstance(net, Network):
        hint = (
            " (a fitted estimator's network is its network_ attribute; est.save(path) saves the whole "
            "estimator)"
            if hasattr(net, "network_")
            else ""
        )
        given = " ".join(repr(net).split())  # one line: an estimator's repr spans several
        raise TypeError(
            f"{name} must be a deltaprop Network; got {given:.80} of type {type(net).__name__}{hint}"
        )
    return net


def check_seed(seed, *, generator: bool, name: str = "seed"):
    """``seed`` checked: ``None``, an integer ≥ 0 (returned as an ``int``) or, where ``generator``
    is true, a ``numpy.random.Generator`` (returned as it is). One rule, one wording, for every
    ``seed`` the package takes: the Network's, fit's and the data generators'.
    """
    if seed is None or (generator and isinstance(seed, np.random.Generator)):
        return seed
    accepted = "an integer ≥ 0, a numpy.random.Generator or None" if generator else "an integer ≥ 0 or None"
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be {accepted}; got {seed!r} of type {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"{name} must be {accepted}; got {seed}")
    return int(seed)


def rng_from_seed(seed, name: str = "seed") -> np.random.Generator:
    """``seed`` (``None``: fresh entropy, an integer ≥ 0, or a ``Generator``, used as it is) as a
    ``numpy.random.Generator``, checked by :func:`check_seed`."""
    checked = check_seed(seed, generator=True, name=name)
    return checked if isinstance(checked, np.random.Generator) else np.random.default_rng(checked)


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


def is_number_or_null(value) -> bool:
    """Whether a value read from JSON is a number (int or float, not bool) or null (None):
    what the run files (history.json, gradients.json) hold where a number goes."""
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
