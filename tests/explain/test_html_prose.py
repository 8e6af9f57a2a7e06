"""The HTML page sets the prose's symbols with real super- and subscripts.

Before, the page's paragraphs and table headers showed the plain-text spelling,
"z^l_j is the weighted input", "C_x = ½Σ_j(y_j − a³_j)²", beside equations set in MathML.
"""

from __future__ import annotations

import re
import xml.dom.minidom

import deltaprop as dp
from deltaprop.walkthrough import examples, render_html

NAMES = ("update_biases", "max_neurons")  # Python names, which keep their underscores


def prose(html: str) -> str:
    """The page's text outside its equations, style and title."""
    body = html.split("<body>", 1)[1]
    return re.sub(r"<math.*?</math>", "", body, flags=re.S)


def test_nielsen_notation_paragraph_is_typeset():
    ex = examples.get("xor")
    html = render_html(dp.explain(ex.net, ex.x, ex.y, 0.5))
    assert "z<sup>l</sup><sub>j</sub> is the weighted input" in html
    assert "w<sup>l</sup><sub>jk</sub> the weight into neuron j" in html
    assert "C<sub>x</sub> = ½Σ<sub>j</sub>(y<sub>j</sub> − a³<sub>j</sub>)²" in html
    assert "e<sup>−z</sup>" in html


def test_no_plain_text_scripts_are_left_in_any_page():
    ex = examples.mazur()
    net = dp.Network([6, 30, 4], output_activation="softmax", cost="log_likelihood", seed=0)
    traces = [
        dp.explain(ex.net, ex.x, ex.y, 0.5, update_biases=False, example="mazur"),
        dp.explain(ex.net, [[0.1, 0.2], [0.3, 0.4]], [[0.3, 0.3], [1, 0]], 0.5),
        dp.explain(net, [0.1] * 6, 2, 0.5),  # a summary: tables with symbols in their headers
    ]
    for trace in traces:
        for notation in ("nielsen", "mazur"):
            html = render_html(trace, notation)
            text = prose(html)
            for name in NAMES:
                text = text.replace(name, "")
            assert "^" not in text and "_" not in text, re.findall(r".{30}[_^].{30}", text)
            xml.dom.minidom.parseString("<div>" + html.split("<body>", 1)[1].split("</body>")[0] + "</div>")
    assert "update_biases=False" in render_html(traces[0], "mazur")  # a name, not E-style symbol
