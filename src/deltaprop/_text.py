"""Small helpers for the words of messages and progress lines: counts, durations."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural unless n is 1: ``count(1, "epoch")`` → ``"1 epoch"``.

    The plural is ``noun + "s"`` unless given: ``count(2, "mini-batch", "mini-batches")``.
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def fmt_seconds(seconds: float) -> str:
    """``0.21s`` for an epoch of a fraction of a second or more; ``3.4ms`` below 0.1 s, where
    two decimals of a second would round a quick epoch of the digits to ``0.00s``."""
    return f"{seconds:.2f}s" if seconds >= 0.1 else f"{1000 * seconds:.1f}ms"
