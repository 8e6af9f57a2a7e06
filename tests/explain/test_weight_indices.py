"""Each notation writes the general weight rule with its own indices, as its per-weight lines do.

Nielsen's w^l_jk is the weight *into* neuron j of layer l *from* neuron k of layer l − 1, so
his rule is ∂C/∂w^l_jk = a^(l−1)_k δ^l_j (his BP4), and the lines read ∂C/∂w³₁₂ = a²₂ · δ³₁.
Mazur's names keep the package's w_ij from neuron i to neuron j: ∂E_total/∂w_ij = out_i δ_j,
and the lines read ∂E_total/∂w5 = out_h1 · δ_o1. A sentence in one convention above lines in
the other would say w³₁₂ runs from 1 to 2, the opposite of what the lines compute.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from html_text import plain

import deltaprop as dp
from deltaprop.walkthrough import examples, explain, render_html, render_markdown, render_text

NIELSEN_RULE = "∂C/∂w^l_jk = a^(l−1)_k δ^l_j"
MAZUR_RULE = "∂E_total/∂w_ij = out_i δ_j"
PACKAGE_INDICES = ("w_ij", "o_i", "δ_j")  # w_ij from i to j: not Nielsen's
NIELSEN_INDICES = ("w^l_jk", "a^(l−1)_k", "δ^l_j")


@pytest.fixture(scope="module")
def xor():
    ex = examples.xor()
    return explain(ex.net, ex.x, ex.y, ex.learning_rate, example="xor")


def _renderings(trace, notation) -> dict[str, str]:
    """The three renderings as plain text: Markdown's escapes and HTML's entities undone."""
    return {
        "text": render_text(trace, notation, width=200),
        "markdown": render_markdown(trace, notation).replace("\\", ""),
        "html": plain(render_html(trace, notation)),
    }


@pytest.mark.parametrize("form", ["text", "markdown", "html"])
def test_nielsen_states_the_rule_as_w_l_jk_into_j_from_k(xor, form):
    out = _renderings(xor, "nielsen")[form]
    assert "For every weight w^l_jk (into neuron j of layer l from neuron k of layer l − 1)" in out
    assert NIELSEN_RULE in out
    assert "Δw^l_jk = −η ∂C/∂w^l_jk" in out
    for name in PACKAGE_INDICES:
        assert name not in out, f"{name} (from i to j) in Nielsen's notation"


@pytest.mark.parametrize("form", ["text", "markdown", "html"])
def test_mazur_states_the_rule_as_w_ij_from_i_to_j(xor, form):
    out = _renderings(xor, "mazur")[form]
    assert "For every weight w_ij (from neuron i to neuron j" in out
    assert MAZUR_RULE in out
    for name in NIELSEN_INDICES:
        assert name not in out, f"{name} (Nielsen's) in Mazur's notation"


def test_the_rule_reads_the_same_as_the_lines_below_it(xor):
    text = render_text(xor, "nielsen", width=200)
    rule = text.index(NIELSEN_RULE)
    # w³₁₂: into neuron 1 of layer 3 (δ³₁) from neuron 2 of layer 2 (a²₂), as a^(l−1)_k δ^l_j says
    assert text.index("∂C/∂w³₁₂ = a²₂ · δ³₁") > rule
    text = render_text(xor, "mazur", width=200)
    assert text.index("∂E_total/∂w6 = out_h2 · δ_o1") > text.index(MAZUR_RULE)


@pytest.mark.parametrize(
    ("notation", "source", "delta", "rule", "other"),
    [
        ("nielsen", "a^(l−1)_k", "δ^l_j", "∂C/∂w^l_jk = a^(l−1)_k δ^l_j", PACKAGE_INDICES),
        ("mazur", "out_i", "δ_j", MAZUR_RULE, NIELSEN_INDICES),
    ],
)
def test_the_summary_of_a_large_network_heads_its_columns_in_the_same_indices(
    notation, source, delta, rule, other
):
    rng = np.random.default_rng(3)
    trace = explain(dp.Network([784, 30, 10], seed=2), rng.uniform(size=784), np.eye(10)[7], 3.0, top_k=4)
    for form, out in _renderings(trace, notation).items():
        assert rule in out, form
        for column in (source, delta):  # a table heading: | a^(l−1)_k |, ┃ … ┃ or <th>…</th>
            assert re.search(rf"[|┃>] *{re.escape(column)} *[|┃<]", out), f"{form}: no column {column}"
        for name in other:
            assert name not in out, f"{form}: {name} from the other convention"


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (["--example", "xor"], NIELSEN_RULE),  # Nielsen's notation is the default here
        (["--example", "xor", "--notation", "mazur"], "∂E_total/∂w_ij = out_i δ_j"),
        ([], MAZUR_RULE),  # Mazur's example, in his names by default
        (["--notation", "nielsen", "--format", "markdown"], NIELSEN_RULE.replace("_", "\\_")),
    ],
)
def test_the_cli_prints_each_notations_own_rule(args, rule):
    result = subprocess.run(
        [sys.executable, "-m", "deltaprop", "explain", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert rule in result.stdout.replace("\n", " ")


def test_the_reference_says_how_its_indices_read_in_nielsens():
    # deltaprop.reference is reading material beside the book: its docstring must say that
    # w[l][i, j] (from i to j) is Nielsen's w^(l+2)_(j+1)(i+1) (into j from k), keep l for
    # layers only, and say that σ' is taken from the output o where the book writes σ'(z).
    from deltaprop import reference

    doc = " ".join(reference.__doc__.split())
    assert "w^(l+2)_(j+1)(i+1)" in doc and "*into* neuron j" in doc and "*from* neuron i" in doc
    assert "Σ_l" not in doc and "w_jl" not in doc and "Σ_k w_jk δ_k" in doc
    assert "``o[0]`` is x" in doc
    assert "σ' is computed from the output" in doc and "sigmoid_prime(z)" in doc


DIGIT = {c: n for digits in ("⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉") for n, c in enumerate(digits)}


def test_weight_step_reads_nielsens_printed_weights_as_its_docstring_says():
    """weight_step(m − 2, k − 1, j − 1) is the line w^m_jk′ of the Nielsen text, for every weight."""
    net = dp.Network([3, 4, 4, 2], seed=3)
    trace = explain(net, [0.2, -0.4, 0.9], [1.0, 0.0], 0.3)
    text = render_text(trace, width=3000)
    lines = re.findall(r"^  w(\S)(\S)(\S)′ = .* = (\S+)$", text, re.M)
    assert len(lines) == 3 * 4 + 4 * 4 + 4 * 2
    for m, j, k, value in lines:
        step = trace.weight_step(DIGIT[m] - 2, DIGIT[k] - 1, DIGIT[j] - 1)
        assert f"{step.new:.9f}".rstrip("0") == value.replace("−", "-").rstrip("0")  # U+2212 in the text
