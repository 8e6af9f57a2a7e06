"""A plain-text download progress bar: what ``progress=True`` gives the data set loaders.

The loaders print nothing unless asked. ``load_mnist(progress=True)`` (or any loader's
``progress=True``) draws this bar on stderr while files download; nothing is drawn when every
file is already there. ``progress`` may also be a callable ``progress(bytes_done,
bytes_total)`` of one's own (the CLI's ``rich`` bar is one), or ``None``/``False``: silent.

On a terminal the bar is one line redrawn in place::

    mnist  [############                  ]  41%  4.7/11.6 MB

Written to a file or a pipe, it writes a line at each tenth of the way instead, so a log
holds eleven lines (0 %, 10 %, ..., 100 %), not thousands.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .download import Progress

BAR_WIDTH = 30  # characters between the brackets
STEPS_OFF_TERMINAL = 10  # lines written over a whole download to a file or a pipe
_MB = 1e6


class TextProgress:
    """``progress(bytes_done, bytes_total)`` drawing a text bar for ``label`` on ``stream``.

    Parameters
    ----------
    label : what is downloading (a data set's name).
    stream : where to draw; default ``sys.stderr`` as it is when the bar is drawn.
    """

    def __init__(self, label: str, stream: TextIO | None = None):
        self.label = label
        self.stream = stream
        self._step = -1  # the last tenth written off a terminal
        self._finished = False
        self._drawn = False  # a bar drawn in place ends the current line (on a terminal)

    def message(self, text: str) -> None:
        """One line of words (what is downloaded from where, a mirror given up) on the stream,
        below a bar drawn in place so far."""
        stream = sys.stderr if self.stream is None else self.stream
        stream.write(("\n" if self._drawn else "") + text + "\n")
        self._drawn = False
        stream.flush()

    def __call__(self, bytes_done: int, bytes_total: int | None) -> None:
        stream = sys.stderr if self.stream is None else self.stream
        fraction = None if not bytes_total else min(bytes_done / bytes_total, 1.0)
        finished = fraction == 1.0
        if fraction is None:
            text = f"{self.label}  {bytes_done / _MB:.1f} MB"
        else:
            filled = round(BAR_WIDTH * fraction)
            text = (
                f"{self.label}  [{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {100 * fraction:3.0f}%  "
                f"{bytes_done / _MB:.1f}/{bytes_total / _MB:.1f} MB"
            )
        if _is_terminal(stream):
            stream.write("\r" + text + ("\n" if finished and not self._finished else ""))
            self._drawn = not finished
        else:
            step = STEPS_OFF_TERMINAL if fraction is None else int(fraction * STEPS_OFF_TERMINAL)
            if step == self._step:
                return  # one line a tenth (one line in all when the total is unknown)
            stream.write(text + "\n")
            self._step = step
        self._finished = self._finished or finished
        stream.flush()


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def check_progress(progress, label: str) -> Progress | None:
    """The ``progress`` argument of a loader as a callable (or ``None`` for silence).

    ``True`` gives a :class:`TextProgress` for ``label`` on stderr; ``None`` and ``False``
    give ``None``; a callable is used as it is. Anything else is a ``TypeError``.
    """
    if progress is None or progress is False:
        return None
    if progress is True:
        return TextProgress(label)
    if not callable(progress):
        raise TypeError(
            f"progress must be True (a text bar on stderr), None or False (silent), or a callable "
            f"progress(bytes_done, bytes_total); got {progress!r} of type {type(progress).__name__}"
        )
    return progress
