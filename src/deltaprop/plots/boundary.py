"""The decision boundary of a 2-D classifier, and how it moves as training proceeds.

:class:`BoundarySnapshots` is a training callback keeping a copy of the network every
``every`` epochs; :func:`decision_boundary_frames` draws one figure per snapshot on the same
axes limits, and :func:`animate_decision_boundary` turns them into an animated GIF (Pillow).
Each frame's title gives the accuracy and the cost C of the network drawn in it, both on the
points drawn (``X``, ``y``), not the training log's running loss, which averages the epoch's
mini-batches, each taken before its own update.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from PIL import Image

from .._atomic import atomic_write
from .._predict import THRESHOLD, classes_of
from .._validation import label_column
from ..training.callback import Callback
from ._figure import axes_or_new, font_size, render_rgb

RESOLUTION = 150
MARGIN = 0.15  # of the data's range, added on each side
CLASS_COLOURS = ("#2e6fba", "#c0392b", "#27ae60", "#8e44ad", "#f39c12", "#16a085", "#7f8c8d", "#d35400")
MAX_FRAMES = 200


def _check_2d(X, y, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """``X`` ``(n, 2)`` as floats and ``y`` as class labels ``(n,)`` for a network of ``n_out``
    outputs, read as ``fit`` reads them: one-hot rows → their argmax, a column ``(n, 1)`` → the
    labels it holds (0/1 targets, a > 0.5, for a single output)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must be 2-D data of shape (n_samples, 2); got shape {X.shape}")
    y = label_column(np.asarray(y), n_out)
    if y.ndim == 2:
        y = classes_of(y)
    if y.shape != (len(X),):
        raise ValueError(f"y must be labels of shape ({len(X)},) matching X; got shape {y.shape}")
    return X, y.astype(int)


def _extent(X: np.ndarray) -> tuple[float, float, float, float]:
    low, high = X.min(axis=0), X.max(axis=0)
    pad = MARGIN * np.maximum(high - low, 1e-9)
    return low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1]


def decision_boundary(
    net, X, y, ax=None, resolution: int = RESOLUTION, extent=None, title: str | None = None
):
    """The classes ``net`` predicts over the plane, with the data ``X`` ``(n, 2)``, ``y`` ``(n,)`` on top.

    For one output, the shading is the output a itself (the line a = 0.5 is the boundary);
    otherwise each region takes the colour of its predicted class.
    """
    X, y = _check_2d(X, y, net.sizes[-1])
    if net.sizes[0] != 2:
        raise ValueError(f"decision_boundary needs a network with 2 inputs; this one has {net.sizes[0]}")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 10:
        raise ValueError(f"resolution must be an integer ≥ 10; got {resolution!r}")
    x0, x1, y0, y1 = extent if extent is not None else _extent(X)
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    fig, ax = axes_or_new(ax, (4.5, 4.2))
    n_classes = max(int(y.max()) + 1, net.sizes[-1], 2)
    colours = [CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(n_classes)]
    a = net.predict(grid)
    handles = []
    if a.shape[1] == 1:
        field = a[:, 0].reshape(gx.shape)
        shading = ax.contourf(
            gx, gy, field, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.45, vmin=0, vmax=1
        )
        fig.colorbar(shading, ax=ax, shrink=0.8, label="network output a")
        if field.min() < THRESHOLD < field.max():
            ax.contour(gx, gy, field, levels=[THRESHOLD], colors="black", linewidths=1.2)
            handles.append(Line2D([], [], color="black", lw=1.2, label=f"a = {THRESHOLD}"))
    else:
        classes = classes_of(a).reshape(gx.shape)
        ax.contourf(
            gx, gy, classes, levels=np.arange(n_classes + 1) - 0.5, cmap=ListedColormap(colours), alpha=0.35
        )
    ax.scatter(X[:, 0], X[:, 1], c=[colours[k] for k in y], s=12, edgecolors="white", linewidths=0.4)
    # which colour is which class: the points, and (several outputs) the region predicted for it
    for k in np.unique(y):
        handles.insert(
            int(k),
            Line2D([], [], ls="", marker="o", ms=5, mfc=colours[k], mec="white", label=f"class {k}"),
        )
    ax.legend(handles=handles, loc="best", fontsize=font_size(8), framealpha=0.85)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="x₁", ylabel="x₂")
    accuracy = float((net.predict_classes(X) == y).mean())
    ax.set_title(title or f"Decision boundary (accuracy {accuracy:.1%})", fontsize=font_size(10))
    return fig


class BoundarySnapshots(Callback):
    """Keeps ``(epoch, copy of the network, logs)`` at the start and every ``every`` epochs."""

    def __init__(self, every: int = 1):
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an integer ≥ 1; got {every!r}")
        self.every = every
        self.snapshots: list[tuple[int, object, dict]] = []

    def on_train_begin(self, logs=None):
        start = int((getattr(self.run, "params", None) or {}).get("initial_epoch", 0))  # a resumed run
        self.snapshots = [(start, self.run.network.copy(), {})]

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self.snapshots.append((epoch + 1, self.run.network.copy(), dict(logs or {})))


def _snapshot_list(snapshots) -> list[tuple[int, object, dict]]:
    items = getattr(snapshots, "snapshots", snapshots)
    out = []
    for item in items:
        if not isinstance(item, tuple) or len(item) not in (2, 3):
            raise TypeError("snapshots must be a BoundarySnapshots or a list of (epoch, network) pairs")
        out.append((item[0], item[1], item[2] if len(item) == 3 else {}))
    if not out:
        raise ValueError("snapshots is empty: train with a BoundarySnapshots callback first")
    if len(out) > MAX_FRAMES:
        raise ValueError(f"{len(out)} snapshots is more than {MAX_FRAMES} frames; snapshot every few epochs")
    return out


def _targets(y_given, labels: np.ndarray, net) -> np.ndarray:
    """What the drawn network's cost is measured against: ``y`` as given where it is target rows
    ``(n, n_L)`` for this network, otherwise the class labels (one-hot, or a column of 0/1)."""
    y_given = np.asarray(y_given)
    if y_given.ndim == 2 and y_given.shape[1] == net.sizes[-1]:
        return y_given
    return labels


def decision_boundary_frames(snapshots, X, y, resolution: int = RESOLUTION) -> list:
    """One Figure per snapshot (``(epoch, network)`` pairs), all on the same axes limits.

    Each title reads ``epoch 30: accuracy 96.0%, C = 0.104`` over ``on the points shown``: the accuracy and
    the cost of the network in that frame on the points drawn, ``X`` ``(n, 2)`` and ``y``.
    """
    y_given = y
    snaps = _snapshot_list(snapshots)
    X, y = _check_2d(X, y, snaps[0][1].sizes[-1])
    extent = _extent(X)
    frames = []
    for epoch, net, _logs in snaps:
        accuracy = float((net.predict_classes(X) == y).mean())
        cost = net.cost_value(X, _targets(y_given, y, net))
        # two lines: one would not fit the frame's width (the last word was cut off)
        title = f"epoch {epoch}: accuracy {accuracy:.1%}, C = {cost:.3g}\non the points shown"
        frames.append(decision_boundary(net, X, y, resolution=resolution, extent=extent, title=title))
    return frames


def animate_decision_boundary(snapshots, X, y, path, fps: float = 4.0, resolution: int = RESOLUTION) -> Path:
    """Write the frames as an animated GIF to ``path`` (atomically) and return the path."""
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"path must end in .gif; got {str(path)!r}")
    if not isinstance(fps, (int, float)) or not 0 < fps <= 50:
        raise ValueError(f"fps must be a number in (0, 50]; got {fps!r}")
    images = [
        Image.fromarray(render_rgb(fig)) for fig in decision_boundary_frames(snapshots, X, y, resolution)
    ]
    duration = int(round(1000 / fps))
    return atomic_write(
        path,
        lambda fh: images[0].save(
            fh, format="GIF", save_all=True, append_images=images[1:], duration=duration, loop=0
        ),
        parents=True,
    )
