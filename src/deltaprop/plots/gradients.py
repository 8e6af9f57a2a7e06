"""Per-layer |δ| and |∂C/∂w| over training: the vanishing gradient made visible.

Each layer is a line (the median over its neurons and probe samples, or over its weights)
with a band from the 25th to the 75th percentile, on a log scale. In a deep logistic
network the lines of the first layers lie decades below the output layer's: σ' ≤ 1/4, so
every layer δ passes back through shrinks it.
"""

from __future__ import annotations

import numpy as np

from ..diagnostics.gradient_stats import PERCENTILES, GradientStats
from ._figure import font_size, layer_name, new_figure

LOW, MID, HIGH = PERCENTILES.index(25), PERCENTILES.index(50), PERCENTILES.index(75)
ZERO_BELOW = 10.0  # an exact 0 is drawn this factor below the smallest non-zero value shown


def _zero_line(p: np.ndarray) -> float | None:
    """Where a log axis draws an exact 0 (a dead ReLU layer's δ, its weights' ∂C/∂w): a decade
    under the smallest non-zero value; None when nothing is non-zero (a linear axis then)."""
    positive = p[np.isfinite(p) & (p > 0)]
    return float(positive.min()) / ZERO_BELOW if positive.size else None


def _stats(stats) -> GradientStats:
    if isinstance(stats, GradientStats):
        return stats
    if isinstance(stats, dict):
        return GradientStats.from_dict(stats)
    if isinstance(stats, (str, bytes)) or hasattr(stats, "__fspath__"):
        return GradientStats.from_json(stats)
    raise TypeError(
        f"stats must be a GradientStats, its dict or a gradients.json path; got {type(stats).__name__}"
    )


def gradient_distributions(stats):
    """Two panels, |δ| and |∂C/∂w| per layer against the epoch, median and interquartile band."""
    stats = _stats(stats)
    if not stats.records:
        raise ValueError("stats holds no records: train with a GradientStats callback first")
    epochs = stats.epochs + 1
    fig = new_figure((9.5, 3.6))
    axes = fig.subplots(1, 2)
    n_layers = len(stats.layers)
    colours = [f"C{l % 10}" for l in range(n_layers)]
    for ax, key, title in (
        (axes[0], "delta", "|δ| = |∂C/∂net| per layer"),
        (axes[1], "grad_w", "|∂C/∂w| per layer"),
    ):
        p = stats.percentiles(key)
        zero = _zero_line(p[:, :, [LOW, MID, HIGH]])
        # An exact 0 has no place on a log axis: drawn on a dotted line of its own instead of
        # left out, so that a layer whose δ is 0 everywhere (dead ReLUs) shows, not vanishes.
        shown = p if zero is None else np.where(p == 0, zero, p)
        for l, layer in enumerate(stats.layers):
            where = layer_name(l, n_layers)
            label = f"{where} ({layer['activation']}, {layer['n_units']})"
            ax.plot(epochs, shown[:, l, MID], marker="o", markersize=3, color=colours[l], label=label)
            at_zero = p[:, l, MID] == 0
            if zero is not None and at_zero.any():
                ax.plot(
                    epochs[at_zero],
                    shown[at_zero, l, MID],
                    ls="",
                    marker="o",
                    ms=5,
                    mfc="white",
                    mec=colours[l],
                )
            ax.fill_between(epochs, shown[:, l, LOW], shown[:, l, HIGH], color=colours[l], alpha=0.18, lw=0)
        if zero is not None:
            ax.set_yscale("log")
            if (p[:, :, [LOW, MID, HIGH]] == 0).any():
                ax.axhline(zero, ls=":", lw=0.8, color="0.35")
                ax.annotate(
                    "exactly 0 (drawn here)",
                    (0.01, zero),
                    xycoords=("axes fraction", "data"),
                    va="bottom",
                    fontsize=font_size(7),
                    color="0.35",
                )
        ax.set(xlabel="epoch (0: before training)", title=title)
        ax.grid(alpha=0.3, which="both")
        ax.xaxis.get_major_locator().set_params(integer=True)
    axes[0].set_ylabel("median, 25-75 % band")
    axes[1].legend(fontsize=font_size(7), loc="best")
    return fig
