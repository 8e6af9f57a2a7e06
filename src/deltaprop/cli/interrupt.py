"""Ctrl-C without losing work: stop at a batch boundary, checkpoint, then exit 130.

A SIGINT during training only sets a flag (:class:`InterruptFlag`); the network is never
left half-updated. :class:`Checkpointer`, a training callback, checks the flag after every
update: when it is set it saves a checkpoint holding the exact position (epoch and batch)
and raises :class:`TrainingInterrupted`. It also saves a checkpoint at the end of every
epoch. Checkpoints are written atomically by :mod:`deltaprop.files` (a temporary file in
the same folder, fsync, ``os.replace``), so a SIGKILL at any moment leaves the last
complete one intact. A second Ctrl-C stops at once (the last complete checkpoint remains).
"""

from __future__ import annotations

import signal
from collections.abc import Callable

from ..training.callback import Callback


class InterruptFlag:
    """While active (a ``with`` block), the first SIGINT sets ``requested``; a second one raises."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self._previous)
        return False


class Checkpointer(Callback):
    """Save a checkpoint at every epoch's end; on Ctrl-C, stop at the next batch boundary.

    ``save(run)`` writes a checkpoint from which training restarts at ``run.next_epoch``
    after its first ``run.next_batch`` mini-batches. This callback must come last in the
    list, so that the history and every other callback have finished the epoch. When the
    flag is raised mid-epoch it asks ``fit`` to stop after the update under way
    (``run.request_interrupt``), and the caller saves that position; on an epoch's last
    mini-batch it lets the epoch finish, so the epoch is recorded whole, then stops.
    """

    def __init__(self, save: Callable, flag: InterruptFlag):
        self.save = save
        self.flag = flag

    def on_batch_end(self, batch, logs=None):
        if self.flag.requested and batch + 1 < int(self.run.params["steps_per_epoch"]):
            self.run.request_interrupt()

    def on_epoch_end(self, epoch, logs=None):
        self.save(self.run)
        if self.flag.requested:
            self.run.stop_training = True
