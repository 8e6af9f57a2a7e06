"""The three renderings: the key numbers are there, the HTML is well-formed and fetches nothing."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.walkthrough import examples, explain, render, render_html, render_markdown, render_text
from deltaprop.walkthrough.math import (
    Eq,
    Frac,
    Num,
    Op,
    Paren,
    Sym,
    eq,
    fmt,
    to_latex,
    to_text,
    typeset,
)
from deltaprop.walkthrough.mathml import to_mathml

# Published by Mazur (2015) and printed here the same way (9 decimals, trailing zeros dropped)
MAZUR_NUMBERS = [
    "0.593269992",  # out_h1
    "0.75136507",  # out_o1
    "0.772928465",  # out_o2
    "0.298371109",  # E_total
    "0.74136507",  # ∂E_total/∂out_o1
    "0.186815602",  # out_o1(1 − out_o1)
    "0.138498562",  # δ_o1
    "0.082167041",  # ∂E_total/∂w5
    "0.35891648",  # w5⁺
    "0.408666186",  # w6⁺
    "0.51130127",  # w7⁺
    "0.561370121",  # w8⁺
    "0.000438568",  # ∂E_total/∂w1
    "0.149780716",  # w1⁺
    "0.291027774",  # E_total after the step (exact)
    "0.291027924",  # what the post prints, explained in the text
]


@pytest.fixture(scope="module")
def mazur():
    ex = examples.mazur()
    return explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False, example="mazur")


@pytest.fixture(scope="module")
def large():
    rng = np.random.default_rng(3)
    net = dp.Network([784, 30, 10], seed=2)
    return explain(net, rng.uniform(size=784), np.eye(10)[7], 3.0, top_k=4)


class _Checker(HTMLParser):
    """Records every tag and fails on one closed out of order; collects URLs in attributes."""

    VOID = {"meta", "br", "hr", "img", "link", "input", "col", "area", "base", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.urls: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.urls += [v for _, v in attrs if v and ("://" in v or v.startswith("//"))]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page
    assert {"script", "link", "img", "iframe"}.isdisjoint(checker.tags)
    assert "@import" not in page and "url(" not in page
    return checker


@pytest.mark.parametrize("notation", ["mazur", "nielsen"])
def test_every_rendering_has_the_published_numbers(mazur, notation):
    text = render_text(mazur, notation)
    markdown = render_markdown(mazur, notation)
    page = render_html(mazur, notation)
    checker = check_html(page)
    page_text = "".join(checker.text)
    for number in MAZUR_NUMBERS:
        assert number in text, number
        assert number in markdown, number
        assert number in page_text, number


def test_mazur_names_in_mazur_notation(mazur):
    text = render_text(mazur, "mazur", width=200)
    # the post's own lines, with deltaprop's numbers
    assert "δ_o1 = ∂E_total/∂out_o1 · σ′(net_o1) = 0.74136507 × 0.186815602 = 0.138498562" in text
    assert "∂E_total/∂w5 = out_h1 · δ_o1 = 0.593269992 × 0.138498562 = 0.082167041" in text
    assert "w5⁺ = w5 + Δw5 = 0.4 + (−0.04108352) = 0.35891648" in text
    assert "net_h1 = w1 · i1 + w2 · i2 + b_h1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775" in text
    assert "∂E_total/∂out_h1 = w5 δ_o1 + w7 δ_o2" in text
    assert "older version of its script" in text


def test_nielsen_names_in_nielsen_notation(mazur):
    text = render_text(mazur, "nielsen", width=200)
    assert "δ³₁ = ∂C/∂a³₁ · σ′(z³₁) = 0.74136507 × 0.186815602 = 0.138498562" in text
    # w^3_11 is Nielsen's weight into neuron 1 of layer 3 from neuron 1 of layer 2: Mazur's w5
    assert "∂C/∂w³₁₁ = a²₁ · δ³₁ = 0.593269992 × 0.138498562 = 0.082167041" in text
    # the hidden sum runs over the neurons k that neuron j feeds: w^3_kj δ^3_k
    assert "∂C/∂a²₁ = w³₁₁ δ³₁ + w³₂₁ δ³₂" in text
    latex = render_markdown(mazur, "nielsen")
    assert r"\delta_{1}^{3}" in latex and r"\frac{\partial" in latex


def test_post_variant_is_labelled_not_the_algorithm():
    ex = examples.mazur()
    trace = explain(ex.net, ex.x, ex.y, 0.5, update_biases=False, variant="post", example="mazur")
    for out in (render_text(trace, "mazur"), render_markdown(trace, "mazur"), render_html(trace, "mazur")):
        assert "NOT the backpropagation algorithm" in out
        assert "0.291027924" in out and "0.291027774" in out
    text = render_text(trace, "mazur", width=200)
    assert "w5⁺ δ_o1 + w7⁺ δ_o2 = 0.35891648 × 0.138498562" in text  # the updated weights


def test_simplified_pair_shows_both_factors():
    net = dp.Network([2, 2], activation="logistic", cost="cross_entropy", seed=0)
    trace = explain(net, [0.3, 0.7], [1.0, 0.0], 0.1)
    text = render_text(trace, width=200)
    out = trace.outputs[0]
    assert "factors cancel" in text
    assert typeset(out.dC_do[0]) in text and typeset(out.sigma_prime[0]) in text
    assert f"a²₁ − y₁ = {typeset(out.a[0])} − 1 = {typeset(out.delta[0])}" in text


def test_softmax_output_renders():
    net = dp.Network([3, 4, 3], activation="tanh", output_activation="softmax", cost="log_likelihood", seed=0)
    trace = explain(net, [0.1, -0.2, 0.3], [0, 1, 0], 0.5)
    text = render_text(trace, width=200)
    assert "Σ_k" in text
    assert typeset(trace.outputs[1].delta[0]) in text
    check_html(render_html(trace))


def test_large_network_summary_in_all_three(large):
    top = large.top_weights[0]
    text, markdown, page = render_text(large), render_markdown(large), render_html(large)
    for out in (text, markdown, page):
        assert "summary" in out
        assert "largest |∂C/∂w|" in out or r"largest \|∂C/∂w\|" in out
        assert typeset(top.grad) in out and typeset(top.new) in out
        assert typeset(large.cost_before) in out and typeset(large.cost_after) in out
    assert "| layer |" in markdown or "| layer" in markdown
    assert page.count("<table>") == 4
    check_html(page)
    # a summary stays short: no per-weight equations for 23,860 weights
    assert len(text.splitlines()) < 120


def test_summary_tables_on_an_80_column_terminal_cut_no_number(large):
    # rich shortens a cell that does not fit to "-5.2064…", which read as −5.2 for −5.206460e-06;
    # a cell folds onto a second line instead, so every digit is still there.
    text = render_text(large, width=80)
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert len(rows) > 20 and not any("…" in row for row in rows)


def test_batch_renders_each_sample_and_the_average():
    net = dp.Network([2, 2, 1], seed=1)
    trace = explain(net, [[0, 1], [1, 0]], [[1], [0]], 1.0)
    text = render_text(trace, width=200)
    assert "Sample 1 of 2" in text and "Sample 2 of 2" in text
    assert typeset(trace.weight_steps[0].grad) in text


def test_a_batch_average_is_one_over_n_and_says_what_n_is():
    # Before: ∂C/∂w³₁₁ = 1/2 Σ_x a²₁ δ³₁, whose 1/2 (n = 2) students read as the quadratic cost's ½
    net = dp.Network([2, 2, 1], seed=1)
    trace = explain(net, [[0, 1], [1, 0]], [[1], [0]], 1.0)
    text = render_text(trace, width=200)
    assert "∂C/∂w³₁₁ = 1/n Σ_x a²₁ δ³₁ = (1/2)(" in text
    assert "1/2 Σ_x" not in text
    gradients = [line for line in text.splitlines() if line.startswith("  ∂C/∂")]
    assert len(gradients) == 6 + 3  # weights, biases
    assert all(re.search(r"= 1/n Σ_x .*\(BP[34], averaged over the batch, n = 2\)$", g) for g in gradients)
    assert "averaged over the batch's n = 2 examples" in " ".join(text.split())
    markdown = render_markdown(trace)
    assert (
        r"\frac{1}{n} \sum _{x}" in markdown and r"\text{(BP4, averaged over the batch, n = 2)}" in markdown
    )
    html = render_html(trace)
    assert "<mfrac><mrow><mtext>1</mtext></mrow><mrow><mi>n</mi></mrow></mfrac>" in html
    assert "(BP4, averaged over the batch, n = 2)" in html
    # Mazur's names have no BP labels: the note is n alone
    assert "(n = 2)" in render_text(trace, "mazur", width=200)


def test_render_dispatch_and_bad_arguments(mazur):
    assert render(mazur, "markdown", "mazur") == render_markdown(mazur, "mazur")
    with pytest.raises(ValueError, match="format must be one of"):
        render(mazur, "pdf")
    with pytest.raises(ValueError, match="notation must be one of"):
        render_text(mazur, "greek")
    with pytest.raises(TypeError, match="trace must be a Trace"):
        render_text("trace")
    with pytest.raises(ValueError, match="digits must be"):
        render_text(mazur, digits=0)


def test_math_emitters():
    e = eq(Sym("δ", "o1"), (Num(0.74136507), Op("×"), Num(-0.5)), Num(0.138498562))
    assert to_text(e) == "δ_o1 = 0.74136507 × (−0.5) = 0.138498562"
    assert to_latex(e) == r"\delta_{\mathrm{o1}} = 0.74136507 \times (-0.5) = 0.138498562"
    mathml = to_mathml(e)
    assert mathml.startswith('<math display="block">') and "<mn>0.138498562</mn>" in mathml
    assert "<mo>(</mo><mrow><mo>−</mo><mn>0.5</mn></mrow><mo>)</mo>" in mathml
    frac = Eq(((Frac((Op("∂"), Sym("C")), (Op("∂"), Sym("a", "1", "3"))),), (Paren((Num(1.0),), "2"),)))
    assert to_text(frac) == "∂C/∂a³₁ = (1)²"
    assert fmt(0.0) == "0" and fmt(2.5e-7) == "2.500000e-07" and fmt(0.5109) == "0.5109"


@pytest.mark.parametrize("cost", ["log_likelihood", "cross_entropy"])
def test_mathml_keeps_the_space_around_ln_that_a_token_would_lose(cost):
    # MathML trims white space at the ends of a token: <mtext> ln </mtext> drew "lna³₁".
    output = "softmax" if cost == "log_likelihood" else "logistic"
    net = dp.Network([2, 3, 2], activation="relu", output_activation=output, cost=cost, seed=0)
    page = render_html(explain(net, [0.5, -1.0], [1.0, 0.0], 0.5))
    check_html(page)
    texts = re.findall(r"<mtext>([^<]*)</mtext>", page)
    assert texts and all(t == t.strip() for t in texts), [t for t in texts if t != t.strip()]
    assert re.search(
        r"<mspace [^>]*></mspace><mtext>ln</mtext><mspace [^>]*></mspace><msubsup><mi>a</mi>", page
    )
    assert "1 if" in page and "<mtext>&gt; 0, else 0</mtext>" in page  # the relu σ′ keeps its spaces too


def test_latex_text_escapes_the_underscore_of_leaky_relu():
    # \text{leaky_relu} is a KaTeX/LaTeX error ("Expected 'EOF', got '_'"); \text{leaky\_relu} is not
    net = dp.Network([2, 3, 2], activation="leaky_relu(0.2)", output_activation="logistic", seed=0)
    markdown = render_markdown(explain(net, [0.5, -1.0], [1.0, 0.0], 0.5))
    assert r"\text{leaky\_relu}" in markdown
    assert re.search(r"\\text\{[^}]*(?<!\\)_", markdown) is None


def test_latex_text_escapes_the_underscore_of_a_kink_note_in_mazurs_names():
    # A relu σ′ line's note, (net_o1 = 1.342345195 > 0), was \text{(net_o1 = …)}: an error too
    net = dp.Network([2, 3, 2], activation="relu", seed=1)
    markdown = render_markdown(explain(net, [0.8, 0.4], [1, 0], 0.5), "mazur")
    assert r"\quad \text{(net\_o1 = 1.342345195 > 0)}" in markdown
    assert re.search(r"\\text\{[^}]*(?<!\\)_", markdown) is None


def test_html_lets_long_equations_and_tables_scroll_instead_of_running_off_the_page():
    # A [784, 30, 10] walk-through's sums run wider than the 60rem page.
    import re

    import deltaprop as dp
    from deltaprop.walkthrough import render_html

    net = dp.Network([3, 4, 2], seed=0)
    html = render_html(dp.explain(net, [0.1, 0.2, 0.3], [0, 1], 0.5))
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert re.search(r"\.eq \{[^}]*overflow-x: auto", style)
    assert re.search(r"table \{[^}]*overflow-x: auto", style)


def test_html_equations_with_fractions_get_no_vertical_scrollbar():
    # overflow-x: auto makes overflow-y auto too (CSS overflow rules), so in Chromium every
    # equation with a fraction (out = 1/(1 + e^(−net)), ∂E/∂w) carried a tiny vertical scroll
    # bar beside it; the equation box hides vertical overflow and pads for the fraction instead.
    ex = examples.mazur()
    html = render_html(dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False), "mazur")
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    rule = re.search(r"\.eq \{([^}]*)\}", style).group(1)
    assert "overflow-x: auto" in rule
    assert "overflow-y: hidden" in rule
    assert re.search(r"padding: \.\d+rem 0", rule)


def test_the_largest_delta_table_lists_no_neuron_whose_delta_is_zero():
    # A ReLU network with most hidden neurons inactive for this input: the "10 largest |δ|"
    # table filled its last rows with δ = 0 neurons, as if they were among the largest.
    import numpy as np

    import deltaprop as dp
    from deltaprop.walkthrough import render_text

    net = dp.Network(
        [3, 40, 2], activation="relu", output_activation="softmax", cost="log_likelihood", seed=0
    )
    net.biases[0][:] = -10.0  # every hidden neuron off ...
    net.biases[0][:3] = 1.0  # ... but three
    trace = dp.explain(net, [0.1, 0.2, 0.3], [0, 1], 0.5)
    assert trace.top_neurons and all(abs(float(np.mean(nd.delta))) > 0 for nd in trace.top_neurons)
    assert len(trace.top_neurons) == 3 + 2  # three live hidden neurons and the two outputs
    assert all(step.grad != 0 for step in trace.top_weights)
    assert "neurons whose δ is 0 are not listed" in render_text(trace)


@pytest.mark.parametrize("out, cost", [("softmax", "log_likelihood"), ("logistic", "quadratic")])
def test_targets_outside_zero_one_for_a_probability_output_get_a_note(out, cost):
    # explain printed a negative cost share and carried on without a word (learner audit).
    import deltaprop as dp
    from deltaprop.walkthrough import render_text

    net = dp.Network([3, 4, 2], output_activation=out, cost=cost, seed=0)
    text = render_text(dp.explain(net, [1.0, 2.0, 3.0], [2.0, -1.0], 0.5), width=200)
    assert f"targets include 2, −1, outside [0, 1], where a {out} output never goes" in text
    fine = render_text(dp.explain(net, [1.0, 2.0, 3.0], [0.0, 1.0], 0.5), width=200)
    assert "outside [0, 1]" not in fine


def test_a_batch_summary_ranks_neurons_by_the_mean_abs_delta_it_shows():
    # a batch's neurons were ranked by mean |δ| while the table showed only the mean δ, so rows
    # looked out of order and a neuron could seem left out; now the ranking column is shown
    X, y = dp.datasets.load("digits")
    net = dp.Network([64, 30, 10], output_activation="softmax", seed=0)
    trace = dp.explain(net, X[:2], y[:2], 0.5)
    text = render_text(trace)
    assert "neurons with the largest mean |δ|" in text and "mean |δ|" in text
    scores = [nd.score for nd in trace.top_neurons]
    assert scores == sorted(scores, reverse=True)
    assert all(np.isclose(nd.score, np.abs(nd.delta).mean()) for nd in trace.top_neurons)
    assert "not the product of the means shown" in " ".join(text.split())


def test_a_softmax_outputs_sum_line_shows_its_terms():
    # Σ_k ∂C/∂a_k a_k printed only its result, the one line a reader could not check
    net = dp.Network([3, 3, 2], output_activation="softmax", cost="cross_entropy", seed=1)
    trace = dp.explain(net, [[0.1, 0.2, 0.3]], [[0.0, 1.0]], 0.3)
    line = next(line for line in render_text(trace).splitlines() if line.strip().startswith("Σ_k"))
    line = line.replace("−", "-")  # U+2212, the text's minus
    printed = [float(v) for v in re.findall(r"-?\d+\.\d+", line.split("=")[1])]
    terms = sum(printed[i] * printed[i + 1] for i in range(0, len(printed), 2))
    assert len(printed) == 4 and abs(terms - float(line.split("=")[-1])) < 1e-8
