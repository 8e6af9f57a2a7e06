"""The walk-through's printed numbers: they add up, and they are backpropagation's.

Two checks on the text a reader sees (``render_text``, Nielsen's and Mazur's names), for the
built-in examples and for small networks with every output/cost pair ``explain`` offers:

1. **Internal consistency.** Every printed equation whose side is pure arithmetic
   (``0.4 × 0.138498562 + 0.5 × (-0.038098237)``, ``½(0.01 − 0.75136507)²``,
   ``1/(1 + e^(-0.3775))``) is evaluated from the printed, rounded numbers and must give the
   printed result to within the rounding of those numbers (each printed number is off by at
   most half a unit of its last decimal; the bound is propagated through the expression).
2. **The numbers are backprop's.** Each printed net, o, δ, ∂C/∂o, σ′, ∂C/∂w, Δw, w′, ∂C/∂b, b′
   equals, to the printed precision, what :mod:`deltaprop.reference` (the textbook's
   per-example, per-neuron loops) and a forward pass written out below give.

And Mazur's published values (Mazur, "A Step by Step Backpropagation Example", 2015) appear
in the printed text of ``deltaprop explain``'s default example.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import deltaprop as dp
from deltaprop import reference
from deltaprop.walkthrough import examples, explain, render, render_text

WIDE = 100_000  # columns: one equation per line, never wrapped
DIGITS = 9  # the walk-through's decimals
FLOAT32_DIGITS = 6  # … for a float32 network, whose numbers hold ~7 significant digits

_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[+-]\d+)?")
FUNCTIONS = {
    "exp": math.exp,
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "linear": lambda z: z,
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
}


def printed_error(token: str, digits: int = DIGITS) -> float:
    """Half a unit of the last digit the walk-through prints for this number (``digits`` decimals)."""
    if "e" in token:
        mantissa, exponent = token.split("e")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return 0.5 * 10.0 ** (int(exponent) - decimals)
    return 0.5 * 10.0**-digits


def arithmetic(side: str) -> str | None:
    """``side`` as a Python expression, or None if it holds symbols (it is not pure arithmetic)."""
    expr = side.replace("×", "*").replace("−", "-").replace("½", "0.5*").replace("²", "**2")
    expr = expr.replace("e^(", "exp(")
    expr = re.sub(r"([\d)])\(", r"\1*(", expr)  # implicit products: 0.75(1 − 0.75), 1/2(…)
    expr = re.sub(r"\b(\w+)\*\(", lambda m: m.group(0) if m.group(1)[0].isdigit() else f"{m.group(1)}(", expr)
    bare = NUMBER.sub("", re.sub(r"\b(" + "|".join(FUNCTIONS) + r")\(", "(", expr))
    return expr if re.fullmatch(r"[\s+\-*/().]*", bare) else None


def evaluate_with_bound(expr: str, digits: int = DIGITS) -> tuple[float, float]:
    """The value of ``expr`` and a bound on its error from the rounding of its printed numbers."""
    tokens = list(NUMBER.finditer(expr))
    values = [float(t.group()) for t in tokens]

    def at(vals):
        out, last = [], 0
        for t, v in zip(tokens, vals):
            out += [expr[last : t.start()], repr(v)]
            last = t.end()
        return eval("".join(out) + expr[last:], {"__builtins__": {}}, FUNCTIONS)  # noqa: S307

    value = at(values)
    bound = 0.0
    for k, t in enumerate(tokens):
        err = printed_error(t.group(), digits)
        up, down = list(values), list(values)
        up[k] += err
        down[k] -= err
        bound += max(abs(at(up) - value), abs(at(down) - value))
    return value, bound


def equations(text: str):
    """(sample, sides) for every printed equation; sample counts from 0 ("Sample 2 of 3" → 1).

    The sides' minus signs, U+2212 in the text (−0.5 × (−0.0381)), come back as Python's ``-``.
    """
    sample = 0
    for line in text.splitlines():
        heading = re.match(r"Sample (\d+) of \d+", line)
        if heading:
            sample = int(heading.group(1)) - 1
        if line.startswith("  ") and " = " in line:
            body = re.sub(r"\s{3}\(.*\)$", "", line.strip())
            yield sample, [side.strip().replace("−", "-") for side in body.split(" = ")]


def assert_arithmetic_adds_up(text: str, digits: int = DIGITS) -> int:
    checked = 0
    for _, sides in equations(text):
        result_token = sides[-1]
        if not NUMBER.fullmatch(result_token.lstrip("-")):
            continue
        result = float(result_token)
        for side in sides[1:-1]:
            expr = arithmetic(side)
            if expr is None:
                continue
            value, bound = evaluate_with_bound(expr, digits)
            # a result printed with fewer decimals (a float32 line whose numbers bear out no more:
            # walkthrough.calculator) is good to its own last digit
            token = result_token.lstrip("-")
            own = len(token.split(".")[1]) if "." in token and "e" not in token else digits
            tol = 1.01 * (bound + printed_error(token, min(digits, own))) + 1e-15
            assert abs(value - result) <= tol, f"{' = '.join(sides)}: {side} gives {value!r}"
            checked += 1
    return checked


# --- independent values: the textbook forward pass, the reference backprop --------------


def textbook_forward(net: dp.Network, X: np.ndarray):
    """net_j = Σ_i o_i w_ij + b_j, o_j = σ(net_j), one sample and one neuron at a time."""
    nets = [np.zeros((X.shape[0], w.shape[1])) for w in net.weights]
    outs = [np.array(X, dtype=float)] + [np.zeros((X.shape[0], w.shape[1])) for w in net.weights]
    for s in range(X.shape[0]):
        for l, (w, b, name) in enumerate(zip(net.weights, net.biases, net.activation_names)):
            for j in range(w.shape[1]):
                nets[l][s, j] = sum(outs[l][s, i] * w[i, j] for i in range(w.shape[0])) + b[j]
            z = nets[l][s]
            if name == "softmax":
                e = np.exp(z - z.max())
                outs[l + 1][s] = e / e.sum()
            else:
                outs[l + 1][s] = [
                    1 / (1 + math.exp(-v)) if name == "logistic" else FUNCTIONS[name](v) for v in z
                ]
    return nets, outs


def textbook_dC_da(cost: str, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return {"quadratic": a - y, "cross_entropy": (a - y) / (a * (1 - a)), "log_likelihood": -y / a}[cost]


def textbook_sigma_prime(name: str, net_value: float, o: float) -> float:
    return {
        "logistic": o * (1 - o),
        "tanh": 1 - o * o,
        "relu": 1.0 if net_value > 0 else 0.0,
        "leaky_relu": 1.0 if net_value > 0 else 0.01,
        "linear": 1.0,
    }[name]


# ∂C_x/∂a: in a batch the per-sample lines differentiate the sample's own cost C_x
NIELSEN = re.compile(
    r"^(?P<pre>∂C(?:_x)?/∂|Δ)?(?P<base>[azδwb])(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?P<sub>[₀-₉]+)(?P<new>′)?$"
)
PARTIAL = re.compile(r"^∂a(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?P<sub>[₀-₉]+)/∂z")


def expected_values(net: dp.Network, X, Y, eta: float, update_biases: bool = True):
    """name → value for every number the Nielsen walk-through names, per sample for per-sample ones."""
    X, Y = np.atleast_2d(X).astype(float), np.atleast_2d(Y).astype(float)
    ref = reference.backprop(net, X, Y)
    nets, outs = textbook_forward(net, X)
    L = net.n_layers
    per_sample: dict[tuple, np.ndarray] = {}
    once: dict[tuple, float] = {}
    for l in range(L):
        m = l + 2  # Nielsen's layer of the neurons fed by weights[l]
        for j in range(net.sizes[l + 1]):
            per_sample[("z", m, j)] = nets[l][:, j]
            per_sample[("a", m, j)] = outs[l + 1][:, j]
            per_sample[("δ", m, j)] = ref.deltas[l][:, j]
            once[("∂C/∂b", m, j)] = ref.biases[l][j]
            once[("b+", m, j)] = (
                net.biases[l][j] - eta * ref.biases[l][j] if update_biases else net.biases[l][j]
            )
            for i in range(net.sizes[l]):
                once[("∂C/∂w", m, j, i)] = ref.weights[l][i, j]
                once[("Δw", m, j, i)] = -eta * ref.weights[l][i, j]
                once[("w+", m, j, i)] = net.weights[l][i, j] - eta * ref.weights[l][i, j]
            if l < L - 1:  # hidden: ∂C/∂a_j = Σ_k w_jk δ_k, σ′ from its own formula
                per_sample[("∂C/∂a", m, j)] = ref.deltas[l + 1] @ net.weights[l + 1][j]
            else:
                per_sample[("∂C/∂a", m, j)] = textbook_dC_da(net.cost.name, outs[L][:, j], Y[:, j])
            if net.activation_names[l] != "softmax":
                per_sample[("σ′", m, j)] = np.array(
                    [
                        textbook_sigma_prime(net.activation_names[l], nets[l][s, j], outs[l + 1][s, j])
                        for s in range(X.shape[0])
                    ]
                )
    for i in range(net.sizes[0]):
        per_sample[("a", 1, i)] = X[:, i]
    return per_sample, once, ref


def assert_printed_equals(text: str, per_sample, once) -> int:
    checked = 0
    for sample, sides in equations(text):
        lhs, printed = sides[0], sides[-1]
        if not NUMBER.fullmatch(printed.lstrip("-")):
            continue
        partial = PARTIAL.match(lhs)
        match = NIELSEN.match(lhs)
        if partial:
            key, m, j = "σ′", int(partial["sup"].translate(_SUP)), int(partial["sub"].translate(_SUB)) - 1
            expected = per_sample[(key, m, j)][sample]
        elif match:
            m = int(match["sup"].translate(_SUP))
            sub = match["sub"].translate(_SUB)
            pre, base, new = (match["pre"] or "").replace("C_x", "C"), match["base"], bool(match["new"])
            if base in "wb" and len(sub) == 2:
                j, i = int(sub[0]) - 1, int(sub[1]) - 1
            else:
                j, i = int(sub) - 1, None
            key = (base + "+") if new else (pre + base)
            expected = (
                per_sample[(key, m, j)][sample]
                if i is None and key in ("z", "a", "δ", "∂C/∂a")
                else (once[(key, m, j)] if i is None else once[(key, m, j, i)])
            )
        else:
            continue
        tol = 1.01 * printed_error(printed.lstrip("-")) + 1e-12
        assert abs(float(printed) - expected) <= tol, f"{' = '.join(sides)}: expected {expected!r}"
        checked += 1
    return checked


# --- the cases ---------------------------------------------------------------------------

PAIRS = [  # (hidden, output, cost): every output/cost pair explain documents, varied hidden σ
    ("logistic", "logistic", "quadratic"),
    ("tanh", "logistic", "cross_entropy"),
    ("relu", "softmax", "log_likelihood"),
    ("leaky_relu", "linear", "quadratic"),
    ("tanh", "softmax", "quadratic"),
    ("logistic", "tanh", "quadratic"),
    ("relu", "logistic", "log_likelihood"),
    ("linear", "softmax", "cross_entropy"),
]


def small_case(hidden, output, cost, n_samples, seed):
    rng = np.random.default_rng(seed)
    sizes = [3, 3, 2, 3] if seed % 2 else [2, 3, 3]
    net = dp.Network(sizes, activation=hidden, output_activation=output, cost=cost, seed=seed)
    X = rng.normal(size=(n_samples, sizes[0]))
    if output == "softmax" or cost == "log_likelihood":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n_samples)]
    elif cost == "cross_entropy":
        Y = rng.uniform(0.05, 0.95, size=(n_samples, sizes[-1]))
    else:
        Y = rng.normal(size=(n_samples, sizes[-1]))
    return net, X, Y


@pytest.mark.parametrize("n_samples", [1, 2])
@pytest.mark.parametrize(("hidden", "output", "cost"), PAIRS)
def test_printed_numbers_add_up_and_are_backprops(hidden, output, cost, n_samples):
    seed = PAIRS.index((hidden, output, cost)) + 10 * n_samples
    net, X, Y = small_case(hidden, output, cost, n_samples, seed)
    eta = 0.35
    text = render_text(
        explain(net, X if n_samples > 1 else X[0], Y if n_samples > 1 else Y[0], eta), width=WIDE
    )
    assert assert_arithmetic_adds_up(text) >= 3 * sum(w.size for w in net.weights)
    per_sample, once, ref = expected_values(net, X, Y, eta)
    n_params = sum(w.size + b.size for w, b in zip(net.weights, net.biases))
    assert assert_printed_equals(text, per_sample, once) >= 2 * n_params
    # the cost before and after, against the reference and a textbook step
    stepped = dp.Network.from_arrays(
        [w - eta * g for w, g in zip(net.weights, ref.weights)],
        [b - eta * g for b, g in zip(net.biases, ref.biases)],
        activation=net.activation_names,
        cost=cost,
    )
    before = re.search(r"^  C = (\S+)\s+\(before\)$", text, re.M)
    after = re.search(r"^  C′ = (\S+)\s+\(after one step\)$", text, re.M)
    assert abs(float(before[1]) - ref.cost) <= 1.01 * printed_error(before[1].lstrip("-"))
    assert (
        abs(float(after[1]) - stepped.cost_value(X, Y)) <= 1.01 * printed_error(after[1].lstrip("-")) + 1e-12
    )


@pytest.mark.parametrize("name", ["mazur", "xor"])
@pytest.mark.parametrize("variant", ["exact", "post"])
def test_examples_add_up_in_both_notations(name, variant):
    ex = examples.get(name)
    trace = explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases, variant=variant)
    for notation in ("nielsen", "mazur"):
        assert assert_arithmetic_adds_up(render_text(trace, notation, width=WIDE)) > 30
    if variant == "exact":
        text = render_text(trace, "nielsen", width=WIDE)
        per_sample, once, _ = expected_values(ex.net, ex.x, ex.y, ex.learning_rate, ex.update_biases)
        assert assert_printed_equals(text, per_sample, once) > 30


# Mazur (2015): the updated weights after one step with η = 0.5 (biases kept), and the
# intermediate values his post prints; w1⁺ is printed with 9 decimals, w2⁺..w4⁺ with 8.
MAZUR_PRINTED = {
    "w5⁺": "0.35891648",
    "w6⁺": "0.408666186",
    "w7⁺": "0.511301270",
    "w8⁺": "0.561370121",
    "w1⁺": "0.149780716",
    "w2⁺": "0.19956143",
    "w3⁺": "0.24975114",
    "w4⁺": "0.29950229",
    "out_h1": "0.593269992",
    "out_o1": "0.75136507",
    "out_o2": "0.772928465",
    "E_total": "0.298371109",
    "δ_o1": "0.138498562",
    "∂E_total/∂w5": "0.082167041",
    "∂E_total/∂out_h1": "0.036350306",
}


def test_the_default_explain_prints_mazurs_published_numbers():
    ex = examples.mazur()
    text = render_text(
        explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases, example="mazur"),
        "mazur",
        width=WIDE,
    )
    printed = {sides[0]: sides[-1] for _, sides in equations(text)}
    for name, published in MAZUR_PRINTED.items():
        decimals = len(published.split(".")[1])
        assert abs(float(printed[name]) - float(published)) <= 0.5 * 10.0**-decimals + 1e-12, name


@pytest.mark.parametrize("name", ["mazur", "xor"])
def test_a_float32_network_prints_only_digits_it_has_and_they_add_up(name):
    """float32 holds ~7 significant digits: at 9 decimals Mazur's w1 = 0.15 printed as 0.150000006
    and the printed sums missed their printed results by float32 rounding (0.377499998 against
    0.150000006 × 0.050000001 + 0.200000003 × 0.100000001 + 0.349999994 = 0.377499995)."""
    ex = examples.get(name)
    net = dp.Network.from_arrays(
        [w.astype(np.float32) for w in ex.net.weights], [b.astype(np.float32) for b in ex.net.biases]
    )
    trace = explain(net, ex.x, ex.y, ex.learning_rate, update_biases=ex.update_biases)
    for notation in ("nielsen", "mazur"):
        text = render_text(trace, notation, width=WIDE)
        assert assert_arithmetic_adds_up(text, FLOAT32_DIGITS) > 30
    if name == "mazur":
        printed = {sides[0]: sides[-1] for _, sides in equations(text)}
        assert printed["w1⁺"] == "0.149781"  # 0.149780716 to 6 decimals
        assert "net_h1 = w1 · i1 + w2 · i2 + b_h1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775" in text
        for fmt_name in ("markdown", "html"):
            assert "0.150000006" not in render(trace, fmt_name, "mazur")
            assert "0.149781" in render(trace, fmt_name, "mazur")


@pytest.mark.parametrize(("hidden", "output", "cost"), PAIRS)
def test_float32_networks_of_every_pair_add_up_at_their_digits(hidden, output, cost):
    seed = PAIRS.index((hidden, output, cost)) + 20
    net, X, Y = small_case(hidden, output, cost, 2, seed)
    net32 = dp.Network.from_arrays(
        [w.astype(np.float32) for w in net.weights],
        [b.astype(np.float32) for b in net.biases],
        activation=net.activation_names,
        cost=cost,
    )
    text = render_text(explain(net32, X, Y, 0.35), width=WIDE)
    assert assert_arithmetic_adds_up(text, FLOAT32_DIGITS) >= 3 * sum(w.size for w in net.weights)
