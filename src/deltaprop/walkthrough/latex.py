"""The walk-through as a LaTeX document, for a handout or (the body) a Beamer slide.

The same layout as the Markdown (:mod:`.document`'s blocks), its equations the same LaTeX
(:func:`.math.to_latex_lines`) in ``\\[…\\]`` displays: headings as ``\\section*`` …, notes as a
quote, tables as ``tabular``. The prose keeps its Unicode (δ, η, ∂C/∂w, −0.5, w³₁₁′); the
preamble declares each such character for pdflatex (``\\DeclareUnicodeCharacter``), so the
document needs only the LaTeX base packages (amsmath, geometry). ``document=False`` gives the
body alone, to ``\\input`` into a document whose preamble has :data:`PREAMBLE`'s declarations.
"""

from __future__ import annotations

from .document import Equations, Heading, Note, Paragraph, Table, build, digits_for
from .math import eq, to_latex, to_latex_lines, typeset
from .prose import scripted
from .trace import Trace

EQUATION_COLUMNS = 80  # about what a line of the page's 16 cm holds in 10 pt math: longer ones are broken
NARROW_TABLE = 6  # columns that fit the page in \small; a wider table is set smaller and closer
_SECTIONS = {1: "section", 2: "subsection", 3: "subsubsection"}
_SCRIPTS = {"sup": "textsuperscript", "sub": "textsubscript"}
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "|": r"\textbar{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "-": "-{}",  # not an en dash: --variant post
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-"))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-"))
# Every character beyond ASCII the walk-through writes, as LaTeX that works in text and in math.
UNICODE = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "η": r"\eta",
    "σ": r"\sigma",
    "λ": r"\lambda",
    "μ": r"\mu",
    "Δ": r"\Delta",
    "Σ": r"\Sigma",
    "∂": r"\partial",
    "∇": r"\nabla",
    "⊙": r"\odot",
    "−": "-",
    "×": r"\times",
    "·": r"\cdot",
    "→": r"\to",
    "≈": r"\approx",
    "≤": r"\le",
    "≥": r"\ge",
    "≠": r"\ne",
    "∈": r"\in",
    "∞": r"\infty",
    "…": r"\dots",
    "′": "'",
    "½": r"\tfrac{1}{2}",
    "‖": r"\|",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "ᵀ": r"^{\mathsf{T}}",
    **{char: "^{" + plain + "}" for char, plain in _SUPERSCRIPTS.items()},
    **{char: "_{" + plain + "}" for char, plain in _SUBSCRIPTS.items()},
}
PREAMBLE = "\n".join(
    [
        r"\documentclass[a4paper,10pt]{article}",
        r"\usepackage[T1]{fontenc}",  # <, >, | in text as themselves
        r"\usepackage{amsmath}",
        r"\usepackage[margin=2.5cm]{geometry}",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.5em}",
        *(
            rf"\DeclareUnicodeCharacter{{{ord(c):04X}}}{{\ensuremath{{{latex}}}}}"
            for c, latex in UNICODE.items()
        ),
    ]
)


def _escape(text: str) -> str:
    """``text`` for LaTeX's text mode: its special characters as commands (Unicode is declared)."""
    return "".join(_SPECIAL.get(char, char) for char in text)


def _prose(text: str) -> str:
    """``text`` as LaTeX, its symbols' scripts set as such: z\\textsuperscript{l}\\textsubscript{j}."""
    return scripted(text, _escape, lambda kind, inner: rf"\{_SCRIPTS[kind]}{{{inner}}}")


def _cell(value, digits: int) -> str:
    if isinstance(value, tuple):
        return "$" + to_latex(eq(*value) if len(value) > 1 else eq(value[0]), digits) + "$"
    if isinstance(value, float):
        return _escape(typeset(value, digits))
    return _prose(str(value))


def _table(block: Table, digits: int) -> list[str]:
    cell_digits = min(digits, block.digits or digits)
    size = r"\small" if len(block.columns) <= NARROW_TABLE else r"\footnotesize\setlength{\tabcolsep}{3pt}"
    rows = [
        r"\begin{center}" + size,
        r"\begin{tabular}{l" + "r" * (len(block.columns) - 1) + "}",
        r"\hline",
        " & ".join(_prose(c) for c in block.columns) + r" \\",
        r"\hline",
        *(" & ".join(_cell(v, cell_digits) for v in row) + r" \\" for row in block.rows),
        r"\hline",
        r"\end{tabular}",
    ]
    if block.caption:
        rows.append(r"\\[0.3em]\textit{" + _prose(block.caption) + "}")
    return [*rows, r"\end{center}", ""]


def render_latex(
    trace: Trace, notation: str = "nielsen", *, digits: int | None = None, document: bool = True
) -> str:
    """The walk-through of ``trace`` as a LaTeX document (``document=False``: its body alone)."""
    lines: list[str] = []
    digits = digits_for(trace, digits)  # 9 decimals, 6 for a float32 network
    for block in build(trace, notation, digits):
        if isinstance(block, Heading):
            lines += [rf"\{_SECTIONS[block.level]}*{{{_prose(block.text)}}}", ""]
        elif isinstance(block, Paragraph):
            lines += [_prose(block.text), ""]
        elif isinstance(block, Note):
            lines += [r"\begin{quote}\textbf{Note.} " + _prose(block.text) + r"\end{quote}", ""]
        elif isinstance(block, Equations):
            for item in block.items:
                lines += [r"\[", to_latex_lines(item, EQUATION_COLUMNS, digits, split_sums=True), r"\]"]
            lines.append("")
        elif isinstance(block, Table):
            lines += _table(block, digits)
    body = "\n".join(lines).rstrip() + "\n"
    if not document:
        return body
    return PREAMBLE + "\n\\begin{document}\n\n" + body + "\n\\end{document}\n"
