"""The scale of the inputs: raw values far outside a small range saturate neurons from the start.

Each weighted input net = Σ_i w_ij x_i grows with the x_i: inputs such as raw 0..255 pixels
push logistic and tanh units into saturation before training begins, and make the steps of
SGD enormous. :func:`check_input_scale` finds them, and says what it sees in the terms of the
scaling that made the inputs, where one did: a per-feature scaling (standardising, min-max)
with statistics of the training rows can itself make huge values, from a feature nearly
constant there (a pixel almost always 0: its rare other values over a tiny std), or from other
rows (the validation split) outside its range. (A feature constant in the training rows is read
as its training value by ``Scaling.inputs``, 0 in every row; X scaled by other means may not.)

Features that share one range of whole numbers, as pixels do (0..255), want one scale for all,
x / 255 as the book and ``load_mnist`` divide them: scaling each pixel by its own statistics
is what blows up the rarely lit ones, so that advice is given first for such data.
"""

from __future__ import annotations

import numpy as np

from .finding import Finding

INPUT_SCALE_LIMIT = 10.0  # max |x| above this: inputs are not scaled to a small range
# Whole numbers are recognised in the raw ranges recovered from scaled inputs up to this
# fraction of the largest (the rounding of (x − shift) / scale · scale + shift).
WHOLE_TOLERANCE = 1e-6
RAW_DIGITS = 6  # decimals of the raw range said (0, not -5.55e-17, for a recovered 0)

CONSEQUENCE_AT = (
    "net = Σ w_ij x_i is huge, which saturates logistic and tanh units and makes the steps of SGD enormous."
)
CONSEQUENCE = f"Each {CONSEQUENCE_AT.replace('is huge', 'is then huge')}"
# The per-feature scalings, and none, in the library's words (the command line's are --scale).
STANDARDISE = "standardise them (subtract the mean, divide by the standard deviation of each feature)"
MINMAX = "scale each feature to [0, 1] by its range in the training rows (min-max)"
SCALED_BY = {
    "standard": "standardising each feature (x − mean) / std",
    "minmax": "min-max scaling each feature to [0, 1]",
}
NO_SCALING = "train on the raw inputs, without scaling them"
DROP_CONSTANT = (
    "scale X with the scaling's inputs(), which reads a feature constant in the training rows as "
    "its training value (0) in every row: the network learns nothing from it, and the saved model "
    "ignores it; or drop such features"
)


def check_input_scale(X, scaling=None) -> list[Finding]:
    """Inputs far outside a small range (raw 0..255 pixels) saturate logistic units from the start.

    ``X`` ``(n_samples, n_0)`` is the inputs as the network trains on them; ``scaling``, where
    one made them from the raw inputs, is its :class:`deltaprop.training.scaling.Scaling`
    (``deltaprop train --scale``'s): the finding then names the feature that the scaling made
    large and why, instead of calling scaled inputs unscaled. Returns ``[]`` or one
    ``unscaled-inputs`` warning.
    """
    if X is None:
        return []
    lo, hi = _column_extremes(X)
    reach = np.fmax(np.abs(lo), np.abs(hi))
    biggest = float(np.fmax.reduce(reach)) if reach.size else 0.0
    if not biggest > INPUT_SCALE_LIMIT:  # NaN too: nothing to judge
        return []
    feature = int(np.flatnonzero(reach == biggest)[0])
    method = _method(scaling, len(lo))
    if method is None:
        top = _shared_range(lo, hi)
        seen = f", and the features share one range, whole numbers 0..{top} as pixels" if top else ""
        message = f"the inputs are not scaled: max |x| = {biggest:g} (feature {feature}){seen}."
        fix = (
            _one_scale(top, MINMAX) if top else f"scale the inputs to [0, 1] (pixels / 255) or {STANDARDISE}"
        )
        return [Finding("unscaled-inputs", "warning", f"{message} {CONSEQUENCE}", fix)]
    shift, scale = scaling.x_shift, scaling.x_scale
    raw_lo, raw_hi = lo * scale + shift, hi * scale + shift  # the raw inputs' extremes
    value = hi[feature] if abs(hi[feature]) >= abs(lo[feature]) else lo[feature]
    what, fix = _what_scaling_did(scaling, feature, value)
    message = f"after {SCALED_BY[method]} with statistics of the training rows, {what}."
    top = _shared_range(raw_lo, raw_hi)
    if float(np.fmax.reduce(np.fmax(np.abs(raw_lo), np.abs(raw_hi)))) <= INPUT_SCALE_LIMIT:
        bounds = [round(float(v), RAW_DIGITS) + 0.0 for v in (np.fmin.reduce(raw_lo), np.fmax.reduce(raw_hi))]
        fix = f"{NO_SCALING}: they lie in [{bounds[0]:g}, {bounds[1]:g}] already"  # pixels / 255, say
    elif top:
        fix = _one_scale(top)
    return [Finding("unscaled-inputs", "warning", f"{message} Where it is that large, {CONSEQUENCE_AT}", fix)]


def _what_scaling_did(scaling, feature: int, value: float) -> tuple[str, str]:
    """What ``scaling`` made of ``feature``, which reaches ``value``, and the fix for it."""
    shift, scale = scaling.x_shift[feature], scaling.x_scale[feature]
    if feature in scaling.constant:
        what = f"feature {feature} is constant ({shift:g}) in the training rows, yet reaches {value:g} here"
        return what, DROP_CONSTANT
    if scaling.method == "standard":
        what = (
            f"feature {feature} reaches {value:g}: nearly constant in the training rows (std "
            f"{scale:.3g} around mean {shift:.3g}), it was divided by that tiny std, so its rare "
            f"other values became huge"
        )
        return what, f"{MINMAX} instead, which keeps every training value in [0, 1]; or drop such features"
    what = (
        f"feature {feature} reaches {value:g}: other rows (the validation split) hold values far "
        f"outside its range in the training rows ({shift:g} to {shift + scale:g}), which min-max "
        f"maps to [0, 1]"
    )
    return what, f"give training rows that cover the range of feature {feature}, or drop it"


def _column_extremes(X) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest value of each feature of ``X`` (NaN ignored), float64 ``(n_0,)``,
    without a copy of ``X`` (``np.abs(X)`` in float64 would copy the data set twice)."""
    X = np.asarray(X)
    if X.dtype.kind not in "fiu":
        X = X.astype(float)
    if X.ndim != 2:
        X = X.reshape(1, -1) if X.ndim < 2 else X.reshape(len(X), -1)  # one sample (n_0,), or images
    if X.size == 0:
        return np.zeros(0), np.zeros(0)
    return np.fmin.reduce(X, axis=0).astype(float), np.fmax.reduce(X, axis=0).astype(float)


def _method(scaling, n_features: int) -> str | None:
    """The per-feature scaling that made the inputs (``"standard"``, ``"minmax"``), or None."""
    method = getattr(scaling, "method", None)
    if scaling is None or method == "none":
        return None
    if method not in SCALED_BY or not hasattr(scaling, "x_shift"):
        raise TypeError(
            f"scaling must be the deltaprop.training.scaling.Scaling that made X (or None); got "
            f"{type(scaling).__name__} with method {method!r}"
        )
    if len(scaling.x_shift) != n_features:
        raise ValueError(f"scaling is for {len(scaling.x_shift)} features, X has {n_features}")
    return method


def _shared_range(lo: np.ndarray, hi: np.ndarray) -> int | None:
    """The top of the one range of whole numbers 0..top that the features share, as pixels do
    (most of the features that vary reach it), from their raw extremes ``lo``, ``hi``; else None."""
    varying = hi > lo
    if not varying.any() or not (np.isfinite(lo).all() and np.isfinite(hi).all()):
        return None
    top = float(hi.max())
    tolerance = WHOLE_TOLERANCE * max(top, 1.0)
    whole = np.abs(lo - np.rint(lo)).max() <= tolerance and np.abs(hi - np.rint(hi)).max() <= tolerance
    if not (whole and lo.min() > -tolerance and top > 1 and abs(np.median(hi[varying]) - top) <= tolerance):
        return None
    return int(round(top))


def _one_scale(top: int, alternative: str | None = None) -> str:
    """The fix for features sharing the range 0..``top``: one scale for all; then ``alternative``."""
    fix = (
        f"divide every feature by {top} before training (x / {top}, as the book and load_mnist do): "
        f"one scale for all features, where scaling each by its own statistics makes the rarely "
        f"used ones huge"
    )
    return f"{fix}; or {alternative}" if alternative else fix
