"""The symbols of the walk-through's prose, set with real super- and subscripts (HTML, LaTeX).

The notation paragraphs and table headers write symbols in plain text: z^l_j, a^(l−1)_k,
E_total, Σ_k, e^(z_j), out_i. A base is one letter (or out, net, target) that starts a word, so
that names such as update_biases and max_neurons stay as they are. :func:`scripted` finds them
and lets each renderer set their scripts its own way: ``z<sup>l</sup><sub>j</sub>`` in HTML,
``z\\textsuperscript{l}\\textsubscript{j}`` in LaTeX.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SCRIPT = r"(\([^()]*\)|[A-Za-z0-9]+)"
SYMBOL = re.compile(
    r"(?<![A-Za-z0-9_])(out|net|target|[A-Za-zα-ωΓ-Ω])([⁰¹²³⁴⁵⁶⁷⁸⁹⁺]*)"
    rf"(?:\^{_SCRIPT})?(?:_{_SCRIPT})?"
)


def scripted(text: str, escape: Callable[[str], str], script: Callable[[str, str], str]) -> str:
    """``text`` with every symbol's scripts set by ``script("sup" or "sub", inner)``, the rest
    (and the scripts' own text) by ``escape``; a script may hold a symbol of its own: e^(z_j)."""
    out, last = [], 0
    for match in SYMBOL.finditer(text):
        base, marks, sup, sub = match.groups()
        if sup is None and sub is None:
            continue
        out.append(escape(text[last : match.start()]) + escape(base + marks))
        for kind, part in (("sup", sup), ("sub", sub)):
            if part is not None:
                inner = part[1:-1] if part.startswith("(") else part
                out.append(script(kind, scripted(inner, escape, script)))
        last = match.end()
    return "".join(out) + escape(text[last:])
