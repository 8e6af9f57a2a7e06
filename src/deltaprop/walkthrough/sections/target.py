"""The target, said in words where it is shown: a class label becomes a one-hot y.

``explain(net, x, 2, η)`` and ``deltaprop explain --target 2`` encode class 2 as y = (0, 0, 1):
the cost section says so once per sample, before y₃ = 1 appears in its lines, and a summary,
whose tables show no y at all, names the target (or the batch's classes) beside the cost.
"""

from __future__ import annotations

import numpy as np

from ..math import DEFAULT_DIGITS, Eq, to_text, typeset
from ..trace import Trace

MAX_LISTED = 12  # a target with more values, or a batch with more samples, is described, not listed


def one_hot_class(y: np.ndarray) -> int | None:
    """The class whose one-hot target ``y`` ``(n_L,)`` is (its one 1, counting from 0), or None."""
    if y.size < 2 or np.count_nonzero(y) != 1 or np.count_nonzero(y == 1) != 1:
        return None
    return int(np.flatnonzero(y)[0])


def _values(y: np.ndarray, digits: int) -> str:
    if y.size <= MAX_LISTED:
        return "(" + ", ".join(typeset(v, digits) for v in y) + ")"
    return f"{y.size} values from {typeset(y.min(), digits)} to {typeset(y.max(), digits)}"


def class_target(trace: Trace, nt, s: int, digits: int = DEFAULT_DIGITS) -> str:
    """``"Target: class 2 → y = (0, 0, 1), one-hot: y₃ = 1 …"`` for sample ``s``, or "" if y is no class's."""
    y = trace.y[s]
    k = one_hot_class(y)
    if k is None:
        return ""
    name = to_text(Eq(((nt.y(k),),)))
    vector = to_text(Eq(((nt.y_any(""),),)))  # the whole target: y (Nielsen), target (Mazur)
    return (
        f"Target: class {k} → {vector} = {_values(y, digits)}, one-hot: {name} = 1 and the others 0 "
        "(classes count from 0, outputs from 1)."
    )


def targets(trace: Trace, nt, digits: int = DEFAULT_DIGITS) -> str:
    """The target of every sample in one sentence, for a summary, whose tables show none."""
    classes = [one_hot_class(y) for y in trace.y]
    n = trace.n_samples
    if n == 1:
        return class_target(trace, nt, 0, digits) or f"Target: y = {_values(trace.y[0], digits)}."
    if all(k is not None for k in classes):
        listed = ", ".join(str(k) for k in classes[:MAX_LISTED]) + (" …" if n > MAX_LISTED else "")
        return f"Targets: one-hot y of classes {listed} (the {n} samples in order; classes count from 0)."
    return (
        f"Targets: {n} samples of {trace.sizes[-1]} values each, "
        f"from {typeset(trace.y.min(), digits)} to {typeset(trace.y.max(), digits)}."
    )
