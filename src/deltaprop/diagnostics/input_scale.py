"""The scale of the inputs: raw values far outside a small range saturate neurons from the start.

Each weighted input net = Σ_i w_ij x_i grows with the x_i: inputs such as raw 0..255 pixels
push logistic and tanh neurons into saturation before training begins, and make the steps of
SGD enormous. :func:`check_input_scale` finds them.
"""

from __future__ import annotations

import numpy as np

from .finding import Finding

INPUT_SCALE_LIMIT = 10.0  # max |x| above this: inputs are not scaled to a small range


def check_input_scale(X) -> list[Finding]:
    """Inputs far outside a small range (raw 0..255 pixels) saturate logistic units from the start."""
    if X is None:
        return []
    X = np.asarray(X)
    if X.dtype.kind not in "fiu":
        X = X.astype(float)
    # the extremes of X as it is: np.abs(X) in float64 would copy the data set twice
    biggest = max(abs(float(np.nanmin(X))), abs(float(np.nanmax(X)))) if X.size else 0.0
    if biggest <= INPUT_SCALE_LIMIT:
        return []
    return [
        Finding(
            "unscaled-inputs",
            "warning",
            f"the inputs are not scaled: max |x| = {biggest:g}. Each net = Σ w_ij x_i is then huge, which "
            f"saturates logistic and tanh units and makes the steps of SGD enormous.",
            "scale the inputs to [0, 1] (pixels / 255) or standardise them (subtract the mean, divide by "
            "the standard deviation of each feature)",
        )
    ]
