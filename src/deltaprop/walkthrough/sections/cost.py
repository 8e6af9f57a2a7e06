"""The cost of one sample: each output's term of C_x, then their sum.

Mazur names each output's term (E_o1, E_o2) and adds them up: E_total = E_o1 + E_o2. Nielsen's
subscript on C is the example (C_x), so a term C₁ would read as example 1's cost under
"Sample 2 of 3": his notation writes each term out, ½(y₁ − a³₁)², and the sum as
C_x = ½ Σ_j (y_j − a³_j)² (:meth:`~..notation.Notation.cost_share` is None there).
"""

from __future__ import annotations

import numpy as np

from ..blocks import Block, Equations, Heading, Paragraph
from ..math import DEFAULT_DIGITS, Eq, Num, Op, Paren, Sym, Word
from ..trace import Trace
from .sums import MAX_TERMS, sum_terms
from .target import class_target


def _cross_entropy(y, a) -> tuple:
    """y ln a + (1 − y) ln(1 − a), as nodes (its sign and parentheses are the caller's)."""
    return (
        y,
        Word(" ln "),
        a,
        Op("+"),
        Paren((Word("1"), Op("−"), y)),
        Word(" ln"),
        Paren((Word("1"), Op("−"), a)),
    )


def cost_form(cost: str, y, a, total: bool = False) -> tuple:
    """One output's term of C_x in the symbols ``y`` and ``a`` or, with ``total``, Σ_j over the outputs."""
    sigma = (Sym("Σ", "j"),) if total else ()
    if cost == "quadratic":
        return (Word("½"), *sigma, Paren((y, Op("−"), a), "2"))
    if cost == "cross_entropy":
        return (Op("−"), *sigma, Paren(_cross_entropy(y, a)))
    if cost == "log_likelihood":
        return (Op("−"), *sigma, y, Word(" ln "), a)
    return ()


def cost_sum(trace: Trace, nt) -> tuple:
    """C_x = Σ over the outputs, in the notation's symbols: ½ Σ_j (y_j − a^L_j)²."""
    return cost_form(trace.cost, nt.y_any("j"), nt.o_any(trace.n_layers, "j"), total=True)


def _numbers_added(values: list[float]) -> tuple:
    """v1 + v2 + …, as nodes."""
    nodes: list = []
    for k, value in enumerate(values):
        nodes += [Op("+"), Num(value)] if k else [Num(value)]
    return tuple(nodes)


def cost(trace: Trace, nt, s: int, digits: int = DEFAULT_DIGITS) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The cost")]
    said = class_target(trace, nt, s, digits)  # a class label's one-hot y, before y₃ = 1 is used
    if said:
        blocks.append(Paragraph(said))
    batch = trace.n_samples > 1
    note = "for this example" if batch else ""
    # One sample's total is C_x; the batch's C = 1/n Σ_x C_x is not this sum.
    total = nt.sample_cost(trace.n_samples)
    named = nt.cost_share(0) is not None  # Mazur's E_o1; Nielsen writes the term out
    one_output = len(trace.outputs) == 1
    items, shares = [], []
    for out in trace.outputs:
        j, a, y = out.j, nt.o(trace.n_layers, out.j), nt.y(out.j)
        # the term in symbols, then with this sample's y and a: every cost, for checking by hand
        sides = [cost_form(trace.cost, y, a), cost_form(trace.cost, Num(out.y[s]), Num(out.a[s]))]
        sides.append((Num(out.cost_share[s]),))
        if named:
            sides.insert(0, (nt.cost_share(j),))
        elif one_output:  # C = ½(y₁ − a²₁)² = …: the one term is the total, written once
            items.append(Eq(((total,), *sides), note=note))
            blocks.append(Equations(tuple(items)))
            return blocks
        items.append(Eq(tuple(sides)))
        shares.append(float(out.cost_share[s]))
    total_sides: list[tuple] = [(total,)]
    if named and one_output:
        total_sides.append((nt.cost_share(trace.outputs[0].j),))  # E = E_o1 = value, not twice
    elif named and len(shares) <= MAX_TERMS:
        total_sides += sum_terms(
            [((nt.cost_share(out.j),), (Num(out.cost_share[s]),)) for out in trace.outputs]
        )
    elif not named:
        total_sides.append(cost_sum(trace, nt))
        if len(shares) <= MAX_TERMS:
            total_sides.append(_numbers_added(shares))
    c_x = float(np.sum(shares)) if batch else trace.cost_before
    total_sides.append((Num(c_x),))
    items.append(Eq(tuple(total_sides), note=note))
    blocks.append(Equations(tuple(items)))
    return blocks
