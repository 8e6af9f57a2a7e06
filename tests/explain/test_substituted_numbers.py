"""Every cost writes its numbers out, as the quadratic cost did: a student can redo each line.

Before, only the quadratic cost substituted y and a (½(0.01 − 0.75136507)²); the other costs
and softmax jumped from symbols to the result: −y₂ ln a³₂ = 1.11786064,
∂C/∂a³₁ = (a³₁ − y₁)/(a³₁(1 − a³₁)) = −1.261232309, a³₁ = e^(z³₁)/(Σ_k e^(z³_k)) = 0.232347608.
Here each such line must carry a side of numbers that, evaluated, gives its result.
"""

from __future__ import annotations

import math
import re

import pytest

import deltaprop as dp
from deltaprop.walkthrough import render_text

WIDE = 2000


def evaluate(side: str) -> float | None:
    """The value of a side made of numbers, ln, e^(…) and + − × /; None if it holds a symbol."""
    expr = side.replace("−", "-").replace("×", "*")
    expr = re.sub(r"e\^\(", "exp(", expr)
    expr = re.sub(r"\s*ln\s*\(", "*log(", expr)
    expr = re.sub(r"\s*ln\s+([\d.e-]+)", r"*log(\1)", expr)
    expr = re.sub(r"(\d|\))\(", r"\1*(", expr)  # 0.79(1 − 0.79): a product
    if re.search(r"[^\d.e+\-*/() explog]", expr) or re.search(
        r"[a-df-z]", expr.replace("exp", "").replace("log", "")
    ):
        return None
    return eval(expr, {"__builtins__": {}}, {"exp": math.exp, "log": math.log})  # noqa: S307


def substituted_lines(text: str, marker: str):
    """(side of numbers, printed result) of each equation whose symbolic side holds ``marker``."""
    for line in text.splitlines():
        sides = line.strip().split(" = ")
        if len(sides) < 3 or not any(marker in side for side in sides[:-1]):
            continue
        for side in sides[1:-1]:
            value = evaluate(side)
            if value is not None:
                yield side, value, float(sides[-1].split("   (")[0].replace("−", "-"))  # U+2212


@pytest.mark.parametrize(
    "options, x, y, marker, count",
    [
        # log-likelihood terms −y ln a (3) and ∂C/∂a = −y/a (3); softmax's a = e^z / Σ e^z (3)
        (dict(output_activation="softmax", cost="log_likelihood"), [0.5, -1.0], [0, 1, 0], "ln", 3),
        (dict(output_activation="softmax", cost="log_likelihood"), [0.5, -1.0], [0, 1, 0], "Σ_k e^", 3),
        (dict(output_activation="softmax", cost="log_likelihood"), [0.5, -1.0], [0, 1, 0], "/a³", 3),
        # cross-entropy terms (2) and ∂C/∂a = (a − y)/(a(1 − a)) (2)
        (dict(cost="cross_entropy"), [0.8, 0.4], [1, 0], "ln", 2),
        (dict(cost="cross_entropy"), [0.8, 0.4], [1, 0], "/(a³", 2),
    ],
)
def test_lines_carry_numbers_that_give_their_result(options, x, y, marker, count):
    net = dp.Network([2, 3, 3 if len(y) == 3 else 2], seed=1, **options)
    text = render_text(dp.explain(net, x, y, 0.5), width=WIDE)
    found = list(substituted_lines(text, marker))
    assert len(found) >= count, f"{marker!r}: {len(found)} lines with numbers, expected {count}"
    for side, value, result in found:
        assert value == pytest.approx(result, abs=2e-8), side


def test_the_numbers_are_this_samples():
    net = dp.Network([2, 3, 3], output_activation="softmax", cost="log_likelihood", seed=1)
    trace = dp.explain(net, [0.5, -1.0], [0, 1, 0], 0.5)
    text = render_text(trace, width=WIDE)
    a = trace.forward.o[-1][0]
    # at least the walk-through's 9 decimals, more where the line needs them to give its result
    for line in ("−y₂ ln a³₂ = −1 ln ", "∂C/∂a³₂ = −y₂/a³₂ = −1/"):
        shown = re.search(re.escape(line) + r"(0\.\d{9,}) = ", text)
        assert shown and abs(float(shown[1]) - a[1]) <= 5e-10, line
