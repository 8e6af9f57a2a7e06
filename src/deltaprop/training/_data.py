"""Training data at the boundary: checked once, never copied whole, gathered batch by batch.

X is validated by the core's ``check_features``, which does not convert it: a float32 X
stays float32 for a float64 network and is cast one mini-batch at a time.
``check_targets`` reads Y as integer class labels, one-hot rows, 0/1 labels of a
single-output net, or real regression targets.
``Gatherer`` copies the rows of a mini-batch, by index, into preallocated C-contiguous
buffers of the network's dtype (and the rows' per-sample weights, when there are any), which
the training step then reads; it first refuses values
that this cast would make infinite (float64 data beyond ±3.4e38 for a float32 network),
unless the caller has checked them already (``checked=True``, as ``fit`` does up front).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._predict import classes_of
from .._validation import (
    TARGETS,
    check_finite,
    check_labels,
    check_n_columns,
    check_range,
    check_target_rows,
)

# Dense one-hot targets are built once when they hold at most this many numbers (64 MB in
# float64); beyond that they are built per mini-batch.
ONE_HOT_ONCE_LIMIT = 1 << 23

# Values of Y read per block by ``extent`` (512 KiB in float64): small enough to stay in the
# cache between the block's min/max and its 0/1 test, large enough that the Python loop
# costs little (MNIST-size 60000 × 784 targets: ~720 blocks).
EXTENT_BLOCK = 1 << 16

CLASSES, BINARY, REGRESSION = "classes", "binary", "regression"


@dataclass
class Targets:
    """What Y turned out to be.

    ``kind`` is ``"classes"`` (labels 0..n_out−1, one-hot for the output layer),
    ``"binary"`` (a single output trained towards 0/1 labels, predicted by a > 0.5) or
    ``"regression"`` (real targets, no accuracy). ``labels`` is ``(n_samples,)`` int64 for
    the first two; ``values`` is the ``(n_samples, n_out)`` array of real targets otherwise.
    """

    kind: str
    n_out: int
    labels: np.ndarray | None = None
    values: np.ndarray | None = None
    low: float | None = None  # the least and greatest of ``values``, found as they were checked
    high: float | None = None
    flat: bool = False  # Y was given as ``(n_samples,)``, as labels are, not as a column of targets

    def range(self) -> tuple[float, float]:
        """(least, greatest) target: of ``values``, or 0 and 1 for labels (one-hot or 0/1)."""
        if self.kind != REGRESSION:
            return 0.0, 1.0
        if self.low is None or self.high is None:
            self.low, self.high = float(self.values.min()), float(self.values.max())
        return self.low, self.high

    @property
    def classify(self) -> bool:
        return self.kind != REGRESSION

    def __len__(self) -> int:
        return len(self.labels) if self.labels is not None else len(self.values)


def check_targets(Y, n_out: int, n_samples: int, name: str = "Y", dtype=None, x_name: str = "X") -> Targets:
    """Read ``Y`` as labels ``(n,)``, one-hot ``(n, n_out)`` or real targets ``(n, n_out)``.

    A column ``(n, 1)`` of whole numbers is labels too when ``n_out > 1`` (see
    :func:`~deltaprop._validation.check_target_rows`).

    ``n_samples`` is the number of rows of the inputs named ``x_name`` in messages. With
    ``dtype`` (the network's), real targets that the cast to it would make infinite are refused.
    """
    arr = check_target_rows(Y, n_out, n_samples, name, x_name)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.ndim == 1 and n_out > 1:
        return Targets(CLASSES, n_out, labels=check_labels(arr, n_out, name))
    # One pass over Y (extent) serves every check that follows: its least and greatest values
    # are finite only if every value is (NaN and ±inf carry through min and max), within the
    # network's dtype only if every value is, and only targets of 0s and 1s can be labels; each
    # check reads Y again only to name what it refuses. fit's output check (output_cost.py)
    # reads the same two numbers.
    low, high, zeros_and_ones = extent(arr)
    if not (np.isfinite(low) and np.isfinite(high)):
        check_finite(arr, name)
    if dtype is not None and max(-low, high) > _largest(dtype):
        check_range(arr, dtype, name, TARGETS)
    flat = arr.ndim == 1
    if flat:
        arr = arr.reshape(-1, 1)
    check_n_columns(arr, n_out, name)
    if zeros_and_ones:
        if n_out == 1:
            return Targets(BINARY, 1, labels=arr[:, 0].astype(np.int64))
        if np.all(arr.sum(axis=1) == 1):
            return Targets(CLASSES, n_out, labels=arr.argmax(axis=1).astype(np.int64))
    return Targets(REGRESSION, n_out, values=arr, low=low, high=high, flat=flat)


def extent(arr: np.ndarray) -> tuple[float, float, bool]:
    """``(least, greatest, only 0s and 1s)`` of ``arr`` ``(n,)`` or ``(n, k)``, in one pass.

    Through blocks of about :data:`EXTENT_BLOCK` values, so each block is still in the cache
    when it is tested for 0/1 (which stops at the first block that fails). NaN anywhere makes
    the least and greatest NaN. An empty ``arr`` gives ``(0.0, 0.0, True)``.
    """
    if not arr.size:
        return 0.0, 0.0, True
    rows = max(1, EXTENT_BLOCK // max(arr.size // arr.shape[0], 1))
    low, high, zeros_and_ones = np.inf, -np.inf, True
    for start in range(0, arr.shape[0], rows):
        block = arr[start : start + rows]
        low, high = np.minimum(low, block.min()), np.maximum(high, block.max())  # NaN carries through
        if zeros_and_ones:
            zeros_and_ones = bool(low >= 0 and high <= 1 and ((block == 0) | (block == 1)).all())
    return float(low), float(high), zeros_and_ones


def _largest(dtype) -> float:
    """The largest finite value of ``dtype``; infinity for a dtype that is not a float."""
    dtype = np.dtype(dtype)
    return float(np.finfo(dtype).max) if dtype.kind == "f" else np.inf


def count_correct(a: np.ndarray, labels: np.ndarray, weights: np.ndarray | None = None) -> int | float:
    """How many rows of outputs a ``(n, n_out)`` predict ``labels`` ``(n,)``: argmax, or a > 0.5.

    With ``weights`` ``(n,)``, the sum of the weights of those rows instead (a float).
    """
    hit = classes_of(a) == labels
    if weights is not None:
        return float(np.dot(weights, hit))
    return int(np.count_nonzero(hit))


def epoch_hits(outputs, preds, labels, order, rows: slice, weights=None) -> int | float:
    """Correct predictions among an epoch's ``rows`` (positions in ``order``), from the epoch's
    outputs ``(n, n_out)`` or, where fit made them per mini-batch, its predictions ``(n,)``;
    with ``weights`` (one per row of X), the sum of their weights."""
    idx = order[rows]
    s = None if weights is None else weights[idx]
    if outputs is not None:
        return count_correct(outputs[rows], labels[idx], s)
    hit = preds[rows] == labels[idx]
    return int(np.count_nonzero(hit)) if s is None else float(np.dot(s, hit))


class Gatherer:
    """Copies the rows ``idx`` of X and of the targets into reused buffers of ``dtype``.

    The fast path of the loop: ``take(..., out=)`` writes straight into the buffer when X
    already has the network's dtype; otherwise rows go to a scratch buffer of X's own dtype
    and are cast with ``np.copyto``, so X is never converted whole. The arrays' own ``take``
    methods are kept bound: ``np.take`` reaches the same method through a Python wrapper
    that costs ~0.5 µs a call (twice a step, ~1 % of a step at Nielsen's mini-batch of 10).
    ``take`` is only for a C-ordered X: given any other layout (a DataFrame's ``to_numpy()``
    is Fortran-ordered, ``data[:, 1:]`` is strided) it first copies the whole array to C
    order, on every call (measured: 56 ms a mini-batch of MNIST in Fortran order against
    1.6 µs in C order). Such an X is gathered by indexing, ``X[idx]`` (20 µs in Fortran
    order, 2 µs strided), which reads only the rows asked for.
    """

    def __init__(
        self,
        X: np.ndarray,
        targets: Targets,
        dtype: np.dtype,
        batch_size: int,
        checked: bool = False,
        sample_weight: np.ndarray | None = None,
    ):
        if not checked:  # the cast below must not turn a finite value into ±inf (1e39 → float32)
            check_range(X, dtype, "X")
            if targets.kind == REGRESSION:
                check_range(targets.values, dtype, "Y", TARGETS)
        self.X = X
        self._take_x = X.take if X.flags.c_contiguous else None  # see the class's docstring
        self.targets = targets
        self.dtype = dtype
        n_in, n_out = X.shape[1], targets.n_out
        self._xbuf = np.empty((batch_size, n_in), dtype=dtype)
        self._xscratch = None if X.dtype == dtype else np.empty((batch_size, n_in), dtype=X.dtype)
        self._ybuf = np.empty((batch_size, n_out), dtype=dtype)
        self._rows = np.arange(batch_size)
        # Per-sample weights ``(n_samples,)`` of ``dtype``, checked by the caller, or None.
        if sample_weight is not None and not sample_weight.flags.c_contiguous:
            sample_weight = np.ascontiguousarray(sample_weight)  # take() would copy it every step
        self.sample_weight = sample_weight
        self._sbuf = None if sample_weight is None else np.empty(batch_size, dtype=dtype)
        self.dense = None  # the full target matrix in `dtype`, when small enough to build once
        if targets.kind == REGRESSION:
            values = targets.values
            if values.dtype == dtype and values.flags.c_contiguous:
                self.dense = values
            elif values.size <= ONE_HOT_ONCE_LIMIT:
                self.dense = np.ascontiguousarray(values, dtype=dtype)
        elif len(targets) * n_out <= ONE_HOT_ONCE_LIMIT:
            self.dense = self._encode(targets.labels, np.empty((len(targets), n_out), dtype=dtype))

    def _encode(self, labels: np.ndarray, out: np.ndarray) -> np.ndarray:
        """One-hot rows (or a 0/1 column for a single output) for ``labels`` into ``out``."""
        if self.targets.n_out == 1:
            out[:, 0] = labels
        else:
            n = len(labels)
            rows = self._rows[:n] if n <= len(self._rows) else np.arange(n)
            out.fill(0.0)
            out[rows, labels] = 1.0
        return out

    def x(self, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of X as a C-contiguous ``(len(idx), n_in)`` array of ``dtype``."""
        nb = len(idx)
        out = self._xbuf[:nb]
        if self._take_x is None:  # not C-ordered: indexing reads only these rows
            np.copyto(out, self.X[idx], casting="unsafe")
        elif self._xscratch is None:
            self._take_x(idx, axis=0, out=out, mode="clip")  # 'clip': no extra buffering
        else:
            scratch = self._xscratch[:nb]
            self._take_x(idx, axis=0, out=scratch, mode="clip")
            np.copyto(out, scratch, casting="unsafe")
        return out

    def s(self, idx: np.ndarray) -> np.ndarray:
        """The weights of rows ``idx``, ``(len(idx),)`` of ``dtype`` (with ``sample_weight`` only)."""
        out = self._sbuf[: len(idx)]
        self.sample_weight.take(idx, out=out, mode="clip")
        return out

    def y(self, idx: np.ndarray) -> np.ndarray:
        """Targets of rows ``idx`` as a C-contiguous ``(len(idx), n_out)`` array of ``dtype``."""
        out = self._ybuf[: len(idx)]
        if self.dense is not None:
            self.dense.take(idx, axis=0, out=out, mode="clip")
            return out
        if self.targets.kind == REGRESSION:
            np.copyto(out, self.targets.values[idx], casting="unsafe")
            return out
        return self._encode(self.targets.labels[idx], out)


def iter_chunks(n: int, chunk: int):
    """``(start, stop)`` pairs covering 0..n in steps of ``chunk``."""
    for start in range(0, n, chunk):
        yield start, min(start + chunk, n)
