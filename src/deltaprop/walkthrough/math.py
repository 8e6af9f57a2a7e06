"""A tiny math language for the walk-through, written once and emitted three ways.

An equation is a chain of sides joined by "=": ``Eq((Sym("δ", "o1"),), (Num(0.74), Op("×"),
Num(0.19)), (Num(0.1385),))``. Each side is a tuple of nodes: symbols with sub- and
superscripts, numbers, operators, fractions and parentheses. :func:`to_text` gives Unicode
for the terminal, :func:`to_latex` LaTeX for Markdown, and :func:`.mathml.to_mathml` MathML
(which browsers render natively, with nothing fetched) for HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_DIGITS = 9  # decimals shown, as in Mazur's post (0.593269992)
_SCIENTIFIC_BELOW = 1e-4  # smaller magnitudes are written as 1.234568e-07


@dataclass(frozen=True)
class Sym:
    """A symbol: ``base`` with an optional subscript and superscript.

    ``tight`` symbols are written without a visible subscript in plain text (Mazur's
    ``w5``, ``i1``); others as ``out_o1`` or, for digit indices, ``a²₁``. ``sup`` may also be
    a tuple of nodes, for an exponent such as e^(−net). ``mark`` follows the whole symbol, its
    scripts included: Nielsen's ′ of a value after the step, w³₁₁′ (w^3_11 then ′, not a layer "3′").
    """

    base: str
    sub: str = ""
    sup: str | tuple = ""
    tight: bool = False
    mark: str = ""


@dataclass(frozen=True)
class Num:
    """A number, formatted by the emitter (negative numbers after an operator get parentheses).

    Its sign is the minus sign of the symbols, U+2212, in text and MathML (−0.5, as in −η), and
    LaTeX's ``-``, which it sets as that minus; :func:`fmt` itself writes ASCII, for programs.

    ``sig`` asks for at least that many significant digits, more than the walk-through's
    decimals give a small number, and ``most`` (where not 0) for at most that many: what
    :mod:`.calculator` sets where a line needs them to check.
    """

    value: float
    sig: int = 0
    most: int = 0


@dataclass(frozen=True)
class Op:
    """An operator or punctuation: ``+``, ``−``, ``×``, ``·``, ``∂``, ``Σ``, ``(``…"""

    text: str


@dataclass(frozen=True)
class Word:
    """Upright text inside math, such as ``if`` or a function name."""

    text: str


@dataclass(frozen=True)
class Frac:
    num: tuple
    den: tuple


@dataclass(frozen=True)
class Paren:
    """``(items)``, with an optional superscript on the closing parenthesis: ``(y − a)²``."""

    items: tuple
    sup: str = ""


@dataclass(frozen=True)
class Eq:
    """Sides joined by "="; ``note`` is a short comment shown after the equation."""

    sides: tuple
    note: str = ""


def eq(*sides, note: str = "") -> Eq:
    """``Eq`` from sides given as nodes or tuples of nodes."""
    return Eq(tuple(s if isinstance(s, tuple) else (s,) for s in sides), note)


def last_place(
    value: float, digits: int = DEFAULT_DIGITS, significant: int = 0, most: int = 0
) -> tuple[bool, int]:
    """How :func:`fmt` writes ``value`` (finite, not 0): (in e-notation?, the power of ten of its last
    digit)."""
    magnitude = math.floor(math.log10(abs(value)))
    if abs(value) < _SCIENTIFIC_BELOW or abs(value) >= 1e9:
        mantissa = max(digits - 3, significant - 1, 1)
        if most:
            mantissa = min(mantissa, max(most - 1, 0))
        return True, magnitude - mantissa
    place = -max(digits, significant - 1 - magnitude)
    return False, max(place, magnitude - most + 1) if most else place


def fmt(value: float, digits: int = DEFAULT_DIGITS, significant: int = 0, most: int = 0) -> str:
    """``value`` to ``digits`` decimals without trailing zeros; tiny or huge ones in e-notation.

    ``significant`` asks for at least that many significant digits: a small value then gets
    more decimals (0.00942412205 rather than 0.009424122 at 9 decimals and 9 significant);
    ``most``, if not 0, for at most that many (8.3693e-12 rather than 8.369305e-12 at 5).
    """
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == 0.0:
        return "0"
    scientific, place = last_place(value, digits, significant, most)
    if scientific:
        magnitude = math.floor(math.log10(abs(value)))
        return f"{value:.{magnitude - place}e}"
    if place < 0:
        text = f"{value:.{-place}f}".rstrip("0").rstrip(".")
    else:  # fewer significant digits than the integer part has: 1234.5678 at 2 is 1200
        text = f"{round(value, -place):.0f}"
    return "0" if text == "-0" else text


MINUS = "−"  # U+2212, the minus of the equations' symbols and numbers alike


def signed(text: str) -> str:
    """A number as :func:`fmt` writes it, with the equations' minus: -0.5 → −0.5 (1e-07 keeps its e-)."""
    return MINUS + text[1:] if text.startswith("-") else text


def typeset(value: float, digits: int = DEFAULT_DIGITS) -> str:
    """``value`` as the walk-through prints it in prose and tables: :func:`fmt`, with the minus U+2212."""
    return signed(fmt(value, digits))


# --- plain text --------------------------------------------------------------------------

_SUB = str.maketrans("0123456789,+−-", "₀₁₂₃₄₅₆₇₈₉,₊₋₋")
_SUP = str.maketrans("0123456789,+−-T", "⁰¹²³⁴⁵⁶⁷⁸⁹'⁺⁻⁻ᵀ")  # T: a transpose, (w³)ᵀ


def _script(text: str, table, mark: str) -> str:
    if not text:
        return ""
    if set(map(ord, text)) <= table.keys():  # every character has a Unicode sub- or superscript
        return text.translate(table)
    return f"{mark}{text}" if len(text) == 1 or mark == "_" else f"{mark}({text})"


def _text_node(node, digits: int, after_op: bool) -> str:
    if isinstance(node, Sym):
        sup = (
            f"^({_text_seq(node.sup, digits)})"
            if isinstance(node.sup, tuple)
            else _script(node.sup, _SUP, "^")
        )
        if node.tight:
            return node.base + node.sub + sup + node.mark
        return node.base + sup + _script(node.sub, _SUB, "_") + node.mark
    if isinstance(node, Num):
        text = signed(fmt(node.value, digits, node.sig, node.most))
        return f"({text})" if after_op and text.startswith(MINUS) else text
    if isinstance(node, (Op, Word)):
        return node.text
    if isinstance(node, Frac):
        num, den = (_text_seq(part, digits) for part in (node.num, node.den))
        return f"{_wrap(node.num, num)}/{_wrap(node.den, den)}"
    if isinstance(node, Paren):
        return f"({_text_seq(node.items, digits)})" + _script(node.sup, _SUP, "^")
    raise TypeError(f"not a math node: {node!r}")


def _wrap(nodes, text: str) -> str:
    """Parentheses around a numerator or denominator of several parts: 1/(1 + e^(−z)), (a − y)/(a(1 − a)).

    A lone symbol or a differential such as ∂C stays bare: ∂C/∂a.
    """
    differential = len(nodes) == 2 and isinstance(nodes[0], Op) and nodes[0].text == "∂"
    return f"({text})" if len(nodes) > 1 and not differential else text


SPACED = {"=", "+", "−", "×", "·", "-", "→", "≈", "⊙"}
_ATOMS = (Sym, Num, Frac)


def _text_seq(nodes, digits: int) -> str:
    out, after_op, previous = [], False, None
    for k, node in enumerate(nodes):
        if isinstance(node, Op) and node.text in SPACED:
            # binary operators are spaced; a leading one (−η ∂C/∂w) is unary and is not
            out.append(node.text if k == 0 else f" {node.text} ")
            after_op, previous = True, node
            continue
        if isinstance(node, _ATOMS) and isinstance(previous, _ATOMS):
            out.append(" ")  # a product of two symbols: w5 δ_o1
        text = _text_node(node, digits, after_op)
        if isinstance(node, Frac) and k + 1 < len(nodes) and isinstance(nodes[k + 1], Paren):
            text = f"({text})"  # (1/4)(0.07 + …), not 1/4(0.07 + …), which reads as 1/(4(…))
        out.append(text)
        after_op, previous = False, node
    return "".join(out)


def to_text(equation: Eq, digits: int = DEFAULT_DIGITS) -> str:
    """The equation in Unicode: ``δ_o1 = 0.74136507 × 0.186815602 = 0.138498562``."""
    return " = ".join(_text_seq(side, digits) for side in equation.sides)


def _stacked_width(nodes, digits: int) -> int:
    """A side's width in characters where fractions are stacked (HTML, LaTeX): num over den."""
    total = 0
    for k, node in enumerate(nodes):
        if isinstance(node, Frac):
            total += max(_stacked_width(node.num, digits), _stacked_width(node.den, digits))
        elif isinstance(node, Paren):
            total += 2 + _stacked_width(node.items, digits) + len(node.sup)
        else:
            total += len(_text_seq((node,), digits)) + (2 if isinstance(node, Op) and k else 0)
    return total


def break_before_equals(
    equation: Eq,
    width: int,
    digits: int = DEFAULT_DIGITS,
    indent: int = 0,
    continuation: int = 0,
    stacked: bool = False,
) -> list[Eq]:
    """``equation`` as lines of at most ``width`` text columns where it can be: broken before an "=".

    The first line keeps the left side and the one after it; each further line is an Eq
    whose first side is empty, so that it reads "= …" in every format. ``indent`` columns
    come before the first line, ``continuation`` before the others. A single side wider than
    ``width`` still gets a line to itself; the note goes with the last line. ``stacked``
    measures a fraction as its wider part, as HTML and LaTeX draw it, not as a/b in one line.
    """
    sides = equation.sides
    if stacked:
        widths = [_stacked_width(side, digits) for side in sides]
    else:
        widths = [len(to_text(Eq((side,)), digits)) for side in sides]
    lines: list[list] = [list(sides[:2])]
    used = indent + sum(widths[:2]) + 3
    for side, side_width in zip(sides[2:], widths[2:]):
        if used + 3 + side_width <= width:
            lines[-1].append(side)
            used += 3 + side_width
        else:
            lines.append([(), side])
            used = continuation + 2 + side_width
    return [Eq(tuple(line), equation.note if k == len(lines) - 1 else "") for k, line in enumerate(lines)]


# --- LaTeX -------------------------------------------------------------------------------

_LATEX = {
    "δ": r"\delta",
    "σ": r"\sigma",
    "σ′": r"\sigma'",
    "η": r"\eta",
    "∂": r"\partial ",
    "Σ": r"\sum ",
    "×": r"\times",
    "⊙": r"\odot",
    "∇": r"\nabla",
    "·": r"\cdot",
    "−": "-",
    "→": r"\to",
    "≈": r"\approx",
    "Δ": r"\Delta ",
    "½": r"\tfrac{1}{2}",
    "⟨": r"\langle ",
    "⟩": r"\rangle ",
}


def _latex_word(text: str) -> str:
    if text in _LATEX:
        return _LATEX[text]
    if len(text) == 1:
        return text
    return r"\mathrm{" + text.replace("_", r"\_") + "}"


def _latex_text(text: str) -> str:
    return r"\text{" + text.replace("_", r"\_") + "}"  # a bare _ is an error in \text


def _latex_node(node, digits: int, after_op: bool) -> str:
    if isinstance(node, Sym):
        out = _latex_word(node.base)
        if node.sub:
            out += (
                "_{" + (node.sub if len(node.sub) == 1 or node.sub.isdigit() else _latex_word(node.sub)) + "}"
            )
        if isinstance(node.sup, tuple):
            out += "^{" + _latex_seq(node.sup, digits) + "}"
        elif node.sup:
            out += "^{" + node.sup.replace("−", "-") + "}"  # a layer index l−1: LaTeX's minus
        if node.mark:  # after the scripts, on the whole symbol: {w^{3}_{11}}'
            out = "{" + out + "}" + ("'" if node.mark == "′" else "^{" + node.mark + "}")
        return out
    if isinstance(node, Num):
        text = fmt(node.value, digits, node.sig, node.most)
        return f"({text})" if after_op and text.startswith("-") else text
    if isinstance(node, Op):
        return _LATEX.get(node.text, node.text)
    if isinstance(node, Word):
        if node.text in _LATEX or len(node.text) == 1:
            return _LATEX.get(node.text, node.text)
        return _latex_text(node.text)
    if isinstance(node, Frac):
        return r"\frac{" + _latex_seq(node.num, digits) + "}{" + _latex_seq(node.den, digits) + "}"
    if isinstance(node, Paren):
        sup = "^{" + node.sup + "}" if node.sup else ""
        return r"\left(" + _latex_seq(node.items, digits) + r"\right)" + sup
    raise TypeError(f"not a math node: {node!r}")


def _latex_seq(nodes, digits: int) -> str:
    out, after_op = [], False
    for node in nodes:
        is_op = isinstance(node, Op) and node.text in SPACED
        out.append(_latex_node(node, digits, after_op))
        after_op = is_op
    return " ".join(out)


def to_latex(equation: Eq, digits: int = DEFAULT_DIGITS) -> str:
    """The equation as LaTeX math (without the surrounding ``$``)."""
    return " = ".join(_latex_seq(side, digits) for side in equation.sides)


def _split_sum(side: tuple, columns: int, digits: int) -> list[tuple]:
    """``side`` in pieces of at most ``columns`` (stacked) where it can be, broken before its + and −
    signs, each piece after the first opening with its sign; a single term stays whole."""
    terms: list[tuple] = [()]
    for k, node in enumerate(side):
        if k and isinstance(node, Op) and node.text in ("+", "−"):
            terms.append(())
        terms[-1] += (node,)
    pieces = [terms[0]]
    for term in terms[1:]:
        if _stacked_width(pieces[-1] + term, digits) > columns:
            pieces.append(term)
        else:
            pieces[-1] += term
    return pieces


def to_latex_lines(equation: Eq, columns: int, digits: int = DEFAULT_DIGITS, split_sums: bool = False) -> str:
    """The equation as LaTeX math, its note after it (``\\quad \\text{(BP1)}``); one wider than
    ``columns`` (fractions stacked) as ``aligned`` lines broken before an "=", each after the
    first starting "&= …". For a display: Markdown's ``$$…$$``, LaTeX's ``\\[…\\]``.

    ``split_sums`` (for a page, which cannot scroll sideways) also breaks a sum wider than
    ``columns`` before its + and − signs, the rest on lines "&\\quad + …", and sets the note as
    the display's ``\\tag*``, at the margin, or below where the line leaves it no room."""
    lines = []
    for part in break_before_equals(equation, columns, digits, 0, 4, stacked=True):
        *head, last = part.sides
        pieces = _split_sum(last, columns, digits) if split_sums else [last]
        lines.append(to_latex(Eq((*head, pieces[0])), digits))
        lines += [r"\quad " + _latex_seq(piece, digits) for piece in pieces[1:]]
    tag = ""
    if equation.note and split_sums:  # after the aligned lines: \tag is not allowed inside them
        tag = r" \tag*{(" + equation.note.replace("_", r"\_") + ")}"
    elif equation.note:  # net_h1 = 0.37 > 0: its _ escaped, as a Word's
        lines[-1] += r" \quad " + _latex_text(f"({equation.note})")
    if len(lines) == 1:
        return lines[0] + tag
    first = lines[0].replace(" = ", " &= ", 1)
    rest = [r"&" + line.lstrip() for line in lines[1:]]
    return "\\begin{aligned}\n" + " \\\\\n".join([first, *rest]) + "\n\\end{aligned}" + tag
