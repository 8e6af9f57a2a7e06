"""The network drawn as the textbook draws it: neurons by layer, weights as lines.

Each connection w_ij is a line coloured by its sign (red w > 0, blue w < 0) and as wide as
|w| allows; given an example (x, y), each neuron is filled by its error δ = ∂C_x/∂net from
backpropagation (input neurons, which have no δ, show x). Layers larger than
``max_neurons`` show their first and last neurons with an ellipsis between. Each column is
headed with the layer's name as every picture gives it (input, hidden 1 …, output) and its
activation; ``show_weights=True`` writes each w_ij on its line, for a small network on a slide.

Beside a walk-through (``deltaprop explain --diagram``) the picture takes the walk-through's
names instead, as :class:`DiagramNames`: its layer headings, each value's symbol (i1 = 0.05,
δ_h1 = 0.00877, w1 = 0.15), δ's definition in its notation on the colour bar, and values to
:data:`NAMED_DIGITS` significant digits, so that δ_h2 = 0.00995 is not "0.01" beside "0.0088".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from ._figure import NEGATIVE, POSITIVE, axes_or_new, cost_name, layer_name

MAX_NEURONS = 12
MAX_LINE_WIDTH = 4.0
MIN_LINE_WIDTH = 0.3
RADIUS = 0.18
LAYER_GAP = 2.2  # horizontal distance between layers, in units of the vertical spacing
LABELLED_GAP = 3.4  # the same with show_weights: room for each source's labels at its own distance
# ... and with names, wider: "w2 = 0.2" a quarter of the way from "δ_h1 = 0.00877" stays clear
# of it, and "δ_h1.12 = -0.000123" of its neighbour in the next layer
NAMED_LAYER_GAP, NAMED_LABELLED_GAP = 3.0, 6.5
NAMED_MARGIN = 1.0  # units left and right of the outer layers: room for "layer 1 (input)"
INCH_PER_UNIT = 0.42
LABEL_BOX = {
    "boxstyle": "round,pad=0.15",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 1.0,
}  # lines pass under
DELTA_CMAP = "PuOr"
OUTPUT_CMAP = "Purples"  # outputs o that are never negative (logistic, ReLU, softmax): 0 to the largest
MAX_LABELLED = 3  # show_weights: the most neurons a layer may have; with more, labels pile up
# A weight's label sits this far along its line from its source neuron, each source at its own
# distance (0.25 for the first, 0.75 for the last) so that the labels of lines that cross do not meet.
WEIGHT_LABEL_AT, WEIGHT_LABEL_SPREAD = 0.25, 0.5
DIGITS = 2  # significant digits of a bare value under a neuron: a glance at a whole network
NAMED_DIGITS = 3  # with names, beside a walk-through: enough to tell 0.00995 from 0.0088
WEIGHT_DIGITS = 3  # significant digits of a weight on its line


@dataclass(frozen=True)
class DiagramNames:
    """What a walk-through calls the things drawn, so that the picture reads as the text does.

    ``layer(m)``: the heading of layer m (0 the input, L the output), e.g. "layer 2 (hidden)";
    ``value(m, j)``: the symbol of the value shown under neuron j of layer m, the input itself
    for m = 0 (``i1``, ``a¹₁``) and δ for the others (``δ_h1``, ``δ²₁``); ``weight(l, i, j)``:
    the name of ``weights[l][i, j]`` (``w1``, ``w²₁₁``); ``delta``: δ's definition for the
    colour bar ("δ = ∂E_total/∂net", "δ = ∂C/∂z"). ``deltaprop explain`` builds them from its
    notation.
    """

    layer: Callable[[int], str]
    value: Callable[[int, int], str]
    weight: Callable[[int, int, int], str]
    delta: str


def _shown(n: int, max_neurons: int) -> list[int]:
    """Indices of the neurons drawn for a layer of ``n``: all, or the first and last halves."""
    if n <= max_neurons:
        return list(range(n))
    head = max_neurons // 2
    return list(range(head)) + list(range(n - (max_neurons - head), n))


def _positions(shown: list[int], n: int, max_neurons: int) -> dict[int, float]:
    """Vertical position of each shown neuron, top first, leaving a gap for the ellipsis."""
    slots = len(shown) + (1 if n > len(shown) else 0)
    top = (slots - 1) / 2
    pos, k = {}, 0
    for i in shown:
        if n > len(shown) and k == max_neurons // 2:
            k += 1  # the ellipsis's slot
        pos[i] = top - k
        k += 1
    return pos


def network_diagram(
    net,
    x=None,
    y=None,
    ax=None,
    max_neurons: int = MAX_NEURONS,
    show_weights: bool = False,
    names: DiagramNames | None = None,
):
    """Draw ``net``; with ``x`` ``(n_0,)`` and ``y`` ``(n_L,)`` or a label, colour neurons by δ.

    Every line is a :class:`~matplotlib.lines.Line2D` whose ``gid`` is ``"w[l][i,j]"``, so
    the weight it shows can be looked up; with ``show_weights`` its value is written on it
    (a Text with the same ``gid``), for networks whose layers have at most 3 neurons.
    ``names`` (:class:`DiagramNames`) heads the layers, labels every value and the colour bar
    as a walk-through does; without them the layers are "input", "hidden 1" … "output".
    Returns the Figure.
    """
    if not hasattr(net, "weights") or not hasattr(net, "sizes"):
        raise TypeError(f"net must be a deltaprop Network; got {type(net).__name__}")
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, int) or max_neurons < 2:
        raise ValueError(f"max_neurons must be an integer ≥ 2; got {max_neurons!r}")
    if y is not None and x is None:
        raise ValueError("y was given without x: the δ of an example needs both x and y")
    sizes = net.sizes
    shown = [_shown(n, max_neurons) for n in sizes]
    if names is None:
        gap = LABELLED_GAP if show_weights else LAYER_GAP
    else:
        gap = NAMED_LABELLED_GAP if show_weights else NAMED_LAYER_GAP
    if show_weights and max(len(s) for s in shown) > MAX_LABELLED:
        raise ValueError(
            f"show_weights writes every weight on its line, readable for layers of at most {MAX_LABELLED} "
            f"neurons; this network's are {sizes}: draw it without show_weights"
        )
    pos = [_positions(s, n, max_neurons) for s, n in zip(shown, sizes)]
    height = max(max(p.values()) for p in pos)
    margin = 0.75 if names is None else NAMED_MARGIN
    width_units = gap * (len(sizes) - 1) + 2 * margin
    figsize = (
        INCH_PER_UNIT * width_units + (2.2 if x is not None else 0.6),
        INCH_PER_UNIT * (2 * height + 3.5) + 0.6,
    )
    fig, ax = axes_or_new(ax, figsize)

    values: list[np.ndarray | None] = [None] * len(sizes)
    label = None
    if x is not None:
        x = np.asarray(x, dtype=float).reshape(1, -1)
        values[0] = x[0]
        if y is None:
            fp = net.forward(x)
            values[1:] = [o[0] for o in fp.o[1:]]
            label = "output o"
        else:
            yy = np.asarray(y)
            if yy.ndim == 0 or (yy.size == 1 and sizes[-1] > 1):  # a class label, bare or as [2]
                yy = yy.reshape(1)
            else:
                yy = yy.reshape(1, -1)
            grads = net.backprop(x, yy)
            values[1:] = [d[0] for d in grads.deltas]
            label = "δ = ∂C/∂net" if names is None else names.delta

    w_max = max(float(np.abs(w).max()) for w in net.weights) or 1.0
    for l, w in enumerate(net.weights):
        for i in shown[l]:
            for j in shown[l + 1]:
                wij = float(w[i, j])
                width = MIN_LINE_WIDTH + (MAX_LINE_WIDTH - MIN_LINE_WIDTH) * abs(wij) / w_max
                line = Line2D(
                    [gap * l, gap * (l + 1)],
                    [pos[l][i], pos[l + 1][j]],
                    color=POSITIVE if wij >= 0 else NEGATIVE,
                    linewidth=width,
                    alpha=0.75,
                    zorder=1,
                    solid_capstyle="round",
                )
                line.set_gid(f"w[{l}][{i},{j}]")
                ax.add_line(line)
                if show_weights:
                    w_name = None if names is None else names.weight(l, i, j)
                    _weight_label(ax, l, i, j, wij, w_name, pos, gap)

    hidden = [v for v in values[1:] if v is not None]
    scale = max((float(np.abs(v).max()) for v in hidden), default=0.0) or 1.0
    if label == "output o" and min(float(v.min()) for v in hidden) >= 0.0:
        norm, cmap = Normalize(vmin=0.0, vmax=scale), colormaps[OUTPUT_CMAP]  # no half never used
    else:  # δ, or outputs of either sign: a diverging scale centred at 0
        norm, cmap = TwoSlopeNorm(vcenter=0.0, vmin=-scale, vmax=scale), colormaps[DELTA_CMAP]
    for l, n in enumerate(sizes):
        cx = gap * l
        for i in shown[l]:
            v = values[l]
            if v is None or l == 0:
                face = (
                    "#f4f4f4" if v is None else str(0.95 - 0.6 * min(1.0, abs(v[i]) / (np.abs(v).max() or 1)))
                )
            else:
                face = cmap(norm(v[i]))
            ax.add_patch(
                Circle((gap * l, pos[l][i]), RADIUS, facecolor=face, edgecolor="#333333", lw=1.0, zorder=2)
            )
            if v is not None and len(shown[l]) <= max_neurons:
                # named: the inputs, and δ (value(m, j) names δ, not the outputs o shown without y)
                name = names.value(l, i) if names is not None and (l == 0 or y is not None) else None
                ax.text(
                    gap * l,
                    pos[l][i] - RADIUS - 0.05,
                    _labelled(name, v[i], DIGITS if names is None else NAMED_DIGITS),
                    ha="center",
                    va="top",
                    fontsize=7,
                    zorder=3,
                    bbox=LABEL_BOX,
                )
        if n > len(shown[l]):
            ax.text(
                gap * l,
                pos[l][shown[l][max_neurons // 2 - 1]] - 1.0,
                "⋮",
                ha="center",
                va="center",
                fontsize=16,
            )
        # three short lines, not "hidden 1 (logistic)" on one: that is wider than a column
        name = "input" if l == 0 else layer_name(l - 1, len(sizes) - 1)
        if names is not None:
            name = names.layer(l)
        if l > 0:
            name = f"{name}\n{net.activation_names[l - 1]}"
        neurons = "neuron" if n == 1 else "neurons"
        # every header on one line above the tallest layer: lower, a short layer's would sit
        # among the lines fanning out to a tall one
        header = ax.text(cx, height + 0.5, f"{name}\n{n} {neurons}", ha="center", va="bottom", fontsize=8)
        header.set_gid(f"layer {l}")
    if label is not None:
        fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, label=label)
    ax.add_line(Line2D([], [], color=POSITIVE, lw=2, label="w > 0"))
    ax.add_line(Line2D([], [], color=NEGATIVE, lw=2, label="w < 0"))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=8, frameon=False)
    ax.set_xlim(-margin, gap * (len(sizes) - 1) + margin)
    ax.set_ylim(-height - 1.0, height + 1.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    inputs = ", inputs x" if names is None else ""  # named, each input's label says what it is
    shows = f"\nneurons show {label}{inputs}" if label else ""
    ax.set_title(f"Network {sizes}, {cost_name(net.cost.name)} cost{shows}", fontsize=9)
    return fig


def _labelled(name: str | None, value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits, after its name where it has one: "δ_h1 = 0.00877"."""
    text = f"{value:.{digits}g}"
    return text if name is None else f"{name} = {text}"


def _weight_label(ax, l: int, i: int, j: int, wij: float, name: str | None, pos, gap: float) -> None:
    """w_ij (after its ``name``) written on its line, at a distance from neuron i that differs
    from source to source."""
    x0, x1 = gap * l, gap * (l + 1)
    y0, y1 = pos[l][i], pos[l + 1][j]
    n_from = len(pos[l])
    t = WEIGHT_LABEL_AT + WEIGHT_LABEL_SPREAD * (i / (n_from - 1) if n_from > 1 else 0.0)
    text = ax.text(
        x0 + t * (x1 - x0),
        y0 + t * (y1 - y0),
        _labelled(name, wij, WEIGHT_DIGITS),
        ha="center",
        va="center",
        fontsize=6.5,
        color=POSITIVE if wij >= 0 else NEGATIVE,
        zorder=3,
        bbox={**LABEL_BOX, "pad": 0.05},
    )
    text.set_gid(f"w[{l}][{i},{j}]")
