"""Long equations in HTML, Markdown and LaTeX break before an "=" instead of running off the page.

Before, the HTML page put every equation on one line in a box that scrolled sideways: for a
[2, 3, 3] network z³₁'s line was wider than the page, and its result, the number a reader
wants, sat out of sight. Markdown had the same problem in a notebook or on GitHub.

A LaTeX document (``--format latex``, for a handout or a Beamer slide) is the Markdown's
document, and a page cannot scroll at all: its long sums also break before a + or −.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest

import deltaprop as dp
from deltaprop.walkthrough import (
    FORMATS,
    examples,
    explain,
    render,
    render_html,
    render_latex,
    render_markdown,
)
from deltaprop.walkthrough import latex as latex_module
from deltaprop.walkthrough.latex import UNICODE
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


# --format latex: the walk-through for a handout or a Beamer slide, as the Markdown lays it out.
def latex_cases():
    ex = examples.mazur()
    net = dp.Network([3, 4, 3], activation="relu", output_activation="softmax", seed=2)
    return {
        "mazur": explain(ex.net, ex.x, ex.y, 0.5, update_biases=False, example="mazur"),
        "batch": explain(net, [[0.5, -1.0, 0.25], [-0.3, 0.8, 1.5]], [0, 2], 0.5),
        "summary": explain(dp.Network([784, 30, 10], seed=1), np.linspace(0, 1, 784), 3, 0.5),
    }


@pytest.mark.parametrize("notation", ["nielsen", "mazur"])
def test_latex_is_the_markdowns_document_balanced(notation):
    for name, trace in latex_cases().items():
        latex, markdown = render_latex(trace, notation), render_markdown(trace, notation)
        assert latex.startswith(r"\documentclass") and latex.endswith("\\end{document}\n")
        body = latex.split("\\begin{document}")[1]
        assert body == "\n\n" + render_latex(trace, notation, document=False) + "\n\\end{document}\n"
        # every brace and environment closed, every display too
        assert _balanced(re.sub(r"\\[{}$&#%_]", "", latex)), name
        environments = re.findall(r"\\(begin|end)\{(\w+)\}", latex)
        stack = []
        for kind, env in environments:
            if kind == "begin":
                stack.append(env)
            else:
                assert stack.pop() == env, name
        displays = body.splitlines().count("\\[")
        assert not stack and displays == body.splitlines().count("\\]") > 3
        # the same headings and equations as the Markdown, and every number of its
        assert body.count("section*{") == len(re.findall(r"^#+ ", markdown, re.M)), name
        assert displays == markdown.count("$$") // 2, name
        numbers = set(re.findall(r"\d+\.\d{3,}", markdown))
        assert numbers and numbers <= set(re.findall(r"\d+\.\d{3,}", latex)), name
        # pdflatex reads every character beyond ASCII through a declaration of the preamble
        assert {c for c in body if ord(c) > 127} <= set(UNICODE), name
        # the tables' inline math as matplotlib's mathtext reads it, where it can (\mathrm, scripts)
        parser = pytest.importorskip("matplotlib.mathtext").MathTextParser("agg")
        for span in re.findall(r"(?<!\\)\$([^$]+)\$", body):
            parser.parse(f"${span}$")


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def test_latex_breaks_a_long_sum_and_tags_its_note():
    trace = latex_cases()["batch"]
    body = render_latex(trace, document=False)
    assert r"{w_{11}^{3}}' = w_{11}^{3} + \Delta  w_{11}^{3}" in body  # Nielsen's w′, after the indices
    assert r"\tag*{(BP4, averaged over the batch, n = 2)}" in body
    assert re.search(r"\\\\\n&\\quad \+ ", body)  # a sum too wide for the page goes on, "+ …"
    lines = [line for line in body.splitlines() if "&" in line or line.startswith(("\\frac", "z", "a"))]
    assert max(len(line) for line in lines) < 2 * latex_module.EQUATION_COLUMNS + 100
    with pytest.raises(ValueError, match="format must be one of"):
        render(trace, "pdf")
    assert render(trace, "latex") == render_latex(trace) and "latex" in FORMATS


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("notation", ["nielsen", "mazur"])
def test_latex_compiles_with_pdflatex(tmp_path, notation):
    for name, trace in latex_cases().items():
        source = tmp_path / f"{name}.tex"
        source.write_text(render_latex(trace, notation), encoding="utf-8")
        result = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        log = source.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
        assert result.returncode == 0, f"{name}: " + log[log.find("\n!") : log.find("\n!") + 800]
        assert source.with_suffix(".pdf").stat().st_size > 10_000
        assert "Overfull \\hbox" not in log, name  # nothing runs off the page
