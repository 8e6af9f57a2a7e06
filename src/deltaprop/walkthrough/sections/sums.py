"""Sums of products written out term by term, symbols first, then numbers."""

from __future__ import annotations

from ..math import Op

MAX_TERMS = 8  # a sum with more terms than this is written Σ = value, not term by term


def sum_terms(pairs: list[tuple[tuple, tuple]]) -> list[tuple]:
    """Two sides of a sum of products: the symbols, then the numbers."""
    symbolic, numeric = [], []
    for k, (sym, num) in enumerate(pairs):
        if k:
            symbolic.append(Op("+"))
            numeric.append(Op("+"))
        symbolic += sym
        numeric += num
    return [tuple(symbolic), tuple(numeric)]
