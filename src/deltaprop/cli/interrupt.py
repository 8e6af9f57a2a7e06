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
from pathlib import Path

from ..training.callback import Callback


class TrainingInterrupted(Exception):
    """Training stopped on Ctrl-C after saving a checkpoint at ``epoch`` (from 0), ``batch``."""

    def __init__(self, checkpoint: Path, epoch: int, batch: int):
        super().__init__(f"interrupted at epoch {epoch + 1}, batch {batch}; checkpoint saved to {checkpoint}")
        self.checkpoint = checkpoint
        self.epoch = epoch
        self.batch = batch


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
    """Save ``save(epoch, batch)`` at every epoch's end, and at the next batch boundary on Ctrl-C.

    ``save(epoch, batch)`` writes a checkpoint from which training restarts at ``epoch``
    (from 0) after its first ``batch`` mini-batches. This callback must come after the
    others in the list, so that the history and every callback's state include the epoch.
    """

    def __init__(self, save: Callable[[int, int], Path], flag: InterruptFlag, steps_per_epoch: int):
        self.save = save
        self.flag = flag
        self.steps_per_epoch = steps_per_epoch
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_end(self, batch, logs=None):
        # On the epoch's last batch the epoch-end checkpoint comes next: let it handle the flag.
        if self.flag.requested and batch + 1 < self.steps_per_epoch:
            path = self.save(self.epoch, batch + 1)
            raise TrainingInterrupted(path, self.epoch, batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        path = self.save(epoch + 1, 0)
        last = epoch + 1 >= int(self.run.params.get("epochs", 0))
        if self.flag.requested and not self.run.stop_training and not last:
            raise TrainingInterrupted(path, epoch + 1, 0)
