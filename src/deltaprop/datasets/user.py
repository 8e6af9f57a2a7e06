"""The user's own data: CSV text and NumPy ``.npz`` archives, read strictly and safely.

Both loaders return ``(X, y)``: ``X`` a finite ``(n_samples, n_features)`` array of ``dtype``
and ``y`` the targets (see each function for how labels are typed), or ``None`` when the file
has no label column/array. A malformed, truncated or hostile file raises
:class:`~deltaprop.errors.DataFileError` saying where and what; a file larger than
``max_bytes`` is refused before it is read. ``.npz`` files are always opened with
``allow_pickle=False``, and a Python-object array inside one is refused before NumPy is
asked to read it: loading data never runs code.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import numbers
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .._validation import check_dtype, check_positive_int
from ..errors import DataFileError

#: Files larger than this are refused unless ``max_bytes`` is raised (1 GiB).
DEFAULT_MAX_BYTES = 1 << 30
HEADER_CHOICES = ("infer", True, False)
#: Integer labels up to this are class indices, each named in ``classes``; above it (a label
#: such as 99999999999) ``classes`` is ``None`` rather than a tuple of billions of names.
MAX_NAMED_CLASSES = 1 << 16
#: Integer-valued labels above this (2^53) are not exact in float64, so they are real targets.
MAX_EXACT_INTEGER = 1 << 53
#: What a first line may hold in a feature column and still be data with a missing value,
#: not a header: an empty cell or a usual missing-value marker (compared in lower case).
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-"})
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


def _check_size(path: Path, max_bytes: int) -> None:
    max_bytes = check_positive_int(max_bytes, "max_bytes")
    size = path.stat().st_size  # FileNotFoundError for a missing file, as open() would raise
    if size > max_bytes:
        raise DataFileError(
            f"{path}: the file is {size:,} bytes, more than the limit of {max_bytes:,} bytes "
            f"(pass a larger max_bytes to read it anyway)"
        )


# ---------------------------------------------------------------------------------------- CSV


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _looks_like_header(cells: list[str]) -> bool:
    """Whether a first line's feature cells name columns: none is a number, one at least is a name.

    A data line with a missing value (``1,,3`` or ``1,NA,3``) has numbers in its other cells
    and is not taken for a header (which would silently drop it).
    """
    cells = [cell.strip() for cell in cells]
    if any(_is_number(cell) for cell in cells):
        return False
    return any(cell.lower() not in MISSING_MARKERS for cell in cells)


def _column_label(names: list[str] | None, index: int) -> str:
    return f"column {names[index]!r} (index {index})" if names else f"column {index}"


def _resolve_label_column(label_column, first_row: list[str], has_header: bool, path: Path) -> int | None:
    width = len(first_row)
    if label_column is None:
        return None
    if isinstance(label_column, str):
        if not has_header:
            raise ValueError(
                f"label_column={label_column!r} names a column, but header=False says the file has no "
                f"header row; give the column's index instead"
            )
        names = [cell.strip() for cell in first_row]
        if label_column not in names:
            raise DataFileError(f"{path}: no column named {label_column!r}; the header row has {names}")
        return names.index(label_column)
    if -width <= label_column < width:
        return label_column % width
    raise DataFileError(
        f"{path}: label_column={label_column} is out of range: the file has {width} columns "
        f"(valid indices {-width}..{width - 1})"
    )


def _parse_row(cells: list[str], line: int, names, columns: list[int], dtype, path) -> np.ndarray:
    """One line's feature cells ``(n_features,)`` as finite numbers; name the first bad cell if any."""
    try:
        with np.errstate(over="ignore"):  # 1e40 in float32: reported below, by cell
            values = np.array(cells, dtype=dtype)
    except ValueError:
        # Slow path, only to name the first bad cell (or to parse what NumPy's reader refuses).
        values = np.empty(len(cells), dtype=dtype)
        for j, cell in enumerate(cells):
            try:
                number = float(cell)
            except ValueError:
                what = "an empty value (missing data)" if not cell.strip() else f"{cell!r}"
                hint = ""
                if line == 1 and names is None:
                    hint = " (if line 1 names the columns, pass header=True)"
                raise DataFileError(
                    f"{path}: line {line}, {_column_label(names, columns[j])}: {what} is not a "
                    f"number; every feature must be numeric{hint}"
                ) from None
            with np.errstate(over="ignore"):
                values[j] = number
    if not np.isfinite(values).all():
        j = int(np.argmax(~np.isfinite(values)))
        raise DataFileError(
            f"{path}: line {line}, {_column_label(names, columns[j])}: {_not_finite(cells[j], dtype)}"
        )
    return values


def _not_finite(cell: str, dtype: np.dtype) -> str:
    """Why ``cell`` is not a finite number of ``dtype``: NaN/inf, or too large for float32."""
    cell = cell.strip()
    if math.isfinite(float(cell)):
        return (
            f"{cell!r} is too large for {np.dtype(dtype).name} (largest {np.finfo(dtype).max:.4g}); "
            f"rescale it, or pass dtype=np.float64"
        )
    return f"{cell!r} is not finite; remove or impute NaN and infinite values"


def _data_rows(text: str, delimiter: str, path: Path):
    """``(line number, cells)`` for each line that is not blank."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as err:
        raise DataFileError(f"{path}: line {reader.line_num}: malformed CSV ({err})") from None


def _parse_labels(cells: list[str], lines: list[int], names, column: int, dtype, path):
    """Labels as (y, classes); see :func:`load_csv` for the rules."""
    cells = [cell.strip() for cell in cells]
    for i, cell in enumerate(cells):
        if not cell:
            raise DataFileError(
                f"{path}: line {lines[i]}, {_column_label(names, column)}: the label is empty"
            )
    if all(_is_number(cell) for cell in cells):
        values = np.array([float(cell) for cell in cells])
        if not np.isfinite(values).all():
            i = int(np.argmax(~np.isfinite(values)))
            raise DataFileError(
                f"{path}: line {lines[i]}, {_column_label(names, column)}: label {cells[i]!r} is not finite"
            )
        if np.all(values == np.round(values)) and values.min() >= 0 and values.max() <= MAX_EXACT_INTEGER:
            y = values.astype(np.int64)
            n_classes = int(y.max()) + 1
            return y, (tuple(range(n_classes)) if n_classes <= MAX_NAMED_CLASSES else None)
        with np.errstate(over="ignore"):
            targets = values.astype(dtype)
        if not np.isfinite(targets).all():
            i = int(np.argmax(~np.isfinite(targets)))
            where = f"line {lines[i]}, {_column_label(names, column)}"
            raise DataFileError(f"{path}: {where}: label {_not_finite(cells[i], dtype)}")
        return targets, None
    classes = tuple(sorted(set(cells)))
    index = {name: k for k, name in enumerate(classes)}
    return np.array([index[cell] for cell in cells], dtype=np.int64), classes


def load_csv(
    path: str | os.PathLike,
    label_column: int | str | None = -1,
    *,
    header="infer",
    delimiter: str = ",",
    dtype=np.float64,
    return_classes: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
):
    """Read a table of numbers from a CSV file: one sample per line, one label column.

    Parameters
    ----------
    path : a UTF-8 text file (a leading byte-order mark is allowed); blank lines are skipped.
    label_column : the label column's index (negative counts from the end; default the last)
        or, with a header row, its name; ``None`` when the file holds features only.
        Every other column is a feature.
    header : ``True`` if the first line names the columns, ``False`` if it is data,
        ``"infer"`` (default) to decide: it is a header when ``label_column`` is a name, or
        when none of its cells outside the label column is a number and one at least is a
        name (not empty, nor a missing-value marker such as ``NA``). So a first data line
        with a missing value is data (and refused, naming the cell), never dropped as a
        header; a header with numeric column names needs ``header=True``.
    delimiter : the one-character field separator.
    dtype : ``float64`` (default) or ``float32``, for ``X`` and real-valued targets.
    return_classes : also return ``classes`` (below).
    max_bytes : refuse files larger than this.

    Returns
    -------
    X : ``(n_samples, n_features)`` of ``dtype``, all finite.
    y : ``(n_samples,)``, or ``None`` when ``label_column`` is ``None``:

        - labels that are all integers from 0 to 2^53 are kept as they are, as ``int64``;
        - labels that are all numbers otherwise (``0.5``, ``-1``, ``1e300``) are real-valued
          targets of ``dtype`` (for regression);
        - any other labels (``"cat"``, ``"dog"``) are class names, mapped to ``0..k-1`` in
          sorted order, as ``int64``.
    classes : only with ``return_classes=True``: a tuple such that ``classes[y[i]]`` is the
        label as written in the file (``range``-like ints for integer labels, the sorted
        names for string labels), or ``None`` for real-valued targets, no labels, or
        integer labels above :data:`MAX_NAMED_CLASSES` − 1 (too many classes to name).

    Raises
    ------
    DataFileError : not UTF-8 text, malformed quoting, a line with the wrong number of fields,
        a non-numeric, empty or non-finite feature or one too large for ``dtype`` (the
        message names the line and column), an empty or non-finite label, no data lines
        or no feature column.
    """
    path = Path(path)
    if header not in HEADER_CHOICES or isinstance(header, (int, float)) and not isinstance(header, bool):
        raise ValueError(f"header must be 'infer', True or False; got {header!r}")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        raise ValueError(f"delimiter must be one character other than a quote or newline; got {delimiter!r}")
    if label_column is not None and (
        isinstance(label_column, bool) or not isinstance(label_column, (numbers.Integral, str))
    ):
        raise TypeError(
            f"label_column must be a column index (int), a column name (str) or None; got {label_column!r}"
        )
    dtype = check_dtype(dtype)
    _check_size(path, max_bytes)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataFileError(
            f"{path}: not UTF-8 text (byte 0x{raw[err.start]:02X} at offset {err.start}); "
            f"is this really a CSV file? Save it as UTF-8."
        ) from None

    rows = _data_rows(text, delimiter, path)
    first = next(rows, None)
    if first is None:
        raise DataFileError(f"{path}: the file holds no data")
    first_row = first[1]
    width = len(first_row)

    if header == "infer":
        if isinstance(label_column, str):
            has_header = True
        else:
            skip = None
            if label_column is not None and -width <= label_column < width:
                skip = label_column % width
            has_header = _looks_like_header([cell for j, cell in enumerate(first_row) if j != skip])
    else:
        has_header = header
    column = _resolve_label_column(label_column, first_row, has_header, path)
    names = [cell.strip() for cell in first_row] if has_header else None
    columns = [j for j in range(width) if j != column]
    if not columns:
        raise DataFileError(
            f"{path}: no feature columns: the file has {width} column(s) and one is the label column"
        )

    # Parse line by line, so only numbers (not every cell's text) are held for the whole file.
    features, labels, lines = [], [], []
    for line, row in itertools.chain([] if has_header else [first], rows):
        if len(row) != width:
            raise DataFileError(
                f"{path}: line {line} has {len(row)} fields, expected {width} (as on the first line)"
            )
        features.append(_parse_row([row[j] for j in columns], line, names, columns, dtype, path))
        if column is not None:
            labels.append(row[column])
        lines.append(line)
    if not features:
        raise DataFileError(f"{path}: the file has a header row but no data lines")
    X = np.stack(features)
    del features
    y, classes = (None, None)
    if column is not None:
        y, classes = _parse_labels(labels, lines, names, column, dtype, path)
    return (X, y, classes) if return_classes else (X, y)


# ---------------------------------------------------------------------------------------- NPZ


def _precheck_member(archive: zipfile.ZipFile, key: str, path: Path, max_bytes: int) -> None:
    """Read one member's .npy header and refuse what ``np.load`` should never be asked to read."""
    member = key + _NPY_SUFFIX
    try:
        info = archive.getinfo(member)
    except KeyError:
        keys = sorted(name[: -len(_NPY_SUFFIX)] for name in archive.namelist() if name.endswith(_NPY_SUFFIX))
        raise DataFileError(f"{path}: no array named {key!r}; the archive holds {keys}") from None
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
            f"unpickling, and unpickling can run arbitrary code; deltaprop refuses it. Save plain "
            f"numeric arrays instead (e.g. X.astype(float))."
        )
    n_bytes = int(np.prod(shape, dtype=object)) * dtype.itemsize  # Python ints: no overflow
    if n_bytes != info.file_size - header_size:
        raise DataFileError(
            f"{path}: array {key!r} declares shape {shape} of {dtype}, {n_bytes:,} bytes, but the archive "
            f"holds {max(info.file_size - header_size, 0):,} bytes for it; the file is corrupt"
        )


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
) -> tuple[np.ndarray, np.ndarray | None]:
    """Read features and targets from a NumPy ``.npz`` archive (as written by ``np.savez``).

    Parameters
    ----------
    path : the archive, compressed or not.
    x_key : name of the features array, shape ``(n_samples, n_features)``, numeric.
    y_key : name of the targets array, shape ``(n_samples,)`` or ``(n_samples, n_outputs)``;
        ``None`` to read features only.
    dtype : ``float64`` (default) or ``float32``, for ``X`` and real-valued targets.
    max_bytes : refuse a file, or an array in it, larger than this.

    Returns
    -------
    X : ``(n_samples, n_features)`` of ``dtype``, all finite.
    y : integer or boolean targets as ``int64``, real ones as ``dtype``; ``None`` without ``y_key``.

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
    _check_size(path, max_bytes)
    keys = [x_key] if y_key is None else [x_key, y_key]
    try:
        with zipfile.ZipFile(path) as archive:
            for key in keys:
                _precheck_member(archive, key, path, max_bytes)
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
    return X, y
