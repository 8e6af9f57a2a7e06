"""The walk-through as Markdown, with LaTeX math (``$$…$$`` blocks, ``$…$`` in tables).

GitHub, GitLab, Jupyter and most static-site generators render these delimiters.
"""

from __future__ import annotations

from .document import Equations, Heading, Note, Paragraph, Table, build, digits_for
from .math import break_before_equals, eq, to_latex, typeset
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


def _latex_lines(item, digits: int) -> str:
    """One equation's LaTeX; a long one as ``aligned`` lines, each after the first starting "&= …"."""
    parts = break_before_equals(item, EQUATION_COLUMNS, digits, 0, 4, stacked=True)
    latex = [to_latex(part, digits) for part in parts]
    if item.note:
        latex[-1] += r" \quad \text{(" + item.note + ")}"
    if len(latex) == 1:
        return latex[0]
    first = latex[0].replace(" = ", " &= ", 1)
    rest = [r"&" + line.lstrip() for line in latex[1:]]
    return "\\begin{aligned}\n" + " \\\\\n".join([first, *rest]) + "\n\\end{aligned}"


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
                lines += ["$$", _latex_lines(item, digits), "$$", ""]
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
