"""stdout whose reader goes away. ``deltaprop train | head -1`` closes the pipe after one
line, and the run must go on training and saving all the same; ``deltaprop predict ... | head -1``
has nothing left to do and stops, as :func:`deltaprop.cli.main` says, on the BrokenPipeError.

:func:`outliving_stdout_reader` puts :class:`StdoutOutlivingItsReader` in place of
``sys.stdout`` for the length of a run (``train`` and ``resume``, through
:func:`deltaprop.cli.train.execute`). :func:`raising_broken_pipe` makes a rich console leave
the BrokenPipeError to ``main``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys


def to_devnull(stream) -> None:
    """Point ``stream``'s file descriptor at /dev/null: what its buffer still holds goes there
    at the next flush, and so does the rest, so Python's own flush at exit finds nothing to
    complain about either."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())
    os.close(devnull)


def _raise_broken_pipe() -> None:
    raise BrokenPipeError(errno.EPIPE, "the reader of stdout went away")


def raising_broken_pipe(console):
    """``console`` (a rich Console), raising BrokenPipeError when stdout's reader has gone.
    rich's own ``Console.on_broken_pipe`` exits at once with status 1, the status of a failed
    command; :func:`deltaprop.cli.main` gives the status of a tool that SIGPIPE ends."""
    console.on_broken_pipe = _raise_broken_pipe
    return console


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
