"""The walk-through's equations (:mod:`.math`) as MathML, which browsers render natively, offline."""

from __future__ import annotations

from html import escape

from .math import DEFAULT_DIGITS, MINUS, SPACED, Eq, Frac, Num, Op, Paren, Sym, Word, fmt

_MATHML_SPACE = '<mspace width="0.25em"></mspace>'  # a word's space: a token's own is trimmed


def _mi(text: str) -> str:
    variant = ' mathvariant="normal"' if len(text) > 1 else ""
    return f"<mi{variant}>{escape(text)}</mi>"


def _mathml_script(text: str) -> str:
    """A sub- or superscript: digits as <mn>, a trailing + (a value after the step) as <mo>."""
    if not text:
        return ""
    mark = ""
    if text.endswith("+"):
        text, mark = text[:-1], "<mo>+</mo>"
    if not text:
        return mark
    body = f"<mn>{escape(text)}</mn>" if text.replace(",", "").isdigit() else _mi(text)
    return f"<mrow>{body}{mark}</mrow>" if mark else body


def _mathml_node(node, digits: int, after_op: bool) -> str:
    if isinstance(node, Sym):
        base = _mi(node.base)
        sub = _mathml_script(node.sub)
        if isinstance(node.sup, tuple):
            sup = f"<mrow>{_mathml_seq(node.sup, digits)}</mrow>"
        else:
            sup = _mathml_script(node.sup)
        if node.sub and node.sup:
            symbol = f"<msubsup>{base}{sub}{sup}</msubsup>"
        elif node.sub:
            symbol = f"<msub>{base}{sub}</msub>"
        elif node.sup:
            symbol = f"<msup>{base}{sup}</msup>"
        else:
            symbol = base
        return f"<msup>{symbol}<mo>{escape(node.mark)}</mo></msup>" if node.mark else symbol
    if isinstance(node, Num):
        text = fmt(node.value, digits, node.sig, node.most)
        if not text.startswith("-"):
            return f"<mn>{text}</mn>"
        number = f"<mrow><mo>{MINUS}</mo><mn>{text[1:]}</mn></mrow>"  # a prefix minus, as −η
        return f"<mrow><mo>(</mo>{number}<mo>)</mo></mrow>" if after_op else number
    if isinstance(node, Op):
        return f"<mo>{escape(node.text)}</mo>"
    if isinstance(node, Word):
        # MathML trims the white space at the ends of a token ("y ln a" would read "y lna"):
        # the spaces of " ln " become <mspace> around the word.
        core = node.text.strip()
        lead = _MATHML_SPACE if node.text[:1].isspace() else ""
        trail = _MATHML_SPACE if node.text[-1:].isspace() and core else ""
        return f"{lead}<mtext>{escape(core)}</mtext>{trail}" if core else lead
    if isinstance(node, Frac):
        num, den = _mathml_seq(node.num, digits), _mathml_seq(node.den, digits)
        return f"<mfrac><mrow>{num}</mrow><mrow>{den}</mrow></mfrac>"
    if isinstance(node, Paren):
        inner = f"<mrow><mo>(</mo>{_mathml_seq(node.items, digits)}<mo>)</mo></mrow>"
        return f"<msup>{inner}{_mathml_script(node.sup)}</msup>" if node.sup else inner
    raise TypeError(f"not a math node: {node!r}")


def _mathml_seq(nodes, digits: int) -> str:
    out, after_op = [], False
    for node in nodes:
        out.append(_mathml_node(node, digits, after_op))
        after_op = isinstance(node, Op) and node.text in SPACED
    return "".join(out)


def to_mathml(equation: Eq, digits: int = DEFAULT_DIGITS, display: bool = True) -> str:
    """The equation as a ``<math>`` element (browsers render MathML natively, offline)."""
    sides = "<mo>=</mo>".join(_mathml_seq(side, digits) for side in equation.sides)
    mode = ' display="block"' if display else ""
    # No xmlns: inside HTML the parser puts <math> in the MathML namespace by itself.
    return f"<math{mode}><mrow>{sides}</mrow></math>"
