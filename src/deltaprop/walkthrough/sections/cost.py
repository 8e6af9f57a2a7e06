"""The cost of one sample: each output's share of C_x, then their sum."""

from __future__ import annotations

import numpy as np

from ..blocks import Block, Equations, Heading
from ..math import Eq, Num, Op, Paren, Sym, Word
from ..trace import Trace
from .sums import MAX_TERMS, sum_terms


def cost(trace: Trace, nt, s: int) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The cost")]
    items = []
    shares = []
    for out in trace.outputs:
        j, a, y = out.j, nt.o(trace.n_layers, out.j), nt.y(out.j)
        if trace.cost == "quadratic":
            sides = [
                (Word("½"), Paren((y, Op("−"), a), "2")),
                (Word("½"), Paren((Num(out.y[s]), Op("−"), Num(out.a[s])), "2")),
            ]
        elif trace.cost == "cross_entropy":
            sides = [
                (
                    Op("−"),
                    Paren(
                        (
                            y,
                            Word(" ln "),
                            a,
                            Op("+"),
                            Paren((Word("1"), Op("−"), y)),
                            Word(" ln"),
                            Paren((Word("1"), Op("−"), a)),
                        )
                    ),
                )
            ]
        elif trace.cost == "log_likelihood":
            sides = [(Op("−"), y, Word(" ln "), a)]
        else:
            sides = []
        items.append(Eq(((nt.cost_share(j),), *sides, (Num(out.cost_share[s]),))))
        shares.append(out.cost_share[s])
    # One sample's total is C_x; the batch's C = 1/n Σ_x C_x is not this sum.
    total = nt.cost() if trace.n_samples == 1 else Sym(nt.cost().base, "x")
    total_sides = [(total,)]
    if len(trace.outputs) == 1:
        total_sides.append((nt.cost_share(trace.outputs[0].j),))  # C = C₁ = value, not twice
    elif len(trace.outputs) <= MAX_TERMS:
        pairs = [((nt.cost_share(out.j),), (Num(out.cost_share[s]),)) for out in trace.outputs]
        total_sides += sum_terms(pairs)
    c_x = float(np.sum(shares)) if trace.n_samples > 1 else trace.cost_before
    total_sides.append((Num(c_x),))
    items.append(Eq(tuple(total_sides), note="for this example" if trace.n_samples > 1 else ""))
    blocks.append(Equations(tuple(items)))
    return blocks
