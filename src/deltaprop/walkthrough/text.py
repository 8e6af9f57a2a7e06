"""The walk-through as ``rich`` terminal text.

:func:`renderable` gives a ``rich`` renderable for ``Console.print``; :func:`render_text`
returns the same as a string (plain, or with ANSI colours when ``color=True``).
"""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from .document import Equations, Heading, Note, Paragraph, Table, build, digits_for
from .math import eq, fmt, to_text
from .trace import Trace

DEFAULT_WIDTH = 110  # columns when rendering to a string


def _cell(value, digits: int) -> str:
    if isinstance(value, tuple):
        return to_text(eq(*value) if len(value) > 1 else eq(value[0]), digits)
    if isinstance(value, float):
        return fmt(value, digits)
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
            for item in block.items:
                line = Text("  " + to_text(item, digits))
                if item.note:
                    line.append(f"   ({item.note})", style="dim")
                parts.append(line)
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
