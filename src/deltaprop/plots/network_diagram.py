"""The network drawn as the textbook draws it: neurons by layer, weights as lines.

Each connection w_ij is a line coloured by its sign (red w > 0, blue w < 0) and as wide as
|w| allows; given an example (x, y), each neuron is filled by its error δ = ∂C_x/∂net from
backpropagation, and each input neuron shows x, written on it. Given a walk-through's
:class:`~deltaprop.walkthrough.Trace` instead, the picture shows its own numbers: the δ of
its variant, of its first sample. A layer larger than ``max_neurons`` shows the neurons that
matter (:mod:`._diagram_neurons`: the largest |x|, the largest |δ| the walk-through names, or
the largest weights), each with its index, and says how many of how many and why. Each
column is headed with the layer's name as every picture gives it (input, hidden 1 …, output)
and its activation; ``show_weights=True`` writes each w_ij on its line and each neuron's bias
b above it, for a small network on a slide. Text sizes follow matplotlib's ``font.size``.

Beside a walk-through (``deltaprop explain --diagram``) the picture takes the walk-through's
names instead, as :class:`DiagramNames`: its layer headings, each value's symbol (i1 = 0.05,
δ_h1 = 0.00877, w1 = 0.15, b_h1 = 0.35), δ's definition in its notation on the colour bar.
Values have :data:`DIGITS` significant digits, so that δ_h2 = 0.00995 is not "0.01" beside
"0.0088", and agree with the walk-through's to the digits shown.
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

from ._diagram_neurons import Shown, check_drawable, shown_neurons
from ._figure import NEGATIVE, POSITIVE, axes_or_new, cost_name, font_size, layer_name, settle_layout

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
CLASS_CHAR = 0.14  # units per character of a class name right of the outputs
INCH_PER_UNIT = 0.42
LABEL_BOX = {
    "boxstyle": "round,pad=0.15",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 1.0,
}  # lines pass under
DELTA_CMAP = "PuOr"
OUTPUT_CMAP = "Purples"  # outputs o that are never negative (logistic, ReLU, softmax): 0 to the largest
# Inputs are not shaded: their value is written on them, and a grey by |x| had no key, lost
# the sign (−0.9 and 0.9 alike) and made Mazur's i1 = 0.05, i2 = 0.1 read as off and on.
INPUT_FACE, EMPTY_FACE = "white", "#f4f4f4"
MAX_LABELLED = 3  # show_weights: the most neurons a layer may have; with more, labels pile up
# A weight's label sits this far along its line from its source neuron, each source at its own
# distance (0.25 for the first, 0.75 for the last) so that the labels of lines that cross do not meet.
WEIGHT_LABEL_AT, WEIGHT_LABEL_SPREAD = 0.25, 0.5
# significant digits of a value under a neuron: the walk-through's 0.00877 and 0.00995 must not
# read as 0.0088 and 0.01
DIGITS = 3
WEIGHT_DIGITS = 3  # significant digits of a weight or bias
# text sizes in points at matplotlib's default font.size (10), scaled to the one in force
VALUE_PT, WEIGHT_PT, HEADER_PT, TITLE_PT, ELLIPSIS_PT = 7.0, 6.5, 8.0, 9.0, 16.0


@dataclass(frozen=True)
class DiagramNames:
    """What a walk-through calls the things drawn, so that the picture reads as the text does.

    ``layer(m)``: the heading of layer m (0 the input, L the output), e.g. "layer 2 (hidden)";
    ``value(m, j)``: the symbol of the value shown under neuron j of layer m, the input itself
    for m = 0 (``i1``, ``a¹₁``) and δ for the others (``δ_h1``, ``δ²₁``); ``weight(l, i, j)``:
    the name of ``weights[l][i, j]`` (``w1``, ``w²₁₁``); ``delta``: δ's definition for the
    colour bar ("δ = ∂E_total/∂net", "δ = ∂C/∂z"); ``bias(l, j)``: the name of
    ``biases[l][j]`` (``b_h1``, ``b²₁``), "b" where not given. ``deltaprop explain`` builds
    them from its notation.
    """

    layer: Callable[[int], str]
    value: Callable[[int, int], str]
    weight: Callable[[int, int, int], str]
    delta: str
    bias: Callable[[int, int], str] | None = None


def _positions(shown: Shown) -> tuple[dict[int, float], float | None]:
    """Vertical position of each drawn neuron, top first, and of the ellipsis below them
    (None when the whole layer is drawn)."""
    slots = len(shown.neurons) + shown.truncated
    top = (slots - 1) / 2
    pos = {i: top - k for k, i in enumerate(shown.neurons)}
    return pos, (top - len(shown.neurons) if shown.truncated else None)


def network_diagram(
    net,
    x=None,
    y=None,
    ax=None,
    max_neurons: int = MAX_NEURONS,
    show_weights: bool = False,
    names: DiagramNames | None = None,
    *,
    trace=None,
    show_biases: bool | None = None,
    class_names=None,
):
    """Draw ``net``; with ``x`` ``(n_0,)`` and ``y`` ``(n_L,)`` or a label, colour neurons by δ.

    ``trace``: a :class:`~deltaprop.walkthrough.Trace` of ``net`` (``dp.explain``), in place
    of ``x`` and ``y``: its first sample (the title says "for sample 1 of n" for a batch), with
    the δ it computed (its ``variant``'s).
    Every line is a :class:`~matplotlib.lines.Line2D` whose ``gid`` is ``"w[l][i,j]"``, so
    the weight it shows can be looked up; with ``show_weights`` its value is written on it
    (a Text with the same ``gid``), for networks whose layers have at most 3 neurons.
    ``show_biases`` (by default as ``show_weights``) writes each bias ``biases[l][j]`` above
    its neuron (a Text with ``gid`` ``"b[l][j]"``). ``max_neurons`` (≥ 1): the most neurons
    drawn of a layer. ``class_names``: a name for each output neuron (its class), written
    beside it. ``names`` (:class:`DiagramNames`) heads the layers, labels every value and the
    colour bar as a walk-through does; without them the layers are "input", "hidden 1" …
    "output". Returns the Figure.
    """
    if not hasattr(net, "weights") or not hasattr(net, "sizes"):
        raise TypeError(f"net must be a deltaprop Network; got {type(net).__name__}")
    check_max_neurons(max_neurons)
    if y is not None and x is None:
        raise ValueError("y was given without x: the δ of an example needs both x and y")
    check_drawable(net)
    sizes = net.sizes
    if show_biases is None:
        show_biases = show_weights
    class_names = _check_class_names(class_names, sizes[-1])
    fp, grads = _passes(net, x, y, trace)
    shown = shown_neurons(net, max_neurons, fp, grads)
    if names is None:
        gap = LABELLED_GAP if show_weights else LAYER_GAP
    else:
        gap = NAMED_LABELLED_GAP if show_weights else NAMED_LAYER_GAP
    if show_weights and max(len(s.neurons) for s in shown) > MAX_LABELLED:
        raise ValueError(
            f"show_weights writes every weight on its line, readable for layers of at most {MAX_LABELLED} "
            f"neurons; this network's are {sizes}: draw it without show_weights"
        )
    placed = [_positions(s) for s in shown]
    pos = [p for p, _ in placed]
    height = max(max(p.values()) for p in pos)
    truncated = any(s.truncated for s in shown)
    margin = 0.75 if names is None else NAMED_MARGIN
    right = margin + (CLASS_CHAR * max(map(len, class_names)) if class_names else 0.0)
    width_units = gap * (len(sizes) - 1) + margin + right
    bottom = height + (1.6 if truncated else 1.0)
    figsize = (
        INCH_PER_UNIT * width_units + (2.2 if fp is not None else 0.6),
        INCH_PER_UNIT * (height + bottom + 2.5) + 0.6,
    )
    own_figure = ax is None
    fig, ax = axes_or_new(ax, figsize)

    values: list[np.ndarray | None] = [None] * len(sizes)
    label = None
    if fp is not None:
        values[0] = fp.o[0][0]
        if grads is None:
            values[1:] = [o[0] for o in fp.o[1:]]
            label = "output o"
        else:
            values[1:] = [d[0] for d in grads.deltas]
            label = "δ = ∂C/∂net" if names is None else names.delta

    w_max = max(float(np.abs(w).max()) for w in net.weights) or 1.0
    for l, w in enumerate(net.weights):
        for i in shown[l].neurons:
            for j in shown[l + 1].neurons:
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
        v = values[l]
        for i in shown[l].neurons:
            face = EMPTY_FACE if v is None else INPUT_FACE if l == 0 else cmap(norm(v[i]))
            ax.add_patch(
                Circle((cx, pos[l][i]), RADIUS, facecolor=face, edgecolor="#333333", lw=1.0, zorder=2)
            )
            text = _neuron_label(l, i, v, names, grads is not None, shown[l].truncated)
            if text:
                _below(ax, cx, pos[l][i], text, f"value {l},{i}")
            if show_biases and l > 0:
                b_name = names.bias(l - 1, i) if names is not None and names.bias is not None else "b"
                bias = _labelled(b_name, float(net.biases[l - 1][i]), WEIGHT_DIGITS)
                _above(ax, cx, pos[l][i], bias, f"b[{l - 1}][{i}]")
            if class_names and l == len(sizes) - 1:
                mark = ax.text(
                    cx + RADIUS + 0.08,
                    pos[l][i],
                    class_names[i],
                    ha="left",
                    va="center",
                    fontsize=font_size(VALUE_PT),
                )
                mark.set_gid(f"class {i}")
        if shown[l].truncated:
            _ellipsis(ax, cx, placed[l][1], shown[l], l)
        # three short lines, not "hidden 1 (logistic)" on one: that is wider than a column
        name = "input" if l == 0 else layer_name(l - 1, len(sizes) - 1)
        if names is not None:
            name = names.layer(l)
        if l > 0:
            name = f"{name}\n{net.activation_names[l - 1]}"
        neurons = "neuron" if n == 1 else "neurons"
        # every header on one line above the tallest layer: lower, a short layer's would sit
        # among the lines fanning out to a tall one
        header = ax.text(
            cx,
            height + 0.5,
            f"{name}\n{n} {neurons}",
            ha="center",
            va="bottom",
            fontsize=font_size(HEADER_PT),
        )
        header.set_gid(f"layer {l}")
    if label is not None:
        fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, label=label)
    ax.add_line(Line2D([], [], color=POSITIVE, lw=2, label="w > 0"))
    ax.add_line(Line2D([], [], color=NEGATIVE, lw=2, label="w < 0"))
    ax.legend(
        loc="lower center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=font_size(HEADER_PT), frameon=False
    )
    ax.set_xlim(-margin, gap * (len(sizes) - 1) + right)
    ax.set_ylim(-bottom, height + 1.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    inputs = ", inputs x" if names is None else ""  # named, each input's label says what it is
    shows = f"\nneurons show {label}{inputs}" if label else ""
    if trace is not None and trace.variant != "exact":
        shows += f"\n({trace.variant} variant: hidden δ from the updated weights)"
    if trace is not None and trace.n_samples > 1:
        shows += f"\nfor sample 1 of {trace.n_samples}"
    ax.set_title(f"Network {sizes}, {cost_name(net.cost.name)} cost{shows}", fontsize=font_size(TITLE_PT))
    if own_figure:
        settle_layout(fig)  # the colour bar's label inside the picture, not cut at its right edge
    return fig


def check_max_neurons(max_neurons) -> int:
    """``max_neurons`` if it is a whole number ≥ 1 (the most neurons drawn of a layer)."""
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, int) or max_neurons < 1:
        raise ValueError(f"max_neurons must be an integer ≥ 1; got {max_neurons!r}")
    return max_neurons


def _passes(net, x, y, trace):
    """``(fp, grads)`` of the example drawn: the trace's own, or ``net``'s forward pass on
    ``x`` and backpropagation on ``(x, y)``; None where not given."""
    if trace is not None:
        if x is not None or y is not None:
            raise ValueError("give either trace or x and y, not both: the trace holds its own example")
        same = list(trace.sizes) == list(net.sizes) and all(
            np.array_equal(a, b) for a, b in zip(trace.weights_before, net.weights)
        )
        if not same:
            raise ValueError(
                f"trace is of another network (sizes {list(trace.sizes)}, or other weights) than net "
                f"{list(net.sizes)}: draw the network the trace was taken on"
            )
        return trace.forward, trace.gradients
    if x is None:
        return None, None
    x = np.asarray(x, dtype=float).reshape(1, -1)
    if y is None:
        return net.forward(x), None
    yy = np.asarray(y)
    if yy.ndim == 0 or (yy.size == 1 and net.sizes[-1] > 1):  # a class label, bare or as [2]
        yy = yy.reshape(1)
    else:
        yy = yy.reshape(1, -1)
    return net.forward(x), net.backprop(x, yy)


def _check_class_names(class_names, n_out: int) -> list[str] | None:
    if class_names is None:
        return None
    if isinstance(class_names, str) or not hasattr(class_names, "__len__") or len(class_names) != n_out:
        raise ValueError(f"class_names must name each of the {n_out} outputs; got {class_names!r}")
    return [str(c) for c in class_names]


def _neuron_label(l: int, i: int, v, names: DiagramNames | None, has_delta: bool, indexed: bool) -> str:
    """What is written under neuron i of layer l: its value after its name (named: i1, δ_h1;
    in a layer drawn in part: x407, δ12, o3, its index from 1), or its index alone."""
    if v is None:
        return str(i + 1) if indexed else ""
    # named: the inputs, and δ (value(m, j) names δ, not the outputs o shown without y)
    if names is not None and (l == 0 or has_delta):
        name = names.value(l, i)
    elif indexed:
        name = f"{'x' if l == 0 else 'δ' if has_delta else 'o'}{i + 1}"
    else:
        name = None
    return _labelled(name, float(v[i]), DIGITS)


def _below(ax, cx: float, cy: float, text: str, gid: str) -> None:
    label = ax.text(
        cx,
        cy - RADIUS - 0.05,
        text,
        ha="center",
        va="top",
        fontsize=font_size(VALUE_PT),
        zorder=3,
        bbox=LABEL_BOX,
    )
    label.set_gid(gid)


def _above(ax, cx: float, cy: float, text: str, gid: str) -> None:
    """A bias above its neuron, in the neuron's outline colour."""
    label = ax.text(
        cx,
        cy + RADIUS + 0.04,
        text,
        ha="center",
        va="bottom",
        fontsize=font_size(WEIGHT_PT),
        color="#333333",
        zorder=3,
        bbox={**LABEL_BOX, "pad": 0.05},
    )
    label.set_gid(gid)


def _ellipsis(ax, cx: float, cy: float, shown: Shown, l: int) -> None:
    """ "⋮" below a layer drawn in part, and how many of how many are drawn, chosen how."""
    ax.text(cx, cy + 0.1, "⋮", ha="center", va="center", fontsize=font_size(ELLIPSIS_PT))
    note = ax.text(
        cx,
        cy - 0.35,
        f"showing {len(shown.neurons)} of {shown.n}\n({shown.why})",
        ha="center",
        va="top",
        fontsize=font_size(VALUE_PT),
        color="#444444",
    )
    note.set_gid(f"more {l}")


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
        fontsize=font_size(WEIGHT_PT),
        color=POSITIVE if wij >= 0 else NEGATIVE,
        zorder=3,
        bbox={**LABEL_BOX, "pad": 0.05},
    )
    text.set_gid(f"w[{l}][{i},{j}]")
