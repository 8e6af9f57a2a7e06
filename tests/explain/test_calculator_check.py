"""Every printed line checks on a calculator, to the last digit of its result.

Before, a line's numbers were rounded to 9 decimals and its result printed from the unrounded
values, so small numbers kept ~7 significant digits and some lines did not check: with
``Network([3, 4, 3, 3], activation="tanh", output_activation="softmax", seed=3)``,
input (5, 0, 0) and class 0, ``∂C/∂a⁴₁ = −1/0.009424122 = -106.110685913`` (−1/0.009424122 is
−106.110680655), and ``δ⁴₁``'s printed factors multiplied to −0.990575928, not −0.990575878.

Here each side made only of numbers is evaluated exactly from the printed text (fractions,
not floats; e^, ln and tanh in floating point) and must give the printed result to within less
than half a unit of that result's last digit: exactly half is a miss, since a calculator that
rounds half up shows 0.1 × 0.008771355 = 0.0008771355 as 0.000877136, not 0.000877135. Mazur's
published numbers still print as they were.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.walkthrough import examples, explain, render_html, render_markdown, render_text
from deltaprop.walkthrough.calculator import checked
from deltaprop.walkthrough.math import Num, Op, Sym, Word, eq, fmt, to_text

WIDE = 100_000  # one equation per line
DIGITS = 9
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[+-]\d+)?")
FUNCTIONS = {"exp": math.exp, "log": math.log, "tanh": math.tanh}


def _exactly(function):
    return lambda x: Fraction(function(x))


def exact(side: str) -> Fraction | None:
    """``side`` evaluated with its printed numbers as exact fractions; None if it holds a symbol."""
    expr = side.replace("×", "*").replace("·", "*").replace("−", "-").replace("½", "(1/2)*")
    expr = expr.replace("²", "**2").replace("e^(", "exp(")
    expr = re.sub(r"\bln\s*\(", "log(", expr)
    expr = re.sub(r"\bln\s+([\d.e-]+)", r"log(\1)", expr)
    expr = re.sub(r"([\d)])\s*(\(|log|exp|tanh)", r"\1*\2", expr)  # 0.75(1 − 0.75), 1 log(…)
    if re.search(r"[^\d.e+\-*/() ]", re.sub(r"\b(exp|log|tanh)\(", "(", expr)):
        return None
    expr = NUMBER.sub(lambda m: f"F('{m[0]}')", expr)
    functions = {name: _exactly(function) for name, function in FUNCTIONS.items()}
    try:
        return eval(expr, {"__builtins__": {}}, {"F": Fraction, **functions})  # noqa: S307
    except (ValueError, ZeroDivisionError, SyntaxError, OverflowError):
        return None


def half_unit(printed: str, digits: int = DIGITS) -> Fraction:
    """Half a unit of the last digit the walk-through prints ``printed`` with (``digits`` decimals, fewer
    where it says so, or e-notation)."""
    if "e" in printed:
        mantissa, exponent = printed.split("e")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return Fraction(1, 2) * Fraction(10) ** (int(exponent) - decimals)
    decimals = max(digits, len(printed.split(".")[1]) if "." in printed else 0)
    return Fraction(1, 2) * Fraction(10) ** -decimals


def misses(text: str, digits: int = DIGITS) -> tuple[list[str], int]:
    """The printed lines whose numbers, evaluated as printed, miss their printed result; the count checked."""
    bad, checked = [], 0
    for line in text.splitlines():
        # U+2212, the text's minus, as Python's: −0.5 × (−0.0381) = 0.01905
        sides = line.strip().split("   (")[0].replace("−", "-").split(" = ")
        if len(sides) < 3 or not NUMBER.fullmatch(sides[-1].lstrip("-")):
            continue
        result = sides[-1]
        for side in sides[1:-1]:
            if NUMBER.fullmatch(side.strip("()").lstrip("-")):
                continue  # a lone number: nothing to work out
            found = exact(side)
            if found is None:
                continue
            checked += 1
            if abs(found - Fraction(result)) >= half_unit(result, digits):  # a tie is a miss
                bad.append(f"{line.strip()}  [gives {float(found)!r}]")
    return bad, checked


def tanh_softmax():
    net = dp.Network([3, 4, 3, 3], activation="tanh", output_activation="softmax", seed=3)
    return explain(net, [5.0, 0.0, 0.0], 0, 0.5)


def test_the_audits_lines_now_check():
    text = render_text(tanh_softmax(), width=WIDE)
    assert "−1/0.009424122 = −106.110685913" not in text
    dCda = re.search(r"∂C/∂a⁴₁ = −y₁/a⁴₁ = −1/(0\.\d+) = −106\.110685913", text)
    assert dCda and len(dCda[1]) > len("0.009424122")  # more significant digits
    assert -1 / Fraction(dCda[1]) == pytest.approx(-106.110685913, abs=5e-10)
    bad, checked = misses(text)
    assert checked > 100 and not bad, "\n".join(bad)


def cases():
    for name in ("mazur", "xor"):
        ex = examples.get(name)
        for variant in ("exact", "post"):
            yield (
                f"{name}-{variant}",
                explain(
                    ex.net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases, variant=variant
                ),
            )
    rng = np.random.default_rng(7)
    for k, (hidden, output, cost) in enumerate(
        [
            ("tanh", "softmax", "log_likelihood"),
            ("logistic", "logistic", "cross_entropy"),
            ("relu", "linear", "quadratic"),
            ("tanh", "softmax", "quadratic"),
        ]
    ):
        net = dp.Network([3, 4, 3], activation=hidden, output_activation=output, cost=cost, seed=k)
        X = rng.normal(0, 2, (2, 3))
        Y = np.eye(3)[[0, 2]] if output == "softmax" or cost == "cross_entropy" else rng.normal(0, 1, (2, 3))
        yield f"{hidden}-{output}-{cost}", explain(net, X, Y, 0.7)


@pytest.mark.parametrize("notation", ["nielsen", "mazur"])
def test_every_line_of_numbers_gives_its_printed_result(notation):
    total = 0
    for name, trace in cases():
        bad, checked = misses(render_text(trace, notation, width=WIDE))
        assert not bad, f"{name}:\n" + "\n".join(bad)
        total += checked
    assert total > 500


def test_mazurs_published_numbers_print_as_before():
    ex = examples.mazur()
    text = render_text(explain(ex.net, ex.x, ex.y, 0.5, update_biases=False), "mazur", width=WIDE)
    for line in (
        "δ_o1 = ∂E_total/∂out_o1 · σ′(net_o1) = 0.74136507 × 0.186815602 = 0.138498562",
        "δ_o2 = ∂E_total/∂out_o2 · σ′(net_o2) = −0.217071535 × 0.175510053 = −0.038098237",
        "δ_h1 = ∂E_total/∂out_h1 · σ′(net_h1) = 0.036350306 × 0.241300709 = 0.008771355",
        "∂E_total/∂w5 = out_h1 · δ_o1 = 0.593269992 × 0.138498562 = 0.082167041",
        "w5⁺ = w5 + Δw5 = 0.4 + (−0.04108352) = 0.35891648",
        "∂E_total/∂w1 = i1 · δ_h1 = 0.05 × 0.008771355 = 0.000438568",
        "w1⁺ = w1 + Δw1 = 0.15 + (−0.000219284) = 0.149780716",
    ):
        assert f"  {line}\n" in text, line


def test_markdown_and_html_print_the_same_digits():
    trace = tanh_softmax()
    text = render_text(trace, width=WIDE)
    number = re.search(r"−1/(0\.\d+) = −106", text)[1]
    assert r"\frac{1}{" + number + "}" in render_markdown(trace)
    assert f"<mn>{number}</mn>" in render_html(trace)


def test_float32_lines_check_at_their_6_decimals():
    for name, trace in cases():
        net = trace_network(trace)
        net32 = dp.Network.from_arrays(
            [w.astype(np.float32) for w in net.weights],
            [b.astype(np.float32) for b in net.biases],
            activation=trace.specs,
            cost=trace.cost,
        )
        text = render_text(explain(net32, trace.x, trace.y, 0.7), width=WIDE)
        # each result to its own last printed digit: where the float32 numbers bear out fewer than
        # 6 decimals, the walk-through prints fewer
        bad, checked = misses(text, digits=1)
        assert checked > 20 and not bad, f"{name}:\n" + "\n".join(bad)


def trace_network(trace):
    return dp.Network.from_arrays(
        trace.weights_before, trace.biases_before, activation=trace.specs, cost=trace.cost
    )


def test_a_float32_network_gets_no_digits_it_does_not_hold():
    ex = examples.mazur()
    net = dp.Network.from_arrays(
        [w.astype(np.float32) for w in ex.net.weights], [b.astype(np.float32) for b in ex.net.biases]
    )
    text = render_text(explain(net, ex.x, ex.y, 0.5, update_biases=False), "mazur", width=WIDE)
    equations = "\n".join(line for line in text.splitlines() if line.startswith("  "))
    numbers = [m for m in NUMBER.findall(equations) if "." in m and "e" not in m]
    significant = [len(m.replace(".", "").lstrip("0")) for m in numbers]
    assert numbers and max(significant) <= 7  # float32 holds about 7


def test_fmt_gives_small_numbers_significant_digits():
    assert fmt(0.00942412153304, 9) == "0.009424122"
    assert fmt(0.00942412153304, 9, significant=12) == "0.00942412153304"
    assert fmt(-106.110685913, 9, significant=12) == "-106.110685913"  # 9 decimals hold 12 already
    assert fmt(9.611342e-09, 9, significant=10) == "9.611342000e-09"


# Lines whose printed numbers gave their result exactly half a unit of its last digit away: the old
# check accepted a tie, and a calculator rounding half up showed another last digit.
MAZUR_TIES = {
    "mazur": (
        "∂E_total/∂w2 = i2 · δ_h1 = 0.1 × 0.008771355 = 0.000877135",  # 0.0008771355
        "∂E_total/∂w4 = i2 · δ_h2 = 0.1 × 0.009954255 = 0.000995425",  # 0.0009954255
        "Δw3 = −η ∂E_total/∂w3 = −0.5 × 0.000497713 = −0.000248856",  # −0.0002488565
    ),
    "nielsen": (
        "∂C/∂w²₁₂ = a¹₂ · δ²₁ = 0.1 × 0.008771355 = 0.000877135",
        "∂C/∂w²₂₂ = a¹₂ · δ²₂ = 0.1 × 0.009954255 = 0.000995425",
        "Δw²₂₁ = −η ∂C/∂w²₂₁ = −0.5 × 0.000497713 = −0.000248856",
    ),
}


@pytest.mark.parametrize("notation", ["mazur", "nielsen"])
def test_a_tie_gets_the_extra_digit_in_mazurs_example(notation):
    ex = examples.mazur()
    text = render_text(explain(ex.net, ex.x, ex.y, 0.5, update_biases=False), notation, width=WIDE)
    for line in MAZUR_TIES[notation]:
        assert line not in text
        head, _, result = line.rpartition(" = ")
        shown = re.search(
            re.escape(head.rsplit(" = ", 1)[0]) + r" = (.+) = " + re.escape(result) + r"(   \(.*\))?\n", text
        )
        assert shown, line  # the same result, from numbers with more digits
        found = exact(shown[1])
        assert abs(found - Fraction(result.replace("−", "-"))) < half_unit(result), shown[0]
    bad, count = misses(text)
    assert count > 20 and not bad, "\n".join(bad)


def test_a_tie_gets_the_extra_digit_on_iris():
    # Δw³₁₂ of an iris [4, 5, 3] run (logistic, softmax, log-likelihood; η = 0.5) on the first
    # setosa, 5.1,3.5,1.4,0.2: the engine's ∂C/∂w³₁₂ and Δw³₁₂. At 9 decimals −0.5 × (−0.004786313)
    # is 0.0023931565, a tie with the printed 0.002393156.
    grad, change = -0.00478631279184276, 0.00239315639592138
    line = eq((Word("Δ"), Sym("w", "12", "3")), (Op("−"), Num(0.5), Op("×"), Num(grad)), (Num(change),))
    assert to_text(line) == "Δw³₁₂ = −0.5 × (−0.004786313) = 0.002393156"
    fixed = to_text(checked(line, DIGITS))
    assert fixed == "Δw³₁₂ = −0.5 × (−0.0047863128) = 0.002393156"
    assert exact(fixed.split(" = ")[1]) == Fraction("0.0023931564")


def test_a_tie_no_digits_on_the_left_break_gets_a_digit_on_the_right():
    # 2⁻⁹ = 0.001953125 is exact in binary: −0.5 × 0.001953125 = −0.0009765625 with any number
    # of digits, half-way between −0.000976562 and −0.000976563; the result takes its 10th decimal
    # rather than dropping to −0.00097656.
    line = eq((Word("Δ"), Sym("w")), (Op("−"), Num(0.5), Op("×"), Num(2.0**-9)), (Num(-(2.0**-10)),))
    assert to_text(line) == "Δw = −0.5 × 0.001953125 = −0.000976562"
    assert to_text(checked(line, DIGITS)) == "Δw = −0.5 × 0.001953125 = −0.0009765625"
