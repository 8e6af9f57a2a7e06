"""Learning curves: cost and accuracy per epoch, training and validation, and η if it varied."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..diagnostics.learning_curve import history_series
from ._figure import font_size, new_figure

LOG_RANGE = 100.0  # a cost spanning more than this factor is drawn on a log scale
EPOCH_PAD = 0.3  # of an epoch, left of the first and right of the last
# The accuracy axis fits the data, as Keras's plotted History and TensorBoard do, so curves
# at 88-95 % (MNIST) can be told apart; a spread smaller than ACCURACY_MIN_SPAN is drawn
# over that span, not blown up to fill the panel (0.2 points of noise must look small).
ACCURACY_MARGIN = 0.05  # of the data's span, above and below: matplotlib's own default margin
ACCURACY_MIN_SPAN = 5.0  # percentage points
# An axis that reaches 100 % goes this share of its span further, so that a curve at 100 % is
# not drawn on the frame line; no tick is labelled above 100.
ACCURACY_HEADROOM = 0.04
# What each curve is: the training numbers are running means over the epoch's mini-batches,
# each taken before its update (as Keras logs them); validation is measured at the epoch's
# end. So early on, validation can beat training without anything being wrong.
TRAINING = "training (mean over the epoch)"
VALIDATION = "validation (at the epoch's end)"
COST = "cost C"
# as train's summary says "train loss (mean over epoch N, scaled targets)"
SCALED_COST = "cost C (scaled targets)"
KEPT_COLOR = "#2e7d32"  # the epoch whose weights the model holds (--restore-best-weights)


def _mark_kept(ax, kept_epoch: int | None) -> None:
    """A dotted vertical line at ``kept_epoch`` (from 1), "weights kept: epoch 12" in the legend."""
    if kept_epoch is not None:
        ax.axvline(kept_epoch, color=KEPT_COLOR, lw=1.2, ls=":", label=f"weights kept: epoch {kept_epoch}")


def _history_dict(history) -> dict[str, np.ndarray]:
    data = getattr(history, "history", history)
    if isinstance(data, dict) and isinstance(data.get("history"), dict):
        data = data["history"]  # History.to_dict(), or a history.json read back
    if not isinstance(data, dict):
        raise TypeError(f"history must be a History or its dict of lists; got {type(history).__name__}")
    if not data.get("loss"):
        raise ValueError("history holds no 'loss' values: nothing to draw (train for at least one epoch)")
    return {k: history_series(v, k) for k, v in data.items()}


def accuracy_limits(percent: np.ndarray) -> tuple[float, float]:
    """``(bottom, top)`` of the accuracy axis for the finite values ``percent`` (in %).

    The data's range with ACCURACY_MARGIN of it on each side, at least ACCURACY_MIN_SPAN wide,
    slid (never shrunk) to lie inside [0, 100] and widened to whole percentage points; an axis
    that reaches 100 ends ACCURACY_HEADROOM of its span above it.
    """
    low, high = float(np.min(percent)), float(np.max(percent))
    pad = ACCURACY_MARGIN * (high - low)
    low, high = low - pad, high + pad
    if high - low < ACCURACY_MIN_SPAN:
        middle = (low + high) / 2
        low, high = middle - ACCURACY_MIN_SPAN / 2, middle + ACCURACY_MIN_SPAN / 2
    if low < 0:
        low, high = 0.0, min(100.0, high - low)
    if high > 100:
        low, high = max(0.0, low - (high - 100.0)), 100.0
    low, high = float(np.floor(low)), float(np.ceil(high))
    if high >= 100.0:
        high = 100.0 + ACCURACY_HEADROOM * (100.0 - low)
    return low, high


def learning_curves(history, scaled_targets: bool = False, kept_epoch: int | None = None):
    """Cost and accuracy per epoch (training and validation); a third panel for η if it varied.

    ``history`` is a :class:`~deltaprop.training.History` or its dict of lists with Keras's
    names (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``, ``lr``).
    ``scaled_targets``: the costs are of scaled targets (``deltaprop train --scale`` on
    regression targets), not of the data's own units; the cost axis says so.
    ``kept_epoch``: for a run that kept its best epoch's weights (``restore_best_weights``),
    that epoch, counted from 1 as on the x axis; the cost and accuracy panels mark it with a
    dotted line, "weights kept: epoch 12" in their legends. Returns the Figure.
    """
    h = _history_dict(history)
    epochs = np.arange(1, len(h["loss"]) + 1)
    if kept_epoch is not None and check_positive_int(kept_epoch, "kept_epoch") > len(epochs):
        raise ValueError(f"kept_epoch must be an epoch of the history, 1 to {len(epochs)}; got {kept_epoch}")
    has_acc = (
        np.isfinite(h.get("accuracy", np.array([np.nan]))).any()
        or np.isfinite(h.get("val_accuracy", np.array([np.nan]))).any()
    )
    lr = h.get("lr")
    lr_varies = lr is not None and np.isfinite(lr).any() and np.nanmax(lr) != np.nanmin(lr)
    n_panels = 1 + has_acc + lr_varies
    fig = new_figure((4.2 * n_panels, 3.4))
    axes = fig.subplots(1, n_panels, squeeze=False)[0]

    ax = axes[0]
    for key, label, style in (("loss", TRAINING, "-"), ("val_loss", VALIDATION, "--")):
        if key in h and np.isfinite(h[key]).any():
            ax.plot(epochs, h[key], style, marker="o", markersize=3, label=label)
    cost = np.concatenate([h[k][np.isfinite(h[k])] for k in ("loss", "val_loss") if k in h])
    if cost.size and cost.min() > 0 and cost.max() / cost.min() > LOG_RANGE:
        ax.set_yscale("log")
    if not np.isfinite(h["loss"]).all():
        first = int(np.argmax(~np.isfinite(h["loss"])))
        ax.axvline(first + 1, color="#c0392b", lw=1, ls=":", label="cost not finite")
    _mark_kept(ax, kept_epoch)
    ax.set(xlabel="epoch", ylabel=SCALED_COST if scaled_targets else COST, title="Cost")
    ax.legend(fontsize=font_size(8))

    if has_acc:
        ax = axes[1]
        percent = []
        for key, label, style in (("accuracy", TRAINING, "-"), ("val_accuracy", VALIDATION, "--")):
            if key in h and np.isfinite(h[key]).any():
                ax.plot(epochs, 100 * h[key], style, marker="o", markersize=3, label=label)
                percent.append(100 * h[key][np.isfinite(h[key])])
        _mark_kept(ax, kept_epoch)
        ax.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy")
        low, high = accuracy_limits(np.concatenate(percent))
        ax.set_ylim(low, high)
        locator = ax.yaxis.get_major_locator()
        locator.set_params(integer=True)  # 92, 94, not 92.5, 93.0
        ax.set_yticks([t for t in locator.tick_values(low, high) if low <= t <= 100.0])  # not 101 %
        ax.legend(fontsize=font_size(8))
    if lr_varies:
        ax = axes[-1]
        # η is constant within an epoch: a step at each epoch's middle, not a slope between epochs
        ax.plot(epochs, lr, drawstyle="steps-mid", marker="o", markersize=3, color="#555555")
        ax.set(xlabel="epoch", ylabel="η", title="Learning rate")
    for ax in axes:
        ax.grid(alpha=0.3)
        # every panel spans every epoch (a NaN tail leaves none shorter), whole epochs only;
        # matplotlib's own margin where it is wider than EPOCH_PAD
        pad = max(EPOCH_PAD, ax.margins()[0] * (len(epochs) - 1))
        ax.set_xlim(1 - pad, len(epochs) + pad)
        ax.xaxis.get_major_locator().set_params(integer=True, min_n_ticks=1)
    return fig
