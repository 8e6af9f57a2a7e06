"""The flag a first Ctrl-C (or SIGTERM, SIGHUP) raises, apart from :mod:`deltaprop.cli.interrupt`
because :func:`deltaprop.cli.main` needs it before anything heavy is imported: a SIGINT that
lands in the middle of an import (NumPy's, SciPy's) can come out as another error than
``KeyboardInterrupt`` (NumPy reports an ``ImportError`` and "a bad install"), so while the
commands' modules load, a Ctrl-C is only noted, and acted on when they have.

SIGTERM (``kill``, ``docker stop``, systemd, Slurm's preemption, ``timeout``) and SIGHUP (a
closed terminal, a dropped ssh session) are handled as Ctrl-C is: they too ask a process to
stop, and by default would end it at once, losing the epoch under way. The exit status is
128 + the signal's number, as the shell reports a process the signal ended (130, 143, 129).
A signal the caller set to be ignored (``nohup``'s SIGHUP) stays ignored. A SIGHUP means the
terminal is gone: every later write to it would fail (EIO) and stop the run before its
checkpoint, so stdout and stderr, where they are that terminal, are sent to /dev/null.
"""

from __future__ import annotations

import signal
import sys

from .stdout import to_devnull

#: The signals that stop a run at the next mini-batch boundary, those this system has.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
SIGNAL_EXIT_BASE = 128  # a shell's status for a process ended by signal N is 128 + N


class InterruptFlag:
    """While active (a ``with`` block), the first SIGINT, SIGTERM or SIGHUP sets ``requested``
    and asks the training run (``run``, once known) to stop at the next batch boundary; a
    second one raises ``KeyboardInterrupt``. ``signum`` is the last signal received."""

    def __init__(self):
        self.requested = False
        self.signum: int | None = None
        self.run = None
        self._previous: dict = {}
        self._terminals: list = []

    @property
    def exit_code(self) -> int:
        """128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP."""
        return SIGNAL_EXIT_BASE + (self.signum or signal.SIGINT)

    @property
    def name(self) -> str:
        """``"Ctrl-C"`` for SIGINT (or none yet), else the signal's name (``"SIGTERM"``)."""
        if self.signum in (None, signal.SIGINT):
            return "Ctrl-C"
        return signal.Signals(self.signum).name

    def _handle(self, signum, frame):
        self.signum = signum
        if signum == getattr(signal, "SIGHUP", None):
            for stream in self._terminals:
                to_devnull(stream)
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        if self.run is not None:
            self.run.request_interrupt()

    def __enter__(self):
        # Seen now: once the terminal has hung up, isatty() fails on it too.
        self._terminals = [stream for stream in (sys.stdout, sys.stderr) if _is_terminal(stream)]
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc):
        for signum, previous in self._previous.items():  # None: a handler set outside Python
            signal.signal(signum, signal.SIG_DFL if previous is None else previous)
        self._previous = {}
        return False


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError, AttributeError):  # closed, or no file descriptor
        return False
