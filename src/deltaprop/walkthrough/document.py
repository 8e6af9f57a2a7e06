"""The walk-through as a list of blocks (headings, prose, equations, tables) for any renderer.

:func:`build` turns a :class:`~deltaprop.walkthrough.trace.Trace` into blocks once; the text,
Markdown and HTML renderers only format them, so the three always say the same thing.
Equations substitute the trace's numbers: every value shown is read from the trace, and every
line of numbers gives its printed result on a calculator (:mod:`.calculator`).

Each section is laid out by a module of :mod:`.sections`; the blocks are defined in
:mod:`.blocks` and re-exported here, beside :func:`build`, which returns them.
"""

from __future__ import annotations

import numpy as np

from . import notation as notations
from .blocks import Block, Equations, Heading, Note, Paragraph, Table
from .calculator import MAX_SIGNIFICANT, checked
from .math import DEFAULT_DIGITS
from .sections.after import after
from .sections.backward import hidden_errors, output_errors
from .sections.cost import cost
from .sections.forward import forward
from .sections.introduction import introduction
from .sections.summary import summary
from .sections.updates import updates
from .trace import Trace

__all__ = ["Block", "Equations", "Heading", "Note", "Paragraph", "Table", "build", "digits_for"]

# float32 holds about 7 significant digits. At 9 decimals a float32 walk-through printed its
# rounding (Mazur's w1 = 0.15 as 0.150000006) and sums that missed their printed results in the
# last digits; 6 decimals keep every printed equation consistent for numbers of order 1.
FLOAT32_DIGITS = 6
# A line whose rounded numbers miss its result gets more digits (.calculator), but no more than
# a float32 holds: 0.15 stored as float32 is 0.150000006, whose last two digits are its rounding.
FLOAT32_SIGNIFICANT = 7


def digits_for(trace: Trace, digits: int | None = None) -> int:
    """``digits`` if given, else the decimals ``trace``'s numbers hold: 9, or 6 for a float32 network."""
    if not isinstance(trace, Trace):
        raise TypeError(f"trace must be a Trace from deltaprop.explain(); got {type(trace).__name__}")
    if digits is not None:
        return digits
    return FLOAT32_DIGITS if trace.forward.a.dtype == np.float32 else DEFAULT_DIGITS


def build(trace: Trace, notation: str = "nielsen", digits: int | None = None) -> list[Block]:
    """The blocks of the walk-through of ``trace`` in ``notation`` (``"nielsen"``/``"mazur"``).

    ``digits`` (decimals) defaults to :func:`digits_for` the trace.
    """
    digits = digits_for(trace, digits)  # checks that trace is a Trace
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise ValueError(f"digits must be an integer from 1 to 17; got {digits!r}")
    nt = notations.get(notation, trace.sizes)
    blocks: list[Block] = list(introduction(trace, nt, digits))
    if trace.detailed:
        for s in range(trace.n_samples):
            if trace.n_samples > 1:
                blocks.append(Heading(2, f"Sample {s + 1} of {trace.n_samples}"))
            blocks += forward(trace, nt, s, digits)
            blocks += cost(trace, nt, s, digits)
            blocks += output_errors(trace, nt, s)
            blocks += hidden_errors(trace, nt, s)
        blocks += updates(trace, nt)
    else:
        blocks += summary(trace, nt, digits)
    blocks += after(trace, nt, digits)
    significant = FLOAT32_SIGNIFICANT if trace.forward.a.dtype == np.float32 else MAX_SIGNIFICANT
    return [
        Equations(tuple(checked(item, digits, significant) for item in block.items))
        if isinstance(block, Equations)
        else block
        for block in blocks
    ]
