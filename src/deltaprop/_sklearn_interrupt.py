"""What a KeyboardInterrupt (Ctrl-C) in the middle of training leaves in the estimators of
:mod:`deltaprop.sklearn`.

scikit-learn's MLP catches the interrupt, warns "Training interrupted by user." and keeps
what it trained. These estimators keep it too and warn, then let the KeyboardInterrupt go on,
as Python code should (the program the user stopped still stops): ``network_`` and
``optimizer_`` as the interrupt found them (they change in place, step by step), the epochs
completed in ``history_``, ``loss_curve_`` and ``n_iter_``, and ``t_`` counting the samples of
every mini-batch the optimizer stepped on, those of an unfinished epoch included. An
interrupt before the first step changes nothing, as a refused call changes nothing.
"""

from __future__ import annotations

import warnings

from ._text import count
from .training.callback import Callback


class StepCount(Callback):
    """Notes the optimizer's step count (``iterations``) as each epoch begins, so that an epoch
    cut short is known by its steps, the count now minus the count then: no per-batch hook,
    so the training loop pays nothing for it."""

    at: tuple[int, int] | None = None  # (epoch, iterations) as the latest epoch began

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.at = (epoch, self.run.optimizer.iterations)

    def unfinished_samples(self, recorded: int) -> int:
        """The training samples of the mini-batches stepped on in an epoch that was not recorded
        (0 if the interrupt came after epoch ``recorded`` − 1 was recorded, before the next
        began): steps × ``batch_size``, all rows once every step of the epoch ran.

        The optimizer counts a step before it changes a weight, so a step the interrupt cut in
        the middle is counted, as its rows are in the weights. With ``sample_weight``, a
        mini-batch whose weights are all 0 makes no step and is not counted."""
        if self.at is None or self.at[0] < recorded:
            return 0
        steps = self.run.optimizer.iterations - self.at[1]
        return min(steps * self.run.params["batch_size"], self.run.params["n_samples"])


def warn_interrupted(estimator, unfinished: int) -> None:
    """scikit-learn's "Training interrupted by user." with what ``estimator`` kept: the
    ``n_iter_`` epochs this call completed, ``unfinished`` samples stepped on in an epoch cut
    short, and the network (with early stopping, the best epoch's weights, as at any end)."""
    part = f" and {count(unfinished, 'sample')} of an unfinished one" if unfinished else ""
    network = (
        "network_ with the weights of the epoch of lowest validation cost (early stopping)"
        if estimator._validated and estimator._kept_epoch is not None
        else "network_ and optimizer_ as the interrupt found them"
    )
    warnings.warn(
        f"Training interrupted by user. {type(estimator).__name__} keeps what it trained: "
        f"{count(estimator.n_iter_, 'epoch')} completed (n_iter_, loss_curve_){part}, t_ = "
        f"{estimator.t_} samples since the network was made, and {network}. The KeyboardInterrupt "
        f"goes on",
        UserWarning,
        stacklevel=4,
    )
