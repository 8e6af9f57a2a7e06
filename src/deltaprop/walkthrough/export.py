"""A trace as plain data: every number of the step, for a program (JSON) or a spreadsheet (CSV).

Indices count from 0, as the package's and NumPy's do: sample s, layer m = 0..L (0 the input
layer, L the output layer), neuron j, and ``w[i][j]`` from neuron i of layer m − 1 to neuron j of
layer m (``weights[m − 1][i, j]``). The walk-through's own names count as its notation does, so
every number also carries the name the text gives it: the row of sample 0, layer 1, neuron 0 is
z²₁, a²₁, δ²₁ in Nielsen's notation (his layers and neurons from 1), net_h1, out_h1, δ_h1 in
Mazur's; "Sample 1 of 4" in the text is sample 0 here.

:func:`to_dict` gives the whole step (:meth:`Trace.to_dict <.trace.Trace.to_dict>`),
:func:`neuron_table` a row per sample and neuron (:meth:`Trace.neuron_table
<.trace.Trace.neuron_table>`); :func:`to_json` and :func:`to_csv` write them as
``deltaprop explain --format json|csv`` does.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import numpy as np

from .math import eq, to_text
from .notation import Notation, default_for, get

if TYPE_CHECKING:
    from .trace import Trace

INDICES_FROM = 0  # the first index of every sample, layer, neuron and weight: NumPy's
PER_NEURON = ("net", "o", "delta")  # the quantities a neuron has in every sample, as the trace names them


def _notation(trace: Trace, notation: str | None) -> Notation:
    """``notation`` for ``trace``'s network; by default Mazur's for his example, else Nielsen's."""
    return get(notation or default_for(trace.example), trace.sizes)


def _symbol(node) -> str:
    return to_text(eq(node))


def _names(nt: Notation, m: int) -> dict[str, list[str]]:
    """The names of net, o and δ of every neuron of layer m ≥ 1 in ``nt``: z²₁, a²₁, δ²₁ …"""
    symbols = {"net": nt.net, "o": nt.o, "delta": nt.delta}
    return {key: [_symbol(symbols[key](m, j)) for j in range(nt.sizes[m])] for key in PER_NEURON}


def to_dict(trace: Trace, notation: str | None = None) -> dict:
    """The step as plain Python, JSON-serialisable: ``json.dumps(to_dict(trace))``.

    Top level: ``indices_from`` (0: every index below counts from 0), ``sizes``,
    ``activations`` (each layer's spec), ``cost``, ``learning_rate``, ``update_biases``,
    ``variant``, ``example``, ``notes`` (the trace's notes, a list of strings, often empty),
    ``notation``, ``n_samples``, ``x`` ``(n_samples, n_0)`` and ``y``
    ``(n_samples, n_L)`` as nested lists, ``cost_before``, ``cost_after`` (and
    ``exact_cost_after`` for the ``"post"`` variant) and ``layers``, one dict per layer
    m = 0..L. Layer 0 holds the inputs ``o`` (= x); every other layer its ``activation``,
    ``net``, ``o`` and ``delta`` ``(n_samples, n_m)`` and the parameters into it: ``w``,
    ``w_after`` and ``dC_dw`` ``(n_(m−1), n_m)``, indexed ``[i][j]`` for w_ij from neuron i of
    layer m − 1 to neuron j of layer m (``weights[m − 1]``), and ``b``, ``b_after``, ``dC_db``
    ``(n_m,)``. Each layer's ``name`` and ``names`` (of every quantity, same shapes) are the
    walk-through's in ``notation`` (``"nielsen"`` or ``"mazur"``; by default Mazur's for his
    example, else Nielsen's), counting as it does: ``"layer": 0`` is Nielsen's
    ``"layer 1 (input)"``. A value that is not finite is None.
    """
    nt = _notation(trace, notation)
    o0 = [_symbol(nt.o(0, j)) for j in range(trace.sizes[0])]
    layers = [{"layer": 0, "name": nt.layer(0), "names": {"o": o0}, "o": _plain(trace.x)}]
    for l in range(trace.n_layers):
        m, to, grads = l + 1, range(trace.sizes[l + 1]), trace.gradients
        symbols = _names(nt, m)
        symbols["w"] = [[_symbol(nt.w(l, i, j)) for j in to] for i in range(trace.sizes[l])]
        symbols["b"] = [_symbol(nt.b(l, j)) for j in to]
        layers.append(
            {"layer": m, "name": nt.layer(m), "activation": trace.specs[l], "names": symbols}
            | {"net": _plain(trace.forward.net[l]), "o": _plain(trace.forward.o[m])}
            | {"delta": _plain(grads.deltas[l]), "w": _plain(trace.weights_before[l])}
            | {"w_after": _plain(trace.weights_after[l]), "dC_dw": _plain(grads.weights[l])}
            | {"b": _plain(trace.biases_before[l]), "b_after": _plain(trace.biases_after[l])}
            | {"dC_db": _plain(grads.biases[l])}
        )
    exact = {} if trace.variant == "exact" else {"exact_cost_after": _plain(trace.exact_cost_after)}
    return {
        "indices_from": INDICES_FROM,
        "sizes": list(trace.sizes),
        "activations": list(trace.specs),
        "cost": trace.cost,
        "learning_rate": float(trace.learning_rate),
        "update_biases": trace.update_biases,
        "variant": trace.variant,
        "example": trace.example,
        "notes": list(trace.notes),
        "notation": nt.name,
        "n_samples": trace.n_samples,
        "x": _plain(trace.x),
        "y": _plain(trace.y),
        "cost_before": _plain(trace.cost_before),
        "cost_after": _plain(trace.cost_after),
        **exact,
        "layers": layers,
    }


def neuron_table(trace: Trace, notation: str | None = None) -> list[dict]:
    """One row per sample and neuron of layers 1..L, for ``pandas.DataFrame(rows)``.

    Columns: ``sample``, ``layer``, ``neuron`` (ints, from 0: ``layer`` is m, 0 the input layer,
    whose x is in :func:`to_dict`; ``neuron`` is j), then each of ``net``, ``o`` and ``delta``
    (floats, None where not finite) after its name in ``notation``, as the walk-through writes
    it (``net_name``, ``o_name``, ``delta_name``: z²₁, a²₁, δ²₁ in Nielsen's notation, net_h1,
    out_h1, δ_h1 in Mazur's). Rows run by sample, then layer, then neuron.
    """
    nt = _notation(trace, notation)
    values = {"net": trace.forward.net, "o": trace.forward.o[1:], "delta": trace.gradients.deltas}
    names = [_names(nt, l + 1) for l in range(trace.n_layers)]
    rows = []
    for s in range(trace.n_samples):
        for l in range(trace.n_layers):
            for j in range(trace.sizes[l + 1]):
                row: dict = {"sample": s, "layer": l + 1, "neuron": j}
                for key in PER_NEURON:
                    row[f"{key}_name"] = names[l][key][j]
                    row[key] = _plain(values[key][l][s, j])
                rows.append(row)
    return rows


def to_json(trace: Trace, notation: str | None = None) -> str:
    """:func:`to_dict` as a JSON document (UTF-8 names, no NaN: a value that is not finite is null)."""
    return json.dumps(to_dict(trace, notation), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def to_csv(trace: Trace, notation: str | None = None) -> str:
    """:func:`neuron_table` as CSV: a header, then a row per sample and neuron.

    Numbers as ``repr`` writes them (read back, the same floats), names as they are, and an
    empty cell where a value is not finite.
    """
    rows = neuron_table(trace, notation)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)


def _plain(values):
    """A number or an array as Python floats (nested lists), None where a value is not finite."""
    array = np.asarray(values, dtype=np.float64)
    if not np.isfinite(array).all():
        array = np.where(np.isfinite(array), array.astype(object), None)
    return array.tolist()
