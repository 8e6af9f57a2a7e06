"""Long equations in HTML and Markdown break before an "=" instead of running off the page.

Before, the HTML page put every equation on one line in a box that scrolled sideways: for a
[2, 3, 3] network z³₁'s line was wider than the page, and its result, the number a reader
wants, sat out of sight. Markdown had the same problem in a notebook or on GitHub.
"""

from __future__ import annotations

import re

import pytest

import deltaprop as dp
from deltaprop.walkthrough import examples, render_html, render_markdown
from deltaprop.walkthrough.math import Eq, Frac, Num, Op, Sym, Word, break_before_equals, to_text


@pytest.fixture(scope="module")
def softmax_trace():
    net = dp.Network([2, 3, 3], output_activation="softmax", cost="log_likelihood", seed=1)
    return dp.explain(net, [0.5, -1.0], 1, 0.5)


def test_breaking_keeps_every_side_in_order():
    sides = tuple((Num(v), Op("×"), Num(v + 1)) for v in (0.123456789, 1.5, 2.25, 3.125))
    equation = Eq(((Sym("z", "1", "3"),), *sides, (Num(4.0),)), note="BP1")
    parts = break_before_equals(equation, 40)
    assert len(parts) > 1
    assert parts[0].sides[0] == (Sym("z", "1", "3"),) and all(p.sides[0] == () for p in parts[1:])
    assert [s for p in parts for s in p.sides if s != ()] == list(equation.sides)
    assert [p.note for p in parts] == [""] * (len(parts) - 1) + ["BP1"]  # the note ends the equation
    assert all(len(to_text(p)) <= 40 for p in parts)


def test_a_fraction_is_as_wide_as_its_wider_part_when_stacked():
    frac = (Frac((Word("1"),), (Word("1"), Op("+"), Sym("e", sup=(Num(-0.123456789),)))),)
    equation = Eq(((Sym("a"),), frac, frac, (Num(0.5),)))
    # "a = 1/(1 + e^(-0.123456789)) = 1/(1 + e^(-0.123456789)) = 0.5" is 61 characters in one line;
    # stacked, each fraction is as wide as its denominator, 1 + e^(-0.123456789): 53 in all
    assert len(break_before_equals(equation, 56)) == 2
    assert len(break_before_equals(equation, 56, stacked=True)) == 1


def test_html_breaks_a_long_equation_onto_indented_lines(softmax_trace):
    html = render_html(softmax_trace)
    divs = re.findall(r'<div class="(eq(?: cont)?)">(.*?)</div>', html, re.S)
    assert ("eq cont" in [kind for kind, _ in divs]) and all(
        "<mo>=</mo>" in body.split("<mrow>", 1)[1][:20] for kind, body in divs if kind == "eq cont"
    )  # each continuation opens with its "="
    # z³₁ = w³₁₁ a²₁ + … + b³₁, then its numbers, then its result −0.642709325 on a line of its own
    result = "<mo>−</mo><mn>0.642709325</mn>"  # a negative number: a prefix minus, as −η
    at = next(k for k, (_, body) in enumerate(divs) if result in body and "<mfrac>" not in body)
    assert divs[at][0] == "eq cont" and divs[at - 2][0] == "eq"
    # Mazur's short equations are as they were: one line each; only his hidden sums, which also
    # show each term's value (0.0553994247 + (-0.0190491183)), put their result on a second line
    mazur = examples.mazur()
    short = render_html(dp.explain(mazur.net, mazur.x, mazur.y, 0.5, update_biases=False), "mazur")
    continued = re.findall(r'<div class="eq cont">(.*?)</div>', short, re.S)
    assert [re.findall(r"<mn>(.*?)</mn>", body) for body in continued] == [["0.036350306"], ["0.041370323"]]


def test_markdown_uses_aligned_lines(softmax_trace):
    markdown = render_markdown(softmax_trace)
    blocks = re.findall(r"\$\$\n(.*?)\n\$\$", markdown, re.S)
    aligned = [b for b in blocks if b.startswith(r"\begin{aligned}")]
    assert aligned and all(
        b.endswith(r"\end{aligned}") and b.count("&=") == b.count(r"\\") + 1 for b in aligned
    )
    assert any("&= -0.642709325" in b for b in aligned)
    assert all(r"\begin" not in b for b in blocks if len(b) < 120)  # short ones stay single lines
