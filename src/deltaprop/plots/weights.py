"""First-layer weights as images: the input pattern each hidden neuron responds to most."""

from __future__ import annotations

import math

import numpy as np

from ._figure import new_figure

MAX_NEURONS = 64


def first_layer_weights(net, image_shape, max_neurons: int = MAX_NEURONS):
    """Each hidden neuron j's incoming weights w_ij, i over the inputs, drawn as an image.

    Red where a bright input pixel raises net_j, blue where it lowers it, on one symmetric
    scale per neuron. ``image_shape`` is ``(height, width)`` with height·width = n_0.
    """
    if not hasattr(net, "weights"):
        raise TypeError(f"net must be a deltaprop Network; got {type(net).__name__}")
    image_shape = tuple(int(s) for s in image_shape)
    w = net.weights[0]
    if len(image_shape) != 2 or math.prod(image_shape) != w.shape[0]:
        raise ValueError(
            f"image_shape {image_shape} does not match the {w.shape[0]} inputs of the network; "
            f"expected (height, width) with height·width = {w.shape[0]}"
        )
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, int) or max_neurons < 1:
        raise ValueError(f"max_neurons must be an integer ≥ 1; got {max_neurons!r}")
    n = min(w.shape[1], max_neurons)
    cols = min(n, 10)
    rows = math.ceil(n / cols)
    fig = new_figure((1.1 * cols + 0.3, 1.15 * rows + 0.5))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for j, ax in zip(range(n), axes.flat):
        column = w[:, j]
        scale = float(np.abs(column).max()) or 1.0
        ax.imshow(
            column.reshape(image_shape), cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest"
        )
        ax.set_title(f"{j}", fontsize=7)
    more = f" (first {n} of {w.shape[1]})" if n < w.shape[1] else ""
    fig.suptitle(f"Incoming weights w_ij of each hidden neuron j{more}: red > 0, blue < 0", fontsize=10)
    return fig
