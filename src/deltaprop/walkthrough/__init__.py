"""The walk-through of one backpropagation step, with the engine's own numbers.

The package is called ``walkthrough`` so that the name ``deltaprop.explain`` can be the
function alone: a subpackage of that name would replace the function on ``deltaprop``
as soon as it is imported.

    >>> import deltaprop as dp
    >>> from deltaprop.walkthrough import examples, render_text
    >>> ex = examples.mazur()
    >>> trace = dp.explain(ex.net, ex.x, ex.y, ex.learning_rate, update_biases=False)
    >>> text = render_text(trace, notation="mazur")
    >>> "w5⁺ = w5 + Δw5 = 0.4 + (−0.04108352) = 0.35891648" in text  # Mazur's published w5⁺
    True

:func:`explain` records the step (:mod:`.trace`; every neuron's record in :mod:`.neurons`,
a large network's summary in :mod:`.summary`); :mod:`.document` lays it out once as headings,
equations and tables (:mod:`.blocks`), one module of :mod:`.sections` per section;
:mod:`.text` (rich), :mod:`.markdown` (LaTeX math), :mod:`.html` (MathML, :mod:`.mathml`;
self-contained) and :mod:`.latex` (a pdflatex document) render that layout, and :mod:`.export`
gives the numbers as plain data (JSON, CSV). In a notebook a :class:`Trace` shows itself:
``_repr_html_`` is the HTML page's body (:func:`render_html_fragment`), ``_repr_markdown_`` the
Markdown. Names follow Nielsen or Mazur (:mod:`.notation`).
"""

from . import examples
from .html import render_html, render_html_fragment
from .latex import render_latex
from .markdown import render_markdown
from .neurons import BiasStep, HiddenError, NeuronForward, OutputError, WeightStep
from .notation import NOTATIONS
from .summary import LayerSummary, NeuronDelta, Stats
from .text import render_text, renderable
from .trace import Trace, explain

FORMATS = ("text", "markdown", "html", "latex")


def render(trace: Trace, format: str = "text", notation: str = "nielsen", **kwargs) -> str:
    """``trace`` rendered as ``"text"``, ``"markdown"``, ``"html"`` or ``"latex"`` (a whole document)."""
    renderers = {"text": render_text, "markdown": render_markdown, "html": render_html, "latex": render_latex}
    if format not in renderers:
        raise ValueError(f"format must be one of {FORMATS}; got {format!r}")
    return renderers[format](trace, notation, **kwargs)


__all__ = [
    "FORMATS",
    "NOTATIONS",
    "BiasStep",
    "HiddenError",
    "LayerSummary",
    "NeuronDelta",
    "NeuronForward",
    "OutputError",
    "Stats",
    "Trace",
    "WeightStep",
    "examples",
    "explain",
    "render",
    "render_html",
    "render_html_fragment",
    "render_latex",
    "render_markdown",
    "render_text",
    "renderable",
]
