"""The forward pass, neuron by neuron: net_j = Σ_i w_ij o_i + b_j, then o_j = σ(net_j).

A sum of more than ``MAX_TERMS`` terms is written in the notation's own symbols
(:meth:`~..notation.Notation.forward_sum`): Σ_k w^l_jk a^(l−1)_k, Σ_i w_i,h1 out_i.
"""

from __future__ import annotations

from ..blocks import Block, Equations, Heading, Paragraph
from ..math import DEFAULT_DIGITS, Eq, Frac, Num, Op, Paren, Sym, Word, eq, typeset
from ..trace import Trace
from .sums import MAX_TERMS, sum_terms


def forward(trace: Trace, nt, s: int, digits: int = DEFAULT_DIGITS) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The forward pass")]
    x = trace.x[s]
    blocks.append(
        Equations(tuple(eq(nt.o(0, i), Num(x[i])) for i in range(trace.sizes[0])))
        if trace.sizes[0] <= MAX_TERMS
        else Paragraph(
            f"Input: {trace.sizes[0]} values from {typeset(x.min(), digits)} to {typeset(x.max(), digits)}."
        )
    )
    for m in range(1, trace.n_layers + 1):
        act = trace.activations[m - 1]
        items = []
        for neuron in (n for n in trace.neurons if n.layer == m):
            j, l = neuron.j, m - 1
            sides: list[tuple] = [(nt.net(m, j),)]
            if trace.sizes[l] <= MAX_TERMS:
                pairs = [
                    (
                        (nt.w(l, i, j), Op("·"), nt.o(l, i)),
                        (Num(neuron.w_in[i]), Op("×"), Num(neuron.o_in[s, i])),
                    )
                    for i in range(trace.sizes[l])
                ]
                symbolic, numeric = sum_terms(pairs)
                sides += [symbolic + (Op("+"), nt.b(l, j)), numeric + (Op("+"), Num(neuron.b))]
            else:
                sides += [(*nt.forward_sum(m, j), Op("+"), nt.b(l, j))]
            sides.append((Num(neuron.net[s]),))
            items.append(Eq(tuple(sides)))
            out_sides: list[tuple] = [(nt.o(m, j),)]
            if act == "logistic":
                for exponent in ((Op("−"), nt.net(m, j)), (Num(-neuron.net[s]),)):
                    out_sides.append((Frac((Word("1"),), (Word("1"), Op("+"), Sym("e", sup=exponent))),))
            elif act == "softmax":
                z_k = Sym(nt.net(m, j).base, "k", nt.net(m, j).sup)
                out_sides.append(
                    (Frac((Sym("e", sup=(nt.net(m, j),)),), (Sym("Σ", "k"), Sym("e", sup=(z_k,)))),)
                )
                layer_net = [n.net[s] for n in trace.neurons if n.layer == m]
                if len(layer_net) <= MAX_TERMS:  # e^(z_j) / (e^(z_1) + … + e^(z_n)) with the numbers
                    exps = [Sym("e", sup=(Num(z),)) for z in layer_net]
                    denominator = tuple(
                        node for k, e in enumerate(exps) for node in ((Op("+"), e) if k else (e,))
                    )
                    out_sides.append((Frac((exps[j],), denominator),))
            else:
                out_sides.append((Word(act), Paren((nt.net(m, j),))))
                out_sides.append((Word(act), Paren((Num(neuron.net[s]),))))
            out_sides.append((Num(neuron.o[s]),))
            items.append(Eq(tuple(out_sides)))
        blocks.append(Heading(3, nt.layer(m).capitalize()))
        blocks.append(Equations(tuple(items)))
    return blocks
