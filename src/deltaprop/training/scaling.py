"""Scaling the inputs (and regression targets) for training, and folding it into the network.

A network learns far better from inputs of a small range: each net_j = Σ_i w_ij o_i + b_j of
the first hidden layer grows with the raw x_i, and features in the thousands saturate logistic
and tanh units before training begins. So the inputs are scaled, feature by feature, with
statistics of the TRAINING rows only (never the validation or test rows)::

    o_i = (x_i − μ_i) / s_i        standard: μ_i the mean, s_i the standard deviation
                                   minmax:   μ_i the minimum, s_i the range (max − min)

A feature constant in those rows (s_i = 0) says nothing the network could learn from: its
weights get no gradient (o_i = 0 in every training row) and keep their initial values. So it
is read as its training value in every row, o_i = 0, and the folded model has w_ij = 0 for it:
a value the training rows never held (a pixel lit only in a test image) does not reach those
untrained weights. For
regression with a linear output, the targets are scaled the same way, y' = (y − m) / s_y, so
that the quadratic cost's gradients are neither tiny nor enormous.

Once trained, the scaling is FOLDED into the network, so that it takes raw inputs and gives
raw targets, and nothing that reads a model file needs to know about it. For the first layer
of weights::

    net_j = Σ_i w_ij (x_i − μ_i) / s_i + b_j = Σ_i (w_ij / s_i) x_i + (b_j − Σ_i w_ij μ_i / s_i)

so w_ij ← w_ij / s_i and b_j ← b_j − Σ_i w_ij μ_i / s_i. For a linear output trained on
y', a_j = s_y,j (Σ_i w_ij h_i + b_j) + m_j, so w_ij ← s_y,j w_ij and b_j ← s_y,j b_j + m_j.
:func:`unfold` undoes both, for the diagnostics, which judge a run in its training units.

NumPy and training's own target check only: the scaling is useful from Python as well as
from ``deltaprop train --scale``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_dtype
from ._data import check_targets, iter_chunks

NONE, STANDARD, MINMAX = "none", "standard", "minmax"
METHODS = (NONE, STANDARD, MINMAX)
# Values read at a time, as a float64 block of rows (4 MB): the statistics and the scaled copy
# never hold more of the data in float64 than this (a float64 copy of 60,000 MNIST images in
# float32 would be 376 MB beside the 188 MB of the data), and the Python loop costs little.
BLOCK_VALUES = 1 << 19


@dataclass(frozen=True)
class Scaling:
    """The statistics of one scaling: o = (x − x_shift) / x_scale, y' = (y − y_shift) / y_scale.

    ``x_shift``, ``x_scale``: float64 ``(n_in,)``; ``y_shift``, ``y_scale``: float64
    ``(n_out,)``, or None when the targets are not scaled. ``constant``: the features
    (0-based columns) that were constant in the training rows, left with x_scale 1.
    """

    method: str
    x_shift: np.ndarray
    x_scale: np.ndarray
    y_shift: np.ndarray | None = None
    y_scale: np.ndarray | None = None
    constant: tuple[int, ...] = ()

    @property
    def targets(self) -> bool:
        return self.y_shift is not None

    def inputs(self, X: np.ndarray, dtype=np.float64, out: np.ndarray | None = None) -> np.ndarray:
        """``X`` ``(n, n_in)`` scaled: ``(X − x_shift) / x_scale``, 0 for the ``constant``
        features in every row (their value in the training rows).

        Computed in float64 a block of rows at a time and stored in ``dtype`` (the network's:
        the values it would train on from a float64 copy, without that copy), or into ``out``
        ``(n, n_in)``, a float array: ``X`` itself scales it in place."""
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != len(self.x_shift):
            raise ValueError(
                f"X must be (n_samples, {len(self.x_shift)}) inputs, as the scaling was computed "
                f"from; got shape {X.shape}"
            )
        O = _destination(X.shape, dtype, out)
        constant = list(self.constant)
        for start, stop in iter_chunks(len(X), _block_rows(X)):
            block = np.array(X[start:stop], dtype=np.float64)  # a copy: ``out`` may be X
            block -= self.x_shift
            block /= self.x_scale
            block[:, constant] = 0.0
            O[start:stop] = block
        return O

    def outputs(self, Y: np.ndarray, dtype=np.float64) -> np.ndarray:
        """Targets ``Y`` ``(n, n_out)`` scaled, computed in float64 and stored in ``dtype`` (as
        given when the targets are not scaled)."""
        if not self.targets:
            return Y
        scaled = (np.asarray(Y, dtype=np.float64) - self.y_shift) / self.y_scale
        return scaled.astype(check_dtype(dtype), copy=False)


def _destination(shape: tuple, dtype, out: np.ndarray | None) -> np.ndarray:
    """A new array of ``shape`` and ``dtype``, or ``out`` once checked to be a writable float
    array of that shape."""
    if out is None:
        return np.empty(shape, dtype=check_dtype(dtype))
    if not isinstance(out, np.ndarray) or out.shape != shape or out.dtype.kind != "f":
        what = (
            f"dtype {out.dtype.name}, shape {out.shape}"
            if isinstance(out, np.ndarray)
            else f"a {type(out).__name__}"
        )
        raise ValueError(f"out must be a float array of shape {shape}; got {what}")
    if not out.flags.writeable:
        raise ValueError("out must be writable; got a read-only array")
    return out


def _block_rows(A: np.ndarray) -> int:
    """Rows of ``A`` ``(n, k)`` in a block of about :data:`BLOCK_VALUES` values (1 at least)."""
    return max(1, BLOCK_VALUES // max(A.shape[1], 1))


def _column_sums(A: np.ndarray, prepare) -> np.ndarray:
    """Σ over the rows of ``prepare(block)`` (in place on a float64 copy of each block of
    ``A`` ``(n, k)``), float64 ``(k,)``. Each block's first row takes the sum so far, so that
    the sum runs row after row as NumPy's sum over axis 0 of the whole array does (the same
    rounding), without that array."""
    total = np.zeros(A.shape[1])
    for start, stop in iter_chunks(len(A), _block_rows(A)):
        block = prepare(np.array(A[start:stop], dtype=np.float64))
        block[0] += total
        total = block.sum(axis=0)
    return total


def _extremes(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest value of each column of ``A`` ``(n, k)``, float64 ``(k,)``
    (NaN where a column holds one), a block of rows at a time."""
    low, high = np.full(A.shape[1], np.inf), np.full(A.shape[1], -np.inf)
    for start, stop in iter_chunks(len(A), _block_rows(A)):
        block = np.asarray(A[start:stop], dtype=np.float64)
        np.minimum(low, block.min(axis=0), out=low)  # NaN carries through, as A.min's
        np.maximum(high, block.max(axis=0), out=high)
    return low, high


def _statistics(A: np.ndarray, method: str, name: str, dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-column (shift, scale, constant) of ``A`` ``(n, k)`` for ``method``; a constant
    column's scale is 1. ValueError, naming the column of ``name`` and its magnitude, where a
    statistic is beyond ``dtype`` (the network's, which the folded model is stored in)."""
    A = np.asarray(A)  # read a block of rows at a time in float64: never converted whole
    n = len(A)
    low, high = _extremes(A)
    constant = low == high  # exact: a float std of a constant column need not be 0
    if method == STANDARD:
        # Each column is divided by a power of two near its greatest |value| first, so that
        # neither the mean's sum nor the std's squares overflow (1e160² is inf) or underflow;
        # a power of two changes no rounding, so the statistics are those of A itself.
        _, exponent = np.frexp(np.maximum(-low, high))  # |value| < 2**exponent
        unit = np.ldexp(1.0, exponent - 1)  # 2**1024 would be inf

        def divided(U):  # U = A / unit, in place on a block's float64 copy
            return np.divide(U, unit, out=U)

        def deviations_squared(U):  # (U − mean)², in place
            U = divided(U)
            U -= mean
            return np.square(U, out=U)

        mean = _column_sums(A, divided) / n
        squares = _column_sums(A, deviations_squared)  # a second pass, as np.std's
        shift, scale = mean * unit, np.sqrt(squares / n) * unit  # ddof 0, as StandardScaler
    elif method == MINMAX:
        with np.errstate(over="ignore"):
            shift, scale = low, high - low
    else:
        raise ValueError(f"method must be {STANDARD!r} or {MINMAX!r} to compute statistics; got {method!r}")
    largest = float(np.finfo(dtype).max)
    for j in np.flatnonzero(~(np.maximum(np.abs(shift), scale) <= largest)):
        statistic = "range (max − min)" if method == MINMAX else "mean or standard deviation"
        raise ValueError(
            f"cannot scale {name} column {j} ({method}): its values reach {max(-low[j], high[j]):.3g} "
            f"(from {low[j]:.3g} to {high[j]:.3g}), and its {statistic} is beyond "
            f"{np.dtype(dtype).name} (largest {largest:.3g}), which the model with the scaling "
            f"folded in could not hold. Divide the column by a power of ten first"
            + (", or scale it with 'standard'" if method == MINMAX else "")
        )
    return shift, np.where(constant, 1.0, scale), constant


def fit_scaling(X, method: str, Y=None, dtype=np.float64) -> Scaling:
    """The statistics of ``X`` ``(n, n_in)`` (the training rows only), and of the targets
    ``Y`` ``(n, n_out)`` when given (regression with a linear output), for ``method``
    (``"standard"`` or ``"minmax"``).

    ValueError for a column whose statistics ``dtype`` (the network's) cannot hold: folded
    into the model they would make its weights infinite."""
    if method not in (STANDARD, MINMAX):
        raise ValueError(f"method must be one of {STANDARD!r}, {MINMAX!r}; got {method!r}")
    X = np.asarray(X)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X must be a non-empty (n_samples, n_in) array; got shape {X.shape}")
    x_shift, x_scale, constant = _statistics(X, method, "X", dtype)
    y_shift = y_scale = None
    if Y is not None:
        Y = np.asarray(Y)
        if Y.ndim != 2 or len(Y) != len(X):
            raise ValueError(f"Y must be ({len(X)}, n_out) targets; got shape {Y.shape}")
        y_shift, y_scale, _ = _statistics(Y, method, "the targets' (Y's)", dtype)
    return Scaling(
        method, x_shift, x_scale, y_shift, y_scale, tuple(int(i) for i in np.flatnonzero(constant))
    )


def _check_fits(net, scaling: Scaling) -> None:
    if net.sizes[0] != len(scaling.x_shift):
        raise ValueError(f"the scaling has {len(scaling.x_shift)} inputs, the network {net.sizes[0]}")
    if scaling.targets:
        if net.sizes[-1] != len(scaling.y_shift):
            raise ValueError(
                f"the scaling has {len(scaling.y_shift)} targets, the network {net.sizes[-1]} outputs"
            )
        if net.activations[-1].name != "linear":
            raise ValueError(
                f"scaled targets fold into a linear output layer only; got {net.activations[-1].name}"
            )


def fold(net, scaling: Scaling):
    """A copy of ``net`` (trained on scaled data) that takes raw inputs and gives raw targets.

    Computed in float64 and stored in the network's dtype. Its outputs on raw ``X`` equal
    ``net``'s on ``scaling.inputs(X)`` (then unscaled), up to rounding.
    """
    _check_fits(net, scaling)
    weights = [np.asarray(w, dtype=np.float64) for w in net.weights]
    biases = [np.asarray(b, dtype=np.float64) for b in net.biases]
    # first layer: w_ij / s_i, and b_j − Σ_i w_ij μ_i / s_i, with w_ij = 0 for a constant
    # feature i first (its o_i is 0 in every row, so neither its weight nor its μ_i counts)
    weights[0] = weights[0] / scaling.x_scale[:, None]
    weights[0][list(scaling.constant)] = 0.0
    biases[0] = biases[0] - scaling.x_shift @ weights[0]
    if scaling.targets:  # a linear output: a = s_y (Σ w h + b) + m
        weights[-1] = weights[-1] * scaling.y_scale[None, :]
        biases[-1] = biases[-1] * scaling.y_scale + scaling.y_shift
    twin = net.copy()
    twin.weights, twin.biases = weights, biases
    return twin


def unfold(net, scaling: Scaling):
    """:func:`fold` undone: a copy of ``net`` (raw in, raw out) that takes scaled inputs and
    gives scaled targets, as the network was trained; equal up to rounding (a constant
    feature's weights, which fold set to 0, stay 0: its scaled input is 0 in every row)."""
    _check_fits(net, scaling)
    weights = [np.asarray(w, dtype=np.float64) for w in net.weights]
    biases = [np.asarray(b, dtype=np.float64) for b in net.biases]
    if scaling.targets:  # before the first layer, when the output layer is the first layer too
        biases[-1] = (biases[-1] - scaling.y_shift) / scaling.y_scale
        weights[-1] = weights[-1] / scaling.y_scale[None, :]
    biases[0] = biases[0] + scaling.x_shift @ weights[0]
    weights[0] = weights[0] * scaling.x_scale[:, None]
    twin = net.copy()
    twin.weights, twin.biases = weights, biases
    return twin


# A Scaling in a checkpoint's training state: these arrays (top-level state arrays become
# tensors), and the method and the constant features as JSON (a checkpoint without the
# constant features, written before they were kept, has none: its fold leaves their weights).
STATE_KEYS = ("x_shift", "x_scale", "y_shift", "y_scale")
STATE_PREFIX = "scale_"


def to_state(scaling: Scaling) -> dict:
    """``scaling`` as checkpoint state entries: ``scale_method`` and the arrays ``scale_x_shift``, ..."""
    state = {f"{STATE_PREFIX}method": scaling.method, f"{STATE_PREFIX}constant": list(scaling.constant)}
    for key in STATE_KEYS:
        value = getattr(scaling, key)
        if value is not None:
            state[STATE_PREFIX + key] = value
    return state


def from_state(state: dict) -> Scaling | None:
    """The Scaling that :func:`to_state` put in ``state``; None where the run did not scale.
    ``ValueError`` for entries that are not such a scaling."""
    method = state.get(f"{STATE_PREFIX}method")
    if method is None:
        return None
    arrays = {key: state.get(STATE_PREFIX + key) for key in STATE_KEYS}
    if method not in (STANDARD, MINMAX):
        raise ValueError(f"its scaling method is {method!r:.40}, not {STANDARD!r} or {MINMAX!r}")
    for key, value in arrays.items():
        needed = key.startswith("x_") or arrays["y_shift"] is not None or arrays["y_scale"] is not None
        if value is None and needed:
            raise ValueError(f"it lacks the scaling's {STATE_PREFIX + key!r}")
        if value is not None and not (
            isinstance(value, np.ndarray) and value.dtype == np.float64 and value.ndim == 1
        ):
            raise ValueError(f"its {STATE_PREFIX + key!r} is not a float64 vector")
    if arrays["x_shift"].shape != arrays["x_scale"].shape or (
        arrays["y_shift"] is not None and arrays["y_shift"].shape != arrays["y_scale"].shape
    ):
        raise ValueError("its scaling's shift and scale differ in length")
    if not all(
        np.all(np.isfinite(v)) and (not k.endswith("scale") or np.all(v > 0))
        for k, v in arrays.items()
        if v is not None
    ):
        raise ValueError("its scaling holds a non-finite value or a scale ≤ 0")
    constant = state.get(f"{STATE_PREFIX}constant", [])
    n_in = len(arrays["x_shift"])
    if not isinstance(constant, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n_in for i in constant
    ):
        raise ValueError(f"its {STATE_PREFIX}constant is not a list of feature numbers below {n_in}")
    return Scaling(method, **arrays, constant=tuple(constant))


def scaled_targets(output_activation: str, n_out: int, Y) -> bool:
    """Whether a scaled run scales its targets ``Y`` too: real targets ``(n, n_out)`` (not
    class labels, nor a 0/1 column, which ``fit`` reads as classes) of a linear output layer."""
    if output_activation != "linear" or np.ndim(Y) != 2:
        return False
    return not check_targets(Y, n_out, len(Y)).classify
