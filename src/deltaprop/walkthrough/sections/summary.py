"""The summary of a large network: per-layer statistics and the largest terms, as tables.

Shown in place of the forward, cost, backward and update sections when the network has more
than ``max_neurons`` neurons; the numbers are the trace's :mod:`~deltaprop.walkthrough.summary`.
"""

from __future__ import annotations

import numpy as np

from ..blocks import Block, Equations, Heading, Paragraph, Table
from ..math import DEFAULT_DIGITS, Eq, Num, eq, to_text
from ..trace import Trace
from .target import targets

STATS_DIGITS = 6  # decimals in the per-layer statistics tables


def summary(trace: Trace, nt, digits: int = DEFAULT_DIGITS) -> list[Block]:
    n_neurons = sum(trace.sizes)
    blocks: list[Block] = [
        Paragraph(
            f"The network has {n_neurons} neurons, more than max_neurons = {trace.max_neurons}, so this is a "
            "summary: statistics per layer and the largest terms, all from the same step."
        ),
        Heading(2, "The cost"),
        Paragraph(targets(trace, nt, digits)),  # no table shows y
        Equations((Eq(((nt.cost(),), (Num(trace.cost_before),))),)),
    ]
    net, out = nt.net_name, nt.out_name  # z and a (Nielsen), net and out (Mazur)
    dCdw = f"∂{to_text(eq(nt.cost()))}/∂w"  # ∂C/∂w, ∂E_total/∂w
    dCdb = f"∂{to_text(eq(nt.cost()))}/∂b"
    fwd_rows, back_rows = [], []
    for ls in trace.layers:
        name = nt.layer(ls.layer)
        fwd_rows.append(
            (
                name,
                str(ls.n_neurons),
                ls.activation,
                ls.net.min,
                ls.net.mean,
                ls.net.max,
                ls.o.min,
                ls.o.mean,
                ls.o.max,
            )
        )
        back_rows.append(
            (
                name,
                ls.delta.min,
                ls.delta.max,
                ls.delta.norm,
                ls.grad_w.min,
                ls.grad_w.max,
                ls.grad_w.norm,
                ls.grad_b.norm,
                ls.change_w.norm,
            )
        )
    blocks.append(Heading(2, "Forward, per layer"))
    blocks.append(
        Table(
            (
                "layer",
                "neurons",
                "σ",
                f"min {net}",
                f"mean {net}",
                f"max {net}",
                f"min {out}",
                f"mean {out}",
                f"max {out}",
            ),
            tuple(fwd_rows),
            digits=STATS_DIGITS,
        )
    )
    blocks.append(Heading(2, "Backward, per layer"))
    blocks.append(
        Table(
            (
                "layer",
                "min δ",
                "max δ",
                "‖δ‖",
                f"min {dCdw}",
                f"max {dCdw}",
                f"‖{dCdw}‖",
                f"‖{dCdb}‖",
                "‖Δw‖",
            ),
            tuple(back_rows),
            caption="δ over every sample and neuron; ‖·‖ the Euclidean norm",
            digits=STATS_DIGITS,
        )
    )
    one = trace.n_samples == 1
    rows = []
    for step in trace.top_weights:
        o_i = step.o_i[0] if one else float(np.mean(step.o_i))
        d_j = step.delta_j[0] if one else float(np.mean(step.delta_j))
        rows.append(((nt.w(step.l, step.i, step.j),), o_i, d_j, step.grad, step.change, step.old, step.new))
    blocks.append(Heading(2, f"The {len(rows)} weights with the largest |{dCdw}|"))
    blocks.append(
        Table(
            (
                "weight",
                ("" if one else "mean ") + nt.weight_source,
                ("" if one else "mean ") + nt.weight_delta,
                dCdw,
                "Δw",
                "w",
                "w" + nt.after_mark,
            ),
            tuple(rows),
            caption=f"∂{to_text(eq(nt.cost()))}/∂{nt.weight_any} = {nt.weight_source} {nt.weight_delta}"
            + (
                ""
                if one
                else " averaged over the batch (the mean of the products, not the product of the means shown)"
            )
            + f", Δw = −η {dCdw}",
        )
    )
    rows = []
    for nd in trace.top_neurons:
        pick = (lambda v: float(v[0])) if one else (lambda v: float(np.mean(v)))
        row = ((nt.delta(nd.layer, nd.j),), nt.layer(nd.layer), pick(nd.net), pick(nd.o), pick(nd.delta))
        rows.append(row if one else (*row, nd.score))  # a batch is ranked by the mean |δ|, shown
    blocks.append(Heading(2, f"The {len(rows)} neurons with the largest {'|δ|' if one else 'mean |δ|'}"))
    blocks.append(
        Table(
            ("neuron", "layer", net, out, "δ") if one else ("neuron", "layer", net, out, "δ", "mean |δ|"),
            tuple(rows),
            caption=("" if one else "means over the batch; ") + "neurons whose δ is 0 are not listed",
        )
    )
    return blocks
