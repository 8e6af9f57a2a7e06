"""The blocks a walk-through is laid out in: headings, prose, notes, equations and tables.

:func:`~deltaprop.walkthrough.document.build` produces them (through :mod:`.sections`); the
text, Markdown and HTML renderers each format every kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from .math import Eq


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Note:
    """A paragraph that must stand out (the post variant is not the algorithm)."""

    text: str


@dataclass(frozen=True)
class Equations:
    items: tuple[Eq, ...]


@dataclass(frozen=True)
class Table:
    """A table; each cell is a str, a float (formatted by the renderer) or a tuple of math nodes."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    caption: str = ""
    digits: int | None = None  # fewer decimals than the equations, for wide statistics tables


Block = Heading | Paragraph | Note | Equations | Table
