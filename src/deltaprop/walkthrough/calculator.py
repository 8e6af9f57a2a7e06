"""Every printed line checks on a calculator: its numbers, as printed, give its printed result.

An equation such as ``∂C/∂a⁴₁ = −y₁/a⁴₁ = −1/0.009424122 = -106.110685913`` is printed from
unrounded values, so the rounded numbers on a side need not give the result to its last digit
(−1/0.009424122 is −106.110680655). :func:`checked` evaluates each side made only of numbers,
exactly as printed (with :class:`fractions.Fraction`; e^, ln and tanh in floating point), and
where it misses the printed result by half a unit of that result's last digit or more, gives
the side's numbers more significant digits (``Num.sig``) until it does:
``−1/0.00942412205372 = -106.110685913``. Exactly half a unit is a miss, whichever way the
result was rounded: ``0.1 × 0.008771355`` is 0.0008771355, which a calculator rounding half
up shows as 0.000877136, so the line prints ``0.1 × 0.0087713547 = 0.000877135``. A line that
already checks is left as it is, so Mazur's published numbers print as before; the result
keeps its digits, and the next line, which uses it, is checked in its turn.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

from .math import Eq, Frac, Num, Op, Paren, Sym, Word, fmt, last_place

MAX_SIGNIFICANT = 17  # the digits that tell any two float64 values apart


def _ln(x: Fraction) -> Fraction | None:
    return Fraction(math.log(x)) if x > 0 else None


_FUNCTIONS = {
    "ln": _ln,
    "tanh": lambda x: Fraction(math.tanh(x)),
    "relu": lambda x: max(x, Fraction(0)),
    "linear": lambda x: x,
}
_WORDS = {"1": Fraction(1), "½": Fraction(1, 2)}


def _number(node: Num, digits: int, sig: int) -> Fraction | None:
    text = fmt(node.value, digits, max(sig, node.sig), node.most)
    return Fraction(text) if math.isfinite(node.value) else None


def _factor(node, digits: int, sig: int) -> Fraction | None:
    """The value of one node as printed, or None where it is a symbol (not arithmetic)."""
    if isinstance(node, Num):
        return _number(node, digits, sig)
    if isinstance(node, Word):
        text = node.text.strip()
        return _WORDS.get(text, Fraction(text) if text.isdigit() else None)  # the 2 of 1/2
    if isinstance(node, Paren):
        inner = value(node.items, digits, sig)
        if inner is None or (node.sup and not node.sup.isdigit()):
            return None
        return inner ** int(node.sup) if node.sup else inner
    if isinstance(node, Frac):
        num, den = value(node.num, digits, sig), value(node.den, digits, sig)
        return None if num is None or not den else num / den
    if isinstance(node, Sym) and node.base == "e" and isinstance(node.sup, tuple) and not node.sub:
        exponent = value(node.sup, digits, sig)
        if exponent is None or exponent > 700:  # e^710 overflows a float
            return None
        return Fraction(math.exp(exponent))
    return None


def value(nodes: tuple, digits: int, sig: int = 0) -> Fraction | None:
    """The value of a side as printed (its numbers to ``digits`` decimals, at least ``sig``
    significant digits), or None if it holds a symbol. Terms are joined by + and −; a term is a
    product of factors (×, ·, or side by side: 0.75(1 − 0.75)), ln or tanh applying to the next."""
    total, product, sign, function = Fraction(0), None, 1, None
    for node in nodes:
        if isinstance(node, Op) and node.text in ("+", "−", "-"):
            if product is None:  # a leading, unary sign: −1/0.0094
                if function is not None:
                    return None
                sign = sign if node.text == "+" else -sign
                continue
            total += sign * product
            product, sign = None, 1 if node.text == "+" else -1
            continue
        if isinstance(node, Op) and node.text in ("×", "·"):
            continue
        if isinstance(node, Word) and node.text.strip() in _FUNCTIONS:
            if function is not None:
                return None
            function = _FUNCTIONS[node.text.strip()]
            continue
        factor = _factor(node, digits, sig)
        if factor is not None and function is not None:
            factor, function = function(factor), None
        if factor is None:
            return None
        product = factor if product is None else product * factor
    if product is None or function is not None:
        return None
    return total + sign * product


def _half_unit(result: Num, digits: int) -> Fraction:
    """Half a unit of the last digit ``result`` is printed with."""
    _, place = last_place(result.value, digits, result.sig, result.most)
    return Fraction(1, 2) * Fraction(10) ** place


def _checks(side: tuple, result: Num, digits: int, sig: int) -> bool:
    printed = _number(result, digits, 0)
    if printed is None:
        return True  # nan or inf: nothing to check
    found = value(side, digits, sig)
    if found is None:
        return True  # not arithmetic: symbols, which a calculator cannot check
    # Strictly less than half a unit: at exactly half (0.1 × 0.008771355 = 0.0008771355) a
    # calculator rounding half up gives 0.000877136, not the printed 0.000877135.
    if result.value == 0.0:
        return abs(found) < Fraction(1, 2) * Fraction(10) ** -digits
    return abs(found - printed) < _half_unit(result, digits)


def _with_sig(side: tuple, sig: int) -> tuple:
    """``side`` with every number, inside fractions, parentheses and exponents too, at ``sig`` digits."""

    def each(node):
        if isinstance(node, Num):
            return replace(node, sig=max(sig, node.sig))
        if isinstance(node, Paren):
            return replace(node, items=_with_sig(node.items, sig))
        if isinstance(node, Frac):
            return Frac(_with_sig(node.num, sig), _with_sig(node.den, sig))
        if isinstance(node, Sym) and isinstance(node.sup, tuple):
            return replace(node, sup=_with_sig(node.sup, sig))
        return node

    return tuple(each(node) for node in side)


def _shown_digits(result: Num, digits: int) -> int:
    """How many significant digits ``result`` (finite, not 0) is printed with."""
    magnitude = math.floor(math.log10(abs(result.value)))
    return magnitude - last_place(result.value, digits, result.sig, result.most)[1] + 1


def _least_sig(side: tuple, result: Num, digits: int, max_significant: int) -> int | None:
    """The fewest significant digits at which ``side`` gives ``result`` (0: as it is), or None."""
    for sig in (0, *range(2, max_significant + 1)):
        if _checks(side, result, digits, sig):
            return sig
    return None


def checked(equation: Eq, digits: int, max_significant: int = MAX_SIGNIFICANT) -> Eq:
    """``equation`` with enough significant digits on each side of numbers that it gives the result.

    Only an equation whose last side is a lone number is checked. Where a side cannot give the
    result even with ``max_significant`` digits, the result gets more digits where that settles
    it (a tie exact in binary: −0.5 × 0.001953125 is −0.0009765625, which no digits on the left
    bring nearer to −0.000976562 or −0.000976563), else fewer, as many as the numbers bear out
    (1 − (0.99999999999581535)² is not the engine's 8.369305e-12, its own rounding: 8.3693e-12).
    """
    *sides, last = equation.sides
    if len(last) != 1 or not isinstance(last[0], Num) or not math.isfinite(last[0].value):
        return equation
    result = last[0]
    arithmetic = [not (len(side) == 1 and isinstance(side[0], Num)) for side in sides]

    def least_sigs(result: Num) -> list[int | None]:
        return [
            _least_sig(side, result, digits, max_significant) if a else 0
            for side, a in zip(sides, arithmetic)
        ]

    sigs = least_sigs(result)
    if None in sigs and result.value != 0.0:
        shown = _shown_digits(result, digits)
        more = [replace(result, sig=sig) for sig in range(shown + 1, max_significant + 1)]
        for candidate in more + [replace(result, most=most) for most in range(shown - 1, 0, -1)]:
            tried = least_sigs(candidate)
            if None not in tried:
                result, sigs = candidate, tried
                break
    new_sides = [
        side if sig == 0 else _with_sig(side, max_significant if sig is None else sig)
        for side, sig in zip(sides, sigs)
    ]
    return replace(equation, sides=(*new_sides, (result,)))
