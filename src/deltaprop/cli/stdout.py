"""A run's stdout that outlives its reader: ``deltaprop train | head -1`` closes the pipe
after one line, and the run must go on training and saving all the same.

:func:`outliving_stdout_reader` puts :class:`StdoutOutlivingItsReader` in place of
``sys.stdout`` for the length of a run (``train`` and ``resume``, through
:func:`deltaprop.cli.train.execute`).
"""

from __future__ import annotations

import contextlib
import os
import sys


def to_devnull(stream) -> None:
    """Point ``stream``'s file descriptor at /dev/null: what its buffer still holds goes there
    at the next flush, and so does the rest, so Python's own flush at exit finds nothing to
    complain about either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())
    os.close(devnull)


class StdoutOutlivingItsReader:
    """``sys.stdout`` for a run: when a write finds the pipe closed (``BrokenPipeError``),
    the stream's file descriptor is pointed at /dev/null, ``note`` goes to stderr once (or,
    where stderr shared the closed pipe, stderr follows stdout to /dev/null), and the write
    counts as done, so the output's loss never stops the training. Everything
    else is the wrapped stream's."""

    def __init__(self, stream, note: str):
        self.stream = stream
        self.note = note
        self.reader_gone = False

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            self._to_devnull()
            return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._to_devnull()

    def __getattr__(self, name: str):
        return getattr(self.stream, name)

    def _to_devnull(self) -> None:
        to_devnull(self.stream)
        if not self.reader_gone:
            self.reader_gone = True
            try:
                print(self.note, file=sys.stderr, flush=True)
            except BrokenPipeError:
                # stderr went to the same pipe (``deltaprop train 2>&1 | head -1``): its
                # reader is gone too, so it follows stdout to /dev/null, and the run goes on.
                to_devnull(sys.stderr)


@contextlib.contextmanager
def outliving_stdout_reader(note: str):
    """``sys.stdout`` as :class:`StdoutOutlivingItsReader` inside the block (rich's console
    writes to whatever ``sys.stdout`` is at each print)."""
    stream = sys.stdout
    sys.stdout = StdoutOutlivingItsReader(stream, note)
    try:
        yield
    finally:
        sys.stdout = stream
