"""After the step: the cost before and after, and where Mazur's post's figure comes from.

The post's figure is quoted only for the post's own step (:func:`~..examples.is_mazur_step`):
with another η, updated biases or another network the difference has other causes.
"""

from __future__ import annotations

from ..blocks import Block, Equations, Heading, Note, Paragraph
from ..examples import is_mazur_step
from ..math import DEFAULT_DIGITS, Eq, Num, Op, eq, to_text, typeset
from ..trace import Trace

MAZUR_POST_ERROR = 0.291027924  # the error after one step as Mazur's post prints it


def after(trace: Trace, nt, digits: int = DEFAULT_DIGITS) -> list[Block]:
    blocks: list[Block] = [Heading(2, "After the step")]
    C = nt.cost()
    C_after = nt.after(C)
    change = trace.cost_after - trace.cost_before
    blocks.append(
        Equations(
            (
                Eq(((C,), (Num(trace.cost_before),)), note="before"),
                Eq(((C_after,), (Num(trace.cost_after),)), note="after one step"),
                Eq(((C_after, Op("−"), C), (Num(change),))),
            )
        )
    )
    if trace.variant == "exact" and is_mazur_step(trace):
        # w5⁺…w8⁺ in Mazur's names, w³₁₁′…w³₂₂′ in Nielsen's
        first, last = (to_text(eq(nt.w(1, i, i, new=True))) for i in (0, 1))
        blocks.append(
            Paragraph(
                f"Mazur's post prints {typeset(MAZUR_POST_ERROR)} for the error after this step; the exact "
                f"algorithm gives {typeset(trace.cost_after, digits)}. The post's figure came from an older "
                "version of its script, which computed the hidden δ from the already-updated output "
                f"weights {first}…{last} instead of the weights the forward pass used. Run with "
                "variant='post' (CLI: --variant post) to see that computation step by step."
            )
        )
    if trace.variant == "post":
        blocks.append(
            Note(
                f"Post variant: {typeset(trace.cost_after, digits)}. The exact algorithm gives "
                f"{typeset(trace.exact_cost_after, digits)}; the difference comes only from the hidden δ "
                "(and so from the update of the weights into the hidden layers)."
            )
        )
    return blocks
