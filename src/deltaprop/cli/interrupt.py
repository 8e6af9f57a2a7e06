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

import errno
from collections.abc import Callable
from pathlib import Path

from ..training.callback import Callback
from .interrupt_flag import InterruptFlag

# What to do before going on, after the file system refused a run's file
FIRST = {
    **dict.fromkeys((errno.ENOSPC, errno.EDQUOT, errno.EFBIG), "free some space, then "),
    **dict.fromkeys((errno.EROFS, errno.EACCES, errno.EPERM), "make the folder writable, then "),
}


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


def what_is_kept(run_dir: Path, first: str = "") -> str:
    """What a stopped run leaves in ``run_dir`` to go on from, and how: its checkpoint's
    position and the resume command, or, with no checkpoint yet, the command that starts it
    again. ``first``: what to do before (``"free some space, then "``)."""
    from .. import files
    from . import rundir

    try:
        _, _, state = files.load_checkpoint(run_dir / rundir.CHECKPOINT)
    except (OSError, ValueError):  # none yet: it is written atomically, so never half of one
        return (
            f"no epoch had finished, so there is no checkpoint; {first}start again with "
            f"'deltaprop train --config {run_dir / rundir.CONFIG}'"
        )
    epoch, batch = state["epoch"], state["batch"]
    at = f"epoch {epoch + 1}, batch {batch}" if batch else f"the end of epoch {epoch}"
    return f"the checkpoint at {at} is intact; {first}continue with: deltaprop resume {run_dir}"


def write_failure(err: OSError, run_dir: Path) -> OSError | None:
    """``err``, an error writing a file of ``run_dir`` (the disk full), said with what is intact
    and how to go on (:func:`what_is_kept`); None for an error about any other file."""
    if err.filename is None or not Path(err.filename).resolve().is_relative_to(run_dir.resolve()):
        return None
    return OSError(f"{err}; {what_is_kept(run_dir, FIRST.get(err.errno, ''))}")
