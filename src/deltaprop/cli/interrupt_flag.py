"""The flag a first Ctrl-C raises, apart from :mod:`deltaprop.cli.interrupt` because
:func:`deltaprop.cli.main` needs it before anything heavy is imported: a SIGINT that lands in
the middle of an import (NumPy's, SciPy's) can come out as another error than
``KeyboardInterrupt`` (NumPy reports an ``ImportError`` and "a bad install"), so while the
commands' modules load, a Ctrl-C is only noted, and acted on when they have.
"""

from __future__ import annotations

import signal


class InterruptFlag:
    """While active (a ``with`` block), the first SIGINT sets ``requested`` and asks the
    training run (``run``, once known) to stop at the next batch boundary; a second SIGINT
    raises ``KeyboardInterrupt``."""

    def __init__(self):
        self.requested = False
        self.run = None
        self._previous = None

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        if self.run is not None:
            self.run.request_interrupt()

    def __enter__(self):
        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self._previous)
        return False
