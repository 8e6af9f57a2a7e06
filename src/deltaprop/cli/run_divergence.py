"""Whether a run folder's training diverged, as ``train`` records it, for the commands after it.

A diverged run leaves a checkpoint of its last good position and no model, as an
interrupted one does (or, diverged in its first epoch, no weights at all); but resuming it
repeats the same steps from the same seed and diverges again at the same mini-batch, and so
does starting it again as it was. ``train`` writes the history up to the divergence with a
``stopped_reason`` that says so ("training diverged at epoch 4, mini-batch 37: ...",
:data:`deltaprop.diagnostics.run.DIVERGED`); :func:`divergence` reads it as
:func:`deltaprop.diagnostics.run.read_run` does for ``diagnose``, with diagnose's advice (a
smaller learning rate), so ``evaluate`` can say why the run has no model, ``resume`` can
refuse to repeat it, and ``diagnose`` and ``plot`` can say why a run has no weights.
"""

from __future__ import annotations

from pathlib import Path


def divergence(run_dir: str | Path) -> tuple[str, str, str] | None:
    """``(reason, where, advice)`` for a run folder whose training diverged: its history's
    ``stopped_reason``, where the checkpoint's weights stand (or that it has none), and the
    command that starts it again with a smaller learning rate; None for any other folder
    (finished, interrupted, killed, or not readable as a run)."""
    from ..diagnostics.run import diverged, read_record, read_run, unfinished_fix
    from ..files.run_folder import CHECKPOINT, MODEL, weights_file

    try:
        if weights_file(Path(run_dir)) is None:  # diverged in its first epoch: a history, no weights
            run = read_record(run_dir)
            where = f"no epoch had ended, so it wrote neither {MODEL} nor {CHECKPOINT}"
        else:
            run = read_run(run_dir)
            where = run.unfinished
    except (OSError, ValueError, KeyError, TypeError):  # evaluate and resume say what is wrong
        return None
    if where is None or not diverged(run.stopped_reason):
        return None
    return run.stopped_reason, where, unfinished_fix(run)
