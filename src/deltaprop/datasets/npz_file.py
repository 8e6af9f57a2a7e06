"""Features and targets in a NumPy ``.npz`` archive, read safely: :func:`load_npz`.

An ``.npz`` file is a zip archive of ``.npy`` arrays, and an array of Python objects in one
can only be read by unpickling, which can run arbitrary code. So each array's ``.npy`` header
is read and checked first (no Python objects, a size that matches the bytes the archive holds),
and only then is NumPy asked to read it, always with ``allow_pickle=False``: loading data
never runs code. A damaged or foreign archive is a :class:`~deltaprop.errors.DataFileError`
saying what was found.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .._validation import check_dtype
from ..errors import DataFileError
from .size_limit import DEFAULT_MAX_BYTES, check_file_size

_NPY_SUFFIX = ".npy"
_NPY_VERSIONS = ((1, 0), (2, 0))
# What a damaged or foreign archive can make zipfile / numpy raise.
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # an encrypted member
)


def _check_keys(archive: zipfile.ZipFile, x_key: str, y_key: str | None, path: Path) -> None:
    """Refuse an archive without the arrays asked for, naming those it holds and, where each
    is there in other letters (``x`` for ``X``), the keys to pass."""
    held = sorted(name[: -len(_NPY_SUFFIX)] for name in archive.namelist() if name.endswith(_NPY_SUFFIX))
    keys = {"x_key": x_key} if y_key is None else {"x_key": x_key, "y_key": y_key}
    missing = [key for key in keys.values() if key not in held]
    if not missing:
        return
    guess = {name: next((h for h in held if h.lower() == key.lower()), None) for name, key in keys.items()}
    if None in guess.values():
        passed = " and ".join(f"{name}=" for name in keys)
        flags = " ".join(f"--{name.replace('_', '-')} NAME" for name in keys)
        hint = f"name the arrays to read with {passed} (on the command line: {flags})"
    else:
        passed = ", ".join(f"{name}={key!r}" for name, key in guess.items())
        flags = " ".join(f"--{name.replace('_', '-')} {key}" for name, key in guess.items())
        hint = f"pass {passed} (on the command line: {flags})"
    raise DataFileError(f"{path}: no array named {missing[0]!r}; the archive holds {held}: {hint}")


def _precheck_member(archive: zipfile.ZipFile, key: str, path: Path, max_bytes: int, labels: bool) -> None:
    """Read one member's .npy header and refuse what ``np.load`` should never be asked to read;
    ``labels``: the member is the labels (``y_key``), not the features."""
    info = archive.getinfo(key + _NPY_SUFFIX)
    if info.file_size > max_bytes:
        raise DataFileError(
            f"{path}: array {key!r} claims {info.file_size:,} bytes, more than the limit of {max_bytes:,}"
        )
    with archive.open(info) as member_file:
        version = np.lib.format.read_magic(member_file)
        if version not in _NPY_VERSIONS:
            raise DataFileError(f"{path}: array {key!r} uses .npy format version {version}, not supported")
        read_header = (
            np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        )
        shape, _fortran_order, dtype = read_header(member_file)
        header_size = member_file.tell()
    if dtype.hasobject:
        raise DataFileError(
            f"{path}: array {key!r} holds Python objects (dtype {dtype}), which can only be read by "
            f"unpickling, and unpickling can run arbitrary code; deltaprop refuses it. {_plain(key, labels)}"
        )
    n_bytes = int(np.prod(shape, dtype=object)) * dtype.itemsize  # Python ints: no overflow
    if n_bytes != info.file_size - header_size:
        raise DataFileError(
            f"{path}: array {key!r} declares shape {shape} of {dtype}, {n_bytes:,} bytes, but the archive "
            f"holds {max(info.file_size - header_size, 0):,} bytes for it; the file is corrupt"
        )


def _plain(key: str, labels: bool) -> str:
    """How to save the array ``key`` without Python objects: labels as text or numbers, features
    as numbers."""
    if labels:  # text labels from pandas (df.species.to_numpy()) are objects: str is what is read
        return (
            f"Save the labels as text or numbers instead: np.savez(..., {key}={key}.astype(str)) for "
            f"class names, {key}.astype(float) for numbers."
        )
    return f"Save the features as numbers instead: np.savez(..., {key}={key}.astype(float))."


def _cast_finite(arr: np.ndarray, dtype, key: str, path: Path) -> np.ndarray:
    """``arr`` (finite) as ``dtype``, refusing values too large for it (float64 → float32)."""
    with np.errstate(over="ignore"):
        out = arr.astype(dtype, copy=False)
    if not np.isfinite(out).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise DataFileError(
            f"{path}: {key!r} holds {arr[where].item()!r} at {list(where)}, too large for "
            f"{np.dtype(dtype).name} (largest {np.finfo(dtype).max:.4g}); rescale it, or pass "
            f"dtype=np.float64"
        )
    return out


def _check_targets(y: np.ndarray, n_samples: int, key: str, dtype, path: Path) -> np.ndarray:
    if y.ndim not in (1, 2):
        raise DataFileError(
            f"{path}: {key!r} must be labels (n_samples,) or targets (n_samples, n_outputs); "
            f"got shape {y.shape}"
        )
    if y.shape[0] != n_samples:
        raise DataFileError(
            f"{path}: X has {n_samples} samples but {key!r} has {y.shape[0]}; they must match"
        )
    if y.dtype.kind in "biu":
        return y.astype(np.int64)
    if y.dtype.kind == "U" and (y.ndim == 1 or y.shape[1] == 1):  # text labels, as a CSV may hold
        y = y.reshape(-1)
        if len(y) and not np.char.str_len(y).all():
            raise DataFileError(
                f"{path}: {key!r} holds an empty label at [{int(np.argmin(np.char.str_len(y)))}]"
            )
        return y
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            where = [int(i) for i in np.argwhere(~np.isfinite(y))[0]]
            value = float(y[tuple(where)])
            raise DataFileError(f"{path}: {key!r} contains NaN or infinity ({value!r} at {where}); remove it")
        return _cast_finite(y, dtype, key, path)
    raise DataFileError(f"{path}: {key!r} must hold numbers; got dtype {y.dtype}")


def load_npz(
    path: str | os.PathLike,
    x_key: str = "X",
    y_key: str | None = "y",
    *,
    dtype=np.float64,
    max_bytes: int = DEFAULT_MAX_BYTES,
    return_classes: bool = False,
):
    """Read features and targets from a NumPy ``.npz`` archive (as written by ``np.savez``).

    Parameters
    ----------
    path : the archive, compressed or not.
    x_key : name of the features array, shape ``(n_samples, n_features)``, numeric.
    y_key : name of the targets array, shape ``(n_samples,)`` or ``(n_samples, n_outputs)``;
        ``None`` to read features only.
    dtype : ``float64`` (default) or ``float32``, for ``X`` and real-valued targets.
    max_bytes : refuse a file, or an array in it, larger than this.
    return_classes : also return ``classes`` (below).

    Returns
    -------
    X : ``(n_samples, n_features)`` of ``dtype``, all finite.
    y : integer or boolean targets as ``int64``, real ones as ``dtype``; text labels (a
        ``str`` array, ``(n_samples,)`` or ``(n_samples, 1)``) numbered ``0..k−1`` in sorted
        order, as ``int64``, as :func:`~deltaprop.datasets.load_csv` numbers a CSV's;
        ``None`` without ``y_key``.
    classes : only with ``return_classes=True``: for text labels the sorted names, so that
        ``classes[y[i]]`` is the label as saved; else ``None`` (numbers are kept as they are).

    Raises
    ------
    DataFileError : not a zip archive, a missing key (the message lists those present), an
        object (pickled) array, a header that disagrees with the data, a corrupt member, a
        non-numeric, non-finite or wrongly shaped array.
    """
    path = Path(path)
    for value, name in ((x_key, "x_key"), (y_key, "y_key")):
        if not (isinstance(value, str) or (name == "y_key" and value is None)):
            raise TypeError(f"{name} must be an array name (str); got {value!r}")
    dtype = check_dtype(dtype)
    check_file_size(path, max_bytes)
    keys = [x_key] if y_key is None else [x_key, y_key]
    try:
        with zipfile.ZipFile(path) as archive:
            _check_keys(archive, x_key, y_key, path)
            for i, key in enumerate(keys):
                _precheck_member(archive, key, path, max_bytes, labels=i == 1)
        with np.load(path, allow_pickle=False) as archive:
            arrays = [archive[key] for key in keys]
    except DataFileError:
        raise
    except _ARCHIVE_ERRORS as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise DataFileError(f"{path}: not a readable .npz archive ({type(err).__name__}: {err})") from None

    X = arrays[0]
    if X.dtype.kind not in "biuf":
        raise DataFileError(f"{path}: {x_key!r} must hold numbers; got dtype {X.dtype}")
    if X.ndim != 2:
        raise DataFileError(
            f"{path}: {x_key!r} must be 2-D (n_samples, n_features); got shape {X.shape}. "
            f"Flatten each sample before saving, e.g. X.reshape(len(X), -1)."
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise DataFileError(f"{path}: {x_key!r} is empty (shape {X.shape})")
    if X.dtype.kind == "f" and not np.isfinite(X).all():
        i, j = np.argwhere(~np.isfinite(X))[0]
        raise DataFileError(
            f"{path}: {x_key!r} contains {float(X[i, j])!r} at [{i}, {j}]; remove NaN and infinity"
        )
    X = _cast_finite(X, dtype, x_key, path)
    y = None if y_key is None else _check_targets(arrays[1], X.shape[0], y_key, dtype, path)
    classes = None
    if y is not None and y.dtype.kind == "U":
        names, y = np.unique(y, return_inverse=True)
        classes, y = tuple(str(name) for name in names), y.astype(np.int64)
    return (X, y, classes) if return_classes else (X, y)
