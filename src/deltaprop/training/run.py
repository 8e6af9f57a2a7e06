"""The :class:`Run`: what a callback sees of a running ``fit`` (``callback.run``) and how it
steers it — the data and weights being trained on, where a resumed run would start, and the
flags that stop training after an epoch or after the current mini-batch; and what ``fit``
records in the history when a run is interrupted (where to resume, an epoch's sums so far).
"""

from __future__ import annotations


class Run:
    """What a callback can see and steer while ``fit`` runs (``callback.run``).

    Attributes
    ----------
    network, optimizer, history, params
        The network being trained, its optimizer, the :class:`History` being filled and
        the run's settings (epochs, batch_size, n_samples, steps_per_epoch, seed, ...).
    metrics : list[str]
        The names each epoch's logs will hold (``loss``, ``accuracy``, ``val_loss``, ...).
    X, targets, train_index
        The training inputs ``(n_all, n_0)`` as given (never copied), the checked targets,
        and the rows of X used for training (None: all of them).
    X_val, targets_val, val_index
        The validation data (rows ``val_index`` of ``X_val``, or all if None); None without.
    sample_weight, sample_weight_val
        The per-sample weights of the rows of ``X`` and of ``X_val`` (of the network's dtype),
        or None: unweighted.
    epoch : int
        The epoch running now (from 0).
    next_epoch, next_batch : int
        Where a resumed run would start: ``fit(..., initial_epoch=run.next_epoch,
        initial_batch=run.next_batch)`` with the same seed continues exactly from here.
    stop_training : bool
        Set it to True to end training after the current epoch.
    interrupted : bool
        Set by :meth:`request_interrupt` (e.g. from a SIGINT handler): training stops after
        the current mini-batch, between two complete updates, so it can be resumed exactly.
    """

    def __init__(self, network, optimizer, history, params, metrics):
        self.network = network
        self.optimizer = optimizer
        self.history = history
        self.params = params
        self.metrics = metrics
        self.X = self.targets = self.train_index = None
        self.X_val = self.targets_val = self.val_index = None
        self.sample_weight = self.sample_weight_val = None
        self.epoch = params.get("initial_epoch", 0)
        self.next_epoch = self.epoch
        self.next_batch = params.get("initial_batch", 0)
        self.stop_training = False
        self.interrupted = False

    def request_interrupt(self) -> None:
        """Stop after the mini-batch being computed now (safe to call from a signal handler)."""
        self.interrupted = True

    def __repr__(self) -> str:
        return (
            f"Run(epoch={self.epoch}, next_epoch={self.next_epoch}, next_batch={self.next_batch}, "
            f"epochs={self.params.get('epochs')}, stop_training={self.stop_training})"
        )


def record_interrupt_mid_epoch(run: Run, epoch: int, steps: int, loss_sum: float, correct) -> None:
    """Record ``fit``'s ``run`` interrupted after mini-batch ``run.next_batch`` of ``steps``
    of ``epoch`` (from 0): the epoch's sums so far (its cost ``loss_sum`` and ``correct``
    predictions, None without accuracy) in ``history.partial``, for a resumed run to go on
    from, and the history's stop saying where to resume."""
    history, batch = run.history, run.next_batch
    history.partial = {"epoch": epoch, "batch": batch, "loss_sum": loss_sum, "correct": correct}
    history.stopped_reason = (
        f"interrupted at epoch {epoch + 1}, after mini-batch {batch} of {steps}; "
        f"resume with initial_epoch={epoch}, initial_batch={batch} and the same seed"
    )
    history.stopped_epoch = run.next_epoch = epoch


def record_interrupt_at_epoch_end(run: Run, epoch: int) -> None:
    """Record ``fit``'s ``run`` interrupted after the last mini-batch of ``epoch``, which the
    history holds in full."""
    run.history.stopped_reason = (
        f"interrupted at the end of epoch {epoch + 1}; resume with initial_epoch={epoch + 1} "
        f"and the same seed"
    )
    run.history.stopped_epoch = epoch
