"""The gradients and the step: ∂C/∂w_ij = o_i δ_j, Δw_ij = −η ∂C/∂w_ij, w⁺ = w + Δw; then the biases.

The prose writes the rule in the notation's own indices (Nielsen's w^l_jk = a^(l−1)_k δ^l_j).

With a batch each gradient is the average over the samples, written out for a few of them.
"""

from __future__ import annotations

import numpy as np

from ..blocks import Block, Equations, Heading, Note, Paragraph
from ..examples import is_mazur_step
from ..math import Eq, Frac, Num, Op, Paren, Sym, Word, eq, to_text, typeset
from ..trace import Trace

MAX_SAMPLE_TERMS = 4  # a batch average over more samples than this is not written out
# Mazur's post prints the exact algorithm's w1⁺…w4⁺: its text takes the hidden δ through w5…w8
# as they were (∂E_o1/∂out_h1 = 0.138498562 × 0.40 = 0.055399425); only its error after the step
# came from the older script that the post variant follows.
MAZUR_POST_HIDDEN_WEIGHTS = (0.149780716, 0.19956143, 0.24975114, 0.29950229)
_POST_HIDDEN_WEIGHTS = (
    "Post variant: the post prints w1⁺…w4⁺ = "
    + ", ".join(typeset(w) for w in MAZUR_POST_HIDDEN_WEIGHTS)
    + ", not these: its text takes the hidden δ through w5…w8 before the step, as the exact algorithm "
    "does; only its error after the step, 0.291027924, comes from the older script this variant follows."
)


def _batch_sides(
    trace: Trace, first: Sym, second: Sym | None, a: np.ndarray, b: np.ndarray | None
) -> list[tuple]:
    """The product o_i δ_j (or δ_j alone), averaged over the batch, as sides of an equation."""
    n = trace.n_samples
    if n == 1:
        if second is None:
            return [(first,)]
        return [(first, Op("·"), second), (Num(a[0]), Op("×"), Num(b[0]))]
    sym = (first,) if second is None else (first, second)
    # 1/n, not 1/2: beside the quadratic cost's ½ a bare 1/2 reads as that; the note says n = 2
    sides = [(Frac((Word("1"),), (Sym("n"),)), Sym("Σ", "x"), *sym)]
    if n <= MAX_SAMPLE_TERMS:
        numeric: list = []
        for k in range(n):
            if k:
                numeric.append(Op("+"))
            numeric += [Num(a[k])] if second is None else [Num(a[k]), Op("×"), Num(b[k])]
        sides.append((Frac((Word("1"),), (Word(str(n)),)), Paren(tuple(numeric))))
    return sides


def _averaged(name: str, trace: Trace) -> str:
    """The note naming a gradient's equation: BP3 and BP4 are one example's, a batch averages them
    over its n examples, and says what n is."""
    if trace.n_samples == 1:
        return name
    n = f"n = {trace.n_samples}"
    return f"{name}, averaged over the batch, {n}" if name else n


def updates(trace: Trace, nt) -> list[Block]:
    blocks: list[Block] = [Heading(2, "The gradients and the update")]
    C, eta = nt.cost(), nt.eta()
    cost = to_text(eq(C))
    w = nt.weight_any  # in the notation's own indices, as the lines below: w^l_jk for Nielsen
    blocks.append(
        Paragraph(
            f"For every weight {w} ({nt.weight_direction}), "
            f"∂{cost}/∂{w} = {nt.weight_source} {nt.weight_delta}"
            + (f" averaged over the batch's n = {trace.n_samples} examples" if trace.n_samples > 1 else "")
            + f", the change is Δ{w} = −η ∂{cost}/∂{w}, and the new weight is {w} + Δ{w}."
        )
    )
    for l in range(trace.n_layers - 1, -1, -1):
        items = []
        for step in (w for w in trace.weight_steps if w.l == l):
            i, j = step.i, step.j
            w, w_new = nt.w(l, i, j), nt.w(l, i, j, new=True)
            dCdw = nt.partial(C, w)
            sides = _batch_sides(trace, nt.o(l, i), nt.delta(l + 1, j), step.o_i, step.delta_j)
            items.append(Eq(((dCdw,), *sides, (Num(step.grad),)), note=_averaged(nt.bp(4), trace)))
            items.append(
                Eq(
                    (
                        (Word("Δ"), w),
                        (Op("−"), eta, dCdw),
                        (Op("−"), Num(trace.learning_rate), Op("×"), Num(step.grad)),
                        (Num(step.change),),
                    )
                )
            )
            items.append(
                Eq(
                    (
                        (w_new,),
                        (w, Op("+"), Word("Δ"), w),
                        (Num(step.old), Op("+"), Num(step.change)),
                        (Num(step.new),),
                    )
                )
            )
        blocks.append(Heading(3, f"Weights into {'the ' if nt.name == 'mazur' else ''}{nt.layer(l + 1)}"))
        blocks.append(Equations(tuple(items)))
        if l == 0 and trace.variant == "post" and nt.name == "mazur" and is_mazur_step(trace):
            blocks.append(Note(_POST_HIDDEN_WEIGHTS))
    items = []
    for step in trace.bias_steps:
        b = nt.b(step.l, step.j)
        dCdb = nt.partial(C, b)
        sides = _batch_sides(trace, nt.delta(step.l + 1, step.j), None, step.delta_j, None)
        items.append(Eq(((dCdb,), *sides, (Num(step.grad),)), note=_averaged(nt.bp(3), trace)))
        if step.updated:
            items.append(
                Eq(
                    (
                        (nt.b(step.l, step.j, new=True),),
                        (b, Op("−"), eta, dCdb),
                        (Num(step.old), Op("−"), Num(trace.learning_rate), Op("×"), Num(step.grad)),
                        (Num(step.new),),
                    )
                )
            )
    blocks.append(Heading(3, "Biases"))
    if not trace.update_biases:
        blocks.append(
            Paragraph("The biases are kept as they are in this step (update_biases=False); their gradients:")
        )
    blocks.append(Equations(tuple(items)))
    return blocks
