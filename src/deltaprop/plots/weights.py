"""First-layer weights as images: the input pattern each hidden neuron responds to most."""

from __future__ import annotations

import math

import numpy as np

from ._figure import check_image_shape, font_size, new_figure, tile_mosaic

MAX_NEURONS = 64


def first_layer_weights(net, image_shape, max_neurons: int = MAX_NEURONS):
    """Each hidden neuron j's incoming weights w_ij, i over the inputs, drawn as an image.

    Red where a bright input pixel raises net_j, blue where it lowers it, on one symmetric
    scale per neuron. ``image_shape`` is ``(height, width)`` with height·width = n_0.
    """
    if not hasattr(net, "weights"):
        raise TypeError(f"net must be a deltaprop Network; got {type(net).__name__}")
    w = net.weights[0]
    image_shape = check_image_shape(image_shape, w.shape[0], f"the {w.shape[0]} inputs of the network")
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, int) or max_neurons < 1:
        raise ValueError(f"max_neurons must be an integer ≥ 1; got {max_neurons!r}")
    n = min(w.shape[1], max_neurons)
    cols = min(n, 10)
    rows = math.ceil(n / cols)
    h, wd = image_shape
    fig = new_figure((0.25 + cols * (0.95 if wd <= 10 else 1.05), 0.6 + rows * (1.05 if h <= 10 else 1.15)))
    ax = fig.add_subplot()
    # each neuron on its own symmetric scale: its weights divided by its largest |w_ij|
    columns = w[:, :n].T
    scale = np.abs(columns).max(axis=1, keepdims=True)
    tiles = (columns / np.where(scale > 0, scale, 1.0)).reshape(n, h, wd)
    gap = max(1, h // 6)
    ax.imshow(tile_mosaic(tiles, cols, gap), cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    for j in range(n):  # numbered from 1, as the walk-through and the diagnostics number neurons
        r, c = divmod(j, cols)
        x, y = c * (wd + gap) + wd / 2 - 0.5, r * (h + gap) - 0.6
        ax.text(x, y, str(j + 1), ha="center", va="bottom", fontsize=font_size(7))
    ax.set_axis_off()
    more = f" (first {n} of {w.shape[1]})" if n < w.shape[1] else ""
    fig.suptitle(
        f"Incoming weights w_ij of each hidden neuron j = 1, 2, …{more}\n"
        "red > 0, blue < 0, each on its own scale",
        fontsize=font_size(9),
    )
    return fig
