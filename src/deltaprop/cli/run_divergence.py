"""Whether a run folder's training diverged, as ``train`` records it, for the commands after it.

A diverged run leaves a checkpoint of its last good position and no model, as an
interrupted one does; but resuming it repeats the same steps from the same seed and diverges
again at the same mini-batch. ``train`` writes the history up to that checkpoint with a
``stopped_reason`` that says so ("training diverged at epoch 4, mini-batch 37: ...");
:func:`divergence` reads it as :func:`deltaprop.diagnostics.run.read_run` does for
``diagnose``, with diagnose's advice (a smaller learning rate), so ``evaluate`` can say why
the run has no model and ``resume`` can refuse to repeat it.
"""

from __future__ import annotations

from pathlib import Path

DIVERGED = "training diverged"  # how train's history begins the stopped_reason of a divergence


def divergence(run_dir: str | Path) -> tuple[str, str, str] | None:
    """``(reason, where, advice)`` for a run folder whose training diverged: its history's
    ``stopped_reason``, where the checkpoint's weights stand, and the command that starts it
    again with a smaller learning rate; None for any other folder (finished, interrupted,
    killed, or not readable as a run)."""
    from ..diagnostics.run import read_run, unfinished_fix

    try:
        run = read_run(run_dir)
    except (OSError, ValueError, KeyError, TypeError):  # evaluate and resume say what is wrong
        return None
    reason = run.stopped_reason
    if run.unfinished is None or not (isinstance(reason, str) and reason.startswith(DIVERGED)):
        return None
    return reason, run.unfinished, unfinished_fix(run)
