"""Each notation writes its own symbols everywhere, and a batch's per-sample lines say they are per sample.

* In a batch the header defines C = 1/n Σ_x C_x; the δ and ∂C/∂a of one sample are its own
  ∂C_x/∂…, n times the derivatives of C, so they are written ∂C_x (∂E_x in Mazur's names).
* Nielsen's subscript on C is the example: an output's term of C_x is not called C₁.
* A sum too long to write out keeps the notation's symbols (Nielsen's w^l_jk, a, δ with layer
  superscripts; Mazur's out — his o1, o2 are output neurons), and so do the summary's tables.
* Hidden activations are listed in layer order, with their layers when they differ.
* The typography a teacher would write (an audit): a batch's (1/4)(…), Nielsen's primed w³₁₁′
  for a value after the step, and one minus, U+2212, for symbols and numbers alike.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from html_text import plain

import deltaprop as dp
from deltaprop.walkthrough import examples, explain, render_html, render_markdown, render_text

WIDE = 100_000
X3 = np.array([[0.5, -1.0, 0.25], [-0.3, 0.8, 1.5], [1.0, 1.0, -1.0]])
Y3 = np.array([[1.0, 0.0], [0.0, 1.0], [0.3, 0.7]])


@pytest.fixture(scope="module")
def batch():
    net = dp.Network([3, 4, 2], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=4)
    return explain(net, X3, Y3, 0.25)


@pytest.fixture(scope="module")
def wide():
    """[9, 10, 9]: 28 neurons, shown in full, with sums of 9 and 10 terms (more than MAX_TERMS)."""
    net = dp.Network([9, 10, 9], output_activation="softmax", cost="log_likelihood", seed=5)
    return explain(net, np.linspace(0.1, 0.9, 9), np.eye(9)[3], 0.5)


def _lines(text: str, start: str, stop: str) -> list[str]:
    part = text[text.index(start) : text.index(stop)]
    return [line.strip() for line in part.splitlines() if line.startswith("  ")]


def test_a_batch_labels_per_sample_derivatives_with_the_samples_cost(batch):
    text = render_text(batch, width=WIDE)
    backward = _lines(text, "Backward: the output layer", "The gradients and the update")
    derivatives = [line for line in backward if line.startswith(("∂C", "δ", "Σ"))]
    assert derivatives and all("∂C/" not in line for line in derivatives), derivatives
    assert any(line.startswith("∂C_x/∂a³₁ = ") for line in backward)
    assert any(line.startswith("∂C_x/∂a²₁ = ") for line in backward)
    assert any(line.startswith("δ³₁ = ∂C_x/∂a³₁ · ") or "∂C_x/∂a³₁ − Σ_k" in line for line in backward)
    # the gradients are the batch's: ∂C/∂w = 1/n Σ_x a δ
    assert "∂C/∂w³₁₁ = 1/n Σ_x a²₁ δ³₁" in text
    assert "δ^l_j = ∂C_x/∂z^l_j its error on example x" in " ".join(text.split())


def test_a_batch_in_mazurs_names_says_e_x(batch):
    text = render_text(batch, "mazur", width=WIDE)
    backward = _lines(text, "Backward: the output layer", "The gradients and the update")
    assert any(line.startswith("∂E_x/∂out_o1 = ") for line in backward)
    assert any(line.startswith("∂E_x/∂out_h1 = ") for line in backward)
    assert all("∂E_total/∂out" not in line for line in backward)
    assert "∂E_total/∂w13 = 1/n Σ_x out_h1 δ_o1" in text  # w13: h1 → o1


def test_one_example_keeps_c(batch):
    net = dp.Network([3, 4, 2], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=4)
    text = render_text(explain(net, X3[0], Y3[0], 0.25), width=WIDE)
    assert "∂C/∂a³₁ = " in text and "C_x/∂" not in text


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy", "log_likelihood"])
def test_nielsens_output_terms_are_not_named_like_a_samples_cost(batch, cost):
    net = dp.Network([3, 4, 2], activation="tanh", output_activation="logistic", cost=cost, seed=4)
    Y = np.clip(Y3, 0.1, 0.9)
    for trace in (explain(net, X3, Y, 0.25), explain(net, X3[0], Y[0], 0.25)):
        text = render_text(trace, width=WIDE)
        assert re.search(r"C[₀-₉]", text) is None, "an output's term named like an example's cost"
        cost_lines = _lines(text, "The cost", "Backward: the output layer")
        assert cost_lines[-1].startswith(("C_x = ", "C = "))
        assert cost_lines[-1].split(" = ")[1].startswith(("½Σ_j", "−Σ_j"))  # Σ over the outputs j


def test_long_sums_in_nielsens_symbols(wide):
    text = render_text(wide, width=WIDE)
    assert "z²₁ = Σ_k w²_1k a¹_k + b²₁ = " in text
    assert "z³₁ = Σ_k w³_1k a²_k + b³₁ = " in text
    assert "∂C/∂a²₁ = Σ_k w³_k1 δ³_k = " in text
    assert "Σ_k ∂C/∂a³_k a³_k = " in text
    for generic in ("Σ_i", "w_ij", "o_i", "Σ_l", "w_jl", "δ_l", "∂a_k", " a_k"):
        assert generic not in text.split("Notation (Nielsen)")[1], generic


def test_long_sums_in_mazurs_symbols(wide):
    text = render_text(wide, "mazur", width=WIDE)
    assert "net_h1 = Σ_i w_i,h1 out_i + b_h1 = " in text
    assert "net_o1 = Σ_i w_i,o1 out_i + b_o1 = " in text
    assert "∂E_total/∂out_h1 = Σ_j w_h1,j δ_j = " in text
    assert "Σ_k ∂E_total/∂out_k out_k = " in text
    for generic in ("o_i", "Σ_l", "w_jl", "δ_l", "∂a_k", " a_k", "a³", "z³"):
        assert generic not in text, generic


def _header_cells(out: str) -> set[str]:
    """The column headings of every table of a text, Markdown or HTML rendering."""
    cells = re.findall(r"<th>([^<]*)</th>", out)
    cells += [c.strip() for row in re.findall(r"^\|(.*)\|$", out, re.M) for c in row.split("|")]
    cells += [c.strip() for row in re.findall(r"^┃(.*)┃$", out, re.M) for c in row.split("┃")]
    return set(cells)


@pytest.mark.parametrize(
    ("notation", "own", "foreign"),
    [
        ("nielsen", {"min z", "mean a", "max a", "z", "a", "min ∂C/∂w"}, {"min net", "mean o", "net", "o"}),
        (
            "mazur",
            {"min net", "mean out", "net", "out", "min ∂E_total/∂w", "∂E_total/∂w"},
            {"min o", "o", "min ∂C/∂w", "∂C/∂w", "z", "a"},
        ),
    ],
)
def test_the_summary_tables_head_their_columns_in_the_notations_symbols(notation, own, foreign):
    rng = np.random.default_rng(3)
    trace = explain(
        dp.Network([20, 12, 5], activation="relu", seed=2), rng.uniform(size=20), np.eye(5)[2], 1.0
    )
    assert not trace.detailed
    for out in (
        render_text(trace, notation, width=300),
        render_markdown(trace, notation).replace("\\", ""),
        plain(render_html(trace, notation)),
    ):
        cells = _header_cells(out)
        assert own <= cells, own - cells
        assert not (foreign & cells), foreign & cells
    if notation == "mazur":
        assert "∂C" not in render_text(trace, notation, width=300)


def test_hidden_activations_are_listed_in_layer_order():
    net = dp.Network(
        [2, 3, 3, 2], activation=["relu", "leaky_relu(0.2)", "logistic"], cost="cross_entropy", seed=0
    )
    trace = explain(net, [0.7, -1.2], [1.0, 0.0], 0.1)
    nielsen = " ".join(render_text(trace, width=WIDE).split())
    assert "hidden σ = relu in layer 2, leaky_relu(0.2) in layer 3; output σ = logistic" in nielsen
    mazur = " ".join(render_text(trace, "mazur", width=WIDE).split())
    assert (
        "hidden σ = relu in hidden layer 1, leaky_relu(0.2) in hidden layer 2; output σ = logistic" in mazur
    )
    net = dp.Network([2, 3, 3, 2], activation=["tanh", "tanh", "softmax"], cost="log_likelihood", seed=0)
    same = " ".join(render_text(explain(net, [0.7, -1.2], [1.0, 0.0], 0.1), width=WIDE).split())
    assert "(hidden σ = tanh, output σ = softmax)" in same


# The audit's typography. A batch line wrote 1/4(0.0758 + …), which reads as 1/(4(…)); Nielsen's
# updated weight w³⁺₁₁ (w_{11}^{3+}) read as a layer "3+"; and −0.5 × (-0.02260254) set the
# symbols' minus, U+2212, beside the numbers' ASCII hyphen.
def test_a_fraction_before_a_parenthesis_is_parenthesised_in_text():
    net = dp.Network([2, 2, 1], seed=1)
    X, Y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
    trace = explain(net, X, Y, 0.5)
    text = render_text(trace, width=WIDE)
    lines = [line for line in text.splitlines() if "/4" in line]
    assert len(lines) == 6 + 3 and all("= (1/4)(" in line and "= 1/4(" not in line for line in lines)
    assert r"\frac{1}{4} \left(" in render_markdown(trace)  # stacked: unambiguous as it was


def test_nielsens_value_after_the_step_is_primed_after_its_indices():
    ex = examples.mazur()
    mazur = explain(ex.net, ex.x, ex.y, 0.5, update_biases=False, example="mazur")
    text = render_text(mazur, "nielsen", width=WIDE)
    assert "  w³₁₁′ = w³₁₁ + Δw³₁₁ = 0.4 + (−0.04108352) = 0.35891648\n" in text
    assert "  C′ = 0.291027774   (after one step)\n" in text and "C′ − C = −0.007343335" in text
    assert "⁺" not in text and "′ marks a value after the step" in " ".join(text.split())
    assert r"{w_{11}^{3}}' = w_{11}^{3} + \Delta  w_{11}^{3}" in render_markdown(mazur, "nielsen")
    page = render_html(mazur, "nielsen")
    assert "<msup><msubsup><mi>w</mi><mn>11</mn><mn>3</mn></msubsup><mo>′</mo></msup><mo>=</mo>" in page
    assert "<mo>+</mo></mrow>" not in page  # no 3+ script
    # Mazur's own names keep his post's w5⁺
    assert "  w5⁺ = w5 + Δw5 = 0.4 + (−0.04108352) = 0.35891648\n" in render_text(mazur, "mazur", width=WIDE)


@pytest.mark.parametrize("notation", ["mazur", "nielsen"])
def test_numbers_take_the_symbols_minus_in_text_and_html(notation):
    net = dp.Network([3, 4, 3], activation="tanh", output_activation="softmax", seed=2)
    trace = explain(net, [[0.5, -1.0, 0.25], [-0.3, 0.8, 1.5]], [0, 2], 0.5)
    text = render_text(trace, notation, width=WIDE)
    equations = [line for line in text.splitlines() if line.startswith("  ") and " = " in line]
    assert sum("−0." in line or "(−" in line for line in equations) > 20
    # an ASCII - before a digit is only an e-notation exponent, as a calculator takes it: 1.5e-05
    assert not [line for line in equations if re.search(r"(?<!e)-\d", line)]
    assert not re.search(r"<mn>-", render_html(trace, notation))  # <mo>−</mo><mn>0.5</mn>
    assert re.search(r"\(-0\.\d+\)", render_markdown(trace, notation))  # LaTeX's - is its minus
