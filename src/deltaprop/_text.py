"""Small helpers for the words of messages and progress lines: counts, durations, and the
nearest known name to a mistyped one, as git and Python 3.14's argparse offer it (``--lrr`` →
``"; did you mean --lr?"``, ``[training] epoch`` → ``"; did you mean 'epochs'?"``,
``fashion_mnist``, Keras's spelling → ``"; did you mean fashion-mnist?"``; case and ``_``/``-``
are ignored in the comparison: ``MNIST`` is near ``mnist``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural unless n is 1: ``count(1, "epoch")`` → ``"1 epoch"``.

    The plural is ``noun + "s"`` unless given: ``count(2, "mini-batch", "mini-batches")``.
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def fmt_seconds(seconds: float) -> str:
    """``0.21s`` for an epoch of a fraction of a second or more; ``3.4ms`` below 0.1 s, where
    two decimals of a second would round a quick epoch of the digits to ``0.00s``."""
    return f"{seconds:.2f}s" if seconds >= 0.1 else f"{1000 * seconds:.1f}ms"


def _folded(name: str) -> str:
    return name.lower().replace("_", "-")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (difflib's ratio ≥ 0.6), else None."""
    by_folded = {_folded(choice): choice for choice in choices}
    close = difflib.get_close_matches(_folded(word), by_folded, n=1)
    return by_folded[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str], form: str = "{}") -> str:
    """``"; did you mean CHOICE?"`` for the choice nearest ``word``, written through ``form``
    (``"'{}'"`` quotes it, ``"[{}]"`` makes it a table), else ``""``."""
    close = nearest(word, choices)
    return f"; did you mean {form.format(close)}?" if close else ""
