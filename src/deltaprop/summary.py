"""``net.summary()``: the network as a table, one row per layer, as Keras's ``model.summary()``.

Each layer of neurons gets a row: its size n_l, its σ, the shapes of the weights w ``(n_{l-1},
n_l)`` and biases b ``(n_l,)`` that feed it, and how many parameters those are; then the total,
the cost, the dtype and the initialiser. Plain text, returned (the core prints nothing): a
:class:`Summary` is a ``str`` that shows itself as the table at a prompt or in a notebook.
"""

from __future__ import annotations

HEADER = ("layer", "neurons", "activation σ", "weights w", "biases b", "parameters")
RIGHT = (False, True, False, False, False, True)  # numbers right-aligned, words left
GAP = "  "


class Summary(str):
    """The summary's text; its repr is the text itself, so ``net.summary()`` at a prompt shows the
    table as ``print(net.summary())`` does, rather than one quoted line with ``\\n`` in it."""

    def __repr__(self) -> str:
        return str(self)


def network_summary(net) -> Summary:
    """The table of ``net``'s layers, its total parameter count, cost, dtype and init."""
    sizes, L = net.sizes, net.n_layers
    rows = [HEADER, ("0 input", f"{sizes[0]:,}", "", "", "", "0")]
    for l, (w, b, fn) in enumerate(zip(net.weights, net.biases, net.activations), start=1):
        role = "output" if l == L else "hidden"
        shape_w, shape_b = str(tuple(w.shape)), str(tuple(b.shape))
        rows.append((f"{l} {role}", f"{sizes[l]:,}", fn.spec, shape_w, shape_b, f"{w.size + b.size:,}"))
    widths = [max(len(row[k]) for row in rows) for k in range(len(HEADER))]
    lines = [
        GAP.join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, RIGHT)
        ).rstrip()
        for row in rows
    ]
    rule = "-" * len(max(lines, key=len))
    n_weights = sum(w.size for w in net.weights)
    text = [
        f"Network {sizes}",
        rule,
        lines[0],
        rule,
        *lines[1:],
        rule,
        f"Total parameters: {net.n_params:,} ({n_weights:,} weights, {net.n_params - n_weights:,} biases)",
        f"Cost: {net.cost.name}   dtype: {net.dtype.name}   init: {net.init}",
    ]
    return Summary("\n".join(text))
