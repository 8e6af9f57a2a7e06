"""The walk-through as Markdown, with LaTeX math (``$$…$$`` blocks, ``$…$`` in tables).

GitHub, GitLab, Jupyter and most static-site generators render these delimiters.
"""

from __future__ import annotations

from .document import Equations, Heading, Note, Paragraph, Table, build, digits_for
from .math import eq, to_latex, to_latex_lines, typeset
from .trace import Trace


def _escape(text: str) -> str:
    """Escape the characters Markdown would read as markup in prose."""
    for char in "\\`*_[]|<>":
        text = text.replace(char, "\\" + char)
    return text


def _cell(value, digits: int) -> str:
    if isinstance(value, tuple):
        return "$" + to_latex(eq(*value) if len(value) > 1 else eq(value[0]), digits) + "$"
    if isinstance(value, float):
        return typeset(value, digits)
    return _escape(str(value))


EQUATION_COLUMNS = 100  # a long equation breaks before an "=" (aligned), not off the side of the page


def render_markdown(trace: Trace, notation: str = "nielsen", *, digits: int | None = None) -> str:
    """The walk-through of ``trace`` as a Markdown document."""
    lines: list[str] = []
    digits = digits_for(trace, digits)  # 9 decimals, 6 for a float32 network
    for block in build(trace, notation, digits):
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + _escape(block.text), ""]
        elif isinstance(block, Paragraph):
            lines += [_escape(block.text), ""]
        elif isinstance(block, Note):
            lines += ["> **Note.** " + _escape(block.text), ""]
        elif isinstance(block, Equations):
            for item in block.items:
                lines += ["$$", to_latex_lines(item, EQUATION_COLUMNS, digits), "$$", ""]
        elif isinstance(block, Table):
            lines.append("| " + " | ".join(_escape(c) for c in block.columns) + " |")
            lines.append("|" + "|".join([":---"] + ["---:"] * (len(block.columns) - 1)) + "|")
            cell_digits = min(digits, block.digits or digits)
            for row in block.rows:
                lines.append("| " + " | ".join(_cell(v, cell_digits) for v in row) + " |")
            lines.append("")
            if block.caption:
                lines += ["*" + _escape(block.caption) + "*", ""]
    return "\n".join(lines).rstrip() + "\n"
