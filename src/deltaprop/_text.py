"""Small helpers for the words of messages."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural unless n is 1: ``count(1, "epoch")`` → ``"1 epoch"``.

    The plural is ``noun + "s"`` unless given: ``count(2, "mini-batch", "mini-batches")``.
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
