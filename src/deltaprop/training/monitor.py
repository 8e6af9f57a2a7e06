"""The base of the callbacks that watch one logged quantity (``monitor``) at each epoch's end.

``EarlyStopping``, ``ReduceLROnPlateau`` and ``ModelCheckpoint`` (with ``save_best_only``)
share its rules: ``mode`` says whether the quantity improves downwards (``"min"``), upwards
(``"max"``) or by its name (``"auto"``: a name containing ``"acc"`` is maximised, Keras 2's
rule); an epoch improves when it beats the best so far by more than ``min_delta`` (≥ 0; NaN
never improves); and a quantity the run will not log is refused before the first update,
with the names it does log.
"""

from __future__ import annotations

import math
import numbers

from .._validation import check_positive_float
from .callback import Callback

MODES = ("auto", "min", "max")


def value_to_beat(value, name: str) -> float | None:
    """A given value of the monitored quantity to beat (``baseline``,
    ``initial_value_threshold``) as a float; None stays None, anything else but a number (a
    bool, a string, NaN) is a TypeError naming ``name``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise TypeError(f"{name} must be a number or None; got {value!r}")
    return float(value)


class Monitor(Callback):
    """A callback that watches one logged quantity, improving downwards (min) or upwards (max)."""

    def __init__(self, monitor: str, mode: str, min_delta: float):
        if not isinstance(monitor, str):
            raise TypeError(
                f"monitor must be the name of a logged quantity such as 'val_loss'; got {monitor!r}"
            )
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(check_positive_float(min_delta, "min_delta", allow_zero=True))
        self.maximise = mode == "max" or (mode == "auto" and "acc" in monitor)

    def _check_monitor(self) -> None:
        """Refuse, before the first update, to watch a quantity the run will not log."""
        logged = self.run.metrics
        if self.monitor not in logged:
            hint = (
                " Pass validation_data or validation_split to fit, or monitor the training loss."
                if self.monitor.startswith("val_")
                else ""
            )
            raise ValueError(
                f"{type(self).__name__} monitors {self.monitor!r}, which this run does not log; "
                f"it logs {logged}.{hint}"
            )

    def _improved(self, current: float, best: float) -> bool:
        if math.isnan(current):
            return False
        if self.maximise:
            return current > best + self.min_delta
        return current < best - self.min_delta

    def _worst(self) -> float:
        return -math.inf if self.maximise else math.inf
