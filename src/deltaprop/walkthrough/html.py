"""The walk-through as one self-contained HTML page, its math in MathML.

Modern browsers (Firefox, Chrome/Edge ≥ 109, Safari) render MathML natively, so the page
needs no script, font or style sheet from anywhere: it opens offline, and nothing in it
refers to the network.
"""

from __future__ import annotations

import re
from html import escape

from .document import Equations, Heading, Note, Paragraph, Table, build, digits_for
from .math import break_before_equals, eq, typeset
from .mathml import to_mathml
from .prose import scripted
from .trace import Trace

EQUATION_COLUMNS = 108  # what a line of the page's 60rem holds: about 7.75 px a character at 1.1rem
# The layout, and colours only through the --dp-* properties that the page and the fragment set:
# text and notes inherit the text colour, and the muted parts fade it rather than pick a grey.
_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; }
h1 { border-bottom: 2px solid var(--dp-accent); padding-bottom: .3rem; }
h2 { color: var(--dp-accent); margin-top: 2rem; }
math[display="block"] { margin: .35rem 0 .35rem 1.5rem; font-size: 1.1rem; }
.eq { display: flex; align-items: center; gap: 1rem; overflow-x: auto; overflow-y: hidden;
      padding: .2rem 0; }  /* long sums scroll sideways; a fraction's height never adds a scrollbar */
table { display: block; overflow-x: auto; }
.eq .note { opacity: .7; font-size: .9rem; }
.eq.cont math[display="block"] { margin-left: 3.5rem; }  /* "= …": the rest of a long equation */
.note-box { border-left: 4px solid var(--dp-note-border); background: var(--dp-note-bg);
            padding: .5rem 1rem; }
table { border-collapse: collapse; margin: .5rem 0; max-width: 100%; }
th, td { border: 1px solid var(--dp-rule); padding: .2rem .6rem; text-align: right;
         font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
caption { caption-side: bottom; opacity: .7; font-size: .9rem; }
sup, sub { line-height: 0; }  /* a symbol's scripts in the prose keep its lines evenly spaced */
"""
# The page is a light page whatever the browser's theme: its own text and background colours.
_PAGE_COLOURS = """
:root { color: #1b1b1b; background: #fff; --dp-accent: #2a7ab0; --dp-note-border: #d08b00;
        --dp-note-bg: #fff6e0; --dp-rule: #ccc; }
"""
# A notebook's theme may be light or dark (VS Code dark, JupyterLab dark): the fragment keeps the
# notebook's own text colour and background, and its own colours read on either. The blue has a
# contrast of at least 3.5:1 (headings are large text) on white and on the dark themes' greys
# #111–#2b2b2b; the note's amber and the table's rules are translucent, over whatever is behind.
# Where the notebook says it is dark, or the system prefers dark and the notebook does not say
# it is light, the blue is lighter still.
_FRAGMENT_COLOURS = """
.{cls} {{ color: inherit; background: transparent; --dp-accent: #3584c4; --dp-note-border: #d08b00;
        --dp-note-bg: rgba(208, 139, 0, .15); --dp-rule: rgba(128, 128, 128, .5); }}
body.vscode-dark .{cls}, body.vscode-high-contrast .{cls}, [data-jp-theme-light="false"] .{cls}
  {{ --dp-accent: #6cb6ff; }}
@media (prefers-color-scheme: dark) {{
  body:not(.vscode-light):not([data-jp-theme-light="true"]) .{cls} {{ --dp-accent: #6cb6ff; }}
}}
"""


def _prose(text: str) -> str:
    """``text`` as HTML, its symbols' super- and subscripts set as such: z<sup>l</sup><sub>j</sub>."""
    return scripted(text, escape, lambda tag, inner: f"<{tag}>{inner}</{tag}>")


def _cell(value, digits: int) -> str:
    if isinstance(value, tuple):
        return to_mathml(eq(*value) if len(value) > 1 else eq(value[0]), digits, display=False)
    if isinstance(value, float):
        return escape(typeset(value, digits))
    return _prose(str(value))


def _body(trace: Trace, notation: str, digits: int | None) -> tuple[str, list[str]]:
    """The page's title and its body, one HTML string per block."""
    body: list[str] = []
    title = "deltaprop: one step of backpropagation"
    digits = digits_for(trace, digits)  # 9 decimals, 6 for a float32 network
    for block in build(trace, notation, digits):
        if isinstance(block, Heading):
            if block.level == 1:
                title = block.text
            body.append(f"<h{block.level}>{_prose(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_prose(block.text)}</p>")
        elif isinstance(block, Note):
            body.append(f'<p class="note-box"><strong>Note.</strong> {_prose(block.text)}</p>')
        elif isinstance(block, Equations):
            for item in block.items:
                # a long equation breaks before an "=", the rest on indented lines, rather than
                # scrolling sideways and hiding its result
                for k, part in enumerate(
                    break_before_equals(item, EQUATION_COLUMNS, digits, 0, 7, stacked=True)
                ):
                    note = f'<span class="note">({escape(part.note)})</span>' if part.note else ""
                    kind = "eq cont" if k else "eq"
                    body.append(f'<div class="{kind}">{to_mathml(part, digits)}{note}</div>')
        elif isinstance(block, Table):
            rows = ["<table>"]
            if block.caption:
                rows.append(f"<caption>{_prose(block.caption)}</caption>")
            rows.append(
                "<thead><tr>" + "".join(f"<th>{_prose(c)}</th>" for c in block.columns) + "</tr></thead>"
            )
            rows.append("<tbody>")
            cell_digits = min(digits, block.digits or digits)
            for row in block.rows:
                rows.append("<tr>" + "".join(f"<td>{_cell(v, cell_digits)}</td>" for v in row) + "</tr>")
            rows.append("</tbody></table>")
            body.append("\n".join(rows))
    return title, body


def render_html(trace: Trace, notation: str = "nielsen", *, digits: int | None = None) -> str:
    """The walk-through of ``trace`` as a complete HTML document (a str)."""
    title, body = _body(trace, notation, digits)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{_PAGE_COLOURS}{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


FRAGMENT_CLASS = "deltaprop-walkthrough"


def _scoped_style() -> str:
    """The page's style with every rule confined to the fragment's ``div`` (``body`` becomes it)."""
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", _STYLE, flags=re.S))
    scoped = []
    for selectors, declarations in rules:
        names = [
            f".{FRAGMENT_CLASS}" if name.strip() == "body" else f".{FRAGMENT_CLASS} {name.strip()}"
            for name in selectors.split(",")
        ]
        scoped.append(f"{', '.join(names)} {{{declarations}}}")
    return _FRAGMENT_COLOURS.format(cls=FRAGMENT_CLASS).lstrip() + "\n".join(scoped)


def render_html_fragment(trace: Trace, notation: str = "nielsen", *, digits: int | None = None) -> str:
    """The walk-through as one ``<div>`` to embed in a page or a notebook (what ``_repr_html_`` shows).

    The page's style comes along, scoped to the ``div``, so that nothing around it (a
    notebook's own headings and tables) changes. Its colours are not the page's: the text keeps
    the notebook's colour, and the rest reads on a light or a dark theme.
    """
    _, body = _body(trace, notation, digits)
    return (
        f'<div class="{FRAGMENT_CLASS}">\n<style>{_scoped_style()}</style>\n' + "\n".join(body) + "\n</div>\n"
    )
