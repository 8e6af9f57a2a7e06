"""Ctrl-C without losing work: stop at a batch boundary, checkpoint, then exit 130.

A SIGINT during training only raises a flag (:class:`~deltaprop.cli.interrupt_flag.InterruptFlag`)
and asks ``fit`` to stop after the mini-batch under way (``Run.request_interrupt``), so the network is never
left half-updated and nothing is checked in the per-batch loop. :class:`Checkpointer`, a
training callback, saves a checkpoint at the end of every epoch; after an interrupt the
caller saves one more at the exact position (``run.next_epoch``, ``run.next_batch``).
Checkpoints are written atomically by :mod:`deltaprop.files` (a temporary file in the same
folder, fsync, ``os.replace``), so a SIGKILL at any moment leaves the last complete one
intact. A second Ctrl-C stops at once (the last complete checkpoint remains). SIGTERM and
SIGHUP are handled as Ctrl-C is, exiting 143 and 129 (:mod:`deltaprop.cli.interrupt_flag`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..training.callback import Callback
from .interrupt_flag import InterruptFlag


class Checkpointer(Callback):
    """Save ``save(run)`` at every epoch's end, and hand the run to the interrupt flag.

    ``save(run)`` writes a checkpoint from which training restarts at ``run.next_epoch``
    after its first ``run.next_batch`` mini-batches. This callback must come last in the
    list, so that the history and every other callback have finished the epoch.
    """

    def __init__(self, save: Callable, flag: InterruptFlag):
        self.save = save
        self.flag = flag

    def set_run(self, run) -> None:
        self.run = run
        self.flag.run = run

    def on_train_begin(self, logs=None):
        if self.flag.requested:  # Ctrl-C came while fit was still checking its arguments
            self.run.request_interrupt()

    def on_epoch_end(self, epoch, logs=None):
        self.save(self.run)
