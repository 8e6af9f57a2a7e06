"""The walk-through as ``rich`` terminal text.

:func:`renderable` gives a ``rich`` renderable for ``Console.print``; :func:`render_text`
returns the same as a string (plain, or with ANSI colours when ``color=True``).

An equation wider than the console breaks before one of its "=" signs, the next line
starting with an indented "=", as a textbook sets a long derivation; it is never cut between
a number and the operator before it. Only a single side wider than the whole line is
wrapped where its spaces fall.
"""

from __future__ import annotations

import io
from dataclasses import replace

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from .document import Equations, Heading, Note, Paragraph, Table, build, digits_for
from .math import Eq, break_before_equals, eq, to_text, typeset
from .trace import Trace

DEFAULT_WIDTH = 110  # columns when rendering to a string
EQUATION_INDENT = "  "
CONTINUATION_INDENT = "      "  # a broken equation's next line: "      = 0.138498562"


class _Equation:
    """One equation for ``rich``, broken before an "=" where it is wider than the console."""

    def __init__(self, item: Eq, digits: int):
        self.item, self.digits = item, digits

    def lines(self, width: int) -> list[str]:
        """The equation's lines for ``width`` columns (the note, if any, not included)."""
        parts = break_before_equals(
            self.item, width, self.digits, len(EQUATION_INDENT), len(CONTINUATION_INDENT)
        )
        first, *rest = (to_text(replace(part, note=""), self.digits) for part in parts)
        lines = [EQUATION_INDENT + first, *(CONTINUATION_INDENT + line.lstrip() for line in rest)]
        return [piece for line in lines for piece in _hang(line, width)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.lines(options.max_width)
        for line in lines[:-1]:
            yield Text(line)
        last, note = Text(lines[-1]), f"   ({self.item.note})" if self.item.note else ""
        if note and last.cell_len + len(note) > options.max_width:  # the note on a line of its own
            yield last
            last, note = Text(CONTINUATION_INDENT), note.lstrip()
        if note:
            last.append(note, style="dim")
        yield last


_BREAKS = (" + ", " − ", " × ")  # where a side too long for a line is broken, in order of preference


def _hang(line: str, width: int) -> list[str]:
    """``line`` in pieces of at most ``width`` columns, each after the first indented under the
    expression (the column after the first "= ") and opening with the operator it was broken
    before: never a number cut from its operator, never a line back at column 0.

    Breaks fall before a + or − outside parentheses where one fits, else before a ×, else at
    any space; a piece with no such place is left whole.
    """
    if cell_len(line) <= width:
        return [line]
    equals = line.find(" = ")
    hang = " " * (equals + 3 if 0 <= equals and equals + 3 < width // 2 else len(CONTINUATION_INDENT))
    pieces, rest, lead = [], line, ""
    while cell_len(lead + rest) > width:
        at = _break(rest, width - cell_len(lead), skip=len(hang) if not pieces else 0)
        if at is None:
            break
        pieces.append(lead + rest[:at].rstrip())
        rest, lead = rest[at:].lstrip(), hang
    return [*pieces, lead + rest]


def _break(text: str, width: int, skip: int) -> int | None:
    """The last place before column ``width`` where ``text`` may break (see :func:`_hang`), or None."""
    depth, candidates = 0, {b: None for b in (*_BREAKS, " ")}
    for k, char in enumerate(text):
        if cell_len(text[:k]) > width:
            break
        depth += (char == "(") - (char == ")")
        if k <= skip or char != " ":
            continue
        candidates[" "] = k
        for mark in _BREAKS:
            if depth == 0 and text.startswith(mark, k):
                candidates[mark] = k
    for mark in ((" + ", " − "), (" × ",), (" ",)):
        found = [candidates[m] for m in mark if candidates[m] is not None]
        if found:
            return max(found)
    return None


def _cell(value, digits: int) -> str:
    if isinstance(value, tuple):
        return to_text(eq(*value) if len(value) > 1 else eq(value[0]), digits)
    if isinstance(value, float):
        return typeset(value, digits)
    return str(value)


def renderable(trace: Trace, notation: str = "nielsen", digits: int | None = None) -> Group:
    """The walk-through of ``trace`` as a ``rich`` Group (print it with ``Console.print``)."""
    parts = []
    digits = digits_for(trace, digits)  # 9 decimals, 6 for a float32 network
    for block in build(trace, notation, digits):
        if isinstance(block, Heading):
            if block.level == 1:
                parts.append(Rule(Text(block.text, style="bold"), style="cyan"))
            elif block.level == 2:
                parts.append(Text("\n" + block.text, style="bold cyan"))
            else:
                parts.append(Text(block.text, style="bold"))
        elif isinstance(block, Paragraph):
            parts.append(Text(block.text))
        elif isinstance(block, Note):
            parts.append(Panel(Text(block.text), border_style="yellow", title="note"))
        elif isinstance(block, Equations):
            parts += [_Equation(item, digits) for item in block.items]
        elif isinstance(block, Table):
            table = RichTable(caption=block.caption or None, show_lines=False)
            for k, column in enumerate(block.columns):
                table.add_column(column, justify="left" if k == 0 else "right", overflow="fold")
            cell_digits = min(digits, block.digits or digits)
            for row in block.rows:
                table.add_row(*(_cell(value, cell_digits) for value in row))
            parts.append(table)
    return Group(*parts)


def render_text(
    trace: Trace,
    notation: str = "nielsen",
    *,
    digits: int | None = None,
    width: int = DEFAULT_WIDTH,
    color: bool = False,
) -> str:
    """The walk-through of ``trace`` as terminal text, ``width`` columns wide."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system="standard" if color else None, force_terminal=color
    )
    console.print(renderable(trace, notation, digits))
    return buffer.getvalue()
