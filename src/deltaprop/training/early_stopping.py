"""``EarlyStopping``: stop when the monitored quantity has stopped improving, and keep the best epoch.

Keras 3's rules for counting epochs (``patience``, ``min_delta``, ``baseline``,
``start_from_epoch``) and for restoring the best epoch's weights however training ends,
but not after an interrupt, so that an interrupted run can be resumed exactly; a resumed
run counts on from the history it continues, and :meth:`EarlyStopping.carry_best` gives it
the best epoch's weights, which a history cannot hold. Its base, :class:`~.monitor.Monitor`,
watches the quantity; its public name is importable from :mod:`deltaprop.training.callbacks`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._validation import check_flag, check_positive_int
from .monitor import Monitor, value_to_beat

# How EarlyStopping's stopped_reason begins: what resume --epochs reads to refuse such a run.
REASON_PREFIX = "EarlyStopping:"


class EarlyStopping(Monitor):
    """Stop training when ``monitor`` has stopped improving (Keras 3's rules).

    An epoch improves when the monitored value beats the best so far by more than
    ``min_delta``. Each epoch from ``start_from_epoch`` on (an absolute epoch, from 0; earlier
    ones are a warm-up, not watched) adds one to ``wait``; an improving epoch resets it, but
    with a ``baseline`` only if it also beats the baseline by more than ``min_delta``. An epoch
    that does not improve, with ``wait ≥ patience``, stops training at its end (so
    ``patience=0`` stops at the first epoch that does not improve). ``stopped_epoch`` and
    ``best_epoch`` count from 0 (``stopped_epoch`` is None when this callback did not stop
    the run).

    ``restore_best_weights``: when training ends, however it ends (stopped here, epochs run
    out, another callback stopped it, ``TerminateOnNaN``), the network gets back the weights
    and biases of its best epoch (of the first watched epoch if none improved), as Keras 3
    does. (Keras 2 restored them only when this callback stopped the run.) Deliberately not
    after ``run.request_interrupt()``: an interrupted run keeps its current weights, so it can
    be resumed exactly. ``best_weights`` holds ``(weights, biases)`` copies, and
    ``best_weights_epoch`` the epoch (from 0) they are of, or None before the first watched
    epoch.

    Resuming: a new EarlyStopping counts on from the history it is given (``fit(...,
    history=h)``), but the weights of the epochs before cannot come from the history. Give
    them with :meth:`carry_best` (what ``best_weights`` and ``best_weights_epoch`` held when
    the run stopped), and the resumed run restores what the uninterrupted one would have.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        mode: str = "auto",
        restore_best_weights: bool = False,
        baseline: float | None = None,
        start_from_epoch: int = 0,
    ):
        super().__init__(monitor, mode, min_delta)
        self.patience = check_positive_int(patience, "patience", allow_zero=True)
        self.baseline = value_to_beat(baseline, "baseline")
        self.restore_best_weights = check_flag(restore_best_weights, "restore_best_weights")
        self.start_from_epoch = check_positive_int(start_from_epoch, "start_from_epoch", allow_zero=True)
        self._carried = None

    def carry_best(self, epoch: int, weights, biases) -> None:
        """Before a resumed ``fit``: the weights and biases (lists of arrays, as
        ``best_weights`` holds them) of ``epoch``, the epoch whose weights the interrupted
        run kept. ``fit`` refuses them (ValueError) unless the history it continues shows
        that same epoch as the one to keep; the network's shapes are checked there too."""
        if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
            raise TypeError(f"epoch must be a whole number ≥ 0 (an epoch counted from 0); got {epoch!r}")
        self._carried = (
            int(epoch),
            [np.array(w, copy=True) for w in weights],
            [np.array(b, copy=True) for b in biases],
        )

    def on_train_begin(self, logs=None):
        self._check_monitor()
        self.wait = 0
        self.best = self._worst()
        self.best_epoch: int | None = None
        self.best_weights = None
        self.best_weights_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self.reason: str | None = None  # why this callback stopped the run, as the history says it
        # A resumed run (fit(..., initial_epoch=e, history=h)) counts on from the epochs the
        # history holds; their weights are not in it, so a best epoch among them is restored
        # only if carry_best gave its weights (otherwise the network keeps its own).
        history = self.run.history
        watched = []
        if history is not None:
            for epoch, current in zip(history.epoch, history.history.get(self.monitor, [])):
                if self._count(epoch, current) is not None:
                    watched.append(epoch)
        if self._carried is not None:
            self._take_carried(watched[0] if watched else None)

    def _take_carried(self, first_watched: int | None) -> None:
        """Install carry_best's weights, if they are those of the epoch this run would keep:
        the best epoch of the history, else (no epoch improved) its first watched one."""
        epoch, weights, biases = self._carried
        self._carried = None
        due = self.best_epoch if self.best_epoch is not None else first_watched
        if epoch != due:
            raise ValueError(
                f"EarlyStopping.carry_best gave the weights of epoch {epoch}, but the history this run "
                f"continues makes epoch {due} the one to keep ({self.monitor}); they are not this run's"
            )
        net = self.run.network
        for name, given, own in (("weights", weights, net.weights), ("biases", biases, net.biases)):
            if [(a.shape, a.dtype) for a in given] != [(a.shape, a.dtype) for a in own]:
                raise ValueError(
                    f"EarlyStopping.carry_best: the {name} given are "
                    f"{[(a.shape, a.dtype.name) for a in given]}, but the network's are "
                    f"{[(a.shape, a.dtype.name) for a in own]}"
                )
        self.best_weights, self.best_weights_epoch = (weights, biases), epoch

    def _keep_weights(self, epoch: int) -> None:
        net = self.run.network
        self.best_weights = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
        self.best_weights_epoch = epoch

    def _count(self, epoch: int, current: float) -> bool | None:
        """Count one epoch's value into ``wait``, ``best``, ``best_epoch``; whether it improved
        (None for an epoch before ``start_from_epoch``, which is not watched)."""
        if epoch < self.start_from_epoch:
            return None
        self.wait += 1
        if not self._improved(current, self.best):
            return False
        self.best, self.best_epoch = current, epoch
        if self.baseline is None or self._improved(current, self.baseline):
            self.wait = 0
        return True

    def on_epoch_end(self, epoch, logs=None):
        watched = epoch >= self.start_from_epoch
        if watched and self.restore_best_weights and self.best_weights is None and self.best_epoch is None:
            self._keep_weights(epoch)  # the fallback, should no epoch improve (Keras 3 does the same)
        improved = self._count(epoch, (logs or {}).get(self.monitor, math.nan))
        if improved is None:
            return
        if improved:
            if self.restore_best_weights:
                self._keep_weights(epoch)
            return
        if self.wait >= self.patience and self.best_epoch is not None:
            self.stopped_epoch = epoch
            self.run.stop_training = True
            reason = f"{REASON_PREFIX} {self._why_stopped()}"
            if self.restore_best_weights and self.best_weights is not None:
                reason += "; the weights of that epoch were restored"
            self.reason = reason
            self.run.history.stopped_reason = reason
            self.run.history.stopped_epoch = epoch

    def _why_stopped(self) -> str:
        """What ``wait`` counted, in words. Until an epoch beats the baseline, improving epochs do
        not reset ``wait`` (Keras 3), so it then counts every watched epoch, not those since the best."""
        best = f"{self.best:.6g} at epoch {self.best_epoch + 1}"
        if self.baseline is None or self._improved(self.best, self.baseline):
            return f"{self.monitor} did not improve for {self.wait} epoch(s) after its best {best}"
        margin = f" by more than min_delta={self.min_delta:g}" if self.min_delta else ""
        since = f" from epoch {self.start_from_epoch + 1}" if self.start_from_epoch else ""
        return (
            f"{self.monitor} never beat the baseline {self.baseline:g}{margin} in {self.wait} "
            f"epoch(s){since} (best {best})"
        )

    def on_train_end(self, logs=None):
        if not self.run.interrupted:
            self.restore()

    def restore(self) -> None:
        """Give the network the best epoch's weights and biases (copies), if this callback
        restores them and has kept some; ``on_train_end`` calls it unless the run was
        interrupted. Calling it again does nothing more."""
        if self.restore_best_weights and self.best_weights is not None:
            weights, biases = self.best_weights
            self.run.network.weights = [w.copy() for w in weights]
            self.run.network.biases = [b.copy() for b in biases]
