"""The nearest known name to a mistyped one, as git and Python 3.14's argparse offer it:
``--lrr`` → ``"; did you mean --lr?"``, ``[training] epoch`` → ``"; did you mean 'epochs'?"``,
``--data fashion_mnist`` (Keras's spelling) → ``"; did you mean fashion-mnist?"``.

Case and ``_``/``-`` are ignored in the comparison: ``MNIST`` is near ``mnist``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


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
