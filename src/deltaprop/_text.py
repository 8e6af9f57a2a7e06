"""Small helpers for the words of messages."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """``n`` and ``noun``, in the plural unless n is 1: ``count(1, "epoch")`` → ``"1 epoch"``."""
    return f"{n} {noun}{'s' * (n != 1)}"
