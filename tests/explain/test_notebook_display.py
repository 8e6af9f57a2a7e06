"""A Trace in a notebook: a short repr, and the walk-through itself as HTML or Markdown.

Before, a notebook cell ending in ``trace`` printed the dataclass's repr: some 8,000
characters of arrays for Mazur's 2-2-2 network, and no walk-through.
"""

from __future__ import annotations

import re
import xml.dom.minidom

import pytest

import deltaprop as dp
from deltaprop.walkthrough import examples, render_html, render_html_fragment

IPython = pytest.importorskip("IPython")


@pytest.fixture(scope="module")
def mazur():
    ex = examples.mazur()
    return dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False, example="mazur")


@pytest.fixture(scope="module")
def xor():
    ex = examples.get("xor")
    return dp.explain(ex.net, ex.x, ex.y, ex.learning_rate)


def test_repr_is_a_one_line_summary(mazur):
    text = repr(mazur)
    assert text == (
        "Trace(sizes=[2, 2, 2], cost='quadratic', learning_rate=0.5, 1 sample, C 0.298371 → 0.291028; "
        "render_text(trace) shows the step)"
    )


def test_a_notebook_shows_the_walkthrough(mazur, xor):
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(mazur)
    assert {"text/plain", "text/html", "text/markdown"} <= set(data)
    assert data["text/plain"] == repr(mazur)
    # Mazur's names for his example, Nielsen's otherwise, as on the command line
    assert "w5⁺ = w5 + Δw5" not in data["text/markdown"]  # LaTeX, not Unicode text
    assert r"w_{5}^{+}" in data["text/markdown"] and "0.35891648" in data["text/markdown"]
    assert "∂E" in data["text/html"] and "E_total" not in xor._repr_html_()


def test_the_html_is_a_fragment_whose_style_stays_inside_it(xor):
    html = xor._repr_html_()
    assert html == render_html_fragment(xor)
    assert html.startswith('<div class="deltaprop-walkthrough">') and html.rstrip().endswith("</div>")
    for tag in ("<!DOCTYPE", "<html", "<head", "<body"):
        assert tag not in html
    style = re.search(r"<style>(.*?)</style>", html, re.S)[1]
    style = re.sub(r"@media[^{]*\{", "", style)  # a media query's rules are rules like the others
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", style) for s in rule.split(",")]
    # each rule applies to the fragment or inside it (a theme's marker on body may come first)
    assert selectors and all(re.search(r"(^|\s)\.deltaprop-walkthrough(\s|$)", s) for s in selectors)
    xml.dom.minidom.parseString(html)  # well-formed, MathML and all
    # the same equations as the page
    page = render_html(xor)
    assert re.findall(r"<math.*?</math>", html, re.S) == re.findall(r"<math.*?</math>", page, re.S)
