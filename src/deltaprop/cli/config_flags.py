"""The text of a flag that holds more than one value: layer sizes and a learning-rate schedule.

``--layers 784,30,10`` and ``--hidden 30,30`` are comma-separated sizes
(:func:`parse_int_list`, :func:`parse_hidden`); a typo that would drop a layer (``64,,10``)
or a size < 1 is a usage error naming the flag, and no sizes at all is never taken for "no
hidden layer", which is asked for with every size. A schedule (``step:0.5:10``,
``exponential:0.95``, ``cosine[:MIN_LR]``, ``none``) is split into its kind and its numbers
by :func:`parse_schedule`, which checks both; its caller names where the schedule was written.
A CSV's columns to leave out (``--drop-columns id,0``) and its separator (``--delimiter tab``)
are read by :func:`parse_columns` and :func:`parse_delimiter`.
"""

from __future__ import annotations

import argparse
import math

from .errors import UsageError

SCHEDULE_HINT = (
    "use none, step:FACTOR:EVERY (e.g. step:0.5:10), exponential:RATE (e.g. exponential:0.95) "
    "or cosine[:MIN_LR]"
)
# What --hidden "" or --hidden 0 may have meant, and how to ask for it.
NO_HIDDEN_LAYER = "for no hidden layer, give every size with --layers N_IN,N_OUT (e.g. --layers 64,10)"


def parse_int_list(text: str, flag: str, no_sizes: str = "") -> list[int]:
    """``"784,30,10"`` as ``[784, 30, 10]``; anything else is a usage error naming the flag.

    ``no_sizes``: what to add to the error when ``text`` holds no positive size at all
    (``""``, ``" "``, ``"0"``), where the user may have meant something else by it.
    """
    parts = text.replace(" ", "").split(",")
    if "" in parts and any(parts):  # "64,,10" is a typo, not [64, 10]: a layer would go missing
        raise UsageError(
            f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}, "
            f"which has an empty size (two commas in a row, or one at an end)"
        )
    try:
        sizes = [int(part) for part in parts if part]
    except ValueError:
        raise UsageError(
            f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        extra = f"; {no_sizes}" if no_sizes and max(sizes, default=0) < 1 else ""
        raise UsageError(
            f"{flag} must be comma-separated positive integers such as 30,30; got {text!r}{extra}"
        )
    return sizes


def parse_hidden(text: str) -> list[int]:
    """``--hidden 30,30`` as ``[30, 30]``. No sizes (``""``, ``0``) is a usage error, never the
    default hidden layer: a network without one is asked for with every size, ``--layers
    N_IN,N_OUT``, as a config file asks for it with ``layers = [N_IN, N_OUT]``."""
    return parse_int_list(text, "--hidden", NO_HIDDEN_LAYER)


def parse_columns(text: str) -> list[int | str]:
    """``--drop-columns id,name,0`` as ``["id", "name", 0]``: a whole number is a column's
    index (negative from the end), anything else its name in the header; ``''`` (nothing) is
    no column, to clear a run's or a config file's. For argparse's ``type=``: an empty column
    among others (``id,,0``) is an ArgumentTypeError."""
    if not text.strip():
        return []
    parts = [part.strip() for part in text.split(",")]
    if "" in parts:
        raise argparse.ArgumentTypeError(
            f"expected column names or indices separated by commas, such as id,name or 0; got {text!r}"
        )
    columns: list[int | str] = []
    for part in parts:
        try:
            columns.append(int(part))
        except ValueError:
            columns.append(part)
    return columns


#: How ``--delimiter`` may spell a tab, which a shell does not pass as one from ``'\t'``.
TAB_SPELLINGS = ("tab", "\\t", "\t")


def parse_delimiter(text: str) -> str:
    """``--delimiter ';'`` as ``";"``; ``tab`` or ``\\t`` (as typed in a shell) as a tab. For
    argparse's ``type=``; the character itself is checked with the rest of ``[data]``."""
    return "\t" if text.lower() in TAB_SPELLINGS else text


def parse_schedule(text: str) -> tuple[str, list[float]]:
    """``step:0.5:10`` -> ("step", [0.5, 10.0]); checks the kind and the number of arguments.

    Raises ``ValueError`` saying what is wrong (not repeating ``text``); the caller names
    where the schedule came from.
    """
    kind, *parts = text.strip().lower().split(":")
    arity = {"none": (0, 0), "step": (2, 2), "exponential": (1, 1), "cosine": (0, 1)}
    if kind not in arity:
        raise ValueError(f"unknown schedule; {SCHEDULE_HINT}")
    low, high = arity[kind]
    try:
        args = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"a non-numeric schedule argument; {SCHEDULE_HINT}") from None
    if not low <= len(args) <= high or not all(math.isfinite(a) for a in args):
        raise ValueError(f"the wrong schedule arguments; {SCHEDULE_HINT}")
    if kind == "step" and (not 0 < args[0] or args[1] < 1 or args[1] != int(args[1])):
        raise ValueError("FACTOR must be > 0 and EVERY a whole number of epochs ≥ 1")
    if kind == "exponential" and not 0 < args[0]:
        raise ValueError("RATE must be > 0")
    return kind, args
